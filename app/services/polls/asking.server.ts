import type { CampaignState, CrowdPolicy, CurrencyCode, Db } from "../../../db/schema.js";
import { POSTING_LIMITS, postingLimitKey } from "../../domain/conversation-limits";
import { IDEA_OPEN_STATES, type PollCard } from "../../domain/crowd";
import type { Translate } from "../../domain/locale";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { recordAudit } from "../../models/audit.server";
import type { CreatorActor } from "../../models/campaign.server";
import { closePoll, createPoll, listPolls, pollUpdateChoices, weightedPollResults } from "../../models/poll.server";
import type { SessionUser } from "../../models/user.server";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { hitRateLimit } from "../rate-limit.server";
import { toPollCard } from "./polls.server";

// The creator's side of polls: asking one (while the campaign is live, settling or funded; on
// the project page or in one of the campaign's updates), closing one early, and the list of
// every poll with its results, weighted by pledge amount for backers-only ones. Only the
// campaign's creator asks, closes and sees the weights: staff who may open the creator pages
// read the list with its plain results. Both writes are rate limited and audited.

interface AskingCampaign {
  id: string;
  state: CampaignState;
  creator_id: string;
}

export interface CreatorPollRow {
  card: PollCard;
  /** The update it was asked in; null on the project page. */
  updateTitle: string | null;
  weighted: { currency: CurrencyCode; options: { optionId: string; amount: number }[] } | null;
}

/** Every poll of the campaign for its creator's page, with the updates a new poll can go in. */
export async function creatorPolls(
  db: Db,
  { campaign, user, now = new Date() }: { campaign: AskingCampaign; user: SessionUser; now?: Date },
) {
  const isCreator = user.id === campaign.creator_id;
  const [polls, updates] = await Promise.all([
    listPolls(db, { campaignId: campaign.id, viewerId: user.id, readsBackersUpdates: true, now }),
    pollUpdateChoices(db, { campaignId: campaign.id, creatorId: campaign.creator_id }),
  ]);
  const rows: CreatorPollRow[] = [];
  for (const p of polls)
    rows.push({
      card: toPollCard(p, {
        campaignState: campaign.state,
        viewer: user,
        isCreator,
        isBacker: false,
        now,
        readsResults: true,
      }),
      updateTitle: updates.find((u) => u.id === p.updateId)?.title ?? null,
      weighted:
        p.policy === "backers" ? ((await weightedPollResults(db, { pollId: p.id, creatorId: user.id })) ?? null) : null,
    });
  return {
    polls: rows,
    updates: isCreator ? updates : [],
    isCreator,
    mayAsk: isCreator && (IDEA_OPEN_STATES as readonly string[]).includes(campaign.state),
  };
}

export interface PollQuestion {
  question: string;
  options: string[];
  closesAt: Date;
  policy: CrowdPolicy;
  updateId: string | null;
}

/** Asks a new poll; refused when the campaign is not open, too many were asked, or the update is not the campaign's. */
export async function askPoll(
  db: Db,
  {
    campaign,
    actor,
    suspended,
    question,
    t,
    now = new Date(),
  }: {
    campaign: AskingCampaign;
    actor: CreatorActor;
    /** The asking account is suspended: it may not post anything, polls included. */
    suspended: boolean;
    question: PollQuestion;
    t: Translate;
    now?: Date;
  },
): Promise<{ ok: true; pollId: string } | Refusal | RateLimited> {
  if (actor.userId !== campaign.creator_id) return refuse(403, t("polls:refusal.onlyCreator"));
  if (suspended) return refuse(403, t("polls:refusal.suspended"));
  if (!(IDEA_OPEN_STATES as readonly string[]).includes(campaign.state))
    return refuse(409, t("polls:refusal.campaignClosed"));
  const limit = await hitRateLimit(db, postingLimitKey("poll", actor.userId), POSTING_LIMITS.poll);
  if (!limit.allowed) return tooManyPolls(t, limit.retryAfterSeconds);
  const pollId = await db.transaction().execute(async (trx) => {
    const id = await createPoll(trx, { campaignId: campaign.id, creatorId: actor.userId, ...question, now });
    if (id)
      await recordAudit(trx, {
        actorId: actor.userId,
        action: "campaign.poll_asked",
        subjectType: "poll",
        subjectId: id,
        ip: actor.ip,
        detail: { campaignId: campaign.id, options: question.options.length, policy: question.policy },
      });
    return id;
  });
  // The campaign is the creator's (checked above), so only the update can have failed the query.
  if (!pollId) return refuseField(400, "updateId", t("polls:validation.update"));
  return { ok: true, pollId };
}

/** Closes an open poll of the creator's campaign now; refused when it has already closed. */
export async function closePollEarly(
  db: Db,
  {
    campaign,
    actor,
    pollId,
    t,
    now = new Date(),
  }: { campaign: AskingCampaign; actor: CreatorActor; pollId: string; t: Translate; now?: Date },
): Promise<{ ok: true } | Refusal | RateLimited> {
  if (actor.userId !== campaign.creator_id) return refuse(403, t("polls:refusal.onlyCreator"));
  const limit = await hitRateLimit(db, postingLimitKey("poll", actor.userId), POSTING_LIMITS.poll);
  if (!limit.allowed) return tooManyPolls(t, limit.retryAfterSeconds);
  const closed = await db.transaction().execute(async (trx) => {
    const done = await closePoll(trx, { pollId, campaignId: campaign.id, creatorId: actor.userId, now });
    if (done === "done")
      await recordAudit(trx, {
        actorId: actor.userId,
        action: "campaign.poll_closed",
        subjectType: "poll",
        subjectId: pollId,
        ip: actor.ip,
        detail: { campaignId: campaign.id },
      });
    return done;
  });
  if (closed === "not_found") return refuse(404, t("polls:refusal.notFound"));
  return closed === "done" ? { ok: true } : refuse(409, t("polls:refusal.alreadyClosed"));
}

function tooManyPolls(t: Translate, retryAfterSeconds: number) {
  return rateLimited(retryAfterSeconds, t("polls:refusal.tooManyPolls", { wait: describeWait(t, retryAfterSeconds) }));
}
