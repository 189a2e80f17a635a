import type Stripe from "stripe";
import { randomUUID } from "node:crypto";
import type { CurrencyCode, Db } from "../../../db/schema.js";
import { pledgeCancelledEmail, pledgeChangedEmail, recipientLocale } from "../../domain/emails";
import type { Locale, Translate } from "../../domain/locale";
import { formatMoney, maxAmount, parseAmount, toInputValue } from "../../domain/money";
import {
  addOnField,
  addOnShortfallMessage,
  lastDayRuleBlocks,
  NO_REWARD,
  pricePledge,
  type PledgeForm,
  type PledgePrice,
  type PricedTier,
} from "../../domain/pledge-rules";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { translatorFor } from "../../i18n";
import { queueEmails } from "../../models/outbox.server";
import { getPledgeableCampaign, ownPledgeQuery } from "../../models/pledge.server";
import { lockAddOnCapacity, lockTiers, offeredAddOns } from "../../models/pledge-add-ons.server";
import { allocateRefund, openPaymentRefunds, paymentsOf } from "../../models/pledge-payments.server";
import { amendPledge, transitionPledge } from "../../models/pledge-state.server";
import { writeEmail } from "../emails.server";
import { sendPaymentRefunds } from "./payment-refunds.server";
import { closeOpenRaises, expireSessions, openRaise, openRaiseCheckout } from "./up-front-changes.server";

export type ManageResult = { ok: true; message: string; checkoutUrl?: string; refunded?: number } | Refusal;

// Refusals and messages are worded in the caller's language (the request's); English by default.
const english: Translate = translatorFor("en");

/** Smallest pledge without a reward (as pricePledge checks it), for the message only. */
const NO_REWARD_MINIMUM = 100;

async function lockOwnPledge(trx: Db, pledgeId: string, backerId: string) {
  return ownPledgeQuery(trx, { pledgeId, backerId })
    .innerJoin("users", "users.id", "pledges.backer_id")
    .select([
      "pledges.id",
      "pledges.state",
      "pledges.campaign_id",
      "pledges.tier_id",
      "pledges.amount",
      "pledges.base_amount",
      "pledges.shipping_amount",
      "pledges.shipping_destination",
      "pledges.currency",
      "pledges.stripe_payment_intent_id",
      "pledges.stripe_customer_id",
      "campaigns.slug",
      "campaigns.title",
      "campaigns.state as campaign_state",
      "campaigns.deadline",
      "campaigns.goal_amount",
      "campaigns.pledged_amount",
      "campaigns.collection",
      "users.email",
      "users.name",
      "users.locale",
    ])
    .forUpdate(["pledges"])
    .executeTakeFirst();
}

function stillOpen(
  p: { state: string; campaign_state: string; deadline: Date | null },
  now: Date,
  t: Translate,
): string | null {
  if (p.state !== "active") return t("backer:refusal.notActive");
  if (p.campaign_state !== "live" || !p.deadline || p.deadline <= now) return t("backer:refusal.ended");
  return null;
}

/** Locks the backer's own pledge if it may still change; otherwise the refusal that says why. */
async function lockOpenPledge(trx: Db, pledgeId: string, backerId: string, now: Date, t: Translate) {
  const pledge = await lockOwnPledge(trx, pledgeId, backerId);
  if (!pledge) return refuse(404, t("backer:refusal.notFound"));
  const closed = stillOpen(pledge, now, t);
  if (closed) return refuse(409, closed);
  return { ok: true as const, pledge };
}

/**
 * Changes tier, amount or shipping of an active pledge before the deadline. A saved card needs
 * nothing new (at_deadline). A pledge paid up front (immediate) pays a raise's difference
 * through Checkout first (the result carries its URL) and gets a cut's difference refunded.
 */
