import crypto from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Db } from "../../../db/schema.js";
import type { Translate } from "../../domain/locale";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import {
  mustUseSecondFactor,
  normalizeCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  RECOVERY_PATTERN,
  TOTP_PATTERN,
} from "../../domain/two-factor";
import { translatorFor } from "../../i18n";
import { recordAudit } from "../../models/audit.server";
import {
  claimTimeStep,
  consumeRecoveryCode,
  countUnusedRecoveryCodes,
  deleteTwoFactor,
  getTwoFactor,
  hasConfirmedTwoFactor,
  replaceRecoveryCodes,
  savePendingSecret,
} from "../../models/two-factor.server";
import { hitRateLimit, peekRateLimit, resetRateLimit, type RateLimitRule } from "../rate-limit.server";
import { decryptSecret, encryptSecret, hashRecoveryCode } from "./secret-box.server";

// Two-factor authentication with an authenticator app (TOTP, RFC 6238: six digits, 30-second
// steps) and single-use recovery codes. Decision 015. Every code check goes through `checkCode`:
// it is rate limited, it accepts a code of the previous, current or next step (clocks drift), and
// it claims the code's step in the database, so a code is never accepted twice, not even by two
// requests racing with it.

export const TWO_FACTOR_LIMITS = {
  /** Attempts per account; a right code starts the count again, so this is "5 wrong in a row". */
  perAccount: { limit: 5, windowMs: 15 * 60_000 } satisfies RateLimitRule,
  /** Wrong codes per address: one address trying many accounts. */
  perIp: { limit: 20, windowMs: 15 * 60_000 } satisfies RateLimitRule,
};
const ISSUER = "Colecta";
const PERIOD_SECONDS = 30;
/** One step either side of now: an authenticator whose clock is up to 30 s off still works. */
const EPOCH_TOLERANCE_SECONDS = 30;
/** An enrolment not confirmed within this time starts again with a new secret. */
const PENDING_TTL_MS = 30 * 60_000;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

const english: Translate = translatorFor("en");

export type RateLimitedRefusal = Refusal & { status: 429; retryAfterSeconds: number };
export type CodeOutcome = { ok: true; method: "totp" | "recovery" } | Refusal | RateLimitedRefusal;

/** What the enrolment page shows: the QR code and the same secret as text, to type by hand. */
export interface EnrolmentStart {
  secret: string;
  uri: string;
  qrSvg: string;
}

/** Starts enrolment, or shows the one already started (a reload keeps the same QR code). */
export async function beginEnrolment(
  db: Db,
  { userId, email }: { userId: string; email: string },
): Promise<EnrolmentStart | undefined> {
  const existing = await getTwoFactor(db, { userId });
  if (existing?.confirmed_at) return undefined;
  let secret: string;
  if (existing && Date.now() - existing.created_at.getTime() < PENDING_TTL_MS) {
    secret = decryptSecret(existing.secret_encrypted);
  } else {
    secret = generateSecret();
    await savePendingSecret(db, { userId, secretEncrypted: encryptSecret(secret) });
  }
  const uri = generateURI({ issuer: ISSUER, label: email, secret });
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret, uri, qrSvg };
}

/** The state the settings page needs: enrolled or not, and how many recovery codes are left. */
export async function getTwoFactorStatus(db: Db, { userId }: { userId: string }) {
  const enrolled = await hasConfirmedTwoFactor(db, { userId });
  return { enrolled, recoveryCodesLeft: enrolled ? await countUnusedRecoveryCodes(db, { userId }) : 0 };
}

export async function isEnrolled(db: Db, { userId }: { userId: string }) {
  return hasConfirmedTwoFactor(db, { userId });
}

