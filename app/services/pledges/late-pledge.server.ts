import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import { queuePledgeConfirmed } from "./confirmation.server";
import { bookCharge } from "../../models/ledger.server";
import { recordPledgePayment } from "../../models/pledge-payments.server";
import { pledgeWithBackerQuery } from "../../models/pledge.server";
import { transitionPledge } from "../../models/pledge-state.server";

// A late pledge's Checkout Session read back from Stripe: paid -> the pledge is collected at
// once, its payment recorded and its charge and Stripe fee booked in the late segment of the
// journal, in one transaction; expired -> abandoned (its late slot freed). Called from the
// webhook, the return URL and the sweep of stale checkouts alike: exactly one collection.

export type LateOutcome = "activated" | "already_active" | "abandoned" | "open" | "unknown";

export async function syncLatePledgeSession(
  db: Db,
  stripe: Stripe,
  session: Stripe.Checkout.Session,
): Promise<{ outcome: LateOutcome; pledgeId?: string }> {
  const pledgeId = session.metadata?.pledge_id;
  if (!pledgeId) return { outcome: "unknown" };
  // The charge and its fee come from Stripe before the transaction, so the booking is in it.
  let paid: { pi: Stripe.PaymentIntent; charge: Stripe.Charge; bt: Stripe.BalanceTransaction } | null = null;
  if (session.status === "complete" && session.payment_intent) {
    const id = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent.id;
    const pi = await stripe.paymentIntents.retrieve(id, {
      expand: ["latest_charge.balance_transaction", "payment_method"],
    });
    const charge = pi.latest_charge;
    const bt = charge && typeof charge === "object" ? charge.balance_transaction : null;
    if (pi.status === "succeeded" && charge && typeof charge === "object" && bt && typeof bt === "object")
      paid = { pi, charge, bt };
  }

  return db.transaction().execute(async (trx) => {
    // The settlement row first, shared: a further payout being prepared (which holds it) sees this
    // pledge either collected, and carries it, or not yet, and leaves it for the next one.
    const head = await trx.selectFrom("pledges").select("campaign_id").where("id", "=", pledgeId).executeTakeFirst();
    if (!head) return { outcome: "unknown" as const };
    await trx
      .selectFrom("settlements")
      .select("campaign_id")
      .where("campaign_id", "=", head.campaign_id)
      .forShare()
      .execute();
    const pledge = await pledgeWithBackerQuery(trx, { pledgeId })
      .select([
        "pledges.id",
        "pledges.state",
        "pledges.late",
        "pledges.checkout_session_id",
        "pledges.amount",
        "pledges.currency",
        "pledges.campaign_id",
        "users.id as user_id",
        "users.email",
        "users.name",
        "users.locale",
        "campaigns.title",
      ])
      .forUpdate(["pledges"])
      .executeTakeFirst();
    if (!pledge || !pledge.late || pledge.checkout_session_id !== session.id) return { outcome: "unknown" as const };

    if (session.status === "expired") {
      if (pledge.state === "checkout")
        await transitionPledge(trx, {
          pledgeId,
          to: "abandoned",
          actorId: null,
          reason: "Checkout session expired",
          detail: { checkout_session: session.id },
        });
      return { outcome: "abandoned" as const, pledgeId };
    }
    if (!paid) return { outcome: "open" as const, pledgeId };
    if (pledge.state !== "checkout") return { outcome: "already_active" as const, pledgeId };

    const { pi, charge, bt } = paid;
    const pm = pi.payment_method && typeof pi.payment_method === "object" ? pi.payment_method : null;
    await transitionPledge(trx, {
      pledgeId,
      to: "collected",
      actorId: null,
      reason: "Late pledge paid through Stripe Checkout",
      detail: { checkout_session: session.id, payment_intent: pi.id },
    });
    await trx
      .updateTable("pledges")
      .set({
        activated_at: new Date(),
        collected_amount: charge.amount,
        stripe_payment_intent_id: pi.id,
        ...(pm
          ? { stripe_payment_method_id: pm.id, card_brand: pm.card?.brand ?? null, card_last4: pm.card?.last4 ?? null }
          : {}),
        updated_at: new Date(),
      })
      .where("id", "=", pledgeId)
      .execute();
    await recordPledgePayment(trx, {
      pledgeId,
      paymentIntentId: pi.id,
      amount: charge.amount,
      currency: pledge.currency,
      purpose: "pledge",
    });
    await bookCharge(trx, {
      campaignId: pledge.campaign_id,
      pledgeId,
      currency: pledge.currency,
      amount: charge.amount,
      fee: bt.fee,
      paymentIntentId: pi.id,
      chargeId: charge.id,
      balanceTransactionId: bt.id,
      late: true,
    });
    await queuePledgeConfirmed(trx, {
      pledgeId,
      session,
      backer: { id: pledge.user_id, email: pledge.email, name: pledge.name, locale: pledge.locale },
      pledge: { campaignTitle: pledge.title, amount: pledge.amount, currency: pledge.currency },
      timing: "late",
    });
    return { outcome: "activated" as const, pledgeId };
  });
}
