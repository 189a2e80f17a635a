import { sql } from "kysely";
import type { Db } from "../../db/schema.js";
import { COUNTED_STATES } from "../domain/pledge-states";
import { addOnSummary } from "./pledge-add-ons.server";

// What a creator sees of a campaign's backing: pledges per day, the latest pledges, and the
// backers export a page at a time.

/** Pledged per UTC day (counted pledges, by activation day): one grouped query, bounded. */
export async function dailyPledgeTotals(db: Db, { campaignId }: { campaignId: string }) {
  const rows = await db
    .selectFrom("pledges")
    .select([
      sql<string>`to_char(activated_at at time zone 'UTC', 'YYYY-MM-DD')`.as("day"),
      (eb) => eb.fn.sum<number>("amount").as("amount"),
      (eb) => eb.fn.countAll<number>().as("pledges"),
    ])
    .where("campaign_id", "=", campaignId)
    .where("state", "in", COUNTED_STATES)
    .where("activated_at", "is not", null)
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .limit(400)
    .execute();
  return rows.map((r) => ({ day: r.day, amount: Number(r.amount), pledges: Number(r.pledges) }));
}

/** A campaign's pledges that got past checkout, with their backer (`u`) and tier (`t`). */
function backings(db: Db, campaignId: string) {
  return db
    .selectFrom("pledges as p")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .leftJoin("tiers as t", "t.id", "p.tier_id")
    .where("p.campaign_id", "=", campaignId)
    .where("p.state", "not in", ["checkout", "abandoned"]);
}

/** The latest pledges, newest first. */
export async function recentPledges(db: Db, { campaignId, limit = 10 }: { campaignId: string; limit?: number }) {
  const rows = await backings(db, campaignId)
    .select([
      "p.id",
      "p.amount",
      "p.state",
      "p.created_at",
      "p.activated_at",
      "u.name as backer_name",
      "t.title as tier_title",
    ])
    .orderBy("p.created_at", "desc")
    .orderBy("p.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/** One page of the backers export, in pledge order (keyset pagination: fast at any size). */
export async function backersPage(
  db: Db,
  { campaignId, after, limit = 1000 }: { campaignId: string; after?: { cursor: string; id: string }; limit?: number },
) {
  let query = backings(db, campaignId)
    .select([
      "p.id",
      "p.amount",
      "p.currency",
      "p.state",
      "p.shipping_destination",
      "u.name",
      "u.email",
      "t.title as tier_title",
      "p.add_ons_amount",
      "p.late",
    ])
    // The add-ons as one cell ("2 × Spare lantern; 1 × Stickers"), in the campaign's order.
    .select(addOnSummary("p.id").as("add_ons"))
    // The cursor keeps the database's microseconds (a JS Date would round them off).
    .select(sql<string>`p.created_at::text`.as("cursor"))
    .orderBy("p.created_at")
    .orderBy("p.id")
    .limit(limit);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("p.created_at", ">", sql<Date>`${after.cursor}::timestamptz`),
        eb.and([eb("p.created_at", "=", sql<Date>`${after.cursor}::timestamptz`), eb("p.id", ">", after.id)]),
      ]),
    );
  }
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, amount: Number(r.amount), add_ons_amount: Number(r.add_ons_amount) }));
}
