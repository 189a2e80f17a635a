import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { verifyEmailEmail } from "../../domain/account-emails";
import { recipientLocale } from "../../domain/emails";
import type { Locale, Translate } from "../../domain/locale";
import { translatorFor } from "../../i18n";
import { consumeAccountToken, issueAccountToken, type TokenProblem } from "../../models/account-token.server";
import { recordAudit } from "../../models/audit.server";
import { queueEmails } from "../../models/outbox.server";
import { getAccount, markEmailVerified } from "../../models/user.server";
import { writeEmail } from "../emails.server";
import { hitRateLimit, type RateLimitRule } from "../rate-limit.server";
import { describeWait, rateLimited, type RateLimited } from "./too-many.server";
import { accountLink, auditRefusedToken } from "./tokens.server";

// Proving an address: a link emailed at sign-up (and on request, a few times an hour), which
// marks the address verified when clicked, if it is still the account's address.

export const RESEND_LIMIT: RateLimitRule = { limit: 3, windowMs: 60 * 60_000 };
const english: Translate = translatorFor("en");

/** Issues a verification link and queues its email, in the caller's transaction. */
export async function sendVerificationEmail(
  db: Db,
  {
    user,
    requestLocale,
  }: { user: { id: string; email: string; name: string; locale: string | null }; requestLocale?: Locale },
) {
  const token = await issueAccountToken(db, { userId: user.id, purpose: "verify_email", email: user.email });
  await queueEmails(db, [
    {
      kind: "account.verify_email",
      toEmail: user.email,
      toUserId: user.id,
      ...writeEmail(verifyEmailEmail, recipientLocale(user.locale, requestLocale), {
        name: user.name,
        url: accountLink("verify_email", token),
      }),
    },
  ]);
}

/** "Send the link again", from the banner: limited per account. */
export async function resendVerification(
  db: Db,
  { userId, ip, t = english }: { userId: string; ip: string; t?: Translate },
): Promise<{ ok: true; alreadyVerified: boolean } | RateLimited> {
  const account = await getAccount(db, { userId });
  if (!account) throw new Error("resendVerification: no such account");
  if (account.email_verified_at) return { ok: true, alreadyVerified: true };
  const limit = await hitRateLimit(db, `verify:resend:${userId}`, RESEND_LIMIT);
  if (!limit.allowed)
    return rateLimited(
      limit.retryAfterSeconds,
      t("account:refusal.tooManyResends", { wait: describeWait(t, limit.retryAfterSeconds) }),
    );
  await inTransaction(db, async (trx) => {
    await sendVerificationEmail(trx, { user: account });
    await recordAudit(trx, {
      actorId: userId,
      action: "user.verification_sent",
      subjectType: "user",
      subjectId: userId,
      ip,
    });
  });
  return { ok: true, alreadyVerified: false };
}

/** Spends a verification link; the address is verified only if it is still the account's. */
export async function verifyEmail(
  db: Db,
  { token, ip }: { token: string; ip: string },
): Promise<{ ok: true; userId: string } | { ok: false; problem: TokenProblem }> {
  return inTransaction(db, async (trx) => {
    const spent = await consumeAccountToken(trx, { token, purpose: "verify_email" });
    if (!spent.ok) {
      await auditRefusedToken(trx, { purpose: "verify_email", problem: spent.problem, ip });
      return spent;
    }
    // An address changed since the link was sent: the link proves nothing about the new one.
    if (!spent.email || !(await markEmailVerified(trx, { userId: spent.userId, email: spent.email }))) {
      await auditRefusedToken(trx, { purpose: "verify_email", problem: "invalid", ip });
      return { ok: false as const, problem: "invalid" as const };
    }
    await recordAudit(trx, {
      actorId: spent.userId,
      action: "user.email_verified",
      subjectType: "user",
      subjectId: spent.userId,
      ip,
    });
    return { ok: true as const, userId: spent.userId };
  });
}
