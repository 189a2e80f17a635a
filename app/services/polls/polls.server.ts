import type { CampaignState, Db } from "../../../db/schema.js";
import { POSTING_LIMITS, postingLimitKey } from "../../domain/conversation-limits";
import {
  POLL_RECENTLY_CLOSED_MS,
  crowdPermission,
  maySeePollResults,
  type CrowdPermission,
  type PollCard,
} from "../../domain/crowd";
import type { Translate } from "../../domain/locale";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { isBacker } from "../../models/campaign-update.server";
import { findThreadCampaign } from "../../models/comment.server";
import { castPollVote } from "../../models/crowd-votes.server";
import { listPolls, type PollView } from "../../models/poll.server";
import type { SessionUser } from "../../models/user.server";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { hitRateLimit } from "../rate-limit.server";

export type { PollCard };

// Polls as a viewer meets them, and voting in one. Who may vote is crowdPermission (the poll's
// policy, backing, suspension, the campaign still open, the poll not closed). The results are
// sent to the page only when the viewer may see them (after voting, after closing, or to the
// creator), so counts never sit in the page of someone who has not voted, and an anonymous
// card (the one a shared cache may keep) holds nobody's vote. A poll in a backers-only update
// is left out by the query itself for anyone who cannot read the update.

export interface PollCampaign {
  id: string;
  slug: string;
  state: CampaignState;
  creatorId: string;
}

export function toPollCard(
  poll: PollView,
  v: {
    campaignState: CampaignState;
    viewer: SessionUser | undefined;
    isCreator: boolean;
    isBacker: boolean;
    now: Date;
    /** The creator's pages: staff reading them see the results as the creator does. */
    readsResults?: boolean;
  },
): PollCard {
  const closed = poll.closesAt.getTime() <= v.now.getTime();
  const permission = crowdPermission({
    campaignState: v.campaignState,
    enabled: true,
    closed,
    policy: poll.policy,
    signedIn: Boolean(v.viewer),
    suspended: v.viewer?.suspended ?? false,
    isCreator: v.isCreator,
    isBacker: v.isBacker,
  });
  const visible =
    v.readsResults || maySeePollResults({ closed, hasVoted: poll.viewerChoice !== null, isCreator: v.isCreator });
  return {
    id: poll.id,
    question: poll.question,
    policy: poll.policy,
    closesAt: poll.closesAt.toISOString(),
    closed,
    permission,
    viewerChoice: poll.viewerChoice,
    results: visible
      ? { total: poll.voteCount, options: poll.options.map((o) => ({ id: o.id, voteCount: o.voteCount })) }
      : null,
    options: poll.options.map((o) => ({ id: o.id, label: o.label })),
  };
}

/**
 * The polls of the project page (`updateId` null: the open ones, then those closed in the last
 * 30 days) or of one update (all of them), as this viewer sees them.
 */
export async function pollCardsFor(
  db: Db,
  {
    campaign,
    updateId,
    viewer,
    isBacker: viewerIsBacker,
    now = new Date(),
  }: {
    campaign: PollCampaign;
    updateId: string | null;
    viewer: SessionUser | undefined;
    isBacker: boolean;
    now?: Date;
  },
): Promise<PollCard[]> {
  const isCreator = viewer?.id === campaign.creatorId;
  const polls = await listPolls(db, {
    campaignId: campaign.id,
    updateId,
    viewerId: viewer?.id ?? null,
    readsBackersUpdates: isCreator || viewerIsBacker,
    closedSince: updateId === null ? new Date(now.getTime() - POLL_RECENTLY_CLOSED_MS) : undefined,
    now,
  });
  return polls.map((p) =>
    toPollCard(p, { campaignState: campaign.state, viewer, isCreator, isBacker: viewerIsBacker, now }),
  );
}

