import { createCookie, redirect } from "@remix-run/node";
import type { Role } from "../../../db/schema.js";
import { getConfig, resolveSessionSecret } from "../../config.server";
import { getDb } from "../../db.server";
import { recordAudit } from "../../models/audit.server";
import {
  createSession,
  deleteSession,
  getSessionState,
  getSessionUserId,
  hashSessionToken,
  markSessionTwoFactor,
  SESSION_TTL_MS,
} from "../../models/session.server";
import { getUserBySessionHash, type SessionUser } from "../../models/user.server";
import { oncePerRead } from "../../web/request-scope.server";
import { SESSION_COOKIE } from "../../web/session-cookie";
import { notFound } from "../../web/responses";
import { requestTranslator } from "../../web/locale.server";
import { safeRedirect } from "../../web/safe-redirect";
import { mustUseSecondFactor, SECOND_STEP_TTL_MS } from "../../domain/two-factor";
import { isEnrolled } from "../security/two-factor.server";

let sessionCookie: ReturnType<typeof createCookie> | undefined;

/** The cookie holds only the session token; the session itself is a database row. */
function getSessionCookie() {
  if (!sessionCookie) {
    const config = getConfig();
    sessionCookie = createCookie(SESSION_COOKIE, {
      httpOnly: true,
      sameSite: "lax",
      secure: config.appUrl.startsWith("https://"),
      path: "/",
      maxAge: SESSION_TTL_MS / 1000,
      secrets: [resolveSessionSecret(config)],
    });
  }
  return sessionCookie;
}

async function readToken(request: Request): Promise<string | undefined> {
  const value = await getSessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

export async function getOptionalUser(request: Request): Promise<SessionUser | undefined> {
  const token = await readToken(request);
  if (!token) return undefined;
  return oncePerRead(`user:${token}`, async () => getUserBySessionHash(await getDb(), hashSessionToken(token)));
}

/** The signed-in user, or a redirect to sign-in that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = safeRedirect(url.pathname + url.search);
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  return user;
}

/**
 * The signed-in user who may take part: post, reply, message, report or pledge. A suspended
 * account gets a 403 with the reason in its language; reading stays open to it.
 */
export async function requireParticipant(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.suspended) refuseSuspended(request, user);
  return user;
}

