import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import { IllegalTransitionError } from "../../domain/campaign-states";
import { bookDispute } from "../../models/ledger.server";
import { transitionPledge } from "../../models/pledge-state.server";

/**
 * `charge.dispute.created`: the backer's bank pulled the money back. The dispute is read from
 * Stripe (never from the payload), the pledge moves collected -> disputed, and the disputed
 * amount plus Stripe's dispute fee (from the dispute's balance transactions) are booked once.
 */
export async function recordDispute(
  db: Db,
  stripe: Stripe,
  disputeId: string,
): Promise<{ outcome: "disputed" | "already" | "unknown"; pledgeId?: string }> {
  const dispute = await stripe.disputes.retrieve(disputeId);
  const paymentIntentId =
    typeof dispute.payment_intent === "string" ? dispute.payment_intent : dispute.payment_intent?.id;
  if (!paymentIntentId) return { outcome: "unknown" };
  let pledge = await db
    .selectFrom("pledges")
    .select(["id"])
    .where("stripe_payment_intent_id", "=", paymentIntentId)
    .executeTakeFirst();
  if (!pledge) {
    const pi = await stripe.paymentIntents.retrieve(paymentIntentId);
    const fromMetadata = pi.metadata?.pledge_id;
    if (fromMetadata && /^[0-9a-f-]{36}$/i.test(fromMetadata))
      pledge = await db.selectFrom("pledges").select(["id"]).where("id", "=", fromMetadata).executeTakeFirst();
  }
  if (!pledge) return { outcome: "unknown" };
  const pledgeId = pledge.id;
  const fee = (dispute.balance_transactions ?? []).reduce((sum, bt) => sum + bt.fee, 0);

  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("pledges")
      .select(["state", "campaign_id", "currency"])
      .where("id", "=", pledgeId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let outcome: "disputed" | "already" = "already";
    if (row.state !== "disputed") {
      try {
        await transitionPledge(trx, {
          pledgeId,
          to: "disputed",
          actorId: null,
          reason: `Disputed by the card holder (${dispute.reason})`,
          detail: { dispute: dispute.id, amount: dispute.amount },
        });
        outcome = "disputed";
      } catch (error) {
        if (!(error instanceof IllegalTransitionError)) throw error;
        console.warn(`[dispute ${dispute.id}] pledge ${pledgeId} is ${row.state}; booked without a state change`);
      }
    }
    await bookDispute(trx, {
      campaignId: row.campaign_id,
      pledgeId,
      currency: row.currency,
      amount: dispute.amount,
      fee,
      disputeId: dispute.id,
    });
    return { outcome, pledgeId };
  });
}
