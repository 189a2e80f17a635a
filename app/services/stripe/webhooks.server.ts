import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";

export type WebhookReceipt =
  { status: 200; duplicate: boolean; event: Stripe.Event } | { status: 400; message: string };

/**
 * Verifies a webhook's signature on the raw body and stores the event once by id. Nothing is
 * stored unless the signature is valid and fresh (Stripe's 300 s tolerance).
 */
export async function receiveStripeWebhook(
  db: Db,
  stripe: Stripe,
  { rawBody, signature, secret }: { rawBody: string; signature: string | null; secret: string | undefined },
): Promise<WebhookReceipt> {
  if (!secret) return { status: 400, message: "Webhook signing secret is not configured." };
  if (!signature) return { status: 400, message: "Missing Stripe-Signature header." };
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    return { status: 400, message: `Webhook signature verification failed: ${(error as Error).message}` };
  }
  const inserted = await db
    .insertInto("stripe_events")
    .values({
      id: event.id,
      type: event.type,
      livemode: event.livemode,
      stripe_created_at: new Date(event.created * 1000),
      payload: JSON.stringify(event),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  return { status: 200, duplicate: !inserted, event };
}
