import type Stripe from "stripe";
import type { AddOnLine, CurrencyCode, Db, Trx } from "../../../db/schema.js";
import {
  changeRefusedEmail,
  pledgeRaisedEmail,
  raiseRefusalText,
  recipientLocale,
  type RaiseRefusal,
} from "../../domain/emails";
import { isUuid } from "../../domain/ids";
import { DEFAULT_LOCALE, toLocale, type Locale } from "../../domain/locale";
import { formatMoney } from "../../domain/money";
import { CHECKOUT_TTL_SECONDS } from "../../domain/pledge-rules";
import { queueEmails } from "../../models/outbox.server";
import { openPaymentRefunds, recordPledgePayment } from "../../models/pledge-payments.server";
import { pledgeWithBackerQuery } from "../../models/pledge.server";
import { lockAddOnCapacity, lockTiers } from "../../models/pledge-add-ons.server";
import { amendPledge } from "../../models/pledge-state.server";
import { translatorFor } from "../../i18n";
import { writeEmail } from "../emails.server";
import { sendPaymentRefunds } from "./payment-refunds.server";

// Raising a pledge that was paid up front (`immediate` collection): the backer pays the
// difference through a payment-mode Checkout Session first, and the new terms apply when that
// payment is confirmed (from the return URL or the webhook, exactly once). A top-up that can no
// longer be applied (the deadline passed, the pledge was cancelled or changed again, the reward
// sold out) is refunded in full, never kept.

export interface RaiseTerms {
  tier_id: string | null;
  base_amount: number;
  shipping_amount: number;
  shipping_destination: string | null;
  add_ons_amount: number;
  add_on_lines: readonly AddOnLine[];
}

/**
 * Records a raise waiting for its payment, in the caller's transaction (the pledge is locked).
 * A raise still waiting is replaced. Returns the new change and the Checkout Sessions to expire.
 */
export async function openRaise(
  trx: Trx,
  {
    pledge,
    next,
    now = new Date(),
  }: { pledge: { id: string; amount: number; currency: CurrencyCode }; next: RaiseTerms; now?: Date },
): Promise<{ changeId: string; replacedSessions: string[] }> {
  const replacedSessions = await closeOpenRaises(trx, { pledgeId: pledge.id, note: "Replaced by a newer change" });
  const { add_on_lines: lines, ...terms } = next;
  const amount = terms.base_amount + terms.shipping_amount + terms.add_ons_amount;
  const change = await trx
    .insertInto("pledge_changes")
    .values({
      pledge_id: pledge.id,
      from_amount: pledge.amount,
      ...terms,
      add_ons: JSON.stringify(lines),
      amount,
      difference: amount - pledge.amount,
      currency: pledge.currency,
      expires_at: new Date(now.getTime() + CHECKOUT_TTL_SECONDS * 1000),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { changeId: change.id, replacedSessions };
}

/** Marks the pledge's waiting raise (if any) as expired; returns its session to expire at Stripe. */
export async function closeOpenRaises(
  trx: Trx,
  { pledgeId, note }: { pledgeId: string; note: string },
): Promise<string[]> {
  const closed = await trx
    .updateTable("pledge_changes")
    .set({ status: "expired", note, finished_at: new Date() })
    .where("pledge_id", "=", pledgeId)
    .where("status", "=", "open")
    .returning("checkout_session_id")
    .execute();
  return closed.map((c) => c.checkout_session_id).filter((id): id is string => id !== null);
}

/** Best effort: a replaced raise's session can no longer be paid. If it was paid anyway, it is refunded. */
export async function expireSessions(stripe: Stripe, sessionIds: string[]) {
  for (const id of sessionIds) await stripe.checkout.sessions.expire(id).catch(() => undefined);
}

/** Opens the Checkout Session for a raise's difference (idempotent per change). */
export async function openRaiseCheckout(
  db: Db,
  stripe: Stripe,
  { changeId, appUrl, locale }: { changeId: string; appUrl: string; locale?: Locale },
): Promise<{ ok: true; url: string } | { ok: false }> {
  const change = await db
    .selectFrom("pledge_changes")
    .innerJoin("pledges", "pledges.id", "pledge_changes.pledge_id")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .select([
      "pledge_changes.id",
      "pledge_changes.pledge_id",
      "pledge_changes.difference",
      "pledge_changes.amount",
      "pledge_changes.currency",
      "pledge_changes.created_at",
      "pledges.stripe_customer_id",
      "campaigns.title",
    ])
    .where("pledge_changes.id", "=", changeId)
    .executeTakeFirstOrThrow();
  const metadata = { pledge_id: change.pledge_id, purpose: "change", change_id: change.id };
  const description = `Raise of your pledge to ${change.title} (new total ${formatMoney(change.amount, change.currency)})`;
  // The line item is what the backer reads on Stripe's page: in their language.
  const pageLocale = locale ?? DEFAULT_LOCALE;
  const name = translatorFor(pageLocale)("emails:checkout.raise", {
    campaign: change.title,
    amount: formatMoney(change.amount, change.currency, { locale: pageLocale }),
  });
  try {
    const session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        // The page's language; read back with the session, it also words the emails that follow.
        ...(locale ? { locale } : {}),
        ...(change.stripe_customer_id ? { customer: change.stripe_customer_id } : {}),
        client_reference_id: change.pledge_id,
        metadata,
        allowed_payment_method_types: ["card"],
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: change.currency,
              unit_amount: change.difference,
              product_data: { name },
            },
          },
        ],
        payment_intent_data: { metadata, description },
        expires_at: Math.floor(change.created_at.getTime() / 1000) + CHECKOUT_TTL_SECONDS,
        success_url: `${appUrl}/pledges/${change.pledge_id}/return?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${appUrl}/me/pledges/${change.pledge_id}?raise=cancelled`,
      },
      { idempotencyKey: `colecta-pledge-change-${change.id}` },
    );
    await db
      .updateTable("pledge_changes")
      .set({ checkout_session_id: session.id, checkout_url: session.url })
      .where("id", "=", change.id)
      .execute();
    return { ok: true, url: session.url! };
  } catch (error) {
    console.warn(
      `[pledge ${change.pledge_id}] could not open the raise's Checkout Session: ${(error as Error).message}`,
    );
    await db
      .updateTable("pledge_changes")
      .set({ status: "expired", note: "Checkout could not be started", finished_at: new Date() })
      .where("id", "=", change.id)
      .where("status", "=", "open")
      .execute();
    return { ok: false };
  }
}