export async function changePledge(
  db: Db,
  stripe: Stripe,
  {
    pledgeId,
    backerId,
    form,
    appUrl,
    locale,
    t = english,
  }: {
    pledgeId: string;
    backerId: string;
    form: PledgeForm;
    appUrl: string;
    /** The request's language: for the email (unless the backer saved one) and Stripe's page. */
    locale?: Locale;
    /** The request's translate function, for refusals and the result message. */
    t?: Translate;
  },
): Promise<ManageResult> {
  const now = new Date();
  const head = await ownPledgeQuery(db, { pledgeId, backerId }).select(["campaigns.slug"]).executeTakeFirst();
  if (!head) return refuse(404, t("backer:refusal.notFound"));
  const campaign = await getPledgeableCampaign(db, { slug: head.slug });
  if (!campaign) return refuse(404, t("backer:refusal.notFound"));
  const tier = form.tier === NO_REWARD ? null : campaign.tiers.find((t) => t.id === form.tier);
  if (form.tier !== NO_REWARD && (!tier || tier.hidden))
    return refuseField(400, "tier", t("backer:refusal.tierUnavailable"));
  // The amount is read in the reader's language ("25,50" in Spanish), then priced as typed in English.
  const parsed = parseAmount(form.amount, campaign.currency, { locale, t });
  if (!parsed.ok) return refuseField(400, "amount", parsed.message);
  const price = pricePledge({
    currency: campaign.currency,
    tier: tier ?? null,
    amountInput: toInputValue(parsed.amount, campaign.currency),
    destination: form.destination,
    addOns: await offeredAddOns(db, { campaignId: campaign.id, pledgeId }),
    addOnQuantities: form.addOns ?? {},
    t,
  });
  if (!price.ok)
    return refuseField(
      400,
      price.field,
      priceRefusal(price, { tier: tier ?? null, currency: campaign.currency, amount: parsed.amount, locale, t }),
    );

  type Decided =
    | Refusal
    | {
        ok: true;
        raise?: { changeId: string; replacedSessions: string[] };
        /** Sessions of a waiting raise this change replaced, to expire at Stripe. */
        replacedSessions?: string[];
        refundIds: string[];
        refunded: number;
        message: string;
      };
  const decided: Decided = await db.transaction().execute(async (trx): Promise<Decided> => {
    const locked = await lockOpenPledge(trx, pledgeId, backerId, now, t);
    if (!locked.ok) return locked;
    const { pledge } = locked;
    const reduction = pledge.amount - price.amount;
    if (
      lastDayRuleBlocks({
        now,
        deadline: pledge.deadline!,
        goal: pledge.goal_amount,
        pledged: pledge.pledged_amount,
        reduction,
      })
    ) {
      return refuseField(409, "amount", t("backer:refusal.lastDayLower"));
    }
    const newTierId = tier?.id ?? null;
    // Both tiers (the slot freed and the one claimed), then the add-ons, each in id order.
    const lockedTiers = await lockTiers(trx, [pledge.tier_id, newTierId]);
    if (newTierId && newTierId !== pledge.tier_id) {
      const row = lockedTiers.find((r) => r.id === newTierId)!;
      if (row.quantity_limit !== null && row.claimed_count >= row.quantity_limit) {
        return refuseField(409, "tier", t("backer:refusal.soldOut"));
      }
    }
    const room = await lockAddOnCapacity(trx, { lines: price.addOnLines, pledgeId });
    if (!room.ok) return refuseField(409, addOnField(room.addOnId), addOnShortfallMessage(room, t));
    const next = {
      tier_id: newTierId,
      base_amount: price.baseAmount,
      shipping_amount: price.shippingAmount,
      shipping_destination: price.destination,
      add_ons_amount: price.addOnsAmount,
      add_on_lines: price.addOnLines,
    };
    const upFront = pledge.collection === "immediate";
    if (upFront && reduction < 0) {
      // A raise applies once the difference is paid.
      return { ok: true, raise: await openRaise(trx, { pledge, next, now }), refundIds: [], refunded: 0, message: "" };
    }
    // A raise still waiting for its payment would undo this change when paid: it is replaced.
    const replacedSessions = upFront
      ? await closeOpenRaises(trx, { pledgeId, note: "Replaced by a newer change" })
      : [];
    let refundIds: string[] = [];
    if (upFront && reduction > 0) {
      refundIds = await openPaymentRefunds(trx, {
        pledgeId,
        currency: pledge.currency,
        purpose: "pledge_lowered",
        reason: "Pledge lowered by the backer",
        requestedBy: backerId,
        keyPrefix: `colecta-pledge-lowered-${randomUUID()}`,
        shares: allocateRefund(await paymentsOf(trx, pledgeId), reduction),
      });
    }
    const refundText = formatMoney(reduction, pledge.currency);
    await amendPledge(trx, {
      pledge,
      next,
      actorId: backerId,
      reason: refundIds.length > 0 ? `Pledge lowered: the ${refundText} difference is refunded` : "Pledge changed",
    });
    await queueEmails(trx, [
      {
        kind: "pledge_changed",
        toEmail: pledge.email,
        toUserId: backerId,
        ...writeEmail(pledgeChangedEmail, recipientLocale(pledge.locale, locale), {
          backerName: pledge.name,
          campaignTitle: pledge.title,
          amount: price.amount,
          currency: pledge.currency,
          rewardTitle: tier ? tier.title : null,
          refunding: refundIds.length > 0 ? reduction : null,
          manageUrl: `/me/pledges/${pledgeId}`,
        }),
      },
    ]);
    const total = formatMoney(price.amount, pledge.currency, { locale });
    return {
      ok: true,
      refundIds,
      replacedSessions,
      refunded: refundIds.length > 0 ? reduction : 0,
      message:
        refundIds.length > 0
          ? t("backer:result.changedRefund", { total, refund: formatMoney(reduction, pledge.currency, { locale }) })
          : t("backer:result.changed", { total }),
    };
  });
  if (!decided.ok) return decided;
  if (decided.raise) {
    await expireSessions(stripe, decided.raise.replacedSessions);
    const opened = await openRaiseCheckout(db, stripe, { changeId: decided.raise.changeId, appUrl, locale });
    if (!opened.ok) return refuse(503, t("backer:refusal.providerDown"));
    return { ok: true, message: t("backer:result.payDifference"), checkoutUrl: opened.url };
  }
  await expireSessions(stripe, decided.replacedSessions ?? []);
  // Sent now; one Stripe could not take is retried in the background with the same key.
  await sendPaymentRefunds(db, stripe, decided.refundIds);
  return { ok: true, message: decided.message, refunded: decided.refunded };
}

