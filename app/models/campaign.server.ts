import { sql } from "kysely";
import type { CampaignState, Db, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import {
  deadlineAtLaunch,
  endOfDayUtc,
  launchChecklist,
  tierChangeProblems,
  tierDeletionProblem,
  TIER_EDITABLE_STATES,
  type CampaignDraftInput,
  type CampaignLiveInput,
  type ChecklistItem,
  type TierInput,
} from "../domain/campaign-rules";
import { COUNTED_STATES } from "../domain/pledge-states";
import { refuse, type FieldErrors, type Refusal } from "../domain/refusal";
import { recordAudit } from "./audit.server";
import { transitionCampaign } from "./campaign-state.server";

/** Who is asking: the creator, or staff (admin/finance) who may see every campaign. */
export interface CreatorActor {
  userId: string;
  staff: boolean;
  ip?: string;
}

export type WriteFailure = Refusal;
const notFound = refuse(404, "Campaign not found.");
const refused = (formError: string, fieldErrors: FieldErrors = {}) => refuse(409, formError, fieldErrors);

/** Campaigns the actor may see: their own unless staff; deleted drafts are gone for everyone. */
function visibleCampaigns(db: Db, actor: Pick<CreatorActor, "userId" | "staff">) {
  let query = db.selectFrom("campaigns").where("campaigns.state", "!=", "deleted");
  if (!actor.staff) query = query.where("campaigns.creator_id", "=", actor.userId);
  return query;
}

const CAMPAIGN_COLUMNS = [
  "campaigns.id",
  "campaigns.creator_id",
  "campaigns.slug",
  "campaigns.title",
  "campaigns.blurb",
  "campaigns.story_md",
  "campaigns.category",
  "campaigns.cover_image_id",
  "campaigns.cover_alt",
  "campaigns.goal_amount",
  "campaigns.currency",
  "campaigns.duration_days",
  "campaigns.deadline",
  "campaigns.funding_model",
  "campaigns.collection",
  "campaigns.state",
  "campaigns.launched_at",
  "campaigns.ended_at",
  "campaigns.pledged_amount",
  "campaigns.backer_count",
  "campaigns.created_at",
  "campaigns.updated_at",
] as const;

/** The campaign, if the actor is its creator (or staff). The ownership check is in the query. */
export async function getCampaignForCreator(
  db: Db,
  { campaignId, userId, staff }: { campaignId: string; userId: string; staff: boolean },
) {
  return visibleCampaigns(db, { userId, staff })
    .select(CAMPAIGN_COLUMNS)
    .where("campaigns.id", "=", campaignId)
    .executeTakeFirst();
}

export type CreatorCampaign = NonNullable<Awaited<ReturnType<typeof getCampaignForCreator>>>;

async function lockCampaign(trx: Trx, campaignId: string, actor: CreatorActor) {
  return visibleCampaigns(trx, actor)
    .select(CAMPAIGN_COLUMNS)
    .where("campaigns.id", "=", campaignId)
    .forUpdate()
    .executeTakeFirst();
}

export async function listCreatorCampaigns(db: Db, { userId }: { userId: string }) {
  return db
    .selectFrom("campaigns")
    .select([
      "id",
      "slug",
      "title",
      "state",
      "goal_amount",
      "currency",
      "pledged_amount",
      "backer_count",
      "deadline",
      "duration_days",
      "launched_at",
      "cover_image_id",
      "created_at",
    ])
    .where("creator_id", "=", userId)
    .where("state", "!=", "deleted")
    .orderBy("created_at", "desc")
    .limit(200)
    .execute();
}

function isUniqueViolation(error: unknown) {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";
}

const slugTaken = (slug: string) => ({
  slug: `The web address “${slug}” is taken. Try another, like ${slug.slice(0, 70)}-${new Date().getFullYear()}.`,
});

function deadlineColumns(input: Pick<CampaignDraftInput, "durationDays" | "endDate">) {
  return input.durationDays !== null
    ? { duration_days: input.durationDays, deadline: null }
    : { duration_days: null, deadline: input.endDate ? endOfDayUtc(input.endDate) : null };
}

export async function createDraft(
  db: Db,
  { actor, input, coverImageId }: { actor: CreatorActor; input: CampaignDraftInput; coverImageId?: string | null },
): Promise<{ ok: true; campaignId: string } | WriteFailure> {
  const taken = await db.selectFrom("campaigns").select("id").where("slug", "=", input.slug).executeTakeFirst();
  if (taken) return { ok: false, status: 400, fieldErrors: slugTaken(input.slug) };
  try {
    return await inTransaction(db, async (trx) => {
      const row = await trx
        .insertInto("campaigns")
        .values({
          creator_id: actor.userId,
          slug: input.slug,
          title: input.title,
          blurb: input.blurb,
          story_md: input.storyMd,
          category: input.category,
          cover_image_id: coverImageId ?? null,
          cover_alt: input.coverAlt,
          goal_amount: input.goalAmount,
          currency: input.currency,
          funding_model: input.fundingModel,
          collection: input.collection,
          ...deadlineColumns(input),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("campaign_transitions")
        .values({
          campaign_id: row.id,
          from_state: null,
          to_state: "draft",
          actor_id: actor.userId,
          reason: "draft created",
        })
        .execute();
      await recordAudit(trx, {
        actorId: actor.userId,
        action: "campaign.create",
        subjectType: "campaign",
        subjectId: row.id,
        ip: actor.ip,
        detail: { slug: input.slug },
      });
      return { ok: true as const, campaignId: row.id };
    });
  } catch (error) {
    // Two drafts racing for one address: the unique index decides, the loser gets the message.
    if (isUniqueViolation(error)) return { ok: false, status: 400, fieldErrors: slugTaken(input.slug) };
    throw error;
  }
}

/** Saves the whole form of a draft. A campaign that launched meanwhile is refused (reload). */
export async function updateDraft(
  db: Db,
  {
    campaignId,
    actor,
    input,
    coverImageId,
  }: { campaignId: string; actor: CreatorActor; input: CampaignDraftInput; coverImageId?: string | null },
): Promise<{ ok: true } | WriteFailure> {
  try {
    return await inTransaction(db, async (trx) => {
      const campaign = await lockCampaign(trx, campaignId, actor);
      if (!campaign) return notFound;
      if (campaign.state !== "draft")
        return refused(
          "This campaign has launched, so its goal, currency, deadline and funding terms are fixed. Reload the page to edit what can still change.",
        );
      if (input.slug !== campaign.slug) {
        const taken = await trx.selectFrom("campaigns").select("id").where("slug", "=", input.slug).executeTakeFirst();
        if (taken) return { ok: false as const, status: 400 as const, fieldErrors: slugTaken(input.slug) };
      }
      await trx
        .updateTable("campaigns")
        .set({
          slug: input.slug,
          title: input.title,
          blurb: input.blurb,
          story_md: input.storyMd,
          category: input.category,
          cover_alt: input.coverAlt,
          goal_amount: input.goalAmount,
          currency: input.currency,
          funding_model: input.fundingModel,
          collection: input.collection,
          ...deadlineColumns(input),
          ...(coverImageId ? { cover_image_id: coverImageId } : {}),
          updated_at: new Date(),
        })
        .where("id", "=", campaignId)
        .execute();
      if (input.currency !== campaign.currency) {
        // Tier amounts are in the campaign's currency; a currency change before launch would
        // silently reprice them (100 USD cents is not 100 yen), so the creator re-checks them.
        const tierCount = await trx
          .selectFrom("tiers")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("campaign_id", "=", campaignId)
          .executeTakeFirstOrThrow();
        if (Number(tierCount.n) > 0) {
          throw new CurrencyChangeWithTiers();
        }
      }
      await recordAudit(trx, {
        actorId: actor.userId,
        action: "campaign.update",
        subjectType: "campaign",
        subjectId: campaignId,
        ip: actor.ip,
      });
      return { ok: true as const };
    });
  } catch (error) {
    if (error instanceof CurrencyChangeWithTiers) {
      return {
        ok: false,
        status: 400,
        fieldErrors: {
          currency: "Your rewards are priced in the current currency. Delete them first, or keep this currency.",
        },
      };
    }
    if (isUniqueViolation(error)) return { ok: false, status: 400, fieldErrors: slugTaken(input.slug) };
    throw error;
  }
}

class CurrencyChangeWithTiers extends Error {}

/** After launch only the words and the picture change; the fixed terms are refused by the route. */
export async function updateLiveCampaign(
  db: Db,
  {
    campaignId,
    actor,
    input,
    coverImageId,
  }: { campaignId: string; actor: CreatorActor; input: CampaignLiveInput; coverImageId?: string | null },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return notFound;
    await trx
      .updateTable("campaigns")
      .set({
        title: input.title,
        blurb: input.blurb,
        story_md: input.storyMd,
        category: input.category,
        cover_alt: input.coverAlt,
        ...(coverImageId ? { cover_image_id: coverImageId } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", campaignId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "campaign.update",
      subjectType: "campaign",
      subjectId: campaignId,
      ip: actor.ip,
    });
    return { ok: true as const };
  });
}

// --- Tiers --------------------------------------------------------------------------------------

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
    db
      .selectFrom("tier_shipping_rates")
      .select(["tier_id", "destination", "amount"])
      .where("tier_id", "in", ids)
      .execute(),
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

export type CreatorTier = Awaited<ReturnType<typeof listTiers>>[number];

export async function getTier(db: Db, { campaignId, tierId }: { campaignId: string; tierId: string }) {
  const tiers = await listTiers(db, { campaignId });
  return tiers.find((t) => t.id === tierId);
}

async function lockEditableCampaign(trx: Trx, campaignId: string, actor: CreatorActor) {
  const campaign = await lockCampaign(trx, campaignId, actor);
  if (!campaign) return { failure: notFound };
  if (!TIER_EDITABLE_STATES.includes(campaign.state))
    return { failure: refused("This campaign has ended, so its rewards can no longer change.") };
  return { campaign };
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
  { campaignId, actor, input }: { campaignId: string; actor: CreatorActor; input: TierInput },
): Promise<{ ok: true; tierId: string } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { failure } = await lockEditableCampaign(trx, campaignId, actor);
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
        title: input.title,
        description: input.description,
        minimum_amount: input.minimumAmount,
        quantity_limit: input.quantityLimit,
        estimated_delivery: input.estimatedDelivery,
        ships: input.ships,
        position: last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeShippingRates(trx, tier.id, input);
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "tier.create",
      subjectType: "campaign",
      subjectId: campaignId,
      ip: actor.ip,
      detail: { tierId: tier.id },
    });
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

