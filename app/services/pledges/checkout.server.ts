import type { Transaction } from "kysely";
import type Stripe from "stripe";
import type { Database, Db } from "../../../db/schema.js";
import { formatMoney } from "../../domain/money";
import { CHECKOUT_TTL_SECONDS, NO_REWARD, pricePledge, type PledgeForm } from "../../domain/pledge-rules";
import { queueEmails } from "../../models/outbox.server";
import { findOpenPledge, getPledgeableCampaign } from "../../models/pledge.server";
import { recordPledgePayment } from "../../models/pledge-payments.server";
import { recordNewPledge, transitionPledge } from "../../models/pledge-state.server";
import { syncFixPaymentSession } from "../settlement/fix-payment.server";
import { syncChangeSession, type ChangeOutcome } from "./up-front-changes.server";

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

/**
 * Starts a pledge: prices it on the server, holds a limited tier's slot, and opens a Stripe
 * Checkout Session (setup mode to save the card for the deadline; payment mode to charge now).
 * A double submit finds the pledge the first one created and returns the same session.
 */
export async function startPledgeCheckout(
  db: Db,
  stripe: Stripe,
  { slug, backer, form, appUrl }: { slug: string; backer: Backer; form: PledgeForm; appUrl: string },
): Promise<StartCheckout> {
  const campaign = await getPledgeableCampaign(db, { slug });
  if (!campaign) return { ok: false, status: 404, message: "That project does not exist." };
  if (campaign.state !== "live" || !campaign.deadline || campaign.deadline.getTime() <= Date.now()) {
    return { ok: false, status: 409, message: "This project is no longer accepting pledges." };
  }
  if (campaign.creator_id === backer.id) return { ok: false, status: 400, message: "You can't back your own project." };

  const tier = form.tier === NO_REWARD ? null : campaign.tiers.find((t) => t.id === form.tier);
  if (form.tier !== NO_REWARD && (!tier || tier.hidden)) {
    return {
      ok: false,
      status: 400,
      field: "tier",
      message: "That reward is no longer available. Please choose another.",
    };
  }
  const price = pricePledge({
    currency: campaign.currency,
    tier: tier ?? null,
    amountInput: form.amount,
    destination: form.destination,
  });
  if (!price.ok) return { ok: false, status: 400, field: price.field, message: price.message };

  const existing = await findOpenPledge(db, { campaignId: campaign.id, backerId: backer.id });
  if (existing && existing.state !== "checkout") {
    return {
      ok: false,
      status: 409,
      message: "You already back this project. You can change your pledge instead.",
      existingPledgeId: existing.id,
    };
  }

  let pledgeId = existing?.id;
  if (!pledgeId) {
    const held = await holdPledge(db, {
      campaignId: campaign.id,
      backerId: backer.id,
      tierId: tier?.id ?? null,
      currency: campaign.currency,
      price,
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
      message: "Our payment provider is not answering right now. Nothing was charged; please try again in a minute.",
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
  }: {
    campaignId: string;
    backerId: string;
    tierId: string | null;
    currency: Database["pledges"]["currency"];
    price: { baseAmount: number; shippingAmount: number; amount: number; destination: string | null };
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
            message: "That reward is no longer available.",
          };
        if (tier.quantity_limit !== null && tier.claimed_count >= tier.quantity_limit) {
          return {
            ok: false as const,
            status: 409 as const,
            field: "tier" as const,
            message: "Sorry, that reward just sold out. Please choose another.",
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
      if (winner)
        return {
          ok: false,
          status: 409,
          message: "You already back this project. You can change your pledge instead.",
          existingPledgeId: winner.id,
        };
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
    campaign,
  }: {
    pledgeId: string;
    customerId: string;
    appUrl: string;
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
  const common = {
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
            description: `Pledge to ${campaign.title}, charged at the deadline if funded`,
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
                product_data: { name: `Pledge to ${campaign.title}` },
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
async function releaseUnstartedCheckout(db: Db, pledgeId: string) {
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

export type SessionOutcome =
  | "activated"
  | "already_active"
  | "abandoned"
  | "open"
  | "card_updated"
  | "payment_fixed"
  | "unknown"
  | Exclude<ChangeOutcome, "open" | "unknown">;

/**
 * Brings a pledge in line with its Checkout Session, read back from Stripe (never from a
 * webhook payload or a URL): complete -> active with the saved card, expired -> abandoned.
 * Safe to call any number of times, from the webhook and the return URL alike: exactly one
 * activation happens, under the pledge's row lock.
 */
export async function syncCheckoutSession(
  db: Db,
  stripe: Stripe,
  sessionId: string,
): Promise<{ outcome: SessionOutcome; pledgeId?: string }> {
  const session = await stripe.checkout.sessions.retrieve(sessionId, {
    expand: ["setup_intent.payment_method", "payment_intent.payment_method"],
  });
  const pledgeId = session.metadata?.pledge_id ?? session.client_reference_id ?? undefined;
  if (!pledgeId) return { outcome: "unknown" };
  // A failed settlement charge paid on the fix-payment page (app/services/settlement).
  if (session.metadata?.purpose === "fix_payment") {
    const fixed = await syncFixPaymentSession(db, stripe, session.id);
    return {
      outcome: fixed.outcome === "payment_fixed" ? "payment_fixed" : fixed.outcome === "unknown" ? "unknown" : "open",
      pledgeId,
    };
  }
  // The difference paid to raise a pledge paid up front (up-front-changes.server.ts).
  if (session.metadata?.purpose === "change") return syncChangeSession(db, stripe, session);
  const card = savedCard(session);

  return db.transaction().execute(async (trx) => {
    const pledge = await trx
      .selectFrom("pledges")
      .innerJoin("users", "users.id", "pledges.backer_id")
      .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
      .select([
        "pledges.id",
        "pledges.state",
        "pledges.checkout_session_id",
        "pledges.card_update_session_id",
        "pledges.amount",
        "pledges.currency",
        "users.email",
        "users.id as user_id",
        "users.name",
        "campaigns.title",
        "campaigns.slug",
        "campaigns.collection",
      ])
      .where("pledges.id", "=", pledgeId)
      .forUpdate(["pledges"])
      .executeTakeFirst();
    if (!pledge) return { outcome: "unknown" as const };

    if (pledge.card_update_session_id === session.id) {
      if (session.status !== "complete" || !card) return { outcome: "open" as const, pledgeId };
      await trx
        .updateTable("pledges")
        .set({
          stripe_payment_method_id: card.id,
          card_brand: card.brand,
          card_last4: card.last4,
          card_update_session_id: null,
          updated_at: new Date(),
        })
        .where("id", "=", pledgeId)
        .execute();
      return { outcome: "card_updated" as const, pledgeId };
    }
    if (pledge.checkout_session_id !== session.id) return { outcome: "unknown" as const };

    if (session.status === "complete") {
      if (pledge.state !== "checkout") return { outcome: "already_active" as const, pledgeId };
      const paymentIntent = typeof session.payment_intent === "object" ? session.payment_intent : null;
      await trx
        .updateTable("pledges")
        .set({
          stripe_payment_method_id: card?.id ?? null,
          card_brand: card?.brand ?? null,
          card_last4: card?.last4 ?? null,
          stripe_payment_intent_id: paymentIntent?.id ?? null,
        })
        .where("id", "=", pledgeId)
        .execute();
      if (paymentIntent && paymentIntent.status === "succeeded") {
        await recordPledgePayment(trx, {
          pledgeId,
          paymentIntentId: paymentIntent.id,
          amount: paymentIntent.amount_received || paymentIntent.amount,
          currency: pledge.currency,
          purpose: "pledge",
        });
      }
      await transitionPledge(trx, {
        pledgeId,
        to: "active",
        actorId: null,
        reason:
          pledge.collection === "immediate" ? "Paid through Stripe Checkout" : "Card saved through Stripe Checkout",
        detail: { checkout_session: session.id, payment_intent: paymentIntent?.id ?? null },
      });
      await queueEmails(trx, [
        {
          kind: "pledge_confirmed",
          toEmail: pledge.email,
          toUserId: pledge.user_id,
          dedupeKey: `pledge-confirmed-${pledgeId}`,
          subject: `You're backing ${pledge.title}`,
          bodyText:
            `Hi ${pledge.name},\n\nThank you for backing ${pledge.title}. Your pledge of ${formatMoney(pledge.amount, pledge.currency)} is confirmed.\n\n` +
            (pledge.collection === "at_deadline"
              ? "Your card is saved with Stripe and will be charged only under the project's terms, at its deadline.\n"
              : "Your payment went through; it is refunded automatically if the project does not reach its goal.\n") +
            `\nManage your pledge: /me/pledges/${pledgeId}\n`,
        },
      ]);
      return { outcome: "activated" as const, pledgeId };
    }
    if (session.status === "expired") {
      if (pledge.state === "checkout") {
        await transitionPledge(trx, {
          pledgeId,
          to: "abandoned",
          actorId: null,
          reason: "Checkout session expired",
          detail: { checkout_session: session.id },
        });
      }
      return { outcome: "abandoned" as const, pledgeId };
    }
    return { outcome: "open" as const, pledgeId };
  });
}

function savedCard(
  session: Stripe.Checkout.Session,
): { id: string; brand: string | null; last4: string | null } | null {
  const fromSetup =
    typeof session.setup_intent === "object" && session.setup_intent ? session.setup_intent.payment_method : null;
  const fromPayment =
    typeof session.payment_intent === "object" && session.payment_intent ? session.payment_intent.payment_method : null;
  const pm = fromSetup ?? fromPayment;
  if (!pm) return null;
  if (typeof pm === "string") return { id: pm, brand: null, last4: null };
  return { id: pm.id, brand: pm.card?.brand ?? null, last4: pm.card?.last4 ?? null };
}

/**
 * A lost webhook only delays: pledges still in checkout after their session's expiry are
 * re-checked against Stripe (completed -> active, expired -> abandoned).
 */
export async function reconcileStaleCheckouts(db: Db, stripe: Stripe, { now = new Date(), limit = 100 } = {}) {
  const stale = await db
    .selectFrom("pledges")
    .select(["id", "checkout_session_id"])
    .where("state", "=", "checkout")
    .where((eb) =>
      eb.or([
        eb("checkout_expires_at", "<", now),
        eb.and([
          eb("checkout_session_id", "is", null),
          eb("created_at", "<", new Date(now.getTime() - (CHECKOUT_TTL_SECONDS + 300) * 1000)),
        ]),
      ]),
    )
    .limit(limit)
    .execute();
  const outcomes: SessionOutcome[] = [];
  for (const pledge of stale) {
    if (pledge.checkout_session_id) {
      outcomes.push((await syncCheckoutSession(db, stripe, pledge.checkout_session_id)).outcome);
    } else {
      await releaseUnstartedCheckout(db, pledge.id);
      outcomes.push("abandoned");
    }
  }
  return outcomes;
}

export type { Transaction };
