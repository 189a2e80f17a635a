import type Stripe from "stripe";
import type { Database, Db } from "../../../db/schema.js";
import { DEFAULT_LOCALE, type Locale, type Translate } from "../../domain/locale";
import { CHECKOUT_TTL_SECONDS, NO_REWARD, pricePledge, type PledgeForm } from "../../domain/pledge-rules";
import { translatorFor } from "../../i18n";
import { findOpenPledge, getPledgeableCampaign } from "../../models/pledge.server";
import { recordNewPledge, transitionPledge } from "../../models/pledge-state.server";

// Starting a pledge: price it on the server, hold the tier's slot with the pledge row, then open
// the Stripe Checkout Session for it. Reading the session back (activation, expiry) is in
// checkout-sync.server.ts.

export interface Backer {
  id: string;
  email: string;
  name: string;
}

export type StartCheckout =
  | { ok: true; pledgeId: string; checkoutUrl: string }
  | {
      ok: false;
      status: 400 | 404 | 409 | 503;
      field?: "tier" | "amount" | "destination";
      message: string;
      existingPledgeId?: string;
    };

// Refusals are worded in the caller's language (the request's); English when none is given.
const english: Translate = translatorFor("en");

/** One open pledge per backer and campaign: a second is refused, pointing at the first. */
const alreadyBacking = (existingPledgeId: string, t: Translate) => ({
  ok: false as const,
  status: 409 as const,
  message: t("public:pledge.refusal.alreadyBacking"),
  existingPledgeId,
});

/**
 * Starts a pledge: prices it on the server, holds a limited tier's slot, and opens a Stripe
 * Checkout Session (setup mode to save the card for the deadline; payment mode to charge now).
 * A double submit finds the pledge the first one created and returns the same session. `t` and
 * `locale` are the reader's: the amount is read as they type it, and refusals are in their words.
 */
export async function startPledgeCheckout(
  db: Db,
  stripe: Stripe,
  {
    slug,
    backer,
    form,
    appUrl,
    t = english,
    locale,
  }: {
    slug: string;
    backer: Backer;
    form: PledgeForm;
    appUrl: string;
    t?: Translate;
    /** The request's language: amounts are read as the reader types them, Stripe's payment page speaks it. */
    locale?: Locale;
  },
): Promise<StartCheckout> {
  const campaign = await getPledgeableCampaign(db, { slug });
  if (!campaign) return { ok: false, status: 404, message: t("public:pledge.refusal.notFound") };
  if (campaign.state !== "live" || !campaign.deadline || campaign.deadline.getTime() <= Date.now()) {
    return { ok: false, status: 409, message: t("public:pledge.refusal.closed") };
  }
  if (campaign.creator_id === backer.id) return { ok: false, status: 400, message: t("public:pledge.refusal.own") };

  const tier = form.tier === NO_REWARD ? null : campaign.tiers.find((t) => t.id === form.tier);
  if (form.tier !== NO_REWARD && (!tier || tier.hidden)) {
    return {
      ok: false,
      status: 400,
      field: "tier",
      message: t("public:pledge.refusal.tierGone"),
    };
  }
  const price = pricePledge({
    currency: campaign.currency,
    tier: tier ?? null,
    amountInput: form.amount,
    destination: form.destination,
    t,
    locale,
  });
  if (!price.ok) return { ok: false, status: 400, field: price.field, message: price.message };

  const existing = await findOpenPledge(db, { campaignId: campaign.id, backerId: backer.id });
  if (existing && existing.state !== "checkout") {
    return alreadyBacking(existing.id, t);
  }

  let pledgeId = existing?.id;
  if (!pledgeId) {
    const held = await holdPledge(db, {
      campaignId: campaign.id,
      backerId: backer.id,
      tierId: tier?.id ?? null,
      currency: campaign.currency,
      price,
      t,
    });
    if (!held.ok) return held;
    pledgeId = held.pledgeId;
  }

  try {
    const customerId = await ensureStripeCustomer(db, stripe, backer);
    const session = await openCheckoutSession(db, stripe, {
      pledgeId,
      customerId,
      appUrl,
      locale,
      campaign: {
        title: campaign.title,
        collection: campaign.collection,
        currency: campaign.currency,
        creatorName: campaign.creator_name,
      },
    });
    return { ok: true, pledgeId, checkoutUrl: session.url };
  } catch (error) {
    console.warn(`[pledge ${pledgeId}] could not open a Checkout Session: ${(error as Error).message}`);
    await releaseUnstartedCheckout(db, pledgeId);
    return {
      ok: false,
      status: 503,
      message: t("public:pledge.refusal.providerDown"),
    };
  }
}

async function holdPledge(
  db: Db,
  {
    campaignId,
    backerId,
    tierId,
    currency,
    price,
    t,
  }: {
    campaignId: string;
    backerId: string;
    tierId: string | null;
    currency: Database["pledges"]["currency"];
    price: { baseAmount: number; shippingAmount: number; amount: number; destination: string | null };
    t: Translate;
  },
): Promise<
  | { ok: true; pledgeId: string }
  | { ok: false; status: 400 | 409; field?: "tier"; message: string; existingPledgeId?: string }
> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (tierId) {
        // The tier row decides the limit: lock it so concurrent checkouts queue here.
        const tier = await trx
          .selectFrom("tiers")
          .select(["quantity_limit", "claimed_count", "hidden"])
          .where("id", "=", tierId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (tier.hidden)
          return {
            ok: false as const,
            status: 400 as const,
            field: "tier" as const,
            message: t("public:pledge.refusal.tierHidden"),
          };
        if (tier.quantity_limit !== null && tier.claimed_count >= tier.quantity_limit) {
          return {
            ok: false as const,
            status: 409 as const,
            field: "tier" as const,
            message: t("public:pledge.refusal.soldOut"),
          };
        }
      }
      const pledge = await trx
        .insertInto("pledges")
        .values({
          campaign_id: campaignId,
          backer_id: backerId,
          tier_id: tierId,
          currency,
          base_amount: price.baseAmount,
          shipping_amount: price.shippingAmount,
          amount: price.amount,
          shipping_destination: price.destination,
          state: "checkout",
        })
        .returning(["id", "campaign_id", "tier_id", "amount", "state"])
        .executeTakeFirstOrThrow();
      await recordNewPledge(trx, pledge, backerId);
      return { ok: true as const, pledgeId: pledge.id };
    });
  } catch (error) {
    // A concurrent submit by the same backer won the unique index: continue with its pledge.
    if ((error as { code?: string }).code === "23505") {
      const winner = await findOpenPledge(db, { campaignId, backerId });
      if (winner?.state === "checkout") return { ok: true, pledgeId: winner.id };
      if (winner) return alreadyBacking(winner.id, t);
    }
    throw error;
  }
}

/** The backer's Stripe customer, created once (the idempotency key makes a race harmless). */
export async function ensureStripeCustomer(db: Db, stripe: Stripe, backer: Backer): Promise<string> {
  const row = await db
    .selectFrom("users")
    .select("stripe_customer_id")
    .where("id", "=", backer.id)
    .executeTakeFirstOrThrow();
  if (row.stripe_customer_id) return row.stripe_customer_id;
  const customer = await stripe.customers.create(
    { email: backer.email, name: backer.name, metadata: { user_id: backer.id } },
    { idempotencyKey: `colecta-customer-${backer.id}` },
  );
  await db
    .updateTable("users")
    .set({ stripe_customer_id: customer.id })
    .where("id", "=", backer.id)
    .where("stripe_customer_id", "is", null)
    .execute();
  return customer.id;
}

async function openCheckoutSession(
  db: Db,
  stripe: Stripe,
  {
    pledgeId,
    customerId,
    appUrl,
    locale,
    campaign,
  }: {
    pledgeId: string;
    customerId: string;
    appUrl: string;
    locale?: Locale;
    campaign: { title: string; collection: "at_deadline" | "immediate"; currency: string; creatorName: string };
  },
): Promise<{ id: string; url: string }> {
  const pledge = await db
    .selectFrom("pledges")
    .select(["amount", "checkout_session_id", "checkout_url", "checkout_expires_at", "created_at"])
    .where("id", "=", pledgeId)
    .executeTakeFirstOrThrow();
  if (pledge.checkout_session_id && pledge.checkout_url && (pledge.checkout_expires_at?.getTime() ?? 0) > Date.now()) {
    return { id: pledge.checkout_session_id, url: pledge.checkout_url };
  }
  const metadata = { pledge_id: pledgeId };
  // What the backer reads on Stripe's page is in their language; the PaymentIntent's description
  // (for the dashboard and finance) stays English.
  const t = translatorFor(locale ?? DEFAULT_LOCALE);
  const common = {
    // The page's language; read back with the session, it also words the confirmation email.
    ...(locale ? { locale } : {}),
    customer: customerId,
    client_reference_id: pledgeId,
    metadata,
    // Fixed from the pledge's creation, so a retry with the same idempotency key sends the same request.
    expires_at: Math.floor(pledge.created_at.getTime() / 1000) + CHECKOUT_TTL_SECONDS,
    success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${appUrl}/pledges/${pledgeId}/return?cancelled=1`,
  };
  const params: Stripe.Checkout.SessionCreateParams =
    campaign.collection === "at_deadline"
      ? {
          ...common,
          mode: "setup",
          currency: campaign.currency,
          allowed_payment_method_types: ["card"],
          setup_intent_data: {
            metadata,
            description: t("emails:checkout.pledgeAtDeadline", { campaign: campaign.title }),
          },
        }
      : {
          ...common,
          mode: "payment",
          allowed_payment_method_types: ["card"],
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: campaign.currency,
                unit_amount: pledge.amount,
                product_data: { name: t("emails:checkout.pledge", { campaign: campaign.title }) },
              },
            },
          ],
          payment_intent_data: {
            metadata,
            setup_future_usage: "off_session",
            description: `Pledge to ${campaign.title}`,
          },
        };
  const session = await stripe.checkout.sessions.create(params, {
    idempotencyKey: `colecta-pledge-checkout-${pledgeId}`,
  });
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
  await db
    .updateTable("pledges")
    .set({
      checkout_session_id: session.id,
      checkout_url: session.url,
      checkout_expires_at: new Date(session.expires_at * 1000),
      stripe_customer_id: customerId,
    })
    .where("id", "=", pledgeId)
    .execute();
  return { id: session.id, url: session.url };
}

/** A pledge whose session never opened gives its slot back at once. */
export async function releaseUnstartedCheckout(db: Db, pledgeId: string) {
  await db.transaction().execute(async (trx) => {
    const pledge = await trx
      .selectFrom("pledges")
      .select(["state", "checkout_session_id"])
      .where("id", "=", pledgeId)
      .forUpdate()
      .executeTakeFirst();
    if (pledge?.state === "checkout" && !pledge.checkout_session_id) {
      await transitionPledge(trx, {
        pledgeId,
        to: "abandoned",
        actorId: null,
        reason: "Checkout could not be started",
      });
    }
  });
}