export async function updateTier(
  db: Db,
  { campaignId, tierId, actor, input }: { campaignId: string; tierId: string; actor: CreatorActor; input: TierInput },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { campaign, failure } = await lockEditableCampaign(trx, campaignId, actor);
    if (failure) return failure;
    const tier = await lockTier(trx, campaignId, tierId);
    if (!tier) return { ok: false as const, status: 404 as const, fieldErrors: {}, formError: "Reward not found." };
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
    });
    if (Object.keys(problems).length > 0) {
      const { form, ...fieldErrors } = problems;
      return { ok: false as const, status: 400 as const, fieldErrors, formError: form };
    }
    await trx
      .updateTable("tiers")
      .set({
        title: input.title,
        description: input.description,
        minimum_amount: input.minimumAmount,
        quantity_limit: input.quantityLimit,
        estimated_delivery: input.estimatedDelivery,
        ships: input.ships,
        updated_at: new Date(),
      })
      .where("id", "=", tierId)
      .execute();
    await writeShippingRates(trx, tierId, input);
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "tier.update",
      subjectType: "campaign",
      subjectId: campaignId,
      ip: actor.ip,
      detail: { tierId },
    });
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
  }: { campaignId: string; tierId: string; actor: CreatorActor; direction: "up" | "down" },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { failure } = await lockEditableCampaign(trx, campaignId, actor);
    if (failure) return failure;
    const tiers = await trx
      .selectFrom("tiers")
      .select(["id", "position"])
      .where("campaign_id", "=", campaignId)
      .orderBy("position")
      .orderBy("created_at")
      .execute();
    const index = tiers.findIndex((t) => t.id === tierId);
    if (index === -1)
      return { ok: false as const, status: 404 as const, fieldErrors: {}, formError: "Reward not found." };
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
  { campaignId, tierId, actor, hidden }: { campaignId: string; tierId: string; actor: CreatorActor; hidden: boolean },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { failure } = await lockEditableCampaign(trx, campaignId, actor);
    if (failure) return failure;
    const updated = await trx
      .updateTable("tiers")
      .set({ hidden, updated_at: new Date() })
      .where("id", "=", tierId)
      .where("campaign_id", "=", campaignId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      return { ok: false as const, status: 404 as const, fieldErrors: {}, formError: "Reward not found." };
    await recordAudit(trx, {
      actorId: actor.userId,
      action: hidden ? "tier.hide" : "tier.show",
      subjectType: "campaign",
      subjectId: campaignId,
      ip: actor.ip,
      detail: { tierId },
    });
    return { ok: true as const };
  });
}

