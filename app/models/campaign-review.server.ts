import type { Db, ReviewDecision } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import type { Translate } from "../domain/locale";
import { refuse } from "../domain/refusal";
import { translatorFor } from "../i18n";
import { recordAudit } from "./audit.server";
import { launchCampaign, refuseUnreadyDraft } from "./campaign-lifecycle.server";
import {
  auditCampaign,
  campaignNotFoundIn,
  lockCampaign,
  refused,
  type CreatorActor,
  type WriteFailure,
} from "./campaign.server";

// Review before launch (docs/decisions/020): the campaign stays a draft while a campaign_reviews
// row waits; approving it launches the draft through launchCampaign, as the creator's own launch
// would. Every move locks the campaign row first, then the review row, so a submit, a withdrawal
// and two moderators deciding at once are taken one after the other: the first decision wins and
// the others find the review decided and change nothing.

const english: Translate = translatorFor("en");

/** The latest review of a campaign, open or decided. */
export async function latestReview(db: Db, { campaignId }: { campaignId: string }) {
  return db
    .selectFrom("campaign_reviews")
    .select(["id", "decision", "submitted_at", "decided_at", "note"])
    .where("campaign_id", "=", campaignId)
    .orderBy("submitted_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * The creator submits a ready draft for review (the launch checklist must pass). Submitting a
 * draft already in review answers with that review and writes nothing.
 */
export async function submitForReview(
  db: Db,
  {
    campaignId,
    actor,
    now = new Date(),
    t = english,
  }: { campaignId: string; actor: CreatorActor; now?: Date; t?: Translate },
): Promise<{ ok: true; submittedAt: Date; alreadyInReview: boolean } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFoundIn(t);
    const open = await trx
      .selectFrom("campaign_reviews")
      .select("submitted_at")
      .where("campaign_id", "=", campaignId)
      .where("decided_at", "is", null)
      .executeTakeFirst();
    if (open && campaign.state === "draft") return { ok: true, submittedAt: open.submitted_at, alreadyInReview: true };
    const unready = await refuseUnreadyDraft(trx, campaign, now, t);
    if (unready) return unready;
    const review = await trx
      .insertInto("campaign_reviews")
      .values({ campaign_id: campaignId, submitted_by: actor.userId, submitted_at: now })
      .returning(["id", "submitted_at"])
      .executeTakeFirstOrThrow();
    await auditCampaign(trx, actor, campaignId, "campaign.review.submit", { detail: { reviewId: review.id } });
    return { ok: true, submittedAt: review.submitted_at, alreadyInReview: false };
  });
}

/** The creator takes a draft back out of review (to keep working on it without a moderator looking). */
export async function withdrawReview(
  db: Db,
  {
    campaignId,
    actor,
    now = new Date(),
    t = english,
  }: { campaignId: string; actor: CreatorActor; now?: Date; t?: Translate },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFoundIn(t);
    const withdrawn = await trx
      .updateTable("campaign_reviews")
      .set({ decision: "withdrawn", decided_by: actor.userId, decided_at: now })
      .where("campaign_id", "=", campaignId)
      .where("decided_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!withdrawn) return refused(t("moderation:review.notInReview"));
    await auditCampaign(trx, actor, campaignId, "campaign.review.withdraw", { detail: { reviewId: withdrawn.id } });
    return { ok: true };
  });
}

export type ReviewOutcome =
  | {
      ok: true;
      decision: Extract<ReviewDecision, "approved" | "changes_requested">;
      campaign: { id: string; title: string; creatorId: string };
      deadline?: Date;
    }
  | WriteFailure;

/**
 * A moderator's decision on an open review: approve (the draft launches now, its deadline counted
 * from now, through launchCampaign) or ask for changes with a note for the creator. A review
 * that is decided or withdrawn meanwhile is refused with 409 and nothing changes.
 */
export async function decideReview(
  db: Db,
  {
    reviewId,
    moderator,
    decision,
    note,
    now = new Date(),
    t = english,
  }: {
    reviewId: string;
    moderator: { userId: string; ip?: string };
    decision: "approve" | "changes";
    note: string;
    now?: Date;
    t?: Translate;
  },
): Promise<ReviewOutcome> {
  const found = await db
    .selectFrom("campaign_reviews")
    .select("campaign_id")
    .where("id", "=", reviewId)
    .executeTakeFirst();
  if (!found) return refuse(404, t("moderation:review.notFound"));
  const campaignId = found.campaign_id;
  // Moderators act on any campaign; the lock order is the campaign's, then the review's.
  const actor: CreatorActor = { userId: moderator.userId, staff: true, ip: moderator.ip };
  return inTransaction(db, async (trx): Promise<ReviewOutcome> => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return refuse(404, t("moderation:review.notFound"));
    const review = await trx
      .selectFrom("campaign_reviews")
      .select("id")
      .where("id", "=", reviewId)
      .where("decided_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!review) return refused(t("moderation:review.alreadyDecided"));
    let deadline: Date | undefined;
    if (decision === "approve") {
      const launched = await launchCampaign(trx, {
        campaignId,
        actor,
        now,
        t,
        reason: "approved in review by a moderator",
      });
      if (!launched.ok) return launched;
      deadline = launched.deadline;
    }
    const stored: ReviewDecision = decision === "approve" ? "approved" : "changes_requested";
    await trx
      .updateTable("campaign_reviews")
      .set({ decision: stored, decided_by: moderator.userId, decided_at: now, note })
      .where("id", "=", reviewId)
      .execute();
    await recordAudit(trx, {
      actorId: moderator.userId,
      action: decision === "approve" ? "campaign.review.approve" : "campaign.review.changes",
      subjectType: "campaign",
      subjectId: campaignId,
      reason: note || undefined,
      detail: { reviewId, ...(deadline ? { deadline: deadline.toISOString() } : {}) },
      ip: moderator.ip,
    });
    return {
      ok: true,
      decision: stored,
      campaign: { id: campaignId, title: campaign.title, creatorId: campaign.creator_id },
      deadline,
    };
  });
}

/** The review queue: drafts waiting for a moderator, the longest-waiting first. */
export async function listOpenReviews(db: Db, { limit = 100 }: { limit?: number } = {}) {
  return db
    .selectFrom("campaign_reviews as r")
    .innerJoin("campaigns as c", "c.id", "r.campaign_id")
    .innerJoin("users as u", "u.id", "c.creator_id")
    .select((eb) => [
      "r.id",
      "r.submitted_at",
      "c.id as campaign_id",
      "c.title",
      "c.slug",
      "c.blurb",
      "c.category",
      "c.language",
      "c.goal_amount",
      "c.currency",
      "c.duration_days",
      "c.deadline",
      "c.funding_model",
      "c.collection",
      "c.updated_at",
      "u.id as creator_id",
      "u.name as creator_name",
      eb
        .selectFrom("campaign_reviews as p")
        .select((p) => p.fn.countAll<number>().as("n"))
        .whereRef("p.campaign_id", "=", "r.campaign_id")
        .where("p.decision", "=", "changes_requested")
        .as("earlier_changes"),
    ])
    .where("r.decided_at", "is", null)
    .where("c.state", "=", "draft")
    .orderBy("r.submitted_at")
    .orderBy("r.id")
    .limit(limit)
    .execute();
}

/** How many drafts wait for a moderator (the desk's navigation shows it). */
export async function countOpenReviews(db: Db): Promise<number> {
  const row = await db
    .selectFrom("campaign_reviews as r")
    .innerJoin("campaigns as c", "c.id", "r.campaign_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("r.decided_at", "is", null)
    .where("c.state", "=", "draft")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