/** Confirms enrolment with the first code; returns the recovery codes, shown this once. */
export async function confirmEnrolment(
  db: Db,
  { userId, code, ip, t = english }: { userId: string; code: string; ip: string; t?: Translate },
): Promise<{ ok: true; recoveryCodes: string[] } | Refusal | RateLimitedRefusal> {
  const pending = await getTwoFactor(db, { userId });
  if (!pending || pending.confirmed_at) return refuse(409, t("security:refusal.noPendingEnrolment"));
  const checked = await checkCode(db, { userId, code, ip, t, allowRecovery: false, confirm: true });
  if (!checked.ok) return checked;
  const recoveryCodes = await issueRecoveryCodes(db, { userId });
  await recordAudit(db, { actorId: userId, action: "two_factor.enabled", subjectType: "user", subjectId: userId, ip });
  return { ok: true, recoveryCodes };
}

/** New recovery codes for a current code; every earlier one stops working. */
export async function regenerateRecoveryCodes(
  db: Db,
  { userId, code, ip, t = english }: { userId: string; code: string; ip: string; t?: Translate },
): Promise<{ ok: true; recoveryCodes: string[] } | Refusal | RateLimitedRefusal> {
  const checked = await checkCode(db, { userId, code, ip, t, allowRecovery: false });
  if (!checked.ok) return checked;
  const recoveryCodes = await issueRecoveryCodes(db, { userId });
  await recordAudit(db, {
    actorId: userId,
    action: "two_factor.recovery_codes_regenerated",
    subjectType: "user",
    subjectId: userId,
    ip,
  });
  return { ok: true, recoveryCodes };
}

/** Turns two-factor off with a current code; staff may not (they must keep a second factor). */
export async function disableTwoFactor(
  db: Db,
  {
    userId,
    roles,
    code,
    ip,
    t = english,
  }: { userId: string; roles: readonly string[]; code: string; ip: string; t?: Translate },
): Promise<{ ok: true } | Refusal | RateLimitedRefusal> {
  if (mustUseSecondFactor(roles)) return refuse(403, t("security:refusal.staffCannotDisable"));
  const checked = await checkCode(db, { userId, code, ip, t, allowRecovery: false });
  if (!checked.ok) return checked;
  await deleteTwoFactor(db, { userId });
  await recordAudit(db, { actorId: userId, action: "two_factor.disabled", subjectType: "user", subjectId: userId, ip });
  return { ok: true };
}

/** The second step of a sign-in (or a step-up): a code from the app or a recovery code. */
export async function verifySecondFactor(
  db: Db,
  { userId, code, ip, t = english }: { userId: string; code: string; ip: string; t?: Translate },
): Promise<CodeOutcome> {
  const checked = await checkCode(db, { userId, code, ip, t, allowRecovery: true });
  await recordAudit(db, {
    actorId: userId,
    action: checked.ok ? "two_factor.passed" : "two_factor.failed",
    subjectType: "user",
    subjectId: userId,
    detail: checked.ok ? { method: checked.method } : { status: checked.status },
    ip,
  });
  return checked;
}

/**
 * A fresh code from the app for one money action (approving a payout), checked in the request
 * that does it. Recovery codes do not count here: they are for getting in, not for approving.
 */
export async function verifyFreshCode(
  db: Db,
  { userId, code, ip, t = english }: { userId: string; code: string; ip?: string | null; t?: Translate },
): Promise<CodeOutcome> {
  const checked = await checkCode(db, { userId, code, ip: ip ?? "unknown", t, allowRecovery: false });
  if (!checked.ok)
    await recordAudit(db, {
      actorId: userId,
      action: "two_factor.fresh_code_failed",
      subjectType: "user",
      subjectId: userId,
      detail: { status: checked.status },
      ip: ip ?? null,
    });
  return checked;
}

/**
 * What every money-moving service asks first: the acting staff member has a confirmed second
 * factor. Null when they do; a refusal otherwise (the pages send them to enrolment before this).
 */
export async function refuseWithoutSecondFactor(
  db: Db,
  { actorId, t = english }: { actorId: string; t?: Translate },
): Promise<Refusal | null> {
  return (await hasConfirmedTwoFactor(db, { userId: actorId }))
    ? null
    : refuse(403, t("security:refusal.secondFactorRequired"));
}