/**
 * Cancels an active pledge before the deadline: a saved card is simply released; every payment
 * of a pledge paid up front is refunded. The refunds are written with the cancellation, before
 * Stripe is called, so a crash or an unreachable Stripe only delays them.
 */
export async function cancelPledge(
  db: Db,
  stripe: Stripe,
  {
    pledgeId,
    backerId,
    locale,
    t = english,
  }: {
    pledgeId: string;
    backerId: string;
    /** The request's language, for the email when the backer saved none. */
    locale?: Locale;
    /** The request's translate function, for refusals and the result message. */
    t?: Translate;
  },
): Promise<ManageResult> {
  const now = new Date();
  type Decided =
    Refusal | { ok: true; refundIds: string[]; replacedSessions: string[]; refunded: number; currency: CurrencyCode };
  const decided = await db.transaction().execute(async (trx): Promise<Decided> => {
    const locked = await lockOpenPledge(trx, pledgeId, backerId, now, t);
    if (!locked.ok) return locked;
    const { pledge } = locked;
    if (
      lastDayRuleBlocks({
        now,
        deadline: pledge.deadline!,
        goal: pledge.goal_amount,
        pledged: pledge.pledged_amount,
        reduction: pledge.amount,
      })
    ) {
      return refuse(409, t("backer:refusal.lastDayCancel"));
    }
    const shares =
      pledge.collection === "immediate"
        ? (await paymentsOf(trx, pledgeId))
            .filter((p) => p.remaining > 0)
            .map((p) => ({ paymentIntentId: p.paymentIntentId, amount: p.remaining }))
        : [];
    const refundIds = await openPaymentRefunds(trx, {
      pledgeId,
      currency: pledge.currency,
      purpose: "pledge_cancelled",
      reason: "Cancelled by the backer",
      requestedBy: backerId,
      keyPrefix: `colecta-pledge-cancel-refund-${pledgeId}`,
      shares,
    });
    const refunded = shares.reduce((n, p) => n + p.amount, 0);
    const replacedSessions = await closeOpenRaises(trx, { pledgeId, note: "The pledge was cancelled" });
    await transitionPledge(trx, {
      pledgeId,
      to: "cancelled",
      actorId: backerId,
      reason: "Cancelled by the backer",
      detail: refundIds.length ? { refunds: refundIds, refunded } : {},
    });
    await queueEmails(trx, [
      {
        kind: "pledge_cancelled",
        toEmail: pledge.email,
        toUserId: backerId,
        dedupeKey: `pledge-cancelled-${pledgeId}`,
        ...writeEmail(pledgeCancelledEmail, recipientLocale(pledge.locale, locale), {
          backerName: pledge.name,
          campaignTitle: pledge.title,
          amount: pledge.amount,
          refunded,
          currency: pledge.currency,
        }),
      },
    ]);
    return { ok: true, refundIds, replacedSessions, refunded, currency: pledge.currency };
  });
  if (!decided.ok) return decided;
  await expireSessions(stripe, decided.replacedSessions);
  await sendPaymentRefunds(db, stripe, decided.refundIds);
  return {
    ok: true,
    message:
      decided.refunded > 0
        ? t("backer:result.cancelledRefund", { amount: formatMoney(decided.refunded, decided.currency, { locale }) })
        : t("backer:result.cancelled"),
  };
}

