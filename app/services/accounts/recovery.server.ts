import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { passwordResetEmail } from "../../domain/account-emails";
import { recipientLocale } from "../../domain/emails";
import type { Locale, Translate } from "../../domain/locale";
import { translatorFor } from "../../i18n";
import {
  checkAccountToken,
  consumeAccountToken,
  issueAccountToken,
  retireAccountTokens,
  type TokenProblem,
} from "../../models/account-token.server";
import { recordAudit } from "../../models/audit.server";
import { queueEmails } from "../../models/outbox.server";
import { revokeUserSessions } from "../../models/session.server";
import { findUserByEmail, markEmailVerified, normalizeEmail, setUserPassword } from "../../models/user.server";
import { writeEmail } from "../emails.server";
import { hitRateLimit, type RateLimitRule } from "../rate-limit.server";
import { hashPassword } from "./password.server";
import { describeWait, rateLimited, type RateLimited } from "./too-many.server";
import { accountLink, auditRefusedToken } from "./tokens.server";

// A forgotten password: a one-hour, single-use link to the account's address, then a new
// password, which signs every other device out.

export const RESET_LIMITS = {
  perIp: { limit: 10, windowMs: 60 * 60_000 } satisfies RateLimitRule,
  perAddress: { limit: 3, windowMs: 60 * 60_000 } satisfies RateLimitRule,
};
/**
 * The least time a reset request takes, whether or not the address has an account: queuing the
 * email is work that an unknown address does not need, and must not be measurable.
 */
export const RESET_REQUEST_FLOOR_MS = 400;
const english: Translate = translatorFor("en");

/**
 * Emails a reset link when the address has an account. The answer is the same either way (and
 * takes the same time): only the owner of the address learns whether it has an account.
 */
export async function requestPasswordReset(
  db: Db,
  {
    email,
    ip,
    t = english,
    requestLocale,
    floorMs = RESET_REQUEST_FLOOR_MS,
  }: { email: string; ip: string; t?: Translate; requestLocale?: Locale; floorMs?: number },
): Promise<{ ok: true } | RateLimited> {
  const started = Date.now();
  const address = normalizeEmail(email);
  const ipState = await hitRateLimit(db, `reset:ip:${ip}`, RESET_LIMITS.perIp);
  const addressState = await hitRateLimit(db, `reset:address:${address}`, RESET_LIMITS.perAddress);
  if (!ipState.allowed || !addressState.allowed) {
    const wait = Math.max(
      ipState.allowed ? 0 : ipState.retryAfterSeconds,
      addressState.allowed ? 0 : addressState.retryAfterSeconds,
    );
    return rateLimited(wait, t("account:refusal.tooManyResets", { wait: describeWait(t, wait) }));
  }
  const user = await findUserByEmail(db, { email: address });
  await inTransaction(db, async (trx) => {
    if (user) {
      const token = await issueAccountToken(trx, { userId: user.id, purpose: "reset_password", email: user.email });
      await queueEmails(trx, [
        {
          kind: "account.reset_password",
          toEmail: user.email,
          toUserId: user.id,
          ...writeEmail(passwordResetEmail, recipientLocale(user.locale, requestLocale), {
            name: user.name,
            url: accountLink("reset_password", token),
          }),
        },
      ]);
    }
    // The address is hashed into the rate-limit key already; the audit keeps who asked from where.
    await recordAudit(trx, {
      actorId: null,
      action: user ? "user.reset_requested" : "user.reset_requested_unknown",
      subjectType: user ? "user" : undefined,
      subjectId: user?.id,
      ip,
    });
  });
  const left = floorMs - (Date.now() - started);
  if (left > 0) await sleep(left);
  return { ok: true };
}

/** Whether a reset link still works, for the page that asks for the new password. */
export async function checkResetToken(db: Db, { token }: { token: string }) {
  return checkAccountToken(db, { token, purpose: "reset_password" });
}

/**
 * Spends the link and sets the new password, in one transaction: every session of the user is
 * revoked and the other reset links die. The link also proves the address, so an unverified one
 * becomes verified. Returns the user, whom the page signs in on this device.
 */
export async function resetPassword(
  db: Db,
  { token, password, ip }: { token: string; password: string; ip: string },
): Promise<{ ok: true; userId: string } | { ok: false; problem: TokenProblem }> {
  const passwordHash = await hashPassword(password);
  return inTransaction(db, async (trx) => {
    const spent = await consumeAccountToken(trx, { token, purpose: "reset_password" });
    if (!spent.ok) {
      await auditRefusedToken(trx, { purpose: "reset_password", problem: spent.problem, ip });
      return spent;
    }
    const userId = spent.userId;
    await setUserPassword(trx, { userId, passwordHash });
    const revoked = await revokeUserSessions(trx, { userId });
    await retireAccountTokens(trx, { userId, purpose: "reset_password" });
    if (spent.email) await markEmailVerified(trx, { userId, email: spent.email });
    await recordAudit(trx, {
      actorId: userId,
      action: "user.password_reset",
      subjectType: "user",
      subjectId: userId,
      detail: { sessionsRevoked: revoked },
      ip,
    });
    return { ok: true as const, userId };
  });
}
