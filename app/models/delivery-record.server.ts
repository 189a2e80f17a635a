import { sql } from "kysely";
import type { Db } from "../../db/schema.js";

// The public delivery record of a project and of its creator (all their campaigns): of the
// rewards due (sent, or whose tier's estimated month has ended), how many the backers confirmed
// received, plus shipments older than ASSUMED_RECEIVED_DAYS with no problem open, counted as
// received and said so; and how many arrived by the end of the estimated month. Counts only,
// no one's data. ONE aggregate query (the project page is cached and benchmarked), through the
// indexes on campaigns (creator_id), pledges (campaign_id, state) and fulfilments' primary key.

export const ASSUMED_RECEIVED_DAYS = 60;

export interface DeliveryRecord {
  /** Rewards due: sent, or late (the estimated month ended) and not sent. */
  due: number;
  /** Confirmed by the backer, plus assumed. */
  received: number;
  /** Of `received`, shipments older than 60 days without a problem, counted as received. */
  assumed: number;
  percent: number;
  /** Of the due rewards with an estimated month: the share received by the end of it; null if none. */
  onTimePercent: number | null;
  /** How many campaigns the figures cover. */
  campaigns: number;
}

const EMPTY = { due: 0, received: 0, assumed: 0, on_time: 0, on_time_base: 0, campaigns: 0 };

function toRecord(r: typeof EMPTY): DeliveryRecord | null {
  const n = (v: unknown) => Number(v ?? 0);
  const due = n(r.due);
  if (due === 0) return null;
  const base = n(r.on_time_base);
  return {
    due,
    received: n(r.received),
    assumed: n(r.assumed),
    percent: Math.floor((n(r.received) * 100) / due),
    onTimePercent: base === 0 ? null : Math.floor((n(r.on_time) * 100) / base),
    campaigns: n(r.campaigns),
  };
}

export async function deliveryRecord(
  db: Db,
  { campaignId, creatorId, now = new Date() }: { campaignId: string; creatorId: string; now?: Date },
): Promise<{ campaign: DeliveryRecord | null; creator: DeliveryRecord | null }> {
  const assumedBefore = new Date(now.getTime() - ASSUMED_RECEIVED_DAYS * 86_400_000);
  const result = await sql<Record<string, string>>`
    with rewards as (
      select p.campaign_id,
        f.status in ('shipped', 'delivered', 'received', 'problem') as sent,
        f.status = 'received' as confirmed,
        f.status in ('shipped', 'delivered') and f.shipped_at <= ${assumedBefore} as assumed,
        date_trunc('month', t.estimated_delivery::timestamp) + interval '1 month' as month_end,
        case when f.status = 'received' then f.received_at
             when f.status in ('shipped', 'delivered') then coalesce(f.delivered_at, f.shipped_at) end as arrived_at
      from campaigns c
      join pledges p on p.campaign_id = c.id
      join tiers t on t.id = p.tier_id
      left join fulfilments f on f.pledge_id = p.id
      where c.creator_id = ${creatorId} and c.state <> 'deleted'
        and (p.state in ('collected', 'partially_refunded') or (c.collection = 'immediate' and p.state = 'active'))
    ), due as (
      select *,
        confirmed or (assumed and sent) as counted,
        month_end is not null and (confirmed or assumed) and (arrived_at at time zone 'UTC') < month_end as in_time
      from rewards
      where coalesce(sent, false) or (month_end is not null and month_end <= ${now}::timestamptz at time zone 'UTC')
    )
    select
      count(*) filter (where campaign_id = ${campaignId}) as c_due,
      count(*) filter (where campaign_id = ${campaignId} and counted) as c_received,
      count(*) filter (where campaign_id = ${campaignId} and counted and not confirmed) as c_assumed,
      count(*) filter (where campaign_id = ${campaignId} and in_time) as c_on_time,
      count(*) filter (where campaign_id = ${campaignId} and month_end is not null) as c_on_time_base,
      count(*) as a_due,
      count(*) filter (where counted) as a_received,
      count(*) filter (where counted and not confirmed) as a_assumed,
      count(*) filter (where in_time) as a_on_time,
      count(*) filter (where month_end is not null) as a_on_time_base,
      count(distinct campaign_id) as a_campaigns
    from due
  `.execute(db);
  const r = result.rows[0] ?? {};
  const pick = (prefix: "c" | "a") => ({
    ...EMPTY,
    due: Number(r[`${prefix}_due`] ?? 0),
    received: Number(r[`${prefix}_received`] ?? 0),
    assumed: Number(r[`${prefix}_assumed`] ?? 0),
    on_time: Number(r[`${prefix}_on_time`] ?? 0),
    on_time_base: Number(r[`${prefix}_on_time_base`] ?? 0),
    campaigns: prefix === "c" ? 1 : Number(r.a_campaigns ?? 0),
  });
  return { campaign: toRecord(pick("c")), creator: toRecord(pick("a")) };
}