export async function deleteTier(
  db: Db,
  { campaignId, tierId, actor }: { campaignId: string; tierId: string; actor: CreatorActor },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { campaign, failure } = await lockEditableCampaign(trx, campaignId, actor);
    if (failure) return failure;
    const tier = await lockTier(trx, campaignId, tierId);
    if (!tier) return { ok: false as const, status: 404 as const, fieldErrors: {}, formError: "Reward not found." };
    const problem = tierDeletionProblem({ campaignState: campaign.state, pledgeCount: tier.pledgeCount });
    if (problem) return refused(problem);
    await trx.deleteFrom("tier_shipping_rates").where("tier_id", "=", tierId).execute();
    await trx.deleteFrom("tiers").where("id", "=", tierId).execute();
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "tier.delete",
      subjectType: "campaign",
      subjectId: campaignId,
      ip: actor.ip,
      detail: { tierId },
    });
    return { ok: true as const };
  });
}

// --- Launch, cancel, delete ---------------------------------------------------------------------

export function checklistFor(campaign: CreatorCampaign, visibleTierCount: number, now: Date) {
  return launchChecklist(
    {
      title: campaign.title,
      blurb: campaign.blurb,
      storyMd: campaign.story_md,
      goalAmount: Number(campaign.goal_amount),
      currency: campaign.currency,
      coverImageId: campaign.cover_image_id,
      coverAlt: campaign.cover_alt,
      durationDays: campaign.duration_days,
      deadline: campaign.deadline,
    },
    { visibleTierCount, now },
  );
}

