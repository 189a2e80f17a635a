import { sql } from "kysely";
import type { Db, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import type { Locale, Translate } from "../domain/locale";
import { refuse } from "../domain/refusal";
import { tierChangeProblems, tierDeletionProblem, TIER_EDITABLE_STATES, type TierInput } from "../domain/tier-rules";
import { translatorFor } from "../i18n";
import {
  auditCampaign,
  campaignNotFoundIn,
  lockCampaign,
  refused,
  type CreatorActor,
  type WriteFailure,
} from "./campaign.server";

// A campaign's rewards (tiers): listing them with their shipping rates and pledge counts, and the
// creator's writes (create, change, reorder, hide, delete) under the campaign's lock, while the
// campaign's state still lets rewards change. Refusals are worded in the caller's language (`t`,
// the request's; English by default).

const english: Translate = translatorFor("en");
const tierNotFound = (t: Translate) => refuse(404, t("campaignForm:refusal.tierNotFound"));

/** The shipping rates of the given tiers (at least one), each with its tier's id. */
export function shippingRatesOf(db: Db, { tierIds }: { tierIds: string[] }) {
  return db
    .selectFrom("tier_shipping_rates")
    .select(["tier_id", "destination", "amount"])
    .where("tier_id", "in", tierIds)
    .execute();
}

/** Every tier of a campaign (hidden too), in order, with shipping rates and pledge counts. */
export async function listTiers(db: Db, { campaignId }: { campaignId: string }) {
  const tiers = await db
    .selectFrom("tiers")
    .select([
      "id",
      "title",
      "description",
      "minimum_amount",
      "quantity_limit",
      "claimed_count",
      "ships",
      "position",
      "hidden",
      sql<string | null>`to_char(estimated_delivery, 'YYYY-MM')`.as("delivery_month"),
    ])
    .where("campaign_id", "=", campaignId)
    .orderBy("position")
    .orderBy("created_at")
    .limit(500)
    .execute();
  if (tiers.length === 0) return [];
  const ids = tiers.map((t) => t.id);
  const [rates, counts] = await Promise.all([
    shippingRatesOf(db, { tierIds: ids }),
    db
      .selectFrom("pledges")
      .select(["tier_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("campaign_id", "=", campaignId)
      .where("tier_id", "in", ids)
      .groupBy("tier_id")
      .execute(),
  ]);
  return tiers.map((t) => ({
    ...t,
    shippingRates: rates
      .filter((r) => r.tier_id === t.id)
      .map((r) => ({ destination: r.destination, amount: Number(r.amount) })),
    pledgeCount: Number(counts.find((c) => c.tier_id === t.id)?.n ?? 0),
  }));
}

export async function getTier(db: Db, { campaignId, tierId }: { campaignId: string; tierId: string }) {
  const tiers = await listTiers(db, { campaignId });
  return tiers.find((t) => t.id === tierId);
}

async function lockEditableCampaign(trx: Trx, campaignId: string, actor: CreatorActor, t: Translate) {
  const campaign = await lockCampaign(trx, campaignId, actor);
  if (!campaign) return { failure: campaignNotFoundIn(t) };
  if (!TIER_EDITABLE_STATES.includes(campaign.state)) return { failure: refused(t("campaignForm:refusal.tiersEnded")) };
  return { campaign };
}

/** The tier form as the row stores it (shipping rates go to their own table). */
function tierColumns(input: TierInput) {
  return {
    title: input.title,
    description: input.description,
    minimum_amount: input.minimumAmount,
    quantity_limit: input.quantityLimit,
    estimated_delivery: input.estimatedDelivery,
    ships: input.ships,
  };
}

async function writeShippingRates(trx: Trx, tierId: string, input: TierInput) {
  await trx.deleteFrom("tier_shipping_rates").where("tier_id", "=", tierId).execute();
  if (input.shippingRates.length > 0) {
    await trx
      .insertInto("tier_shipping_rates")
      .values(input.shippingRates.map((r) => ({ tier_id: tierId, destination: r.destination, amount: r.amount })))
      .execute();
  }
}

export async function createTier(
  db: Db,
  {
    campaignId,
    actor,
    input,
    t = english,
  }: { campaignId: string; actor: CreatorActor; input: TierInput; t?: Translate },
): Promise<{ ok: true; tierId: string } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { failure } = await lockEditableCampaign(trx, campaignId, actor, t);
    if (failure) return failure;
    const last = await trx
      .selectFrom("tiers")
      .select((eb) => eb.fn.max("position").as("max"))
      .where("campaign_id", "=", campaignId)
      .executeTakeFirst();
    const tier = await trx
      .insertInto("tiers")
      .values({
        campaign_id: campaignId,
        ...tierColumns(input),
        position: last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeShippingRates(trx, tier.id, input);
    await auditCampaign(trx, actor, campaignId, "tier.create", { detail: { tierId: tier.id } });
    return { ok: true as const, tierId: tier.id };
  });
}

async function lockTier(trx: Trx, campaignId: string, tierId: string) {
  const tier = await trx
    .selectFrom("tiers")
    .select(["id", "minimum_amount", "quantity_limit", "claimed_count", "hidden"])
    .where("id", "=", tierId)
    .where("campaign_id", "=", campaignId)
    .forUpdate()
    .executeTakeFirst();
  if (!tier) return undefined;
  const count = await trx
    .selectFrom("pledges")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("tier_id", "=", tierId)
    .executeTakeFirstOrThrow();
  return { ...tier, pledgeCount: Number(count.n) };
}

/** The campaign (while rewards may change) and its tier, both locked, with the tier's pledge count. */
async function lockEditableTier(trx: Trx, campaignId: string, tierId: string, actor: CreatorActor, t: Translate) {
  const { campaign, failure } = await lockEditableCampaign(trx, campaignId, actor, t);
  if (failure) return { failure };
  const tier = await lockTier(trx, campaignId, tierId);
  if (!tier) return { failure: tierNotFound(t) };
  return { campaign, tier };
}

export async function updateTier(
  db: Db,
  {
    campaignId,
    tierId,
    actor,
    input,
    t = english,
    locale = "en",
  }: {
    campaignId: string;
    tierId: string;
    actor: CreatorActor;
    input: TierInput;
    t?: Translate;
    locale?: Locale;
  },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { campaign, tier, failure } = await lockEditableTier(trx, campaignId, tierId, actor, t);
    if (failure) return failure;
    const problems = tierChangeProblems({
      campaignState: campaign.state,
      currency: campaign.currency,
      current: {
        minimumAmount: Number(tier.minimum_amount),
        quantityLimit: tier.quantity_limit,
        claimedCount: tier.claimed_count,
        pledgeCount: tier.pledgeCount,
      },
      next: { minimumAmount: input.minimumAmount, quantityLimit: input.quantityLimit },
      t,
      locale,
    });
    if (Object.keys(problems).length > 0) {
      const { form, ...fieldErrors } = problems;
      return { ok: false as const, status: 400 as const, fieldErrors, formError: form };
    }
    await trx
      .updateTable("tiers")
      .set({
        ...tierColumns(input),
        updated_at: new Date(),
      })
      .where("id", "=", tierId)
      .execute();
    await writeShippingRates(trx, tierId, input);
    await auditCampaign(trx, actor, campaignId, "tier.update", { detail: { tierId } });
    return { ok: true as const };
  });
}

