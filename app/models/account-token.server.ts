import crypto from "node:crypto";
import { sql } from "kysely";
import type { AccountTokenPurpose, Db } from "../../db/schema.js";

// One-time account links (password reset, address verification, email change). The secret is 32
// random bytes in the link; only its SHA-256 is stored. A token is spent by one conditional
// update, so two clicks at once cannot both use it.

export const TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  reset_password: 60 * 60_000,
  verify_email: 7 * 24 * 60 * 60_000,
  change_email: 24 * 60 * 60_000,
};

export function hashAccountToken(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/**
 * Issues a new token (and retires the user's unused ones of the same purpose, so only the newest
 * link works); returns the secret for the link.
 */
export async function issueAccountToken(
  db: Db,
  {
    userId,
    purpose,
    email = null,
    now = new Date(),
  }: { userId: string; purpose: AccountTokenPurpose; email?: string | null; now?: Date },
) {
  const token = crypto.randomBytes(32).toString("base64url");
  await db
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .execute();
  await db
    .insertInto("account_tokens")
    .values({
      token_hash: hashAccountToken(token),
      user_id: userId,
      purpose,
      email,
      expires_at: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
    })
    .execute();
  return token;
}

export type TokenProblem = "invalid" | "expired" | "used";

/**
 * Spends a token: marks it used if it is of this purpose, unused and unexpired, atomically.
 * Otherwise says why not (a forged or unknown token is "invalid").
 */
export async function consumeAccountToken(
  db: Db,
  { token, purpose, now = new Date() }: { token: string; purpose: AccountTokenPurpose; now?: Date },
): Promise<{ ok: true; userId: string; email: string | null } | { ok: false; problem: TokenProblem }> {
  const tokenHash = hashAccountToken(token);
  const spent = await db
    .updateTable("account_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["user_id", "email"])
    .executeTakeFirst();
  if (spent) return { ok: true, userId: spent.user_id, email: spent.email };
  return { ok: false, problem: await tokenProblem(db, { tokenHash, purpose, now }) };
}

/** Whether a token would be accepted now, without spending it (the page before the form). */
export async function checkAccountToken(
  db: Db,
  { token, purpose, now = new Date() }: { token: string; purpose: AccountTokenPurpose; now?: Date },
): Promise<{ ok: true } | { ok: false; problem: TokenProblem }> {
  const tokenHash = hashAccountToken(token);
  const live = await db
    .selectFrom("account_tokens")
    .select("token_hash")
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return live ? { ok: true } : { ok: false, problem: await tokenProblem(db, { tokenHash, purpose, now }) };
}

async function tokenProblem(
  db: Db,
  { tokenHash, purpose, now }: { tokenHash: string; purpose: AccountTokenPurpose; now: Date },
): Promise<TokenProblem> {
  const row = await db
    .selectFrom("account_tokens")
    .select(["used_at", "expires_at"])
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .executeTakeFirst();
  if (!row) return "invalid";
  if (row.used_at) return "used";
  return row.expires_at <= now ? "expired" : "invalid";
}

export async function deleteAccountTokens(db: Db, { userId }: { userId: string }) {
  await db.deleteFrom("account_tokens").where("user_id", "=", userId).execute();
}

/** Retires every unused token of a purpose (a reset done: the other reset links die with it). */
export async function retireAccountTokens(
  db: Db,
  { userId, purpose }: { userId: string; purpose: AccountTokenPurpose },
) {
  await db
    .updateTable("account_tokens")
    .set({ used_at: sql`now()` })
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .execute();
}
