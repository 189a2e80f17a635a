import type Stripe from "stripe";
import type { Db } from "../../db/schema.js";
import type { Config } from "../../app/config.server";
import { recordPledgePayment } from "../../app/models/pledge-payments.server";
import { ensureStripeCustomer } from "../../app/services/pledges/checkout.server";
import { runDueSettlements } from "../../app/services/settlement/due.server";

/** The campaign the demo leaves past its deadline for the worker to settle on start. */
export const DEMO_AWAITING_SETTLEMENT = "clearwater-gravity-filter";
/** Campaigns whose history (funded, unfunded) is made by really settling them at seed time. */
export const DEMO_SETTLED_HISTORY = [
  "kintsugi-repair-kit",
  "open-braille-labeller",
  "story-seeds-bilingual-books",
  "cuaderno-de-campo-pirineo",
  "huerto-vertical-balcon",
];

/**
 * Gives every seeded pledge what a real checkout would have left: a Stripe customer and a saved
 * test card (a few on the campaign awaiting settlement decline when charged, to show the grace
 * period), or a payment made up front for `immediate` campaigns. Then the historical campaigns
 * are settled by the real settlement code, so their charges, ledger and statements are genuine.
 */
export async function seedDemoPayments({ db, stripe, config }: { db: Db; stripe: Stripe; config: Config }) {
  const pledges = await db
    .selectFrom("pledges")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .innerJoin("users", "users.id", "pledges.backer_id")
    .select([
      "pledges.id",
      "pledges.amount",
      "pledges.currency",
      "pledges.activated_at",
      "campaigns.id as campaign_id",
      "campaigns.slug",
      "campaigns.collection",
      "users.id as user_id",
      "users.email",
      "users.name",
    ])
    .where("pledges.state", "=", "active")
    .where("pledges.stripe_payment_method_id", "is", null)
    .orderBy("pledges.created_at")
    .execute();

  let failing = 0;
  for (const pledge of pledges) {
    const customer = await ensureStripeCustomer(db, stripe, {
      id: pledge.user_id,
      email: pledge.email,
      name: pledge.name,
    });
    // Two pledges on the campaign awaiting settlement will be declined, to demo the grace period.
    const card =
      pledge.slug === DEMO_AWAITING_SETTLEMENT && pledge.email !== "backer@example.com" && failing < 2 && ++failing
        ? "pm_card_chargeCustomerFail"
        : "pm_card_visa";
    const method = await stripe.paymentMethods.attach(card, { customer });
    let paymentIntentId: string | null = null;
    if (pledge.collection === "immediate") {
      const intent = await stripe.paymentIntents.create(
        {
          amount: pledge.amount,
          currency: pledge.currency,
          customer,
          payment_method: method.id,
          off_session: true,
          confirm: true,
          metadata: { pledge_id: pledge.id, campaign_id: pledge.campaign_id },
        },
        { idempotencyKey: `colecta-demo-pledge-payment-${pledge.id}` },
      );
      paymentIntentId = intent.id;
      await recordPledgePayment(db, {
        pledgeId: pledge.id,
        paymentIntentId: intent.id,
        amount: pledge.amount,
        currency: pledge.currency,
        purpose: "pledge",
        at: pledge.activated_at ?? undefined,
      });
    }
    await db
      .updateTable("pledges")
      .set({
        stripe_customer_id: customer,
        stripe_payment_method_id: method.id,
        card_brand: method.card?.brand ?? null,
        card_last4: method.card?.last4 ?? null,
        stripe_payment_intent_id: paymentIntentId,
      })
      .where("id", "=", pledge.id)
      .execute();
  }

  for (const slug of DEMO_SETTLED_HISTORY) {
    await runDueSettlements({ db, stripe, config, campaignSlug: slug, log: () => {} });
  }
  return { pledges: pledges.length };
}
