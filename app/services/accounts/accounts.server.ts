import type { Db } from "../../../db/schema.js";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { recordAudit } from "../../models/audit.server";
import { createUser, EmailTakenError, getLoginCredentials, normalizeEmail } from "../../models/user.server";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "./password.server";
import { hitRateLimit, peekRateLimit, resetRateLimit, type RateLimitRule } from "../rate-limit.server";

// Sign-in limits: a few wrong passwords per account (guessing one account), more per IP
// (one address trying many accounts). Counted in the database so every web process agrees.
export const LOGIN_LIMITS = {
  perAccount: { limit: 5, windowMs: 15 * 60_000 } satisfies RateLimitRule,
  perIp: { limit: 30, windowMs: 15 * 60_000 } satisfies RateLimitRule,
};
const SIGNUP_LIMIT: RateLimitRule = { limit: 20, windowMs: 60 * 60_000 };

/** A refusal because of too many attempts: the page answers 429 with a Retry-After header. */
export type RateLimited = Refusal & { status: 429; retryAfterSeconds: number };

export type LoginOutcome = { ok: true; userId: string } | Refusal | RateLimited;

export async function attemptLogin(
  db: Db,
  { email, password, ip }: { email: string; password: string; ip: string },
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
      `Too many sign-in attempts. For your security, please wait ${describeWait(retryAfterSeconds)} and try again.`,
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
    return refuse(400, "That email and password don't match an account.");
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
  input: { email: string; name: string; password: string; ip: string },
): Promise<SignupOutcome> {
  const limit = await hitRateLimit(db, `signup:ip:${input.ip}`, SIGNUP_LIMIT);
  if (!limit.allowed)
    return rateLimited(
      limit.retryAfterSeconds,
      `Too many new accounts from your network. Try again in ${describeWait(limit.retryAfterSeconds)}.`,
    );
  try {
    const user = await createUser(db, {
      email: input.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
    });
    await recordAudit(db, {
      actorId: user.id,
      action: "user.signup",
      subjectType: "user",
      subjectId: user.id,
      ip: input.ip,
    });
    return { ok: true, userId: user.id };
  } catch (error) {
    if (error instanceof EmailTakenError)
      return refuseField(
        400,
        "email",
        "An account with this email already exists. Sign in instead, or use another email.",
      );
    throw error;
  }
}

function rateLimited(retryAfterSeconds: number, message: string): RateLimited {
  return { ...refuse(429, message), status: 429, retryAfterSeconds };
}

function describeWait(seconds: number) {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "a minute" : `${minutes} minutes`;
}
