import fs from "node:fs";
import { createUser } from "~/models/user.server";
import { loader as imageLoader } from "~/routes/images.$id";
import { MAX_IMAGE_BYTES, sniffImage, storeImage, uploadsDir } from "~/services/images.server";
import { useTestDatabase } from "../support/database";
import { makePng } from "../support/png";

const database = useTestDatabase();
afterAll(() => fs.rmSync(uploadsDir(), { recursive: true, force: true }));

async function owner() {
  return createUser(database().db, { email: `owner-${Math.random()}@example.com`, name: "Owner", passwordHash: "x" });
}

async function get(id: string, headers: Record<string, string> = {}) {
  try {
    return (await imageLoader({
      request: new Request(`http://localhost/images/${id}`, { headers }),
      params: { id },
      context: {},
    })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("cover images", () => {
  it("recognises images by their content, not their name", () => {
    expect(sniffImage(makePng(640, 360))).toEqual({ type: "image/png", width: 640, height: 360 });
    const jpeg = Buffer.from("ffd8ffe000104a46494600010100000100010000ffc0001108012c019003012200021101031101", "hex");
    expect(sniffImage(jpeg)).toEqual({ type: "image/jpeg", width: 400, height: 300 });
    const webp = Buffer.concat([
      Buffer.from("RIFF\0\0\0\0WEBPVP8X", "ascii"),
      Buffer.from("0a000000" + "10000000" + "7f0200" + "670100", "hex"),
    ]);
    expect(sniffImage(webp)).toMatchObject({ type: "image/webp", width: 640, height: 360 });
    expect(
      sniffImage(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")),
    ).toBeNull();
    expect(sniffImage(Buffer.from("GIF89a......"))).toBeNull();
  });

  it("stores a PNG and serves it with long-lived caching and revalidation", async () => {
    const user = await owner();
    const png = makePng(32, 18);
    const stored = await storeImage(database().db, { ownerId: user.id, bytes: png });
    if (!stored.ok) throw new Error(stored.message);
    const res = await get(stored.imageId);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    expect(res.headers.get("Cache-Control")).toContain("immutable");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png);
    const again = await get(stored.imageId, { "If-None-Match": res.headers.get("ETag")! });
    expect(again.status).toBe(304);
  });

  it("refuses files that are not images, empty files and oversized files, storing nothing", async () => {
    const user = await owner();
    const { db } = database();
    expect(await storeImage(db, { ownerId: user.id, bytes: Buffer.from("just text") })).toEqual({
      ok: false,
      message: "That file is not a PNG, JPEG or WebP image.",
    });
    expect((await storeImage(db, { ownerId: user.id, bytes: new Uint8Array() })).ok).toBe(false);
    const huge = new Uint8Array(MAX_IMAGE_BYTES + 1);
    huge.set(makePng(1, 1));
    expect(await storeImage(db, { ownerId: user.id, bytes: huge })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/larger than 5 MB/),
    });
    expect(await db.selectFrom("images").select("id").where("owner_id", "=", user.id).execute()).toHaveLength(0);
  });

  it("answers 404 to unknown and malformed ids", async () => {
    expect((await get("00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect((await get("../../etc/passwd")).status).toBe(404);
  });
});
