import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { emailChangeConfirmEmail, emailChangedNoticeEmail } from "../../domain/account-emails";
import { recipientLocale } from "../../domain/emails";
import { isLocale, type Locale, type Translate } from "../../domain/locale";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { translatorFor } from "../../i18n";
import {
  consumeAccountToken,
  issueAccountToken,
  retireAccountTokens,
  type TokenProblem,
} from "../../models/account-token.server";
import { recordAudit } from "../../models/audit.server";
import { queueEmails } from "../../models/outbox.server";
import { revokeUserSession, revokeUserSessions } from "../../models/session.server";
import {
  changeUserEmail,
  EmailTakenError,
  emailInUse,
  getAccount,
  normalizeEmail,
  setUserPassword,
  updateProfile,
} from "../../models/user.server";
import { writeEmail } from "../emails.server";
import { hitRateLimit, type RateLimitRule } from "../rate-limit.server";
import { hashPassword, verifyPassword } from "./password.server";
import { describeWait, rateLimited, type RateLimited } from "./too-many.server";
import { accountLink, auditRefusedToken, siteLink } from "./tokens.server";

// The settings a signed-in user changes themselves: profile, address, password, sessions. What
// could lock the owner out (address, password) needs the current password, which is limited
// like a sign-in so a borrowed session cannot guess it.

export const PASSWORD_CHECK_LIMIT: RateLimitRule = { limit: 5, windowMs: 15 * 60_000 };
const english: Translate = translatorFor("en");

type Outcome = { ok: true } | Refusal | RateLimited;

export async function saveProfile(
  db: Db,
  { userId, name, locale, ip }: { userId: string; name: string; locale: string; ip: string },
) {
  await updateProfile(db, { userId, name, locale: isLocale(locale) ? locale : null });
  await recordAudit(db, {
    actorId: userId,
    action: "user.profile_updated",
    subjectType: "user",
    subjectId: userId,
    ip,
  });
}

/** Checks the current password, counted against a limit; a refusal at `field` when it is wrong. */
export async function checkCurrentPassword(
  db: Db,
  { userId, password, t, field }: { userId: string; password: string; t: Translate; field: string },
): Promise<{ ok: true; account: NonNullable<Awaited<ReturnType<typeof getAccount>>> } | Refusal | RateLimited> {
  const limit = await hitRateLimit(db, `settings:password:${userId}`, PASSWORD_CHECK_LIMIT);
  if (!limit.allowed)
    return rateLimited(
      limit.retryAfterSeconds,
      t("account:refusal.tooManyPasswordChecks", { wait: describeWait(t, limit.retryAfterSeconds) }),
    );
  const account = await getAccount(db, { userId });
  if (!account || !(await verifyPassword(password, account.password_hash)))
    return refuseField(400, field, t("account:refusal.wrongPassword"));
  return { ok: true, account };
}

/**
 * Starts an address change: nothing changes until the link sent to the NEW address is clicked.
 */
export async function requestEmailChange(
  db: Db,
  {
    userId,
    newEmail,
    currentPassword,
    ip,
    t = english,
    requestLocale,
  }: { userId: string; newEmail: string; currentPassword: string; ip: string; t?: Translate; requestLocale?: Locale },
): Promise<Outcome> {
  const checked = await checkCurrentPassword(db, { userId, password: currentPassword, t, field: "currentPassword" });
  if (!checked.ok) return checked;
  const account = checked.account;
  const address = normalizeEmail(newEmail);
  if (address === account.email) return refuseField(400, "newEmail", t("account:refusal.sameEmail"));
  if (await emailInUse(db, { email: address })) return refuseField(400, "newEmail", t("account:refusal.emailTaken"));
  await inTransaction(db, async (trx) => {
    const token = await issueAccountToken(trx, { userId, purpose: "change_email", email: address });
    await queueEmails(trx, [
      {
        kind: "account.change_email",
        toEmail: address,
        toUserId: userId,
        ...writeEmail(emailChangeConfirmEmail, recipientLocale(account.locale, requestLocale), {
          name: account.name,
          newEmail: address,
          url: accountLink("change_email", token),
        }),
      },
    ]);
    await recordAudit(trx, {
      actorId: userId,
      action: "user.email_change_requested",
      subjectType: "user",
      subjectId: userId,
      ip,
    });
  });
  return { ok: true };
}

export type EmailChangeOutcome =
  { ok: true; userId: string; email: string } | { ok: false; problem: TokenProblem | "taken" };

