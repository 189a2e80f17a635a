import { sql } from "kysely";
import type { Db } from "../../../db/schema.js";
import { getConfig } from "../../config.server";
import { ensureFulfilments } from "../../models/fulfilment-state.server";
import { anonymiseExpiredAddresses } from "../../models/fulfilment.server";

/** Campaigns with a pledge owed a reward that has no fulfilment row yet (a few per pass). */
async function campaignsMissingFulfilments(db: Db, limit: number) {
  const result = await sql<{ id: string }>`
    select distinct p.campaign_id as id
    from pledges p
    join campaigns c on c.id = p.campaign_id
    -- Through the campaigns' state index, then each campaign's pledges by (campaign_id, state).
    where c.state in ('funded', 'live')
      and p.tier_id is not null
      and (p.state in ('collected', 'partially_refunded') or (c.collection = 'immediate' and p.state = 'active'))
      and not exists (select 1 from fulfilments f where f.pledge_id = p.id)
    limit ${limit}
  `.execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * The background pass's fulfilment part: every pledge owed a reward gets its fulfilment row (so
 * the dashboard and the public record count it before the creator opens the table), and
 * addresses whose reward was confirmed received more than ADDRESS_RETENTION_DAYS ago are
 * anonymised (fields blanked, country kept). Safe to run anywhere, any number of times.
 * Returns how many addresses it anonymised.
 */
export async function fulfilmentHousekeeping(db: Db, { now = new Date() }: { now?: Date } = {}) {
  for (const campaignId of await campaignsMissingFulfilments(db, 20)) await ensureFulfilments(db, campaignId);
  return anonymiseExpiredAddresses(db, { retentionDays: getConfig().ADDRESS_RETENTION_DAYS, now });
}
