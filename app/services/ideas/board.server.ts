import type { Db } from "../../../db/schema.js";
import { POSTING_LIMITS, postingLimitKey } from "../../domain/conversation-limits";
import { crowdPermission, type CrowdPermission } from "../../domain/crowd";
import { boardIsPublic, type IdeaAction } from "../../domain/idea-actions";
import type { Translate } from "../../domain/locale";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { recordAudit } from "../../models/audit.server";
import { isBacker } from "../../models/campaign-update.server";
import { castIdeaVote, withdrawIdeaVote } from "../../models/crowd-votes.server";
import { answerIdea, changeIdeaVisibility, creditIdea, recordIdea } from "../../models/idea-state.server";
import { findBoardCampaign, ideaInThread, type BoardCampaign } from "../../models/idea.server";
import type { SessionUser } from "../../models/user.server";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { hitRateLimit } from "../rate-limit.server";

// A campaign's Ideas board as a viewer meets it, and what people do on it: post an idea, vote and
// withdraw the vote, the creator's answer (a status, a public note, a thank-you) and hide/show,
// the author's delete. Who may do what is decided here from crowdPermission, and again in each
// writer's WHERE (the creator's answers and hides name the campaign's creator; a delete names its
// author). Posting and voting are rate limited per account; the creator's moderation is audited.

export interface Board {
  campaign: BoardCampaign;
  /** The board's address, for redirects and sign-in links. */
  path: string;
  viewerIsCreator: boolean;
  viewerIsBacker: boolean;
  /** Whether this viewer may post ideas and vote, or why not. */
  permission: CrowdPermission;
}

/**
 * The board at this address as this viewer may see it, or undefined when there is none. A board
 * the creator has turned off stays readable while it has ideas (their authors keep their
 * credit), but takes no new ideas or votes; one that never had ideas is there for its creator only.
 */
export async function openBoard(
  db: Db,
  { slug, viewer }: { slug: string; viewer: SessionUser | undefined },
): Promise<Board | undefined> {
  const campaign = await findBoardCampaign(db, { slug });
  if (!campaign) return undefined;
  const viewerIsCreator = viewer?.id === campaign.creatorId;
  if (!boardIsPublic(campaign) && !viewerIsCreator) return undefined;
  const viewerIsBacker =
    viewer && !viewerIsCreator ? await isBacker(db, { campaignId: campaign.id, userId: viewer.id }) : false;
  const permission = crowdPermission({
    campaignState: campaign.state,
    enabled: campaign.ideasEnabled,
    policy: campaign.ideaPolicy,
    signedIn: Boolean(viewer),
    suspended: viewer?.suspended ?? false,
    isCreator: viewerIsCreator,
    isBacker: viewerIsBacker,
  });
  return { campaign, path: `/projects/${campaign.slug}/ideas`, viewerIsCreator, viewerIsBacker, permission };
}

export const PERMISSION_MESSAGE: Record<Exclude<CrowdPermission, "ok">, string> = {
  signIn: "ideas:permission.signIn",
  backersOnly: "ideas:permission.backersOnly",
  suspended: "ideas:permission.suspended",
  closed: "ideas:permission.closed",
  disabled: "ideas:permission.disabled",
};

export type IdeaActionResult = { ok: true; ideaId: string; intent: IdeaAction["intent"] } | Refusal | RateLimited;

/** A refusal inside a transaction: thrown to roll back what the transaction wrote, then answered. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super("refused");
  }
}

/**
 * Does what a form on the board or an idea's page asked, as `user`, or says why not. `ideaId` is
 * the idea the form acts on (none for a new idea); it must be one of this board's.
 */
