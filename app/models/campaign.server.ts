import type { Db, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import type { CampaignDraftInput, CampaignLiveInput } from "../domain/campaign-form";
import { endOfDayUtc } from "../domain/campaign-terms";
import { storyColumns } from "../domain/markdown";
import type { Translate } from "../domain/locale";
import { refuse, type FieldErrors, type Refusal } from "../domain/refusal";
import { translatorFor } from "../i18n";
import { recordAudit } from "./audit.server";
import { recordNewCampaign } from "./campaign-state.server";

// A creator's campaigns: which ones the actor may see and lock (ownership is in the query), and
// the writes of the campaign's page (a new draft, the whole draft form, the words of a live one).
// Its rewards are in campaign-tiers, its launch, cancel and delete in campaign-lifecycle, its
// dashboard and backers export in campaign-dashboard.

/** Who is asking: the creator, or staff (admin/finance) who may see every campaign. */
export interface CreatorActor {
  userId: string;
  staff: boolean;
  ip?: string;
}

export type WriteFailure = Refusal;
export const campaignNotFound = refuse(404, "Campaign not found.");
/** The same refusal in the caller's language. */
export const campaignNotFoundIn = (t: Translate) => refuse(404, t("campaignForm:refusal.campaignNotFound"));

// The campaign form's refusals are worded in the caller's language (the request's); English by default.
const english: Translate = translatorFor("en");
/** A change the campaign's state no longer allows (the page was stale): 409. */
export const refused = (formError: string, fieldErrors: FieldErrors = {}) => refuse(409, formError, fieldErrors);

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
  "campaigns.story_html",
  "campaigns.story_summary",
  "campaigns.markdown_version",
  "campaigns.category",
  "campaigns.cover_image_id",
  "campaigns.cover_alt",
  "campaigns.language",
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
  "campaigns.comment_policy",
  "campaigns.comment_count",
  "campaigns.ideas_enabled",
  "campaigns.idea_policy",
  "campaigns.idea_count",
  "campaigns.ideas_adopted_count",
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

/** Locks the campaign for a write, if the actor may see it (the ownership check is in the query). */
export async function lockCampaign(trx: Trx, campaignId: string, actor: CreatorActor) {
  return (
    visibleCampaigns(trx, actor)
      .select(CAMPAIGN_COLUMNS)
      .where("campaigns.id", "=", campaignId)
      // No key update: creator writes still queue on it, while a pledge (whose foreign key shares
      // the key) can be written meanwhile, so a checkout holding a tier never waits on it.
      .forNoKeyUpdate()
      .executeTakeFirst()
  );
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

const slugTaken = (slug: string, t: Translate) =>
  refuse(400, undefined, {
    slug: t("campaignForm:refusal.slugTaken", { slug, suggestion: `${slug.slice(0, 70)}-${new Date().getFullYear()}` }),
  });

/** The words and picture of a campaign's page: what its creator may change at any time. */
function pageColumns(input: CampaignLiveInput) {
  return {
    title: input.title,
    blurb: input.blurb,
    ...storyColumns(input.storyMd),
    category: input.category,
    cover_alt: input.coverAlt,
    ...(input.language ? { language: input.language } : {}),
  };
}

/** The whole draft form: the page, its address, and the terms fixed at launch. */
function draftColumns(input: CampaignDraftInput) {
  return {
    slug: input.slug,
    ...pageColumns(input),
    goal_amount: input.goalAmount,
    currency: input.currency,
    funding_model: input.fundingModel,
    collection: input.collection,
    ...deadlineColumns(input),
  };
}

function deadlineColumns(input: Pick<CampaignDraftInput, "durationDays" | "endDate">) {
  return input.durationDays !== null
    ? { duration_days: input.durationDays, deadline: null }
    : { duration_days: null, deadline: input.endDate ? endOfDayUtc(input.endDate) : null };
}

export async function createDraft(
  db: Db,
  {
    actor,
    input,
    coverImageId,
    t = english,
  }: { actor: CreatorActor; input: CampaignDraftInput; coverImageId?: string | null; t?: Translate },
): Promise<{ ok: true; campaignId: string } | WriteFailure> {
  const taken = await db.selectFrom("campaigns").select("id").where("slug", "=", input.slug).executeTakeFirst();
  if (taken) return slugTaken(input.slug, t);
  try {
    return await inTransaction(db, async (trx) => {
      const row = await trx
        .insertInto("campaigns")
        .values({
          creator_id: actor.userId,
          ...draftColumns(input),
          cover_image_id: coverImageId ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordNewCampaign(trx, { campaignId: row.id, actorId: actor.userId, reason: "draft created" });
      await auditCampaign(trx, actor, row.id, "campaign.create", { detail: { slug: input.slug } });
      return { ok: true as const, campaignId: row.id };
    });
  } catch (error) {
    // Two drafts racing for one address: the unique index decides, the loser gets the message.
    if (isUniqueViolation(error)) return slugTaken(input.slug, t);
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
    t = english,
  }: {
    campaignId: string;
    actor: CreatorActor;
    input: CampaignDraftInput;
    coverImageId?: string | null;
    t?: Translate;
  },
): Promise<{ ok: true } | WriteFailure> {
  try {
    return await inTransaction(db, async (trx) => {
      const campaign = await lockCampaign(trx, campaignId, actor);
      if (!campaign) return campaignNotFoundIn(t);
      if (campaign.state !== "draft") return refused(t("campaignForm:refusal.alreadyLaunchedDraft"));
      if (input.slug !== campaign.slug) {
        const taken = await trx.selectFrom("campaigns").select("id").where("slug", "=", input.slug).executeTakeFirst();
        if (taken) return slugTaken(input.slug, t);
      }
      await trx
        .updateTable("campaigns")
        .set({
          ...draftColumns(input),
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
      await auditCampaign(trx, actor, campaignId, "campaign.update");
      return { ok: true as const };
    });
  } catch (error) {
    if (error instanceof CurrencyChangeWithTiers) {
      return {
        ok: false,
        status: 400,
        fieldErrors: {
          currency: t("campaignForm:refusal.currencyWithTiers"),
        },
      };
    }
    if (isUniqueViolation(error)) return slugTaken(input.slug, t);
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
    t = english,
  }: {
    campaignId: string;
    actor: CreatorActor;
    input: CampaignLiveInput;
    coverImageId?: string | null;
    t?: Translate;
  },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFoundIn(t);
    await trx
      .updateTable("campaigns")
      .set({
        ...pageColumns(input),
        ...(coverImageId ? { cover_image_id: coverImageId } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", campaignId)
      .execute();
    await auditCampaign(trx, actor, campaignId, "campaign.update");
    return { ok: true as const };
  });
}

/** Audits a creator's (or staff's) change to a campaign: who, from where, and what. */
export function auditCampaign(
  trx: Trx,
  actor: CreatorActor,
  campaignId: string,
  action: string,
  more: { reason?: string; detail?: Record<string, unknown> } = {},
) {
  return recordAudit(trx, {
    actorId: actor.userId,
    action,
    subjectType: "campaign",
    subjectId: campaignId,
    ip: actor.ip,
    ...more,
  });
}
