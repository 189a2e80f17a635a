import type { CampaignState, Db } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { deadlineAtLaunch } from "../domain/campaign-terms";
import { launchChecklist, type ChecklistItem } from "../domain/launch-checklist";
import type { Translate } from "../domain/locale";
import { translatorFor } from "../i18n";
import {
  auditCampaign,
  campaignNotFound,
  campaignNotFoundIn,
  lockCampaign,
  refused,
  type CreatorActor,
  type CreatorCampaign,
  type WriteFailure,
} from "./campaign.server";
import { countVisibleTiers } from "./campaign-tiers.server";
import { transitionCampaign } from "./campaign-state.server";
import { isEmailVerified } from "./user.server";

// A creator's moves of a campaign through its states: launch (draft -> live, after the
// checklist; with review on, a moderator's approval launches it through the same function), cancel (live -> cancelled) and delete (draft -> deleted), each under the row lock,
// through the campaign state table, and audited.

const english: Translate = translatorFor("en");

/** The launch checklist of a campaign as it stands, worded with `t` (English by default). */
export function checklistFor(
  campaign: CreatorCampaign,
  visibleTierCount: number,
  now: Date,
  t: Translate = english,
  creatorEmailVerified = true,
) {
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
    { visibleTierCount, now, t, creatorEmailVerified },
  );
}

/**
 * Draft -> live: re-checks the checklist under the row lock, fixes the deadline (from the
 * duration, counted from now, or the chosen end date) and records who launched it.
 */
export async function launchCampaign(
  db: Db,
  {
    campaignId,
    actor,
    now = new Date(),
    t = english,
    reason = "launched by its creator",
  }: { campaignId: string; actor: CreatorActor; now?: Date; t?: Translate; reason?: string },
): Promise<{ ok: true; deadline: Date } | (WriteFailure & { checklist?: ChecklistItem[] })> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFoundIn(t);
    const unready = await refuseUnreadyDraft(trx, campaign, now, t);
    if (unready) return unready;
    const deadline = deadlineAtLaunch({ durationDays: campaign.duration_days, endDate: campaign.deadline }, now)!;
    await transitionCampaign(trx, {
      campaignId,
      to: "live",
      expectedFrom: "draft",
      actorId: actor.userId,
      reason,
      set: { launched_at: now, deadline },
    });
    await auditCampaign(trx, actor, campaignId, "campaign.launch", {
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

/**
 * Why a locked campaign cannot launch (or go to review) now: it is no longer a draft, or its
 * checklist is not done. Undefined when it is ready.
 */
export async function refuseUnreadyDraft(
  trx: Db,
  campaign: CreatorCampaign,
  now: Date,
  t: Translate = english,
): Promise<(WriteFailure & { checklist?: ChecklistItem[] }) | undefined> {
  if (campaign.state !== "draft") return refused(t("campaignForm:refusal.alreadyLaunched"));
  const verified = await isEmailVerified(trx, { userId: campaign.creator_id });
  const checklist = checklistFor(campaign, await countVisibleTiers(trx, { campaignId: campaign.id }), now, t, verified);
  if (checklist.some((item) => !item.done)) {
    return { ...refused(t("campaignForm:refusal.finishChecklist")), status: 400 as const, checklist };
  }
  return undefined;
}

export async function cancelCampaign(
  db: Db,
  {
    campaignId,
    actor,
    reason,
    now = new Date(),
    t = english,
  }: { campaignId: string; actor: CreatorActor; reason: string; now?: Date; t?: Translate },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFound;
    if (campaign.state !== "live") return refused(cancelRefusal(t, campaign.state));
    await transitionCampaign(trx, {
      campaignId,
      to: "cancelled",
      expectedFrom: "live",
      actorId: actor.userId,
      reason,
      set: { ended_at: now },
    });
    await auditCampaign(trx, actor, campaignId, "campaign.cancel", { reason });
    return { ok: true as const };
  });
}

function cancelRefusal(t: Translate, state: CampaignState) {
  if (state === "draft") return t("creator:refusal.notLaunched");
  if (state === "cancelled") return t("creator:refusal.alreadyCancelled");
  return t("creator:refusal.settling");
}

/** Draft -> deleted. The address is released so it can be used again. */
export async function deleteDraft(
  db: Db,
  { campaignId, actor, t = english }: { campaignId: string; actor: CreatorActor; t?: Translate },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFound;
    if (campaign.state !== "draft") return refused(t("creator:refusal.onlyDrafts"));
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
    await auditCampaign(trx, actor, campaignId, "campaign.delete", { detail: { slug: campaign.slug } });
    return { ok: true as const };
  });
}