export async function actOnBoard(
  db: Db,
  {
    board,
    user,
    ideaId,
    action,
    t,
    now = new Date(),
  }: { board: Board; user: SessionUser; ideaId: string | null; action: IdeaAction; t: Translate; now?: Date },
): Promise<IdeaActionResult> {
  const { campaign } = board;
  if (user.suspended) return refuse(403, t(PERMISSION_MESSAGE.suspended));

  if (action.intent === "post") {
    if (board.permission !== "ok") return refuse(403, t(PERMISSION_MESSAGE[board.permission]));
    const limit = await hitRateLimit(db, postingLimitKey("idea", user.id), POSTING_LIMITS.idea);
    if (!limit.allowed)
      return rateLimited(
        limit.retryAfterSeconds,
        t("ideas:refusal.tooMany", { wait: describeWait(t, limit.retryAfterSeconds) }),
      );
    const idea = await recordIdea(db, {
      campaignId: campaign.id,
      authorId: user.id,
      title: action.title,
      kind: action.kind,
      bodyMd: action.body,
      now,
    });
    return { ok: true, ideaId: idea.id, intent: "post" };
  }

  const visibility = ideaId ? await ideaInThread(db, { ideaId, campaignId: campaign.id }) : undefined;
  if (!ideaId || !visibility || (visibility === "hidden" && !board.viewerIsCreator))
    return refuse(404, t("ideas:refusal.notFound"));

  if (action.intent === "vote" || action.intent === "unvote") {
    // Withdrawing stays open to a voter who has since stopped backing; nothing moves on a closed board.
    const mayVote = board.permission === "ok" || (action.intent === "unvote" && board.permission === "backersOnly");
    if (!mayVote) return refuse(403, t(PERMISSION_MESSAGE[board.permission as Exclude<CrowdPermission, "ok">]));
    const limit = await hitRateLimit(db, postingLimitKey("vote", user.id), POSTING_LIMITS.vote);
    if (!limit.allowed)
      return rateLimited(
        limit.retryAfterSeconds,
        t("ideas:refusal.tooManyVotes", { wait: describeWait(t, limit.retryAfterSeconds) }),
      );
    const voted =
      action.intent === "vote"
        ? await castIdeaVote(db, { ideaId, userId: user.id })
        : await withdrawIdeaVote(db, { ideaId, userId: user.id });
    if (!voted.ok)
      return voted.reason === "suspended"
        ? refuse(403, t(PERMISSION_MESSAGE.suspended))
        : refuse(404, t("ideas:refusal.notFound"));
    return { ok: true, ideaId, intent: action.intent };
  }

  if (action.intent === "deleteIdea") {
    const moved = await changeIdeaVisibility(db, {
      ideaId,
      campaignId: campaign.id,
      authorId: user.id,
      actorId: user.id,
      to: "deleted",
      now,
    });
    if (!moved.ok) return refuse(403, t("ideas:refusal.notYours"));
    return { ok: true, ideaId, intent: "deleteIdea" };
  }

  // The creator's answers and hides; staff who may open the creator's pages do not answer for them.
  if (!board.viewerIsCreator) return refuse(403, t("ideas:refusal.onlyCreator"));

  if (action.intent === "hideIdea" || action.intent === "showIdea") {
    const hide = action.intent === "hideIdea";
    const moved = await db.transaction().execute(async (trx) => {
      const change = await changeIdeaVisibility(trx, {
        ideaId,
        campaignId: campaign.id,
        creatorId: user.id,
        actorId: user.id,
        to: hide ? "hidden" : "visible",
        reason: hide ? "hidden by the campaign's creator" : null,
        now,
      });
      if (change.ok && change.from !== change.to)
        await recordAudit(trx, {
          actorId: user.id,
          action: hide ? "idea.hide" : "idea.show",
          subjectType: "idea",
          subjectId: ideaId,
          detail: { by: "creator", campaignId: campaign.id },
        });
      return change;
    });
    if (!moved.ok) return refuse(404, t("ideas:refusal.notFound"));
    return { ok: true, ideaId, intent: action.intent };
  }

  // The answer and its thank-you land together or not at all.
  try {
    await db.transaction().execute(async (trx) => {
      const answered = await answerIdea(trx, {
        ideaId,
        campaignId: campaign.id,
        creatorId: user.id,
        status: action.status,
        note: action.note,
        now,
      });
      if (!answered.ok)
        throw new Refused(
          answered.reason === "illegal"
            ? refuseField(409, "status", t("ideas:refusal.illegalMove"))
            : refuse(404, t("ideas:refusal.notFound")),
        );
      let credit: string | null = null;
      if (action.status === "adopted") {
        const credited = await creditIdea(trx, {
          ideaId,
          campaignId: campaign.id,
          creatorId: user.id,
          kind: action.credit === "none" ? null : action.credit,
          tierId: action.tierId ?? null,
        });
        if (!credited.ok)
          throw new Refused(
            credited.reason === "no_pledge"
              ? refuseField(409, "credit", t("ideas:refusal.noPledge"))
              : credited.reason === "wrong_tier"
                ? refuseField(400, "tierId", t("ideas:validation.tier"))
                : credited.reason === "not_adopted"
                  ? refuseField(409, "credit", t("ideas:validation.creditNeedsAdopted"))
                  : refuse(404, t("ideas:refusal.notFound")),
          );
        credit = credited.kind;
      }
      if (answered.changed || action.status === "adopted")
        await recordAudit(trx, {
          actorId: user.id,
          action: "idea.answer",
          subjectType: "idea",
          subjectId: ideaId,
          detail: { campaignId: campaign.id, from: answered.from, to: answered.to, credit },
        });
    });
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
  return { ok: true, ideaId, intent: "answer" };
}
