import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { getConfig } from "../../config.server";
import { recipientLocale } from "../../domain/emails";
import type { Translate } from "../../domain/locale";
import { changesRequestedEmail, reviewApprovedEmail } from "../../domain/moderation-emails";
import { decideReview, submitForReview, type ReviewOutcome } from "../../models/campaign-review.server";
import { launchCampaign } from "../../models/campaign-lifecycle.server";
import type { CreatorActor } from "../../models/campaign.server";
import { queueEmails } from "../../models/outbox.server";
import { getUserById } from "../../models/user.server";
import { writeEmail } from "../emails.server";
import type { Moderator } from "./desk.server";

// "Launch" and its review (docs/decisions/020). With REVIEW_BEFORE_LAUNCH the creator's launch
// submits the draft; a moderator's approval launches it and the creator is told, as they are
// when changes are asked for, in their language, queued in the decision's transaction.

/** The creator's "Launch": straight to live, or to the review queue when review is on. */
export async function launchOrSubmit(
  db: Db,
  { campaignId, actor, t }: { campaignId: string; actor: CreatorActor; t: Translate },
) {
  if (getConfig().reviewBeforeLaunch) {
    const submitted = await submitForReview(db, { campaignId, actor, t });
    return submitted.ok ? ({ ok: true, launched: false } as const) : submitted;
  }
  const launched = await launchCampaign(db, { campaignId, actor, t });
  return launched.ok ? ({ ok: true, launched: true } as const) : launched;
}

/** A moderator approves a review (the campaign goes live) or asks for changes; the creator is emailed. */
export async function decideCampaignReview(
  db: Db,
  input: { reviewId: string; moderator: Moderator; decision: "approve" | "changes"; note: string; t: Translate },
): Promise<ReviewOutcome> {
  return inTransaction(db, async (trx) => {
    const outcome = await decideReview(trx, input);
    if (!outcome.ok) return outcome;
    const { campaign } = outcome;
    const creator = await getUserById(trx, campaign.creatorId);
    if (creator) {
      const locale = recipientLocale(creator.locale);
      const base = { creatorName: creator.name, campaignTitle: campaign.title };
      const email =
        outcome.decision === "approved"
          ? writeEmail(reviewApprovedEmail, locale, {
              ...base,
              url: `/creator/campaigns/${campaign.id}`,
              deadline: outcome.deadline!,
              note: input.note,
            })
          : writeEmail(changesRequestedEmail, locale, {
              ...base,
              url: `/creator/campaigns/${campaign.id}/launch`,
              note: input.note,
            });
      await queueEmails(trx, [
        {
          kind: outcome.decision === "approved" ? "review_approved" : "review_changes_requested",
          toEmail: creator.email,
          toUserId: creator.id,
          dedupeKey: `campaign-review-${input.reviewId}`,
          ...email,
        },
      ]);
    }
    return outcome;
  });
}
