import crypto from "node:crypto";
import { getConfig, resolveSessionSecret } from "../../config.server";

// Authenticator secrets are kept encrypted (AES-256-GCM) and recovery codes as keyed hashes
// (HMAC-SHA-256), both with keys derived by HKDF from the session secret, so a copy of the
// database alone neither mints codes nor lets anyone try recovery codes offline. Rotating the
// session secret therefore voids every enrolment (decision 015).

const VERSION = "v1";

function deriveKey(purpose: string) {
  const secret = resolveSessionSecret(getConfig());
  return Buffer.from(crypto.hkdfSync("sha256", secret, "colecta-two-factor", purpose, 32));
}

export function encryptSecret(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", deriveKey("totp-secret"), iv);
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), sealed]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** The plain secret; throws when the blob was not sealed with the current key. */
export function decryptSecret(blob: string): string {
  const [version, iv, tag, sealed] = blob.split(".");
  if (version !== VERSION || !iv || !tag || !sealed) throw new Error("Unknown two-factor secret format");
  const decipher = crypto.createDecipheriv("aes-256-gcm", deriveKey("totp-secret"), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
}

export function hashRecoveryCode(code: string): string {
  return crypto.createHmac("sha256", deriveKey("recovery-code")).update(code).digest("hex");
}
