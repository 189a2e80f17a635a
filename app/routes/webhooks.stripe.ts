import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getStripe, getWebhookSecret } from "~/services/stripe.server";
import { receiveStripeWebhook } from "~/services/stripe-webhooks.server";

// POST /webhooks/stripe: verified on the raw body, stored once by event id, answered at once.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ error: "Method not allowed" }, { status: 405 });
  const receipt = await receiveStripeWebhook(await getDb(), getStripe(), {
    rawBody: await request.text(),
    signature: request.headers.get("Stripe-Signature"),
    secret: getWebhookSecret(),
  });
  if (receipt.status === 400) return json({ error: receipt.message }, { status: 400 });
  return json({ received: true, duplicate: receipt.duplicate });
}

export async function loader() {
  return json({ error: "Stripe webhooks are POSTed here." }, { status: 405, headers: { Allow: "POST" } });
}