export async function countVisibleTiers(db: Db, { campaignId }: { campaignId: string }) {
  const row = await db
    .selectFrom("tiers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("campaign_id", "=", campaignId)
    .where("hidden", "=", false)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Draft -> live: re-checks the checklist under the row lock, fixes the deadline (from the
 * duration, counted from now, or the chosen end date) and records who launched it.
 */
export async function launchCampaign(
  db: Db,
  { campaignId, actor, now = new Date() }: { campaignId: string; actor: CreatorActor; now?: Date },
): Promise<{ ok: true; deadline: Date } | (WriteFailure & { checklist?: ChecklistItem[] })> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return notFound;
    if (campaign.state !== "draft") return refused("This campaign has already launched.");
    const checklist = checklistFor(campaign, await countVisibleTiers(trx, { campaignId }), now);
    if (checklist.some((item) => !item.done)) {
      return { ...refused("Finish the checklist before launching."), status: 400 as const, checklist };
    }
    const deadline = deadlineAtLaunch({ durationDays: campaign.duration_days, endDate: campaign.deadline }, now)!;
    await transitionCampaign(trx, {
      campaignId,
      to: "live",
      expectedFrom: "draft",
      actorId: actor.userId,
      reason: "launched by its creator",
      set: { launched_at: now, deadline },
    });
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "campaign.launch",
      subjectType: "campaign",
      subjectId: campaignId,
      ip: actor.ip,
      detail: {
        deadline: deadline.toISOString(),
        goal: Number(campaign.goal_amount),
        currency: campaign.currency,
        fundingModel: campaign.funding_model,
        collection: campaign.collection,
      },
    });
    return { ok: true as const, deadline };
  });
}

