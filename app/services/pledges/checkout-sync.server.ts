import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import { queuePledgeConfirmed } from "./confirmation.server";
import { CHECKOUT_TTL_SECONDS } from "../../domain/pledge-rules";
import { recordPledgePayment } from "../../models/pledge-payments.server";
import { pledgeWithBackerQuery } from "../../models/pledge.server";
import { transitionPledge } from "../../models/pledge-state.server";
import { syncFixPaymentSession } from "../settlement/fix-payment.server";
import { releaseUnstartedCheckout } from "./checkout.server";
import { syncLatePledgeSession } from "./late-pledge.server";
import { syncChangeSession, type ChangeOutcome } from "./up-front-changes.server";

// Reading a Checkout Session back from Stripe and bringing its pledge in line (activated with the
// saved card, or abandoned), from the webhook, the return URL or the sweep of stale checkouts.
// The session may also be a card update, a fix-payment or a raise: each goes to its owner.

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
  // A pledge made after a funded deadline, paid at once (late-pledge.server.ts).
  if (session.metadata?.purpose === "late_pledge") return syncLatePledgeSession(db, stripe, session);
  const card = savedCard(session);

  return db.transaction().execute(async (trx) => {
    const pledge = await pledgeWithBackerQuery(trx, { pledgeId })
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
        "users.locale",
        "campaigns.title",
        "campaigns.slug",
        "campaigns.collection",
      ])
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
      await queuePledgeConfirmed(trx, {
        pledgeId,
        session,
        backer: { id: pledge.user_id, email: pledge.email, name: pledge.name, locale: pledge.locale },
        pledge: { campaignTitle: pledge.title, amount: pledge.amount, currency: pledge.currency },
        timing: pledge.collection,
      });
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

/** Stripe's answer for an id it has no object for (404 resource_missing). */
function isResourceMissing(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string } | null;
  return e?.statusCode === 404 && e.code === "resource_missing";
}

/**
 * A session Stripe does not know (its state was lost, or the id never existed there): nobody can
 * pay through it, so a pledge still waiting on it is abandoned like an expired one, and its slot
 * goes back. A pledge that moved on meanwhile is left alone.
 */
async function abandonUnknownSession(db: Db, pledgeId: string, sessionId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const pledge = await trx
      .selectFrom("pledges")
      .select(["state", "checkout_session_id"])
      .where("id", "=", pledgeId)
      .forUpdate()
      .executeTakeFirst();
    if (pledge?.state !== "checkout" || pledge.checkout_session_id !== sessionId) return;
    await transitionPledge(trx, {
      pledgeId,
      to: "abandoned",
      actorId: null,
      reason: "Checkout session unknown to Stripe",
      detail: { checkout_session: sessionId },
    });
  });
}

/**
 * A lost webhook only delays: pledges still in checkout after their session's expiry are
 * re-checked against Stripe (completed -> active, expired or unknown to Stripe -> abandoned).
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
      try {
        outcomes.push((await syncCheckoutSession(db, stripe, pledge.checkout_session_id)).outcome);
      } catch (error) {
        // Any other failure (Stripe unreachable...) ends this pass; the next one retries.
        if (!isResourceMissing(error)) throw error;
        await abandonUnknownSession(db, pledge.id, pledge.checkout_session_id);
        outcomes.push("abandoned");
      }
    } else {
      await releaseUnstartedCheckout(db, pledge.id);
      outcomes.push("abandoned");
    }
  }
  return outcomes;
}
