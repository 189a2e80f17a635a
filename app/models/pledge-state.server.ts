import { sql } from "kysely";
import type { AddOnLine, Db, PledgeState } from "../../db/schema.js";
import { IllegalTransitionError } from "../domain/campaign-states";
import { assertPledgeTransition, holdsSlot, isCounted } from "../domain/pledge-states";

/**
 * The only way a pledge changes state: locks it, checks the move against the state table, writes
 * the history row, and keeps the campaign's total and backer count and the tier's claimed count
 * in step in the same transaction.
 */
export async function transitionPledge(
  trx: Db,
  {
    pledgeId,
    to,
    actorId,
    reason,
    detail,
  }: { pledgeId: string; to: PledgeState; actorId: string | null; reason?: string; detail?: Record<string, unknown> },
) {
  const pledge = await trx
    .selectFrom("pledges")
    .select(["id", "state", "campaign_id", "tier_id", "amount", "late"])
    .where("id", "=", pledgeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  assertPledgeTransition(pledge.state, to);
  // Paid at once and collected straight from checkout: a late pledge's move, no other pledge's.
  if (pledge.state === "checkout" && to === "collected" && !pledge.late)
    throw new IllegalTransitionError("pledge", pledge.state, to);
  await trx
    .updateTable("pledges")
    .set({ state: to, updated_at: new Date(), ...(to === "active" ? { activated_at: new Date() } : {}) })
    .where("id", "=", pledgeId)
    .execute();
  await trx
    .insertInto("pledge_transitions")
    .values({
      pledge_id: pledgeId,
      from_state: pledge.state,
      to_state: to,
      actor_id: actorId,
      reason: reason ?? null,
      detail: JSON.stringify(detail ?? {}),
    })
    .execute();
  await applyCounterChange(trx, pledge, pledge.state, to);
  return { from: pledge.state, to };
}

/**
 * Records a pledge's first state (creation) with its add-on lines, history row and counters. The
 * tier's slot and the add-ons' units are claimed here; a full limit makes the database's check
 * constraint fail, which callers that hold slots turn into "sold out".
 */
export async function recordNewPledge(
  trx: Db,
  pledge: {
    id: string;
    campaign_id: string;
    tier_id: string | null;
    amount: number;
    state: PledgeState;
    late?: boolean;
  },
  actorId: string | null,
  addOnLines: readonly AddOnLine[] = [],
) {
  if (addOnLines.length > 0) {
    await trx
      .insertInto("pledge_add_ons")
      .values(addOnLines.map((line) => ({ pledge_id: pledge.id, ...line })))
      .execute();
  }
  await trx
    .insertInto("pledge_transitions")
    .values({
      pledge_id: pledge.id,
      from_state: null,
      to_state: pledge.state,
      actor_id: actorId,
      detail: JSON.stringify({}),
    })
    .execute();
  await applyCounterChange(trx, pledge, null, pledge.state);
}

async function applyCounterChange(
  trx: Db,
  pledge: { id: string; campaign_id: string; tier_id: string | null; amount: number; late?: boolean },
  from: PledgeState | null,
  to: PledgeState,
) {
  const countedDelta = Number(isCounted(to)) - Number(from ? isCounted(from) : false);
  if (countedDelta !== 0) {
    await trx
      .updateTable("campaigns")
      .set({
        pledged_amount: sql`pledged_amount + ${countedDelta * pledge.amount}`,
        backer_count: sql`backer_count + ${countedDelta}`,
      })
      .where("id", "=", pledge.campaign_id)
      .execute();
  }
  const slotDelta = Number(holdsSlot(to)) - Number(from ? holdsSlot(from) : false);
  if (slotDelta !== 0 && pledge.tier_id) {
    // A late pledge holds a slot of the tier's late limit, not of the limit the campaign sold.
    await trx
      .updateTable("tiers")
      .set(
        pledge.late
          ? { late_claimed_count: sql`late_claimed_count + ${slotDelta}` }
          : { claimed_count: sql`claimed_count + ${slotDelta}` },
      )
      .where("id", "=", pledge.tier_id)
      .execute();
  }
  if (slotDelta !== 0) await moveAddOnUnits(trx, [pledge.id], slotDelta);
}

/**
 * Claims (+1) or frees (-1) the add-on units of the given pledges' lines, summed per add-on so
 * one statement moves each add-on once; a claim beyond a limit fails the database's check.
 */
async function moveAddOnUnits(trx: Db, pledgeIds: readonly string[], direction: number) {
  if (pledgeIds.length === 0) return;
  // In id order first, as checkouts lock them: one UPDATE ... FROM locks rows in plan order.
  await sql`select id from add_ons where id in (select add_on_id from pledge_add_ons
             where pledge_id in (${sql.join(pledgeIds)})) order by id for no key update`.execute(trx);
  await sql`
    update add_ons a set claimed_count = a.claimed_count + ${direction} * units.quantity, updated_at = now()
      from (select add_on_id, sum(quantity)::int as quantity from pledge_add_ons
             where pledge_id in (${sql.join(pledgeIds)}) group by add_on_id) units
     where a.id = units.add_on_id`.execute(trx);
}

/**
 * Replaces a pledge's add-on lines; while the pledge holds its slots, each add-on's claimed units
 * move by the difference (a raise beyond a limit fails the database's check).
 */
async function replaceAddOnLines(trx: Db, pledge: { id: string; state: PledgeState }, lines: readonly AddOnLine[]) {
  const before = await trx
    .deleteFrom("pledge_add_ons")
    .where("pledge_id", "=", pledge.id)
    .returning(["add_on_id", "quantity"])
    .execute();
  if (lines.length > 0) {
    await trx
      .insertInto("pledge_add_ons")
      .values(lines.map((line) => ({ pledge_id: pledge.id, ...line })))
      .execute();
  }
  if (!holdsSlot(pledge.state)) return;
  const delta = new Map<string, number>();
  for (const line of before) delta.set(line.add_on_id, (delta.get(line.add_on_id) ?? 0) - line.quantity);
  for (const line of lines) delta.set(line.add_on_id, (delta.get(line.add_on_id) ?? 0) + line.quantity);
  // In id order, as the checkout locks them (the caller locked them already, in that order).
  for (const [addOnId, change] of [...delta].sort(([a], [b]) => a.localeCompare(b))) {
    if (change === 0) continue;
    await trx
      .updateTable("add_ons")
      .set({ claimed_count: sql`claimed_count + ${change}`, updated_at: new Date() })
      .where("id", "=", addOnId)
      .execute();
  }
}

/**
 * Changes an active pledge's terms (tier, amount, shipping, add-ons) without a state change:
 * writes a history row and moves the campaign total and the tiers' and add-ons' claimed counts by
 * the difference. The caller has locked the pledge and checked the new tier's and add-ons'
 * capacity. `next.add_on_lines` replaces the lines; left out, they stay as they are.
 */
export async function amendPledge(
  trx: Db,
  {
    pledge,
    next,
    actorId,
    reason = "Pledge changed",
    detail = {},
  }: {
    pledge: {
      id: string;
      campaign_id: string;
      state: PledgeState;
      tier_id: string | null;
      amount: number;
      base_amount: number;
      shipping_amount: number;
      shipping_destination: string | null;
    };
    next: {
      tier_id: string | null;
      base_amount: number;
      shipping_amount: number;
      shipping_destination: string | null;
      add_ons_amount: number;
      add_on_lines?: readonly AddOnLine[];
    };
    actorId: string | null;
    /** What the history says (the money side of a change paid up front, say). */
    reason?: string;
    detail?: Record<string, unknown>;
  },
) {
  const { add_on_lines: lines, ...terms } = next;
  const amount = terms.base_amount + terms.shipping_amount + terms.add_ons_amount;
  await trx
    .updateTable("pledges")
    .set({ ...terms, amount, updated_at: new Date() })
    .where("id", "=", pledge.id)
    .execute();
  if (lines) await replaceAddOnLines(trx, pledge, lines);
  await trx
    .insertInto("pledge_transitions")
    .values({
      pledge_id: pledge.id,
      from_state: pledge.state,
      to_state: pledge.state,
      actor_id: actorId,
      reason,
      detail: JSON.stringify({
        from: { tier_id: pledge.tier_id, amount: pledge.amount, shipping_destination: pledge.shipping_destination },
        to: {
          tier_id: next.tier_id,
          amount,
          shipping_destination: next.shipping_destination,
          ...(lines ? { add_ons: lines.map((l) => ({ add_on_id: l.add_on_id, quantity: l.quantity })) } : {}),
        },
        ...detail,
      }),
    })
    .execute();
  if (isCounted(pledge.state) && amount !== pledge.amount) {
    await trx
      .updateTable("campaigns")
      .set({ pledged_amount: sql`pledged_amount + ${amount - pledge.amount}` })
      .where("id", "=", pledge.campaign_id)
      .execute();
  }
  if (holdsSlot(pledge.state) && next.tier_id !== pledge.tier_id) {
    if (pledge.tier_id) {
      await trx
        .updateTable("tiers")
        .set({ claimed_count: sql`claimed_count - 1` })
        .where("id", "=", pledge.tier_id)
        .execute();
    }
    if (next.tier_id) {
      await trx
        .updateTable("tiers")
        .set({ claimed_count: sql`claimed_count + 1` })
        .where("id", "=", next.tier_id)
        .execute();
    }
  }
}

/**
 * `transitionPledge` for a batch (settlement moves thousands of pledges): the same table check,
 * history rows and counters, in a handful of statements. Pledges not currently in `from` are
 * left alone and not returned, so a caller racing another worker skips what it lost.
 */
export async function transitionPledges(
  trx: Db,
  {
    pledgeIds,
    from,
    to,
    actorId,
    reason,
    detail,
  }: {
    pledgeIds: readonly string[];
    from: PledgeState;
    to: PledgeState;
    actorId: string | null;
    reason?: string | ((pledgeId: string) => string);
    detail?: (pledgeId: string) => Record<string, unknown>;
  },
): Promise<string[]> {
  if (pledgeIds.length === 0) return [];
  assertPledgeTransition(from, to);
  const moved = await trx
    .updateTable("pledges")
    .set({ state: to, updated_at: new Date(), ...(to === "active" ? { activated_at: new Date() } : {}) })
    .where("id", "in", pledgeIds)
    .where("state", "=", from)
    .returning(["id", "campaign_id", "tier_id", "amount", "late"])
    .execute();
  if (moved.length === 0) return [];
  await trx
    .insertInto("pledge_transitions")
    .values(
      moved.map((p) => ({
        pledge_id: p.id,
        from_state: from,
        to_state: to,
        actor_id: actorId,
        reason: (typeof reason === "function" ? reason(p.id) : reason) ?? null,
        detail: JSON.stringify(detail?.(p.id) ?? {}),
      })),
    )
    .execute();
  const countedDelta = Number(isCounted(to)) - Number(isCounted(from));
  if (countedDelta !== 0) {
    const byCampaign = new Map<string, { amount: number; count: number }>();
    for (const p of moved) {
      const c = byCampaign.get(p.campaign_id) ?? { amount: 0, count: 0 };
      c.amount += p.amount;
      c.count += 1;
      byCampaign.set(p.campaign_id, c);
    }
    for (const [campaignId, c] of byCampaign) {
      await trx
        .updateTable("campaigns")
        .set({
          pledged_amount: sql`pledged_amount + ${countedDelta * c.amount}`,
          backer_count: sql`backer_count + ${countedDelta * c.count}`,
        })
        .where("id", "=", campaignId)
        .execute();
    }
  }
  const slotDelta = Number(holdsSlot(to)) - Number(holdsSlot(from));
  if (slotDelta !== 0) {
    for (const late of [false, true]) {
      const byTier = new Map<string, number>();
      for (const p of moved) if (p.tier_id && p.late === late) byTier.set(p.tier_id, (byTier.get(p.tier_id) ?? 0) + 1);
      for (const [tierId, count] of byTier) {
        await trx
          .updateTable("tiers")
          .set(
            late
              ? { late_claimed_count: sql`late_claimed_count + ${slotDelta * count}` }
              : { claimed_count: sql`claimed_count + ${slotDelta * count}` },
          )
          .where("id", "=", tierId)
          .execute();
      }
    }
    await moveAddOnUnits(
      trx,
      moved.map((p) => p.id),
      slotDelta,
    );
  }
  return moved.map((p) => p.id);
}