export type ChangeOutcome = "change_applied" | "change_refused" | "open" | "expired" | "unknown";

/**
 * Brings a raise in line with its Checkout Session (read back from Stripe by the caller): paid
 * -> the new terms apply and the top-up becomes one of the pledge's payments; paid but no
 * longer applicable -> refunded in full; expired -> closed. Safe to repeat.
 */
export async function syncChangeSession(
  db: Db,
  stripe: Stripe,
  session: Stripe.Checkout.Session,
): Promise<{ outcome: ChangeOutcome; pledgeId?: string }> {
  const changeId = session.metadata?.change_id ?? "";
  const pledgeId = session.metadata?.pledge_id ?? "";
  if (!isUuid(changeId) || !isUuid(pledgeId)) return { outcome: "unknown" };
  const paymentIntent = typeof session.payment_intent === "object" ? session.payment_intent : null;
  const now = new Date();

  const result = await db.transaction().execute(async (trx) => {
    const pledge = await pledgeWithBackerQuery(trx, { pledgeId })
      .select([
        "pledges.id",
        "pledges.campaign_id",
        "pledges.state",
        "pledges.tier_id",
        "pledges.amount",
        "pledges.base_amount",
        "pledges.shipping_amount",
        "pledges.shipping_destination",
        "pledges.currency",
        "campaigns.title",
        "campaigns.state as campaign_state",
        "campaigns.deadline",
        "users.id as backer_id",
        "users.email",
        "users.name",
        "users.locale",
      ])
      .forUpdate(["pledges"])
      .executeTakeFirst();
    const change = await trx
      .selectFrom("pledge_changes")
      .selectAll()
      .where("id", "=", changeId)
      .where("pledge_id", "=", pledgeId)
      .forUpdate()
      .executeTakeFirst();
    if (!pledge || !change || change.checkout_session_id !== session.id)
      return { outcome: "unknown" as const, refundIds: [] };

    if (session.status === "expired") {
      if (change.status === "open")
        await trx
          .updateTable("pledge_changes")
          .set({ status: "expired", note: "Checkout expired", finished_at: now })
          .where("id", "=", change.id)
          .execute();
      return { outcome: "expired" as const, refundIds: [] };
    }
    if (session.status !== "complete" || !paymentIntent || paymentIntent.status !== "succeeded")
      return { outcome: "open" as const, refundIds: [] };
    if (change.status === "applied") return { outcome: "change_applied" as const, refundIds: [] };
    const paid = paymentIntent.amount_received || paymentIntent.amount;

    // The backer's saved language, else the one they raised the pledge in (the session keeps it).
    const locale = recipientLocale(pledge.locale, toLocale(session.locale));
    const refusalCode =
      change.status !== "open"
        ? change.note === "The pledge was cancelled"
          ? "cancelled"
          : "replaced"
        : await whyNot(trx, { pledge, change, now });
    if (refusalCode) {
      // The history keeps English; the email speaks the backer's language.
      const refusal =
        change.status !== "open" && change.note ? change.note : raiseRefusalText(translatorFor("en"), refusalCode);
      await trx
        .updateTable("pledge_changes")
        .set({ status: "refused", note: refusal, finished_at: now })
        .where("id", "=", change.id)
        .execute();
      const refundIds = await openPaymentRefunds(trx, {
        pledgeId,
        currency: pledge.currency,
        purpose: "change_refused",
        reason: `Raise not applied: ${refusal}`,
        requestedBy: null,
        keyPrefix: `colecta-change-refused-${change.id}`,
        shares: [{ paymentIntentId: paymentIntent.id, amount: paid }],
      });
      if (refundIds.length > 0) {
        await queueEmails(trx, [
          {
            kind: "pledge_change_refunded",
            toEmail: pledge.email,
            toUserId: pledge.backer_id,
            dedupeKey: `pledge-change-refused-${change.id}`,
            ...writeEmail(changeRefusedEmail, locale, {
              backerName: pledge.name,
              campaignTitle: pledge.title,
              paid,
              amount: pledge.amount,
              currency: pledge.currency,
              reason: refusalCode,
              manageUrl: `/me/pledges/${pledgeId}`,
            }),
          },
        ]);
      }
      return { outcome: "change_refused" as const, refundIds };
    }

    await recordPledgePayment(trx, {
      pledgeId,
      paymentIntentId: paymentIntent.id,
      amount: paid,
      currency: pledge.currency,
      purpose: "top_up",
    });
    await amendPledge(trx, {
      pledge,
      next: {
        tier_id: change.tier_id,
        base_amount: change.base_amount,
        shipping_amount: change.shipping_amount,
        shipping_destination: change.shipping_destination,
        add_ons_amount: change.add_ons_amount,
        add_on_lines: change.add_ons,
      },
      actorId: pledge.backer_id,
      reason: `Pledge raised: paid the ${formatMoney(change.difference, pledge.currency)} difference`,
      detail: { payment_intent: paymentIntent.id, change_id: change.id },
    });
    await trx
      .updateTable("pledge_changes")
      .set({ status: "applied", finished_at: now })
      .where("id", "=", change.id)
      .execute();
    await queueEmails(trx, [
      {
        kind: "pledge_changed",
        toEmail: pledge.email,
        toUserId: pledge.backer_id,
        dedupeKey: `pledge-change-applied-${change.id}`,
        ...writeEmail(pledgeRaisedEmail, locale, {
          backerName: pledge.name,
          campaignTitle: pledge.title,
          amount: change.amount,
          difference: change.difference,
          currency: pledge.currency,
          manageUrl: `/me/pledges/${pledgeId}`,
        }),
      },
    ]);
    return { outcome: "change_applied" as const, refundIds: [] };
  });
  if (result.refundIds.length > 0) await sendPaymentRefunds(db, stripe, result.refundIds);
  return { outcome: result.outcome, pledgeId };
}

