import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { startUserSession } from "~/services/accounts/auth.server";

/** Where route tests' requests come from (a documentation address, RFC 5737). */
const TEST_CLIENT_IP = "203.0.113.7";

/** A Remix loader or action: called with the request, the URL's params and the load context. */
export type RouteFunction = (args: LoaderFunctionArgs) => unknown;

/**
 * Runs a loader or action as Remix does and returns its response: plain data becomes JSON, and
 * a response it throws (a redirect to sign-in, a 404 from `notFound`) is returned the same way,
 * so a test reads both alike.
 */
export async function call(
  fn: RouteFunction,
  request: Request,
  params: Record<string, string> = {},
  { clientIp = TEST_CLIENT_IP }: { clientIp?: string } = {},
): Promise<Response> {
  let result: unknown;
  try {
    result = await fn({ request, params, context: { clientIp } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  if (result instanceof Response) return result;
  if (result === undefined) throw new Error("The route returned nothing (Remix refuses that too).");
  return json(result);
}

/** A GET from the test host, signed in when given a session cookie. */
export function get(path: string, cookie?: string): Request {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

/** A form POST (URL-encoded fields) to the test host, signed in when given a session cookie. */
export function post(path: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: cookie ? { Cookie: cookie } : {},
  });
}

/** The `name=value` part of a response's Set-Cookie: what the browser sends back. */
export function cookieOf(res: Response): string {
  const header = res.headers.get("Set-Cookie");
  if (!header) throw new Error(`No Set-Cookie on the ${res.status} response.`);
  return header.split(";")[0]!;
}

/**
 * A signed-in session for the user, as the Cookie header value a browser would send. Staff
 * sessions pass the second factor unless `twoFactor: false` (a session from before enrolment).
 */
export async function sessionCookie(
  userId: string,
  { twoFactor = true }: { twoFactor?: boolean } = {},
): Promise<string> {
  const res = await startUserSession({
    request: new Request("http://localhost/"),
    userId,
    ip: TEST_CLIENT_IP,
    redirectTo: "/",
    twoFactorVerified: twoFactor,
  });
  return cookieOf(res);
}
