import Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import { PAYMENT_REFUND_PURPOSES, refreshRefundedAmounts } from "../../models/pledge-payments.server";
import { bookRefund } from "../../models/ledger.server";

/** A pending refund younger than this may still be in flight in the request that opened it. */
const IN_FLIGHT_MS = 30_000;

export type SentRefund = { refundId: string; status: "succeeded" | "failed" | "pending"; stripeRefundId?: string };

/**
 * Sends one pending refund written by `openPaymentRefunds` (a pledge lowered or cancelled before
 * the deadline, or a top-up that could not be applied) and records Stripe's answer once. The
 * idempotency key was stored with the row, so sending again after a crash refunds once. A
 * network failure leaves the row pending for `sendDueRefunds`.
 */
export async function sendPaymentRefund(db: Db, stripe: Stripe, refundId: string): Promise<SentRefund> {
  const row = await db.selectFrom("refunds").selectAll().where("id", "=", refundId).executeTakeFirst();
  if (!row || !row.stripe_payment_intent_id) throw new Error(`Refund ${refundId} is not aimed at a payment`);
  if (row.status !== "pending")
    return { refundId, status: row.status, stripeRefundId: row.stripe_refund_id ?? undefined };
  let refund: Stripe.Refund;
  try {
    refund = await stripe.refunds.create(
      {
        payment_intent: row.stripe_payment_intent_id,
        amount: row.amount,
        metadata: { pledge_id: row.pledge_id, refund_id: row.id, purpose: row.purpose },
      },
      { idempotencyKey: row.idempotency_key },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) {
      // Stripe refused it for good (say, the payment was already refunded in full by settlement).
      console.warn(`[refund ${row.id}] Stripe refused the refund: ${error.message}`);
      await db
        .updateTable("refunds")
        .set({ status: "failed", finished_at: new Date() })
        .where("id", "=", row.id)
        .where("status", "=", "pending")
        .execute();
      return { refundId, status: "failed" };
    }
    console.warn(`[refund ${row.id}] Stripe call failed, left pending for the next pass: ${(error as Error).message}`);
    return { refundId, status: "pending" };
  }
  const failed = refund.status === "failed" || refund.status === "canceled";
  return db.transaction().execute(async (trx) => {
    // The pledge first, as settlement does, so booking here and settlement's booking never race.
    const pledge = await trx
      .selectFrom("pledges")
      .select(["id", "campaign_id", "currency"])
      .where("id", "=", row.pledge_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const updated = await trx
      .updateTable("refunds")
      .set({ status: failed ? "failed" : "succeeded", stripe_refund_id: refund.id, finished_at: new Date() })
      .where("id", "=", row.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0 || failed || row.purpose === "change_refused")
      return { refundId, status: failed ? "failed" : "succeeded", stripeRefundId: refund.id };
    // Before settlement the payment is not in the journal yet: settlement books it with its
    // refunds. After it (a refund that finished late), the refund is booked now.
    const booked = await trx
      .selectFrom("journal_transactions")
      .select("id")
      .where("pledge_id", "=", pledge.id)
      .where("kind", "=", "charge")
      .executeTakeFirst();
    if (booked) {
      await bookRefund(trx, {
        campaignId: pledge.campaign_id,
        pledgeId: pledge.id,
        currency: pledge.currency,
        amount: row.amount,
        refundId: refund.id,
      });
      await refreshRefundedAmounts(trx, [pledge.id]);
    }
    return { refundId, status: "succeeded" as const, stripeRefundId: refund.id };
  });
}

/** Sends every refund in `ids`; tells whether all went through. */
export async function sendPaymentRefunds(
  db: Db,
  stripe: Stripe,
  ids: string[],
): Promise<{ allSent: boolean; results: SentRefund[] }> {
  const results: SentRefund[] = [];
  for (const id of ids) results.push(await sendPaymentRefund(db, stripe, id));
  return { allSent: results.every((r) => r.status === "succeeded"), results };
}

/** Background pass: refunds before settlement left pending by a crash or an unreachable Stripe. */
export async function sendDueRefunds(db: Db, stripe: Stripe, { now = new Date(), limit = 100 } = {}) {
  const due = await db
    .selectFrom("refunds")
    .select("id")
    .where("status", "=", "pending")
    .where("purpose", "in", PAYMENT_REFUND_PURPOSES)
    .where("created_at", "<", new Date(now.getTime() - IN_FLIGHT_MS))
    .orderBy("created_at")
    .limit(limit)
    .execute();
  return (
    await sendPaymentRefunds(
      db,
      stripe,
      due.map((r) => r.id),
    )
  ).results;
}
