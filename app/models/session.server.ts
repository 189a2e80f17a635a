import crypto from "node:crypto";
import type { Db } from "../../db/schema.js";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export function hashSessionToken(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Creates a session row and returns the secret token for the cookie (only its hash is stored). */
export async function createSession(
  db: Db,
  {
    userId,
    ip,
    userAgent,
    twoFactorVerifiedAt = null,
  }: { userId: string; ip: string | null; userAgent: string | null; twoFactorVerifiedAt?: Date | null },
) {
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db
    .insertInto("sessions")
    .values({
      id_hash: hashSessionToken(token),
      user_id: userId,
      expires_at: expiresAt,
      ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
      two_factor_verified_at: twoFactorVerifiedAt,
    })
    .execute();
  return { token, expiresAt };
}

/** The user id of a live (unexpired, unrevoked) session. */
export async function getSessionUserId(db: Db, token: string) {
  const row = await db
    .selectFrom("sessions")
    .select("user_id")
    .where("id_hash", "=", hashSessionToken(token))
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
  return row?.user_id;
}

export async function deleteSession(db: Db, token: string) {
  await db.deleteFrom("sessions").where("id_hash", "=", hashSessionToken(token)).execute();
}

/** A user's live sessions, newest first: for the sessions page ("this device" is `idHash`). */
export async function listUserSessions(db: Db, { userId, now = new Date() }: { userId: string; now?: Date }) {
  return db
    .selectFrom("sessions")
    .select(["id_hash as idHash", "created_at as createdAt", "ip", "user_agent as userAgent"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .execute();
}

/**
 * Revokes a user's sessions: all of them, or all but the one with `keepIdHash` (this device).
 * Returns how many went.
 */
export async function revokeUserSessions(db: Db, { userId, keepIdHash }: { userId: string; keepIdHash?: string }) {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepIdHash) query = query.where("id_hash", "!=", keepIdHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Revokes one session of the user; ownership is part of the query. */
export async function revokeUserSession(db: Db, { userId, idHash }: { userId: string; idHash: string }) {
  const result = await db
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("id_hash", "=", idHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Rows per delete statement when purging, so a large backlog never holds one long lock. */
const SESSION_PURGE_BATCH = 1_000;

/**
 * Deletes sessions past their expiry (they no longer sign anyone in), a batch at a time until
 * none are left; returns how many went.
 */
export async function deleteExpiredSessions(
  db: Db,
  { now = new Date(), batchSize = SESSION_PURGE_BATCH }: { now?: Date; batchSize?: number } = {},
) {
  let deleted = 0;
  for (;;) {
    const result = await db
      .deleteFrom("sessions")
      .where("id_hash", "in", (eb) =>
        eb.selectFrom("sessions").select("id_hash").where("expires_at", "<=", now).limit(batchSize),
      )
      .executeTakeFirst();
    const count = Number(result.numDeletedRows);
    deleted += count;
    if (count < batchSize) return deleted;
  }
}

/** The user of a live session and when it passed the second factor (null: it did not). */
export async function getSessionState(db: Db, token: string) {
  return db
    .selectFrom("sessions")
    .select(["user_id", "two_factor_verified_at"])
    .where("id_hash", "=", hashSessionToken(token))
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
}

/** Marks a session as having passed the second factor (a step-up, or right after enrolment). */
export async function markSessionTwoFactor(db: Db, token: string, at = new Date()) {
  await db
    .updateTable("sessions")
    .set({ two_factor_verified_at: at })
    .where("id_hash", "=", hashSessionToken(token))
    .execute();
}