/** The 403 a suspended account gets for anything requireParticipant guards. */
export function refuseSuspended(request: Request, user: SessionUser): never {
  throw new Response(requestTranslator(request, user)("errors:suspended"), {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * The signed-in user and which session is this device's (by its stored hash): the settings
 * pages revoke the other sessions and mark this one.
 */
export async function requireUserSession(request: Request): Promise<{ user: SessionUser; sessionIdHash: string }> {
  const user = await requireUser(request);
  const token = await readToken(request);
  return { user, sessionIdHash: hashSessionToken(token!) };
}

/** Staff pages do not reveal they exist: anyone without the role gets 404. */
export async function requireRole(request: Request, role: Role): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!user.roles.includes(role)) notFound();
  await requireStaffSecondFactor(request, user);
  return user;
}

/** Pages for any staff role: the first of `roles` the user has, checked as requireRole checks it. */
export async function requireAnyRole(request: Request, roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  const role = roles.find((r) => user.roles.includes(r));
  if (!role) notFound();
  return requireRole(request, role);
}

/**
 * Staff must have a second factor and this session must have passed it: otherwise to enrolment
 * (with the reason) or back through the second step, returning here afterwards.
 */
async function requireStaffSecondFactor(request: Request, user: SessionUser) {
  if (!mustUseSecondFactor(user.roles)) return;
  const url = new URL(request.url);
  const back = new URLSearchParams({ redirectTo: safeRedirect(url.pathname + url.search) });
  const db = await getDb();
  if (!(await isEnrolled(db, { userId: user.id }))) throw redirect(`/settings/two-factor?required=1&${back}`);
  const token = await readToken(request);
  const session = token ? await getSessionState(db, token) : undefined;
  if (!session?.two_factor_verified_at) throw redirect(`/login/two-factor?${back}`);
}

export async function requireAnonymous(request: Request) {
  if (await getOptionalUser(request)) throw redirect("/");
}

export async function startUserSession({
  request,
  userId,
  ip,
  redirectTo,
  twoFactorVerified = false,
}: {
  request: Request;
  userId: string;
  ip: string;
  redirectTo: string;
  /** The sign-in passed the second factor: the session is marked so. */
  twoFactorVerified?: boolean;
}) {
  const db = await getDb();
  const { token } = await createSession(db, {
    userId,
    ip,
    userAgent: request.headers.get("User-Agent"),
    twoFactorVerifiedAt: twoFactorVerified ? new Date() : null,
  });
  const headers = new Headers({ "Set-Cookie": await getSessionCookie().serialize(token) });
  if (twoFactorVerified) headers.append("Set-Cookie", await clearPendingSignIn());
  return redirect(safeRedirect(redirectTo), { headers });
}

export async function endUserSession(request: Request, ip: string) {
  const token = await readToken(request);
  if (token) {
    const db = await getDb();
    const userId = await getSessionUserId(db, token);
    await deleteSession(db, token);
    if (userId)
      await recordAudit(db, { actorId: userId, action: "user.logout", subjectType: "user", subjectId: userId, ip });
  }
  return redirect("/", {
    headers: { "Set-Cookie": await getSessionCookie().serialize("", { maxAge: 0 }) },
  });
}

// The second step of a sign-in. A right password for an account with two-factor does not open a
// session: it leaves a short-lived signed cookie naming the account, which only the second step
// reads. Signed, so a visitor cannot forge or alter it; its own expiry is inside the signed value,
// so holding on to the cookie does not stretch it.
let pendingCookie: ReturnType<typeof createCookie> | undefined;

function getPendingCookie() {
  if (!pendingCookie) {
    const config = getConfig();
    pendingCookie = createCookie("__colecta_2fa", {
      httpOnly: true,
      sameSite: "lax",
      secure: config.appUrl.startsWith("https://"),
      path: "/login",
      maxAge: SECOND_STEP_TTL_MS / 1000,
      secrets: [resolveSessionSecret(config)],
    });
  }
  return pendingCookie;
}

export interface PendingSignIn {
  userId: string;
  redirectTo: string;
}

/** After the password: a session at once, or the second step when the account has a factor. */
export async function continueSignIn(args: { request: Request; userId: string; ip: string; redirectTo: string }) {
  const db = await getDb();
  if (!(await isEnrolled(db, { userId: args.userId }))) return startUserSession(args);
  const value = { u: args.userId, r: safeRedirect(args.redirectTo), e: Date.now() + SECOND_STEP_TTL_MS };
  return redirect(`/login/two-factor`, { headers: { "Set-Cookie": await getPendingCookie().serialize(value) } });
}

/** The sign-in waiting for its second factor, when the cookie is genuine and not expired. */
export async function readPendingSignIn(request: Request): Promise<PendingSignIn | undefined> {
  const value: unknown = await getPendingCookie().parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return undefined;
  const { u, r, e } = value as Record<string, unknown>;
  if (typeof u !== "string" || typeof r !== "string" || typeof e !== "number" || e < Date.now()) return undefined;
  return { userId: u, redirectTo: r };
}

export async function clearPendingSignIn() {
  return getPendingCookie().serialize("", { maxAge: 0 });
}

/** A signed-in session that has not passed the second factor: the user and its token. */
export async function getUnverifiedSession(request: Request) {
  const token = await readToken(request);
  if (!token) return undefined;
  const session = await getSessionState(await getDb(), token);
  return session && !session.two_factor_verified_at ? { userId: session.user_id, token } : undefined;
}

/** Marks the request's session as having passed the second factor (step-up or enrolment). */
export async function markSecondFactorPassed(request: Request) {
  const token = await readToken(request);
  if (token) await markSessionTwoFactor(await getDb(), token);
}

export type SecondStepSubject =
  { kind: "sign-in"; userId: string; redirectTo: string } | { kind: "step-up"; userId: string; token: string };

/**
 * Whom the second step is for: a sign-in waiting after its password, or a signed-in session
 * that has not passed the factor yet (it began before the factor was set up). Undefined: no one.
 */
export async function getSecondStepSubject(request: Request): Promise<SecondStepSubject | undefined> {
  const pending = await readPendingSignIn(request);
  if (pending) return { kind: "sign-in", ...pending };
  const session = await getUnverifiedSession(request);
  if (session && (await isEnrolled(await getDb(), { userId: session.userId })))
    return { kind: "step-up", userId: session.userId, token: session.token };
  return undefined;
}

/** The second step passed: the session is opened (sign-in) or marked (step-up), then on to `redirectTo`. */
export async function completeSecondStep(
  request: Request,
  { subject, ip, redirectTo }: { subject: SecondStepSubject; ip: string; redirectTo: string },
) {
  if (subject.kind === "sign-in")
    return startUserSession({
      request,
      userId: subject.userId,
      ip,
      redirectTo: subject.redirectTo,
      twoFactorVerified: true,
    });
  await markSessionTwoFactor(await getDb(), subject.token);
  return redirect(safeRedirect(redirectTo));
}
