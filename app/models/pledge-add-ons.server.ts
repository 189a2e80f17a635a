import { sql } from "kysely";
import type { AddOnLine, Db } from "../../db/schema.js";
import type { AddOnShortfall, PricedAddOn } from "../domain/pledge-rules";

// The add-ons a pledge may carry: what the pledge form offers (visible add-ons with their
// shipping, tiers and what is left), the lines a pledge has, and the capacity check a checkout or
// a change makes under the add-ons' row locks before it claims units. Claimed units themselves
// move with the pledge's state, in pledge-state.server.ts.

/**
 * The campaign's visible add-ons as the pledge form prices them, in one query. For a pledge
 * being changed (`pledgeId`), what it holds stays its own: its units count as left, an add-on
 * withdrawn since is still offered to it (up to what it holds), and a line keeps the unit price
 * it was priced at (a creator's later price change is for new lines).
 */
export async function offeredAddOns(
  db: Db,
  { campaignId, pledgeId }: { campaignId: string; pledgeId?: string },
): Promise<PricedAddOn[]> {
  const own = pledgeId ?? "00000000-0000-0000-0000-000000000000";
  const result = await sql<{
    id: string;
    title: string;
    description: string;
    price: string | number;
    ships: boolean;
    hidden: boolean;
    per_backer_max: number | null;
    quantity_limit: number | null;
    claimed_count: number;
    own_units: number;
    shipping: { destination: string; amount: number }[];
    tier_ids: string[];
  }>`
    select a.id, a.title, a.description, coalesce(held.unit_price, a.price) as price, a.ships, a.hidden,
      a.per_backer_max, a.quantity_limit, a.claimed_count, coalesce(held.quantity, 0) as own_units,
      coalesce(
        (select json_agg(json_build_object('destination', s.destination, 'amount', s.amount) order by s.amount, s.destination)
           from add_on_shipping_rates s where s.add_on_id = a.id),
        '[]'::json) as shipping,
      coalesce((select json_agg(at.tier_id) from add_on_tiers at where at.add_on_id = a.id), '[]'::json) as tier_ids
    from add_ons a
    left join pledge_add_ons held on held.pledge_id = ${own} and held.add_on_id = a.id
    where a.campaign_id = ${campaignId} and (not a.hidden or held.pledge_id is not null)
    order by a.position, a.created_at`.execute(db);
  return result.rows.map((a) => ({
    id: a.id,
    title: a.title,
    description: a.description,
    price: Number(a.price),
    ships: a.ships,
    shipping: a.shipping.map((r) => ({ destination: r.destination, amount: Number(r.amount) })),
    perBackerMax: a.per_backer_max,
    // Withdrawn: only what the pledge already holds.
    left: a.hidden
      ? Number(a.own_units)
      : a.quantity_limit === null
        ? null
        : Math.max(0, a.quantity_limit - a.claimed_count + Number(a.own_units)),
    tierIds: a.tier_ids,
  }));
}

/**
 * A pledge's add-ons as one line of text ("2 × Spare lantern; 1 × Stickers"), in the campaign's
 * order, for exports and lists: a subquery on the pledge id column named by `pledgeIdColumn`.
 */
export function addOnSummary(pledgeIdColumn: string) {
  return sql<string | null>`(select string_agg(pa.quantity || ' × ' || a.title, '; ' order by a.position, a.created_at)
    from pledge_add_ons pa join add_ons a on a.id = pa.add_on_id where pa.pledge_id = ${sql.ref(pledgeIdColumn)})`;
}

/** A pledge's add-on lines with their titles, in the campaign's order. */
export async function addOnLinesOf(db: Db, { pledgeIds }: { pledgeIds: readonly string[] }) {
  if (pledgeIds.length === 0) return [];
  const rows = await db
    .selectFrom("pledge_add_ons")
    .innerJoin("add_ons", "add_ons.id", "pledge_add_ons.add_on_id")
    .select([
      "pledge_add_ons.pledge_id",
      "pledge_add_ons.add_on_id",
      "pledge_add_ons.quantity",
      "pledge_add_ons.unit_price",
      "pledge_add_ons.amount",
      "pledge_add_ons.shipping_amount",
      "add_ons.title",
    ])
    .where("pledge_add_ons.pledge_id", "in", pledgeIds)
    .orderBy("add_ons.position")
    .orderBy("add_ons.created_at")
    .execute();
  return rows.map((r) => ({
    ...r,
    unit_price: Number(r.unit_price),
    amount: Number(r.amount),
    shipping_amount: Number(r.shipping_amount),
  }));
}