/** Opens a setup-mode Checkout Session to replace the pledge's saved card. */
export async function startCardUpdate(
  db: Db,
  stripe: Stripe,
  {
    pledgeId,
    backerId,
    appUrl,
    locale,
    t = english,
  }: {
    pledgeId: string;
    backerId: string;
    appUrl: string;
    /** The request's language: Stripe's page speaks it. */
    locale?: Locale;
    /** The request's translate function, for refusals. */
    t?: Translate;
  },
): Promise<{ ok: true; url: string } | Refusal> {
  const pledge = await ownPledgeQuery(db, { pledgeId, backerId })
    .select([
      "pledges.id",
      "pledges.state",
      "pledges.stripe_customer_id",
      "pledges.currency",
      "campaigns.title",
      "campaigns.collection",
    ])
    .executeTakeFirst();
  if (!pledge) return refuse(404, t("backer:refusal.notFound"));
  if (pledge.state !== "active" || !pledge.stripe_customer_id) return refuse(409, t("backer:refusal.cardNotActive"));
  const session = await stripe.checkout.sessions.create({
    mode: "setup",
    ...(locale ? { locale } : {}),
    currency: pledge.currency,
    allowed_payment_method_types: ["card"],
    customer: pledge.stripe_customer_id,
    metadata: { pledge_id: pledgeId, purpose: "card_update" },
    client_reference_id: pledgeId,
    success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${appUrl}/me/pledges/${pledgeId}`,
  });
  await db.updateTable("pledges").set({ card_update_session_id: session.id }).where("id", "=", pledgeId).execute();
  return { ok: true, url: session.url! };
}

/**
 * pricePledge's refusal in the reader's language (it words its own in English): the field says
 * which rule failed, and the amount already read tells a minimum from the maximum.
 */
function priceRefusal(
  price: Extract<PledgePrice, { ok: false }>,
  {
    tier,
    currency,
    amount,
    locale,
    t,
  }: { tier: PricedTier | null; currency: CurrencyCode; amount: number; locale?: Locale; t: Translate },
): string {
  const money = (value: number) => formatMoney(value, currency, { locale });
  if (price.field === "destination") return t("backer:refusal.destination");
  if (price.field !== "amount") return price.message;
  if (tier && amount < tier.minimum_amount)
    return t("backer:refusal.tierMinimum", { title: tier.title, minimum: money(tier.minimum_amount) });
  if (!tier && amount < NO_REWARD_MINIMUM)
    return t("backer:refusal.noRewardMinimum", { minimum: money(NO_REWARD_MINIMUM) });
  return t("backer:refusal.maxPledge", { max: money(maxAmount(currency)) });
}
