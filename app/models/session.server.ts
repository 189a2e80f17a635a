import crypto from "node:crypto";
import type { Db } from "../../db/schema.js";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function hashToken(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Creates a session row and returns the secret token for the cookie (only its hash is stored). */
export async function createSession(
  db: Db,
  { userId, ip, userAgent }: { userId: string; ip: string | null; userAgent: string | null },
) {
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db
    .insertInto("sessions")
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      expires_at: expiresAt,
      ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, expiresAt };
}

/** The user id of a live (unexpired, unrevoked) session. */
export async function getSessionUserId(db: Db, token: string) {
  const row = await db
    .selectFrom("sessions")
    .select("user_id")
    .where("id_hash", "=", hashToken(token))
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
  return row?.user_id;
}

export async function deleteSession(db: Db, token: string) {
  await db.deleteFrom("sessions").where("id_hash", "=", hashToken(token)).execute();
}

export async function deleteExpiredSessions(db: Db) {
  await db.deleteFrom("sessions").where("expires_at", "<=", new Date()).execute();
}
