import type Stripe from "stripe";
import { randomUUID } from "node:crypto";
import type { CurrencyCode, Db } from "../../../db/schema.js";
import { pledgeCancelledEmail, pledgeChangedEmail, recipientLocale } from "../../domain/emails";
import type { Locale } from "../../domain/locale";
import { formatMoney } from "../../domain/money";
import { lastDayRuleBlocks, NO_REWARD, pricePledge, type PledgeForm } from "../../domain/pledge-rules";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { queueEmails } from "../../models/outbox.server";
import { getPledgeableCampaign, ownPledgeQuery } from "../../models/pledge.server";
import { allocateRefund, openPaymentRefunds, paymentsOf } from "../../models/pledge-payments.server";
import { amendPledge, transitionPledge } from "../../models/pledge-state.server";
import { writeEmail } from "../emails.server";
import { sendPaymentRefunds } from "./payment-refunds.server";
import { closeOpenRaises, expireSessions, openRaise, openRaiseCheckout } from "./up-front-changes.server";

export type ManageResult = { ok: true; message: string; checkoutUrl?: string; refunded?: number } | Refusal;

const PLEDGE_NOT_FOUND = "Pledge not found.";

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

function stillOpen(p: { state: string; campaign_state: string; deadline: Date | null }, now: Date): string | null {
  if (p.state !== "active") return "Only an active pledge can be changed or cancelled.";
  if (p.campaign_state !== "live" || !p.deadline || p.deadline <= now)
    return "This campaign has ended; its pledges can no longer be changed.";
  return null;
}

/** Locks the backer's own pledge if it may still change; otherwise the refusal that says why. */
async function lockOpenPledge(trx: Db, pledgeId: string, backerId: string, now: Date) {
  const pledge = await lockOwnPledge(trx, pledgeId, backerId);
  if (!pledge) return refuse(404, PLEDGE_NOT_FOUND);
  const closed = stillOpen(pledge, now);
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
  }: {
    pledgeId: string;
    backerId: string;
    form: PledgeForm;
    appUrl: string;
    /** The request's language: for the email (unless the backer saved one) and Stripe's page. */
    locale?: Locale;
  },
): Promise<ManageResult> {
  const now = new Date();
  const head = await ownPledgeQuery(db, { pledgeId, backerId }).select(["campaigns.slug"]).executeTakeFirst();
  if (!head) return refuse(404, PLEDGE_NOT_FOUND);
  const campaign = await getPledgeableCampaign(db, { slug: head.slug });
  if (!campaign) return refuse(404, PLEDGE_NOT_FOUND);
  const tier = form.tier === NO_REWARD ? null : campaign.tiers.find((t) => t.id === form.tier);
  if (form.tier !== NO_REWARD && (!tier || tier.hidden))
    return refuseField(400, "tier", "That reward is no longer available.");
  const price = pricePledge({
    currency: campaign.currency,
    tier: tier ?? null,
    amountInput: form.amount,
    destination: form.destination,
  });
  if (!price.ok) return refuseField(400, price.field, price.message);

  type Decided =
    | Refusal
    | {
        ok: true;
        raise?: { changeId: string; replacedSessions: string[] };
        refundIds: string[];
        refunded: number;
        message: string;
      };
  const decided: Decided = await db.transaction().execute(async (trx): Promise<Decided> => {
    const locked = await lockOpenPledge(trx, pledgeId, backerId, now);
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
      return refuseField(
        409,
        "amount",
        "In the last 24 hours you can't lower a pledge if that would take this funded project back under its goal.",
      );
    }
    const newTierId = tier?.id ?? null;
    if (newTierId && newTierId !== pledge.tier_id) {
      const row = await trx
        .selectFrom("tiers")
        .select(["quantity_limit", "claimed_count"])
        .where("id", "=", newTierId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (row.quantity_limit !== null && row.claimed_count >= row.quantity_limit) {
        return refuseField(409, "tier", "That reward is sold out.");
      }
    }
    const next = {
      tier_id: newTierId,
      base_amount: price.baseAmount,
      shipping_amount: price.shippingAmount,
      shipping_destination: price.destination,
    };
    const upFront = pledge.collection === "immediate";
    if (upFront && reduction < 0) {
      // A raise applies once the difference is paid.
      return { ok: true, raise: await openRaise(trx, { pledge, next, now }), refundIds: [], refunded: 0, message: "" };
    }
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
    const total = formatMoney(price.amount, pledge.currency);
    return {
      ok: true,
      refundIds,
      refunded: refundIds.length > 0 ? reduction : 0,
      message:
        refundIds.length > 0
          ? `Your pledge is now ${total}. The ${refundText} difference is refunded to your card.`
          : `Your pledge is now ${total}.`,
    };
  });
  if (!decided.ok) return decided;
  if (decided.raise) {
    await expireSessions(stripe, decided.raise.replacedSessions);
    const opened = await openRaiseCheckout(db, stripe, { changeId: decided.raise.changeId, appUrl, locale });
    if (!opened.ok)
      return refuse(
        503,
        "Our payment provider is not answering right now. Your pledge is unchanged; please try again in a minute.",
      );
    return { ok: true, message: "Pay the difference to confirm the change.", checkoutUrl: opened.url };
  }
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
  }: {
    pledgeId: string;
    backerId: string;
    /** The request's language, for the email when the backer saved none. */
    locale?: Locale;
  },
): Promise<ManageResult> {
  const now = new Date();
  type Decided =
    Refusal | { ok: true; refundIds: string[]; replacedSessions: string[]; refunded: number; currency: CurrencyCode };
  const decided = await db.transaction().execute(async (trx): Promise<Decided> => {
    const locked = await lockOpenPledge(trx, pledgeId, backerId, now);
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
      return refuse(
        409,
        "In the last 24 hours you can't cancel a pledge if that would take this funded project back under its goal.",
      );
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
        ? `Your pledge is cancelled and the ${formatMoney(decided.refunded, decided.currency)} you paid is refunded to your card.`
        : "Your pledge is cancelled. Your card will not be charged.",
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
  }: {
    pledgeId: string;
    backerId: string;
    appUrl: string;
    /** The request's language: Stripe's page speaks it. */
    locale?: Locale;
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
  if (!pledge) return refuse(404, PLEDGE_NOT_FOUND);
  if (pledge.state !== "active" || !pledge.stripe_customer_id)
    return refuse(409, "Only an active pledge's card can be updated.");
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