export type AddOnCapacity = { ok: true } | ({ ok: false } & AddOnShortfall);

/**
 * Locks tiers a pledge move touches (its old and new tier), in id order. Every path that claims
 * or frees slots locks tiers before add-ons and each kind in id order, and `no key update` lets
 * the pledge rows that reference them be written meanwhile, so no two paths wait on each other
 * crosswise.
 */
export async function lockTiers(trx: Db, tierIds: readonly (string | null)[]) {
  const ids = [...new Set(tierIds.filter((id): id is string => id !== null))].sort();
  if (ids.length === 0) return [];
  return trx
    .selectFrom("tiers")
    .select(["id", "quantity_limit", "claimed_count", "hidden", "late_price", "late_limit", "late_claimed_count"])
    .where("id", "in", ids)
    .orderBy("id")
    .forNoKeyUpdate()
    .execute();
}

/**
 * Locks the add-ons of `lines` and of the lines the pledge being changed holds (`pledgeId`:
 * those a change may free), in id order, and checks each still has room for the units the lines
 * add beyond what the pledge already holds. The locks make the check and the claim that follows
 * one step; the database's check constraint backs it.
 */
export async function lockAddOnCapacity(
  trx: Db,
  { lines, pledgeId }: { lines: readonly AddOnLine[]; pledgeId?: string },
): Promise<AddOnCapacity> {
  const ownLines = pledgeId
    ? await trx
        .selectFrom("pledge_add_ons")
        .select(["add_on_id", "quantity"])
        .where("pledge_id", "=", pledgeId)
        .execute()
    : [];
  const wanted = lines.filter((l) => l.quantity > 0);
  const ids = [...new Set([...wanted.map((l) => l.add_on_id), ...ownLines.map((l) => l.add_on_id)])].sort();
  if (ids.length === 0) return { ok: true };
  const rows = await trx
    .selectFrom("add_ons")
    .select(["id", "title", "quantity_limit", "claimed_count", "hidden"])
    .where("id", "in", ids)
    .orderBy("id")
    .forNoKeyUpdate()
    .execute();
  for (const line of wanted) {
    const row = rows.find((r) => r.id === line.add_on_id);
    const held = ownLines.find((l) => l.add_on_id === line.add_on_id)?.quantity ?? 0;
    if (!row) return { ok: false, addOnId: line.add_on_id, title: "", left: 0, hidden: true };
    if (row.hidden && line.quantity > held)
      return { ok: false, addOnId: row.id, title: row.title, left: 0, hidden: true };
    if (row.quantity_limit === null || line.quantity <= held) continue;
    const left = row.quantity_limit - row.claimed_count + held;
    if (line.quantity > left)
      return { ok: false, addOnId: row.id, title: row.title, left: Math.max(0, left), hidden: false };
  }
  return { ok: true };
}

/** Whether an error is the database refusing an add-on's or a tier's claim beyond its limit. */
export function isLimitViolation(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  if (e?.code !== "23514") return false;
  const named = `${e.constraint ?? ""} ${e.message ?? ""}`;
  return (
    named.includes("add_ons_claimed_within_limit") ||
    named.includes("tiers_claimed_within_limit") ||
    named.includes("tiers_late_claimed_within_limit")
  );
}

/**
 * What each add-on of a campaign brought in, from the pledges whose money was collected (refunds
 * are the statement's own line): units, the lines' prices and their shipping.
 */
export async function addOnSales(db: Db, { campaignId }: { campaignId: string }) {
  const rows = await db
    .selectFrom("add_ons")
    .innerJoin("pledge_add_ons", "pledge_add_ons.add_on_id", "add_ons.id")
    .innerJoin("pledges", "pledges.id", "pledge_add_ons.pledge_id")
    .select([
      "add_ons.id",
      "add_ons.title",
      sql<number>`sum(pledge_add_ons.quantity)::int`.as("units"),
      sql<number>`sum(pledge_add_ons.amount)::bigint`.as("amount"),
      sql<number>`sum(pledge_add_ons.shipping_amount)::bigint`.as("shipping"),
      sql<number>`count(*)::int`.as("pledges"),
    ])
    .where("add_ons.campaign_id", "=", campaignId)
    .where("pledges.collected_amount", ">", 0)
    .groupBy(["add_ons.id", "add_ons.title", "add_ons.position", "add_ons.created_at"])
    .orderBy("add_ons.position")
    .orderBy("add_ons.created_at")
    .execute();
  return rows.map((r) => ({
    ...r,
    units: Number(r.units),
    amount: Number(r.amount),
    shipping: Number(r.shipping),
    pledges: Number(r.pledges),
  }));
}