/**
 * Spends an email-change link: the account moves to the new address (now proven), the old
 * address is told, and every other address link of the account dies. The address is checked
 * again here: another account may have taken it since the link was sent.
 */
export async function confirmEmailChange(
  db: Db,
  { token, ip }: { token: string; ip: string },
): Promise<EmailChangeOutcome> {
  return inTransaction(db, async (trx) => {
    const spent = await consumeAccountToken(trx, { token, purpose: "change_email" });
    if (!spent.ok) {
      await auditRefusedToken(trx, { purpose: "change_email", problem: spent.problem, ip });
      return spent;
    }
    const account = await getAccount(trx, { userId: spent.userId });
    if (!account || !spent.email) return { ok: false as const, problem: "invalid" as const };
    const newEmail = spent.email;
    if (newEmail !== account.email && (await emailInUse(trx, { email: newEmail }))) {
      await auditRefusedToken(trx, { purpose: "change_email", problem: "invalid", ip });
      return { ok: false as const, problem: "taken" as const };
    }
    try {
      await changeUserEmail(trx, { userId: account.id, email: newEmail });
    } catch (error) {
      if (error instanceof EmailTakenError) return { ok: false as const, problem: "taken" as const };
      throw error;
    }
    await retireAccountTokens(trx, { userId: account.id, purpose: "verify_email" });
    await retireAccountTokens(trx, { userId: account.id, purpose: "reset_password" });
    await queueEmails(trx, [
      {
        kind: "account.email_changed",
        toEmail: account.email,
        toUserId: account.id,
        ...writeEmail(emailChangedNoticeEmail, recipientLocale(account.locale), {
          name: account.name,
          newEmail,
          resetUrl: siteLink("/forgot-password"),
        }),
      },
    ]);
    await recordAudit(trx, {
      actorId: account.id,
      action: "user.email_changed",
      subjectType: "user",
      subjectId: account.id,
      ip,
    });
    return { ok: true as const, userId: account.id, email: newEmail };
  });
}

/** A new password, given the current one: every other session is revoked, this one kept. */
export async function changePassword(
  db: Db,
  {
    userId,
    currentPassword,
    newPassword,
    keepSessionIdHash,
    ip,
    t = english,
  }: {
    userId: string;
    currentPassword: string;
    newPassword: string;
    keepSessionIdHash: string;
    ip: string;
    t?: Translate;
  },
): Promise<Outcome> {
  const checked = await checkCurrentPassword(db, { userId, password: currentPassword, t, field: "currentPassword" });
  if (!checked.ok) return checked;
  if (currentPassword === newPassword) return refuseField(400, "newPassword", t("account:refusal.samePassword"));
  const passwordHash = await hashPassword(newPassword);
  await inTransaction(db, async (trx) => {
    await setUserPassword(trx, { userId, passwordHash });
    const revoked = await revokeUserSessions(trx, { userId, keepIdHash: keepSessionIdHash });
    await retireAccountTokens(trx, { userId, purpose: "reset_password" });
    await recordAudit(trx, {
      actorId: userId,
      action: "user.password_changed",
      subjectType: "user",
      subjectId: userId,
      detail: { sessionsRevoked: revoked },
      ip,
    });
  });
  return { ok: true };
}

/** Signs one of the user's devices out (never someone else's: ownership is in the query). */
export async function signOutSession(
  db: Db,
  { userId, idHash, ip, t = english }: { userId: string; idHash: string; ip: string; t?: Translate },
): Promise<Outcome> {
  if (!(await revokeUserSession(db, { userId, idHash }))) return refuse(404, t("account:refusal.sessionGone"));
  await recordAudit(db, {
    actorId: userId,
    action: "user.session_revoked",
    subjectType: "user",
    subjectId: userId,
    ip,
  });
  return { ok: true };
}

/** "Sign out everywhere else": every session but this one. */
export async function signOutOtherSessions(
  db: Db,
  { userId, keepSessionIdHash, ip }: { userId: string; keepSessionIdHash: string; ip: string },
) {
  const revoked = await revokeUserSessions(db, { userId, keepIdHash: keepSessionIdHash });
  await recordAudit(db, {
    actorId: userId,
    action: "user.other_sessions_revoked",
    subjectType: "user",
    subjectId: userId,
    detail: { sessionsRevoked: revoked },
    ip,
  });
  return revoked;
}
