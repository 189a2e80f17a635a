import type { LoaderFunctionArgs } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { getCaughtEmailHtml } from "~/models/caught-email.server";
import { requireUser } from "~/services/accounts/auth.server";
import { notFound } from "~/web/responses";

/**
 * One received email's HTML, as the recipient's mail client would show it, under a policy that
 * lets it do nothing but draw itself: no scripts, no requests, no forms, no framing, sandboxed.
 */
export const MAIL_VIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; sandbox";

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (getConfig().SMTP_URL) notFound();
  const user = await requireUser(request);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const email = await getCaughtEmailHtml(await getDb(), { id, toEmail: user.email });
  if (!email) notFound();
  return new Response(email.body_html ?? `<pre>${escapeHtml(email.body_text ?? "")}</pre>`, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": MAIL_VIEW_CSP,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "private, no-store",
    },
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
