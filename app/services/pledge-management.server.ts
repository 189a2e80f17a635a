import type { Kysely, Transaction } from "kysely";
import type Stripe from "stripe";
import type { Database } from "../../db/schema.js";
import { formatMoney } from "../domain/money";
import { lastDayRuleBlocks, NO_REWARD, pricePledge, type PledgeForm } from "../domain/pledge-rules";
import { queueEmails } from "../models/outbox.server";
import { getPledgeableCampaign } from "../models/pledge.server";
import { amendPledge, transitionPledge } from "../models/pledge-state.server";

type Db = Kysely<Database>;

export type ManageResult = { ok: true; message: string } | { ok: false; status: 400 | 404 | 409 | 503; field?: "tier" | "amount" | "destination"; message: string };

async function lockOwnPledge(trx: Db | Transaction<Database>, pledgeId: string, backerId: string) {
  return trx
    .selectFrom("pledges")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .innerJoin("users", "users.id", "pledges.backer_id")
    .select([
      "pledges.id", "pledges.state", "pledges.campaign_id", "pledges.tier_id", "pledges.amount", "pledges.base_amount", "pledges.shipping_amount",
      "pledges.shipping_destination", "pledges.currency", "pledges.stripe_payment_intent_id", "pledges.stripe_customer_id",
      "campaigns.slug", "campaigns.title", "campaigns.state as campaign_state", "campaigns.deadline", "campaigns.goal_amount",
      "campaigns.pledged_amount", "campaigns.collection", "users.email", "users.name",
    ])
    .where("pledges.id", "=", pledgeId)
    .where("pledges.backer_id", "=", backerId)
    .forUpdate(["pledges"])
    .executeTakeFirst();
}

function stillOpen(p: { state: string; campaign_state: string; deadline: Date | null }, now: Date): string | null {
  if (p.state !== "active") return "Only an active pledge can be changed or cancelled.";
  if (p.campaign_state !== "live" || !p.deadline || p.deadline <= now) return "This campaign has ended; its pledges can no longer be changed.";
  return null;
}

/**
 * Changes tier, amount or shipping of an active pledge before the deadline. Saved cards need
 * nothing new (at_deadline); a pledge paid up front cannot be re-priced here yet.
 */
export async function changePledge(db: Db, { pledgeId, backerId, form }: { pledgeId: string; backerId: string; form: PledgeForm }): Promise<ManageResult> {
  const now = new Date();
  const head = await db.selectFrom("pledges").innerJoin("campaigns", "campaigns.id", "pledges.campaign_id").select(["campaigns.slug"]).where("pledges.id", "=", pledgeId).where("pledges.backer_id", "=", backerId).executeTakeFirst();
  if (!head) return { ok: false, status: 404, message: "Pledge not found." };
  const campaign = await getPledgeableCampaign(db, { slug: head.slug });
  if (!campaign) return { ok: false, status: 404, message: "Pledge not found." };
  const tier = form.tier === NO_REWARD ? null : campaign.tiers.find((t) => t.id === form.tier);
  if (form.tier !== NO_REWARD && (!tier || tier.hidden)) return { ok: false, status: 400, field: "tier", message: "That reward is no longer available." };
  const price = pricePledge({ currency: campaign.currency, tier: tier ?? null, amountInput: form.amount, destination: form.destination });
  if (!price.ok) return { ok: false, status: 400, field: price.field, message: price.message };

  return db.transaction().execute(async (trx) => {
    const pledge = await lockOwnPledge(trx, pledgeId, backerId);
    if (!pledge) return { ok: false as const, status: 404 as const, message: "Pledge not found." };
    const closed = stillOpen(pledge, now);
    if (closed) return { ok: false as const, status: 409 as const, message: closed };
    if (pledge.collection === "immediate" && price.amount !== pledge.amount) {
      return { ok: false as const, status: 409 as const, message: "This pledge was paid up front, so its amount can't be changed here. Cancel it (you'll be refunded) and pledge again." };
    }
    const reduction = pledge.amount - price.amount;
    if (lastDayRuleBlocks({ now, deadline: pledge.deadline!, goal: pledge.goal_amount, pledged: pledge.pledged_amount, reduction })) {
      return { ok: false as const, status: 409 as const, field: "amount" as const, message: "In the last 24 hours you can't lower a pledge if that would take this funded project back under its goal." };
    }
    const newTierId = tier?.id ?? null;
    if (newTierId && newTierId !== pledge.tier_id) {
      const row = await trx.selectFrom("tiers").select(["quantity_limit", "claimed_count"]).where("id", "=", newTierId).forUpdate().executeTakeFirstOrThrow();
      if (row.quantity_limit !== null && row.claimed_count >= row.quantity_limit) {
        return { ok: false as const, status: 409 as const, field: "tier" as const, message: "That reward is sold out." };
      }
    }
    await amendPledge(trx, {
      pledge,
      next: { tier_id: newTierId, base_amount: price.baseAmount, shipping_amount: price.shippingAmount, shipping_destination: price.destination },
      actorId: backerId,
    });
    await queueEmails(trx, [
      {
        kind: "pledge_changed",
        toEmail: pledge.email,
        toUserId: backerId,
        subject: `Your pledge to ${pledge.title} was changed`,
        bodyText: `Hi ${pledge.name},\n\nYour pledge to ${pledge.title} is now ${formatMoney(price.amount, pledge.currency)}${tier ? ` for "${tier.title}"` : " (no reward)"}.\n\nManage your pledge: /me/pledges/${pledgeId}\n`,
      },
    ]);
    return { ok: true as const, message: `Your pledge is now ${formatMoney(price.amount, pledge.currency)}.` };
  });
}