/** A poll found for one viewer: its campaign, the poll, and who they are to the campaign. */
export interface OpenedPoll {
  campaign: PollCampaign & { title: string; language: string };
  poll: PollView;
  card: PollCard;
  isCreator: boolean;
  isBacker: boolean;
}

/**
 * The poll at /projects/:slug/polls/:pollId for this viewer, or undefined: no such campaign, no
 * such poll in it, or a poll of a backers-only update they cannot read (not found, as the update).
 */
export async function openPoll(
  db: Db,
  {
    slug,
    pollId,
    viewer,
    now = new Date(),
  }: { slug: string; pollId: string; viewer: SessionUser | undefined; now?: Date },
): Promise<OpenedPoll | undefined> {
  const campaign = await findThreadCampaign(db, { slug });
  if (!campaign) return undefined;
  const isCreator = viewer?.id === campaign.creatorId;
  const backer = viewer && !isCreator ? await isBacker(db, { campaignId: campaign.id, userId: viewer.id }) : false;
  const [poll] = await listPolls(db, {
    campaignId: campaign.id,
    pollId,
    viewerId: viewer?.id ?? null,
    readsBackersUpdates: isCreator || backer,
    now,
  });
  if (!poll) return undefined;
  const card = toPollCard(poll, { campaignState: campaign.state, viewer, isCreator, isBacker: backer, now });
  return {
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      state: campaign.state,
      creatorId: campaign.creatorId,
      title: campaign.title,
      language: campaign.language,
    },
    poll,
    card,
    isCreator,
    isBacker: backer,
  };
}

/** What a counted vote did: a first vote, a changed one, or the same choice again (nothing moved). */
export type PollVoteOutcome = "voted" | "changed" | "same";

export type PollVoteResult = { ok: true; pollId: string; outcome: PollVoteOutcome } | Refusal | RateLimited;

const PERMISSION_MESSAGE: Record<Exclude<CrowdPermission, "ok">, string> = {
  signIn: "polls:permission.signIn",
  backersOnly: "polls:permission.backersOnly",
  suspended: "polls:permission.suspended",
  closed: "polls:permission.closed",
  disabled: "polls:permission.closed",
};

/**
 * The user's vote in a poll opened for them (openPoll with the same user): refused unless the
 * poll is open to them and the option is one of its own; rate limited per account. castPollVote
 * checks closing and the option again in its transaction, so a poll closing meanwhile is refused.
 */
export async function voteInPoll(
  db: Db,
  {
    opened,
    optionId,
    user,
    t,
    now = new Date(),
  }: { opened: OpenedPoll; optionId: string; user: SessionUser; t: Translate; now?: Date },
): Promise<PollVoteResult> {
  const { poll, card } = opened;
  if (card.permission !== "ok")
    return refuse(card.permission === "closed" ? 409 : 403, t(PERMISSION_MESSAGE[card.permission]));
  if (!poll.options.some((o) => o.id === optionId)) return refuseField(400, "optionId", t("polls:validation.option"));
  const limit = await hitRateLimit(db, postingLimitKey("vote", user.id), POSTING_LIMITS.vote);
  if (!limit.allowed)
    return rateLimited(
      limit.retryAfterSeconds,
      t("polls:refusal.tooMany", { wait: describeWait(t, limit.retryAfterSeconds) }),
    );
  const voted = await castPollVote(db, { pollId: poll.id, optionId, userId: user.id, now });
  if (!voted.ok) {
    if (voted.reason === "closed") return refuse(409, t("polls:permission.closed"));
    if (voted.reason === "wrong_option") return refuseField(400, "optionId", t("polls:validation.option"));
    if (voted.reason === "suspended") return refuse(403, t("polls:permission.suspended"));
    return refuse(404, t("polls:refusal.notFound"));
  }
  const outcome: PollVoteOutcome = !voted.changed ? "same" : voted.previousOptionId ? "changed" : "voted";
  return { ok: true, pollId: poll.id, outcome };
}
