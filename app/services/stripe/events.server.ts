import { sql } from "kysely";
import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import { syncPayoutAccount } from "../finance/connect.server";
import { recordRefundFailure } from "../finance/refund-failures.server";
import { syncCheckoutSession } from "../pledges/checkout-sync.server";
import { recordDispute } from "../settlement/disputes.server";

type Handler = (db: Db, stripe: Stripe, object: { id: string }) => Promise<unknown>;

/**
 * What each event type does. Handlers re-read the object from Stripe rather than trusting the
 * payload, so duplicated or out-of-order deliveries converge on the same state.
 */
const HANDLERS: Partial<Record<string, Handler>> = {
  "checkout.session.completed": (db, stripe, session) => syncCheckoutSession(db, stripe, session.id),
  "checkout.session.expired": (db, stripe, session) => syncCheckoutSession(db, stripe, session.id),
  "checkout.session.async_payment_succeeded": (db, stripe, session) => syncCheckoutSession(db, stripe, session.id),
  "charge.dispute.created": (db, stripe, dispute) => recordDispute(db, stripe, dispute.id),
  "charge.dispute.updated": (db, stripe, dispute) => recordDispute(db, stripe, dispute.id),
  "charge.dispute.funds_reinstated": (db, stripe, dispute) => recordDispute(db, stripe, dispute.id),
  "charge.dispute.closed": (db, stripe, dispute) => recordDispute(db, stripe, dispute.id),
  "account.updated": (db, stripe, account) => syncPayoutAccount(db, stripe, { accountId: account.id }),
  "refund.failed": (db, stripe, refund) => recordRefundFailure(db, stripe, refund.id),
  "charge.refund.updated": (db, stripe, refund) => recordRefundFailure(db, stripe, refund.id),
};

/** Processes one stored event; an error is recorded on the row for the next sweep to retry. */
export async function processStripeEvent(db: Db, stripe: Stripe, eventId: string) {
  const row = await db
    .selectFrom("stripe_events")
    .select(["id", "type", "payload", "processed_at"])
    .where("id", "=", eventId)
    .executeTakeFirst();
  if (!row || row.processed_at) return;
  const handler = HANDLERS[row.type];
  try {
    if (handler) await handler(db, stripe, (row.payload as unknown as Stripe.Event).data.object as { id: string });
    await db
      .updateTable("stripe_events")
      .set({ processed_at: new Date(), attempts: sql`attempts + 1`, last_error: null })
      .where("id", "=", eventId)
      .execute();
  } catch (error) {
    await db
      .updateTable("stripe_events")
      .set({ attempts: sql`attempts + 1`, last_error: (error as Error).message.slice(0, 1000) })
      .where("id", "=", eventId)
      .execute();
    console.warn(`[stripe event ${eventId} ${row.type}] handling failed, will retry: ${(error as Error).message}`);
  }
}

/** Sweeps events that were stored but not handled (a crash, an error) — oldest first. */
export async function processPendingStripeEvents(db: Db, stripe: Stripe, { limit = 100, olderThanMs = 5_000 } = {}) {
  const pending = await db
    .selectFrom("stripe_events")
    .select("id")
    .where("processed_at", "is", null)
    .where("attempts", "<", 20)
    .where("received_at", "<", new Date(Date.now() - olderThanMs))
    .orderBy("received_at")
    .limit(limit)
    .execute();
  for (const { id } of pending) await processStripeEvent(db, stripe, id);
  return pending.length;
}