/** Swaps a tier with its neighbour; positions are renumbered 0..n so gaps and ties disappear. */
export async function moveTier(
  db: Db,
  {
    campaignId,
    tierId,
    actor,
    direction,
    t = english,
  }: { campaignId: string; tierId: string; actor: CreatorActor; direction: "up" | "down"; t?: Translate },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { failure } = await lockEditableCampaign(trx, campaignId, actor, t);
    if (failure) return failure;
    const tiers = await trx
      .selectFrom("tiers")
      .select(["id", "position"])
      .where("campaign_id", "=", campaignId)
      .orderBy("position")
      .orderBy("created_at")
      .execute();
    const index = tiers.findIndex((t) => t.id === tierId);
    if (index === -1) return tierNotFound(t);
    const target = direction === "up" ? index - 1 : index + 1;
    if (target >= 0 && target < tiers.length) [tiers[index], tiers[target]] = [tiers[target]!, tiers[index]!];
    for (const [position, t] of tiers.entries()) {
      if (t.position !== position) await trx.updateTable("tiers").set({ position }).where("id", "=", t.id).execute();
    }
    return { ok: true as const };
  });
}

export async function setTierHidden(
  db: Db,
  {
    campaignId,
    tierId,
    actor,
    hidden,
    t = english,
  }: { campaignId: string; tierId: string; actor: CreatorActor; hidden: boolean; t?: Translate },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { failure } = await lockEditableCampaign(trx, campaignId, actor, t);
    if (failure) return failure;
    const updated = await trx
      .updateTable("tiers")
      .set({ hidden, updated_at: new Date() })
      .where("id", "=", tierId)
      .where("campaign_id", "=", campaignId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return tierNotFound(t);
    await auditCampaign(trx, actor, campaignId, hidden ? "tier.hide" : "tier.show", { detail: { tierId } });
    return { ok: true as const };
  });
}

export async function deleteTier(
  db: Db,
  {
    campaignId,
    tierId,
    actor,
    t = english,
  }: { campaignId: string; tierId: string; actor: CreatorActor; t?: Translate },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { campaign, tier, failure } = await lockEditableTier(trx, campaignId, tierId, actor, t);
    if (failure) return failure;
    const problem = tierDeletionProblem({ campaignState: campaign.state, pledgeCount: tier.pledgeCount, t });
    if (problem) return refused(problem);
    await trx.deleteFrom("tier_shipping_rates").where("tier_id", "=", tierId).execute();
    await trx.deleteFrom("tiers").where("id", "=", tierId).execute();
    await auditCampaign(trx, actor, campaignId, "tier.delete", { detail: { tierId } });
    return { ok: true as const };
  });
}

/** How many rewards a backer can choose (the launch checklist wants at least one). */
export async function countVisibleTiers(db: Db, { campaignId }: { campaignId: string }) {
  const row = await db
    .selectFrom("tiers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", campaignId)
    .where("hidden", "=", false)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
