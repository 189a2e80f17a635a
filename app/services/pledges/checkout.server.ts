import type Stripe from "stripe";
import type { Database, Db } from "../../../db/schema.js";
import { DEFAULT_LOCALE, type Locale, type Translate } from "../../domain/locale";
import {
  addOnField,
  addOnShortfallMessage,
  CHECKOUT_TTL_SECONDS,
  NO_REWARD,
  pricePledge,
  type PledgeForm,
  type PledgePrice,
} from "../../domain/pledge-rules";
import { latePledgesOpen } from "../../domain/late-pledges";
import { translatorFor } from "../../i18n";
import { findOpenPledge, getPledgeableCampaign } from "../../models/pledge.server";
import { isLimitViolation, lockAddOnCapacity, lockTiers, offeredAddOns } from "../../models/pledge-add-ons.server";
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
      field?: Extract<PledgePrice, { ok: false }>["field"];
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
  // After a funded deadline, a late pledge: charged at once, for a tier offered late.
  const late = latePledgesOpen(campaign);
  if (!late && (campaign.state !== "live" || !campaign.deadline || campaign.deadline.getTime() <= Date.now())) {
    return { ok: false, status: 409, message: t("public:pledge.refusal.closed") };
  }
  if (campaign.creator_id === backer.id) return { ok: false, status: 400, message: t("public:pledge.refusal.own") };

  const tier = form.tier === NO_REWARD ? null : campaign.tiers.find((t) => t.id === form.tier);
  if ((form.tier !== NO_REWARD && (!tier || tier.hidden)) || (late && tier?.late_price === null)) {
    return {
      ok: false,
      status: 400,
      field: "tier",
      message: t("public:pledge.refusal.tierGone"),
    };
  }
  if (late && !tier) return { ok: false, status: 400, field: "tier", message: t("public:pledge.refusal.lateReward") };
  const price = pricePledge({
    currency: campaign.currency,
    // A late pledge starts at the tier's late price; add-ons come with pledges made in time.
    tier: tier && late ? { ...tier, minimum_amount: tier.late_price! } : (tier ?? null),
    amountInput: form.amount,
    destination: form.destination,
    addOns: late ? [] : await offeredAddOns(db, { campaignId: campaign.id }),
    addOnQuantities: form.addOns ?? {},
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
      late,
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
        // A late pledge pays at once, whatever the campaign's collection was.
        collection: late ? "immediate" : campaign.collection,
        currency: campaign.currency,
        creatorName: campaign.creator_name,
      },
      late,
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
    late,
    t,
  }: {
    campaignId: string;
    backerId: string;
    tierId: string | null;
    currency: Database["pledges"]["currency"];
    price: Extract<PledgePrice, { ok: true }>;
    late: boolean;
    t: Translate;
  },
): Promise<
  | { ok: true; pledgeId: string }
  | { ok: false; status: 400 | 409; field?: "tier" | `addOns.${string}`; message: string; existingPledgeId?: string }
> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (tierId) {
        // The tier row decides the limit: lock it so concurrent checkouts queue here.
        const [row] = await lockTiers(trx, [tierId]);
        if (!row) throw new Error(`Tier ${tierId} vanished under its pledge`);
        // A late price raised (or withdrawn) while the backer chose: refuse, never sell at the old one.
        if (late && (row.late_price === null || price.baseAmount < Number(row.late_price)))
          return {
            ok: false as const,
            status: 409 as const,
            field: "tier" as const,
            message: t("public:pledge.refusal.tierGone"),
          };
        // A late pledge takes a slot of the late limit; the limit the campaign sold is done.
        const tier = late
          ? { hidden: row.hidden, quantity_limit: row.late_limit, claimed_count: row.late_claimed_count }
          : row;
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
      // The add-ons' rows decide their limits: locked in id order, checked, then claimed below.
      const room = await lockAddOnCapacity(trx, { lines: price.addOnLines });
      if (!room.ok)
        return {
          ok: false as const,
          status: 409 as const,
          field: addOnField(room.addOnId),
          message: addOnShortfallMessage(room, t),
        };
      const pledge = await trx
        .insertInto("pledges")
        .values({
          campaign_id: campaignId,
          backer_id: backerId,
          tier_id: tierId,
          currency,
          base_amount: price.baseAmount,
          shipping_amount: price.shippingAmount,
          add_ons_amount: price.addOnsAmount,
          amount: price.amount,
          shipping_destination: price.destination,
          state: "checkout",
          late,
        })
        .returning(["id", "campaign_id", "tier_id", "amount", "state", "late"])
        .executeTakeFirstOrThrow();
      await recordNewPledge(trx, pledge, backerId, price.addOnLines);
      return { ok: true as const, pledgeId: pledge.id };
    });
  } catch (error) {
    // A concurrent submit by the same backer won the unique index: continue with its pledge.
    if ((error as { code?: string }).code === "23505") {
      const winner = await findOpenPledge(db, { campaignId, backerId });
      if (winner?.state === "checkout") return { ok: true, pledgeId: winner.id };
      if (winner) return alreadyBacking(winner.id, t);
    }
    // The locks make this unreachable; the database's limit check is the last word all the same.
    if (isLimitViolation(error)) return { ok: false, status: 409, message: t("public:pledge.refusal.soldOut") };
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
    late = false,
  }: {
    pledgeId: string;
    customerId: string;
    appUrl: string;
    locale?: Locale;
    campaign: { title: string; collection: "at_deadline" | "immediate"; currency: string; creatorName: string };
    late?: boolean;
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
  const metadata: Record<string, string> = late
    ? { pledge_id: pledgeId, purpose: "late_pledge" }
    : { pledge_id: pledgeId };
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
          payment_intent_data: late
            ? { metadata, description: `Late pledge to ${campaign.title}` }
            : {
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
