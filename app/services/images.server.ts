import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db, ImagesTable } from "../../db/schema.js";
import { getConfig } from "../config.server";
import { isUuid } from "../domain/ids";
import type { Translate } from "../domain/locale";
import { translatorFor } from "../i18n";

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

// Refusals are worded in the caller's language (`t`); English by default.
const english = translatorFor("en");

type ImageType = ImagesTable["content_type"];

/**
 * What the bytes are, by their signature, never by the file name or the browser's claim:
 * PNG, JPEG and WebP only. Returns the pixel size when the header gives it.
 */
export function sniffImage(bytes: Uint8Array): { type: ImageType; width: number | null; height: number | null } | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { type: "image/png", width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return { type: "image/jpeg", ...jpegSize(b) };
  }
  if (b.length >= 16 && b.toString("ascii", 0, 4) === "RIFF" && b.toString("ascii", 8, 12) === "WEBP") {
    return { type: "image/webp", ...webpSize(b) };
  }
  return null;
}

function jpegSize(b: Buffer): { width: number | null; height: number | null } {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return { width: null, height: null };
    const marker = b[i + 1]!;
    const length = b.readUInt16BE(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return { width: null, height: null };
}

function webpSize(b: Buffer): { width: number | null; height: number | null } {
  const chunk = b.toString("ascii", 12, 16);
  if (chunk === "VP8X" && b.length >= 30) return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  if (chunk === "VP8 " && b.length >= 30)
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (chunk === "VP8L" && b.length >= 25) {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return { width: null, height: null };
}

export function uploadsDir() {
  return path.resolve(getConfig().DATA_DIR, "uploads");
}

export type StoreImageResult = { ok: true; imageId: string } | { ok: false; message: string };

/**
 * Stores an uploaded image: checked by content and size, written to the data directory under
 * its id, recorded in `images`. The file is written before the row, so a row always has a file.
 */
export async function storeImage(
  db: Db,
  { ownerId, bytes, t = english }: { ownerId: string; bytes: Uint8Array; t?: Translate },
): Promise<StoreImageResult> {
  if (bytes.byteLength === 0) return { ok: false, message: t("campaignForm:image.empty") };
  if (bytes.byteLength > MAX_IMAGE_BYTES) return { ok: false, message: t("campaignForm:image.tooLarge") };
  const sniffed = sniffImage(bytes);
  if (!sniffed) return { ok: false, message: t("campaignForm:image.notImage") };
  if (sniffed.width !== null && (sniffed.width > 12_000 || sniffed.height! > 12_000)) {
    return { ok: false, message: t("campaignForm:image.tooManyPixels") };
  }
  const id = crypto.randomUUID();
  const dir = uploadsDir();
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `${id}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, path.join(dir, id));
  await db
    .insertInto("images")
    .values({
      id,
      owner_id: ownerId,
      content_type: sniffed.type,
      byte_size: bytes.byteLength,
      width: sniffed.width,
      height: sniffed.height,
      sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
    })
    .execute();
  return { ok: true, imageId: id };
}

/** The image's bytes and metadata, or undefined for an unknown or malformed id. */
export async function readImage(db: Db, imageId: string) {
  if (!isUuid(imageId)) return undefined;
  const row = await db
    .selectFrom("images")
    .select(["id", "content_type", "sha256", "byte_size"])
    .where("id", "=", imageId)
    .executeTakeFirst();
  if (!row) return undefined;
  try {
    return { ...row, bytes: await fs.promises.readFile(path.join(uploadsDir(), row.id)) };
  } catch {
    return undefined;
  }
}