export async function cancelCampaign(
  db: Db,
  {
    campaignId,
    actor,
    reason,
    now = new Date(),
  }: { campaignId: string; actor: CreatorActor; reason: string; now?: Date },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return notFound;
    if (campaign.state !== "live") return refused(cancelRefusal(campaign.state));
    await transitionCampaign(trx, {
      campaignId,
      to: "cancelled",
      expectedFrom: "live",
      actorId: actor.userId,
      reason,
      set: { ended_at: now },
    });
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "campaign.cancel",
      subjectType: "campaign",
      subjectId: campaignId,
      reason,
      ip: actor.ip,
    });
    return { ok: true as const };
  });
}

function cancelRefusal(state: CampaignState) {
  if (state === "draft") return "This campaign hasn't launched: delete the draft instead.";
  if (state === "cancelled") return "This campaign is already cancelled.";
  return "This campaign has ended and is being settled, so it can no longer be cancelled.";
}

/** Draft -> deleted. The address is released so it can be used again. */
export async function deleteDraft(
  db: Db,
  { campaignId, actor }: { campaignId: string; actor: CreatorActor },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return notFound;
    if (campaign.state !== "draft") return refused("Only drafts can be deleted. A live campaign can be cancelled.");
    await transitionCampaign(trx, {
      campaignId,
      to: "deleted",
      expectedFrom: "draft",
      actorId: actor.userId,
      reason: "draft deleted by its creator",
    });
    await trx
      .updateTable("campaigns")
      .set({ slug: `deleted-${campaignId}` })
      .where("id", "=", campaignId)
      .execute();
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "campaign.delete",
      subjectType: "campaign",
      subjectId: campaignId,
      ip: actor.ip,
      detail: { slug: campaign.slug },
    });
    return { ok: true as const };
  });
}

// --- Dashboard and export -----------------------------------------------------------------------

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

export async function recentPledges(db: Db, { campaignId, limit = 10 }: { campaignId: string; limit?: number }) {
  const rows = await db
    .selectFrom("pledges as p")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .leftJoin("tiers as t", "t.id", "p.tier_id")
    .select([
      "p.id",
      "p.amount",
      "p.state",
      "p.created_at",
      "p.activated_at",
      "u.name as backer_name",
      "t.title as tier_title",
    ])
    .where("p.campaign_id", "=", campaignId)
    .where("p.state", "not in", ["checkout", "abandoned"])
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
  let query = db
    .selectFrom("pledges as p")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .leftJoin("tiers as t", "t.id", "p.tier_id")
    .select([
      "p.id",
      "p.amount",
      "p.currency",
      "p.state",
      "p.shipping_destination",
      "u.name",
      "u.email",
      "t.title as tier_title",
    ])
    // The cursor keeps the database's microseconds (a JS Date would round them off).
    .select(sql<string>`p.created_at::text`.as("cursor"))
    .where("p.campaign_id", "=", campaignId)
    .where("p.state", "not in", ["checkout", "abandoned"])
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
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}
