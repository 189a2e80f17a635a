import { sql } from "kysely";
import type { Db } from "../../db/schema.js";
import { isUuid } from "../domain/ids";
import type { PledgeStateTally } from "../domain/settlement";
import { shippingRatesOf } from "./campaign-tiers.server";

/** The backer's pledges joined with their campaigns. */
function backerPledgesQuery(db: Db, { backerId }: { backerId: string }) {
  return db
    .selectFrom("pledges")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .where("pledges.backer_id", "=", backerId);
}

/** The backer's own pledge joined with its campaign; ownership is in the query, so another backer's id finds nothing. */
export function ownPledgeQuery(db: Db, { pledgeId, backerId }: { pledgeId: string; backerId: string }) {
  return backerPledgesQuery(db, { backerId }).where("pledges.id", "=", pledgeId);
}

/** A pledge joined with its backer and campaign: what a backer's notice is written from. */
export function pledgeWithBackerQuery(db: Db, { pledgeId }: { pledgeId: string }) {
  return db
    .selectFrom("pledges")
    .innerJoin("users", "users.id", "pledges.backer_id")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .where("pledges.id", "=", pledgeId);
}

/** A campaign's pledges (the deadline's, or the late ones) counted and summed by state, in one aggregate query. */
export async function pledgeStateTallies(
  db: Db,
  { campaignId, late = false }: { campaignId: string; late?: boolean },
): Promise<PledgeStateTally[]> {
  const rows = await db
    .selectFrom("pledges")
    .select([
      "state",
      sql<number>`count(*)::int`.as("count"),
      sql<number>`coalesce(sum(amount), 0)::bigint`.as("amount"),
    ])
    .where("campaign_id", "=", campaignId)
    .where("late", "=", late)
    .groupBy("state")
    .execute();
  return rows.map((r) => ({ state: r.state, count: Number(r.count), amount: Number(r.amount) }));
}

/** A live campaign's pledge terms and its visible tiers with shipping, in two queries. */
export async function getPledgeableCampaign(db: Db, { slug }: { slug: string }) {
  const campaign = await db
    .selectFrom("campaigns")
    .innerJoin("users", "users.id", "campaigns.creator_id")
    .select([
      "campaigns.id",
      "campaigns.slug",
      "campaigns.title",
      "campaigns.state",
      "campaigns.creator_id",
      "campaigns.currency",
      "campaigns.goal_amount",
      "campaigns.pledged_amount",
      "campaigns.deadline",
      "campaigns.funding_model",
      "campaigns.collection",
      "campaigns.late_pledges_until",
      "users.name as creator_name",
    ])
    .where("campaigns.slug", "=", slug)
    .where("campaigns.state", "not in", ["draft", "deleted"])
    .executeTakeFirst();
  if (!campaign) return undefined;
  const tiers = await db
    .selectFrom("tiers")
    .select([
      "id",
      "title",
      "description",
      "minimum_amount",
      "quantity_limit",
      "claimed_count",
      "estimated_delivery",
      "ships",
      "hidden",
      "late_price",
      "late_limit",
      "late_claimed_count",
    ])
    .where("campaign_id", "=", campaign.id)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  const rates = tiers.length ? await shippingRatesOf(db, { tierIds: tiers.map((t) => t.id) }) : [];
  return {
    ...campaign,
    tiers: tiers.map((t) => ({
      ...t,
      late_price: t.late_price === null ? null : Number(t.late_price),
      shipping: rates.filter((r) => r.tier_id === t.id).map(({ destination, amount }) => ({ destination, amount })),
    })),
  };
}

/**
 * The visible tiers a pledge of this campaign may move to, with their shipping rates, in one
 * query (the pledge page asks for them on every view while the pledge can change).
 */
export async function changeableTiersOf(db: Db, { campaignId }: { campaignId: string }) {
  const result = await sql<{
    id: string;
    title: string;
    minimum_amount: number;
    quantity_limit: number | null;
    claimed_count: number;
    shipping: { destination: string; amount: number }[];
  }>`
    select t.id, t.title, t.minimum_amount, t.quantity_limit, t.claimed_count,
      coalesce(
        (select json_agg(json_build_object('destination', s.destination, 'amount', s.amount) order by s.amount, s.destination)
         from tier_shipping_rates s where s.tier_id = t.id),
        '[]'::json) as shipping
    from tiers t
    where t.campaign_id = ${campaignId} and not t.hidden
    order by t.position, t.created_at`.execute(db);
  return result.rows.map((t) => ({ ...t, shipping: t.shipping.map((r) => ({ ...r, amount: Number(r.amount) })) }));
}

/** The backer's own pledge (ownership is part of the query), with its campaign and tier. */
export async function getPledgeForBacker(db: Db, { pledgeId, backerId }: { pledgeId: string; backerId: string }) {
  if (!isUuid(pledgeId)) return undefined;
  return ownPledgeQuery(db, { pledgeId, backerId })
    .leftJoin("tiers", "tiers.id", "pledges.tier_id")
    .select([
      "pledges.id",
      "pledges.state",
      "pledges.amount",
      "pledges.base_amount",
      "pledges.shipping_amount",
      "pledges.currency",
      "pledges.shipping_destination",
      "pledges.tier_id",
      "pledges.created_at",
      "pledges.activated_at",
      "pledges.checkout_url",
      "pledges.checkout_session_id",
      "pledges.checkout_expires_at",
      "pledges.card_brand",
      "pledges.card_last4",
      "pledges.stripe_payment_intent_id",
      "campaigns.id as campaign_id",
      "campaigns.slug as campaign_slug",
      "campaigns.title as campaign_title",
      "campaigns.state as campaign_state",
      "campaigns.deadline",
      "campaigns.goal_amount",
      "campaigns.pledged_amount",
      "campaigns.funding_model",
      "campaigns.collection",
      "tiers.title as tier_title",
    ])
    .executeTakeFirst();
}

export async function listPledgesForBacker(db: Db, { backerId }: { backerId: string }) {
  return backerPledgesQuery(db, { backerId })
    .leftJoin("tiers", "tiers.id", "pledges.tier_id")
    .select([
      "pledges.id",
      "pledges.state",
      "pledges.amount",
      "pledges.currency",
      "pledges.created_at",
      "pledges.checkout_url",
      "campaigns.slug as campaign_slug",
      "campaigns.title as campaign_title",
      "campaigns.state as campaign_state",
      "campaigns.deadline",
      "campaigns.funding_model",
      "campaigns.collection",
      "tiers.title as tier_title",
    ])
    .orderBy("pledges.created_at", "desc")
    .limit(200)
    .execute();
}

export async function getPledgeHistory(db: Db, { pledgeId }: { pledgeId: string }) {
  return db
    .selectFrom("pledge_transitions")
    .select(["id", "from_state", "to_state", "reason", "detail", "at"])
    .where("pledge_id", "=", pledgeId)
    .orderBy("id")
    .execute();
}

/** The backer's current pledge on a campaign (one that is not abandoned or cancelled). */
export async function findOpenPledge(db: Db, { campaignId, backerId }: { campaignId: string; backerId: string }) {
  return db
    .selectFrom("pledges")
    .select(["id", "state", "checkout_url", "checkout_expires_at", "checkout_session_id"])
    .where("campaign_id", "=", campaignId)
    .where("backer_id", "=", backerId)
    .where("state", "not in", ["abandoned", "cancelled"])
    .executeTakeFirst();
}
