import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { unsubscribeWithToken } from "~/services/email/unsubscribe-actions.server";
import { clientIp } from "~/web/context";

// The List-Unsubscribe address (RFC 8058): a mail provider POSTs `List-Unsubscribe=One-Click`
// here, without cookies, from its own origin. A resource route (no page), so Remix's own
// origin check for page actions does not apply, and the server's cross-site check lets exactly
// this path through: the signed token is the only credential and the action only turns mail off.
// A person who opens the address is sent to the page that asks first.
export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/unsubscribe/${encodeURIComponent(params.token ?? "")}`);
}

export async function action({ params, context }: ActionFunctionArgs) {
  const outcome = await unsubscribeWithToken(await getDb(), { token: params.token ?? "", ip: clientIp(context) });
  if (outcome.ok) return new Response("Unsubscribed.\n", { headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const limited = outcome.reason === "rateLimited";
  return new Response("Not unsubscribed.\n", {
    status: limited ? 429 : 404,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      ...(limited ? { "Retry-After": String(outcome.retryAfterSeconds) } : {}),
    },
  });
}
