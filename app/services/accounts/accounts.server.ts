import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import type { Locale, Translate } from "../../domain/locale";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
export type { RateLimited } from "./too-many.server";
import { translatorFor } from "../../i18n";
import { recordAudit } from "../../models/audit.server";
import { createUser, EmailTakenError, getLoginCredentials, normalizeEmail } from "../../models/user.server";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "./password.server";
import { describeWait, rateLimited, type RateLimited } from "./too-many.server";
import { sendVerificationEmail } from "./verification.server";
import { hitRateLimit, peekRateLimit, resetRateLimit, type RateLimitRule } from "../rate-limit.server";

// Sign-in limits: a few wrong passwords per account (guessing one account), more per IP
// (one address trying many accounts). Counted in the database so every web process agrees.
export const LOGIN_LIMITS = {
  perAccount: { limit: 5, windowMs: 15 * 60_000 } satisfies RateLimitRule,
  perIp: { limit: 30, windowMs: 15 * 60_000 } satisfies RateLimitRule,
};
const SIGNUP_LIMIT: RateLimitRule = { limit: 20, windowMs: 60 * 60_000 };

// Refusals are worded in the caller's language (the request's); English when none is given.
const english: Translate = translatorFor("en");

export type LoginOutcome = { ok: true; userId: string } | Refusal | RateLimited;

export async function attemptLogin(
  db: Db,
  { email, password, ip, t = english }: { email: string; password: string; ip: string; t?: Translate },
  limits = LOGIN_LIMITS,
): Promise<LoginOutcome> {
  const accountKey = `login:account:${normalizeEmail(email)}`;
  const ipState = await hitRateLimit(db, `login:ip:${ip}`, limits.perIp);
  const accountState = await peekRateLimit(db, accountKey, limits.perAccount);
  if (!ipState.allowed || !accountState.allowed) {
    const retryAfterSeconds = Math.max(
      ipState.allowed ? 0 : ipState.retryAfterSeconds,
      accountState.allowed ? 0 : accountState.retryAfterSeconds,
    );
    return rateLimited(
      retryAfterSeconds,
      t("auth:refusal.tooManyLogins", { wait: describeWait(t, retryAfterSeconds) }),
    );
  }
  const user = await verifyLogin(db, { email, password });
  if (!user) {
    await hitRateLimit(db, accountKey, limits.perAccount);
    await recordAudit(db, {
      actorId: null,
      action: "user.login_failed",
      subjectType: "email",
      subjectId: normalizeEmail(email),
      ip,
    });
    // One message for an unknown email and a wrong password: never reveal which accounts exist.
    return refuse(400, t("auth:refusal.mismatch"));
  }
  await resetRateLimit(db, accountKey);
  await recordAudit(db, { actorId: user.id, action: "user.login", subjectType: "user", subjectId: user.id, ip });
  return { ok: true, userId: user.id };
}

/** The user when the password matches; undefined otherwise, in the same time either way. */
async function verifyLogin(db: Db, { email, password }: { email: string; password: string }) {
  const user = await getLoginCredentials(db, { email });
  const ok = user ? await verifyPassword(password, user.password_hash) : await verifyAgainstDecoy(password);
  return ok && user ? { id: user.id } : undefined;
}

export type SignupOutcome = { ok: true; userId: string } | Refusal | RateLimited;

export async function signUp(
  db: Db,
  input: {
    email: string;
    name: string;
    password: string;
    ip: string;
    t?: Translate;
    /** The language the visitor signed up in: saved as their preference, so later emails speak it. */
    locale?: Locale;
  },
): Promise<SignupOutcome> {
  const t = input.t ?? english;
  const limit = await hitRateLimit(db, `signup:ip:${input.ip}`, SIGNUP_LIMIT);
  if (!limit.allowed)
    return rateLimited(
      limit.retryAfterSeconds,
      t("auth:refusal.tooManySignups", { wait: describeWait(t, limit.retryAfterSeconds) }),
    );
  try {
    const passwordHash = await hashPassword(input.password);
    // The account and its verification email commit together: no account without the link.
    const user = await inTransaction(db, async (trx) => {
      const created = await createUser(trx, {
        email: input.email,
        name: input.name,
        passwordHash,
        locale: input.locale ?? null,
      });
      await recordAudit(trx, {
        actorId: created.id,
        action: "user.signup",
        subjectType: "user",
        subjectId: created.id,
        ip: input.ip,
      });
      await sendVerificationEmail(trx, { user: { ...created, locale: input.locale ?? null } });
      return created;
    });
    return { ok: true, userId: user.id };
  } catch (error) {
    if (error instanceof EmailTakenError) return refuseField(400, "email", t("auth:refusal.emailTaken"));
    throw error;
  }
}