async function whyNot(
  trx: Trx,
  {
    pledge,
    change,
    now,
  }: {
    pledge: {
      id: string;
      state: string;
      campaign_state: string;
      deadline: Date | null;
      amount: number;
      tier_id: string | null;
    };
    change: { from_amount: number; tier_id: string | null; add_ons: AddOnLine[] };
    now: Date;
  },
): Promise<RaiseRefusal | null> {
  if (pledge.state !== "active") return "inactive";
  if (pledge.campaign_state !== "live" || !pledge.deadline || pledge.deadline <= now) return "ended";
  if (pledge.amount !== change.from_amount) return "changedAgain";
  // Both tiers, then the add-ons, each in id order (as every slot-moving path locks them).
  const tiers = await lockTiers(trx, [pledge.tier_id, change.tier_id]);
  if (change.tier_id && change.tier_id !== pledge.tier_id) {
    const tier = tiers.find((r) => r.id === change.tier_id)!;
    if (tier.hidden) return "rewardUnavailable";
    if (tier.quantity_limit !== null && tier.claimed_count >= tier.quantity_limit) return "soldOut";
  }
  // Add-on units the raise adds must still be there when its payment arrives.
  const room = await lockAddOnCapacity(trx, { lines: change.add_ons, pledgeId: pledge.id });
  if (!room.ok) return room.hidden ? "rewardUnavailable" : "soldOut";
  return null;
}

/** A lost webhook only delays: raises past their session's expiry are re-checked against Stripe. */
export async function reconcileOpenRaises(db: Db, stripe: Stripe, { now = new Date(), limit = 100 } = {}) {
  const stale = await db
    .selectFrom("pledge_changes")
    .select(["id", "checkout_session_id"])
    .where("status", "=", "open")
    .where("expires_at", "<", now)
    .limit(limit)
    .execute();
  const outcomes: ChangeOutcome[] = [];
  for (const change of stale) {
    if (!change.checkout_session_id) {
      await db
        .updateTable("pledge_changes")
        .set({ status: "expired", note: "Checkout never opened", finished_at: now })
        .where("id", "=", change.id)
        .where("status", "=", "open")
        .execute();
      outcomes.push("expired");
      continue;
    }
    const session = await stripe.checkout.sessions.retrieve(change.checkout_session_id, { expand: ["payment_intent"] });
    outcomes.push((await syncChangeSession(db, stripe, session)).outcome);
  }
  return outcomes;
}

/** The raise a backer started and has not paid for yet (shown on the pledge page). */
export async function openRaiseOf(db: Db, pledgeId: string) {
  return db
    .selectFrom("pledge_changes")
    .select(["id", "amount", "difference", "currency", "checkout_url", "expires_at"])
    .where("pledge_id", "=", pledgeId)
    .where("status", "=", "open")
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
}