/**
 * Cancels an active pledge before the deadline: a saved card is simply released; a pledge paid
 * up front is refunded first (idempotently, so a retry after a crash refunds once).
 */
export async function cancelPledge(db: Db, stripe: Stripe, { pledgeId, backerId }: { pledgeId: string; backerId: string }): Promise<ManageResult> {
  const now = new Date();
  const pre = await db.transaction().execute(async (trx) => lockOwnPledge(trx, pledgeId, backerId));
  if (!pre) return { ok: false, status: 404, message: "Pledge not found." };
  const closed = stillOpen(pre, now);
  if (closed) return { ok: false, status: 409, message: closed };
  if (lastDayRuleBlocks({ now, deadline: pre.deadline!, goal: pre.goal_amount, pledged: pre.pledged_amount, reduction: pre.amount })) {
    return { ok: false, status: 409, message: "In the last 24 hours you can't cancel a pledge if that would take this funded project back under its goal." };
  }
  let refundId: string | null = null;
  if (pre.collection === "immediate" && pre.stripe_payment_intent_id) {
    try {
      const refund = await stripe.refunds.create(
        { payment_intent: pre.stripe_payment_intent_id, metadata: { pledge_id: pledgeId, reason: "backer_cancelled" } },
        { idempotencyKey: `colecta-pledge-cancel-refund-${pledgeId}` },
      );
      refundId = refund.id;
    } catch (error) {
      console.warn(`[pledge ${pledgeId}] refund on cancel failed: ${(error as Error).message}`);
      return { ok: false, status: 503, message: "We couldn't reach our payment provider to refund you. Nothing changed; please try again shortly." };
    }
  }
  return db.transaction().execute(async (trx) => {
    const pledge = await lockOwnPledge(trx, pledgeId, backerId);
    if (!pledge || pledge.state !== "active") return { ok: true as const, message: "Your pledge is cancelled." };
    await transitionPledge(trx, { pledgeId, to: "cancelled", actorId: backerId, reason: "Cancelled by the backer", detail: refundId ? { refund: refundId } : {} });
    await queueEmails(trx, [
      {
        kind: "pledge_cancelled",
        toEmail: pledge.email,
        toUserId: backerId,
        dedupeKey: `pledge-cancelled-${pledgeId}`,
        subject: `Your pledge to ${pledge.title} is cancelled`,
        bodyText: `Hi ${pledge.name},\n\nYour pledge of ${formatMoney(pledge.amount, pledge.currency)} to ${pledge.title} is cancelled. ${
          refundId ? "Your payment has been refunded; it may take 5-10 days to appear." : "Your card will not be charged."
        }\n`,
      },
    ]);
    return { ok: true as const, message: refundId ? "Your pledge is cancelled and your payment refunded." : "Your pledge is cancelled. Your card will not be charged." };
  });
}

/** Opens a setup-mode Checkout Session to replace the pledge's saved card. */
export async function startCardUpdate(db: Db, stripe: Stripe, { pledgeId, backerId, appUrl }: { pledgeId: string; backerId: string; appUrl: string }) {
  const pledge = await db
    .selectFrom("pledges")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .select(["pledges.id", "pledges.state", "pledges.stripe_customer_id", "pledges.currency", "campaigns.title", "campaigns.collection"])
    .where("pledges.id", "=", pledgeId)
    .where("pledges.backer_id", "=", backerId)
    .executeTakeFirst();
  if (!pledge) return { ok: false as const, status: 404 as const, message: "Pledge not found." };
  if (pledge.state !== "active" || !pledge.stripe_customer_id) return { ok: false as const, status: 409 as const, message: "Only an active pledge's card can be updated." };
  const session = await stripe.checkout.sessions.create({
    mode: "setup",
    currency: pledge.currency,
    allowed_payment_method_types: ["card"],
    customer: pledge.stripe_customer_id,
    metadata: { pledge_id: pledgeId, purpose: "card_update" },
    client_reference_id: pledgeId,
    success_url: `${appUrl}/pledges/${pledgeId}/return?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${appUrl}/me/pledges/${pledgeId}`,
  });
  await db.updateTable("pledges").set({ card_update_session_id: session.id }).where("id", "=", pledgeId).execute();
  return { ok: true as const, url: session.url! };
}