async function checkCode(
  db: Db,
  {
    userId,
    code,
    ip,
    t,
    allowRecovery,
    confirm = false,
  }: { userId: string; code: string; ip: string; t: Translate; allowRecovery: boolean; confirm?: boolean },
): Promise<CodeOutcome> {
  const accountKey = `two-factor:account:${userId}`;
  const ipKey = `two-factor:ip:${ip}`;
  // The account counts every attempt before the check (so parallel guesses cannot slip past the
  // limit) and starts again on a right code; the address counts only wrong ones, so an office
  // behind one address can sign in all morning.
  const ipState = await peekRateLimit(db, ipKey, TWO_FACTOR_LIMITS.perIp);
  const accountState = await hitRateLimit(db, accountKey, TWO_FACTOR_LIMITS.perAccount);
  if (!ipState.allowed || !accountState.allowed) {
    const retryAfterSeconds = Math.max(
      ipState.allowed ? 0 : ipState.retryAfterSeconds,
      accountState.allowed ? 0 : accountState.retryAfterSeconds,
    );
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    return {
      ...refuse(429, t("security:refusal.tooManyCodes", { count: minutes })),
      status: 429,
      retryAfterSeconds,
    };
  }
  const ok = await acceptCode(db, { userId, code, allowRecovery, confirm });
  if (!ok) {
    await hitRateLimit(db, ipKey, TWO_FACTOR_LIMITS.perIp);
    return refuseField(400, "code", t("security:refusal.wrongCode"));
  }
  await resetRateLimit(db, accountKey);
  return { ok: true, method: ok };
}

async function acceptCode(
  db: Db,
  { userId, code, allowRecovery, confirm }: { userId: string; code: string; allowRecovery: boolean; confirm: boolean },
): Promise<"totp" | "recovery" | false> {
  const digits = normalizeCode(code);
  if (TOTP_PATTERN.test(digits)) {
    const row = await getTwoFactor(db, { userId });
    if (!row || Boolean(row.confirmed_at) === confirm) return false;
    // Every step the window holds was used already (a code was accepted a moment ago).
    const lastStepInWindow = Math.floor((Date.now() / 1000 + EPOCH_TOLERANCE_SECONDS) / PERIOD_SECONDS);
    if (row.last_used_step !== null && row.last_used_step >= lastStepInWindow) return false;
    const result = await verify({
      secret: decryptSecret(row.secret_encrypted),
      token: digits,
      epochTolerance: EPOCH_TOLERANCE_SECONDS,
      ...(row.last_used_step === null ? {} : { afterTimeStep: row.last_used_step }),
    });
    if (!result.valid || !("timeStep" in result)) return false;
    return (await claimTimeStep(db, { userId, step: result.timeStep, confirm })) ? "totp" : false;
  }
  const recovery = normalizeRecoveryCode(code);
  if (allowRecovery && !confirm && RECOVERY_PATTERN.test(recovery)) {
    if (!(await hasConfirmedTwoFactor(db, { userId }))) return false;
    return (await consumeRecoveryCode(db, { userId, hash: hashRecoveryCode(recovery) })) ? "recovery" : false;
  }
  return false;
}

async function issueRecoveryCodes(db: Db, { userId }: { userId: string }) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[crypto.randomInt(RECOVERY_ALPHABET.length)]).join(
      "",
    );
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  await replaceRecoveryCodes(db, { userId, hashes: codes.map(hashRecoveryCode) });
  return codes;
}

/**
 * Enrols a user with a secret known in advance (confirmed, no recovery codes): the demo's
 * finance user, whose codes `npm run demo:code` prints, and test fixtures. Never for real users:
 * a secret that others know is no second factor.
 */
export async function enrolWithKnownSecret(db: Db, { userId, secret }: { userId: string; secret: string }) {
  await savePendingSecret(db, { userId, secretEncrypted: encryptSecret(secret) });
  await db
    .updateTable("user_two_factor")
    .set({ confirmed_at: new Date(), last_used_step: null })
    .where("user_id", "=", userId)
    .execute();
}
