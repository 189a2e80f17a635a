import { createCookie, redirect } from "@remix-run/node";
import type { Role } from "../../../db/schema.js";
import { getConfig, resolveSessionSecret } from "../../config.server";
import { getDb } from "../../db.server";
import { recordAudit } from "../../models/audit.server";
import {
  createSession,
  deleteSession,
  getSessionUserId,
  hashSessionToken,
  SESSION_TTL_MS,
} from "../../models/session.server";
import { getUserById, type SessionUser } from "../../models/user.server";
import { notFound } from "../../web/responses";
import { safeRedirect } from "../../web/safe-redirect";

let sessionCookie: ReturnType<typeof createCookie> | undefined;

/** The cookie holds only the session token; the session itself is a database row. */
function getSessionCookie() {
  if (!sessionCookie) {
    const config = getConfig();
    sessionCookie = createCookie("__colecta_session", {
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
  const db = await getDb();
  const userId = await getSessionUserId(db, token);
  return userId ? getUserById(db, userId) : undefined;
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
  return user;
}

export async function requireAnonymous(request: Request) {
  if (await getOptionalUser(request)) throw redirect("/");
}

export async function startUserSession({
  request,
  userId,
  ip,
  redirectTo,
}: {
  request: Request;
  userId: string;
  ip: string;
  redirectTo: string;
}) {
  const db = await getDb();
  const { token } = await createSession(db, { userId, ip, userAgent: request.headers.get("User-Agent") });
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": await getSessionCookie().serialize(token) },
  });
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
