import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getStripe, getWebhookSecret } from "~/services/stripe/client.server";
import { processStripeEvent } from "~/services/stripe/events.server";
import { receiveStripeWebhook } from "~/services/stripe/webhooks.server";

// POST /webhooks/stripe: verified on the raw body, stored once by event id, answered at once.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ error: "Method not allowed" }, { status: 405 });
  const db = await getDb();
  const stripe = getStripe();
  const receipt = await receiveStripeWebhook(db, stripe, {
    rawBody: await request.text(),
    signature: request.headers.get("Stripe-Signature"),
    secret: getWebhookSecret(),
  });
  if (receipt.status === 400) return json({ error: receipt.message }, { status: 400 });
  // Answer Stripe at once; handle after. A failure here is retried by the background sweep.
  if (!receipt.duplicate) setImmediate(() => void processStripeEvent(db, stripe, receipt.event.id));
  return json({ received: true, duplicate: receipt.duplicate });
}

export async function loader() {
  return json({ error: "Stripe webhooks are POSTed here." }, { status: 405, headers: { Allow: "POST" } });
}
