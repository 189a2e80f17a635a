import { sql } from "kysely";
import type { Db, PledgeState } from "../../db/schema.js";
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
    .select(["id", "state", "campaign_id", "tier_id", "amount"])
    .where("id", "=", pledgeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  assertPledgeTransition(pledge.state, to);
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
 * Records a pledge's first state (creation) with its history row and counters. The tier's slot is
 * claimed here; a full limited tier makes the database's check constraint fail, which callers
 * that hold slots turn into "sold out".
 */
export async function recordNewPledge(
  trx: Db,
  pledge: { id: string; campaign_id: string; tier_id: string | null; amount: number; state: PledgeState },
  actorId: string | null,
) {
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
  pledge: { campaign_id: string; tier_id: string | null; amount: number },
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
    await trx
      .updateTable("tiers")
      .set({ claimed_count: sql`claimed_count + ${slotDelta}` })
      .where("id", "=", pledge.tier_id)
      .execute();
  }
}

/**
 * Changes an active pledge's terms (tier, amount, shipping) without a state change: writes a
 * history row and moves the campaign total and the tiers' claimed counts by the difference.
 * The caller has locked the pledge and checked the new tier's capacity.
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
    next: { tier_id: string | null; base_amount: number; shipping_amount: number; shipping_destination: string | null };
    actorId: string | null;
    /** What the history says (the money side of a change paid up front, say). */
    reason?: string;
    detail?: Record<string, unknown>;
  },
) {
  const amount = next.base_amount + next.shipping_amount;
  await trx
    .updateTable("pledges")
    .set({ ...next, amount, updated_at: new Date() })
    .where("id", "=", pledge.id)
    .execute();
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
        to: { tier_id: next.tier_id, amount, shipping_destination: next.shipping_destination },
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
    .returning(["id", "campaign_id", "tier_id", "amount"])
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
    const byTier = new Map<string, number>();
    for (const p of moved) if (p.tier_id) byTier.set(p.tier_id, (byTier.get(p.tier_id) ?? 0) + 1);
    for (const [tierId, count] of byTier) {
      await trx
        .updateTable("tiers")
        .set({ claimed_count: sql`claimed_count + ${slotDelta * count}` })
        .where("id", "=", tierId)
        .execute();
    }
  }
  return moved.map((p) => p.id);
}
