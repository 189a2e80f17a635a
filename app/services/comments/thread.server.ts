import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { commentReplyEmail } from "../../domain/comment-emails";
import {
  commentPermission,
  mayEdit,
  type CommentAction,
  type CommentItem,
  type CommentPermission,
} from "../../domain/comments";
import { POSTING_LIMITS, postingLimitKey } from "../../domain/conversation-limits";
import { crowdPermission } from "../../domain/crowd";
import { recipientLocale } from "../../domain/emails";
import { isLocale, type Translate } from "../../domain/locale";
import { currentUpdateBody, markdownToText } from "../../domain/markdown";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { recordAudit } from "../../models/audit.server";
import { findCampaignUpdate, isBacker } from "../../models/campaign-update.server";
import { changeCommentVisibility, recordComment } from "../../models/comment-state.server";
import {
  editComment,
  findThreadCampaign,
  findThreadComment,
  editableSources,
  isDuplicateComment,
  listThreadPage,
  type CommentView,
  type ThreadCampaign,
} from "../../models/comment.server";
import { ideaInThread } from "../../models/idea.server";
import { queueEmails } from "../../models/outbox.server";
import type { SessionUser } from "../../models/user.server";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { writeEmail } from "../emails.server";
import { hitRateLimit } from "../rate-limit.server";

// A comment thread (a project page's, one update's, or one idea's) and what people do on it:
// post, reply, edit within the window, delete their own, and the creator's hide and show. Who
// may do what is decided here and again in each query's WHERE; every write a person makes is
// rate limited per account, and a reply emails the comment's author in their language, in the
// same transaction. An idea's thread is open to whoever may post on the board.

export interface ThreadUpdate {
  id: string;
  title: string;
  html: string;
  createdAt: Date;
  authorName: string;
  visibility: "public" | "backers";
}

export interface Thread {
  campaign: ThreadCampaign;
  /** The update whose thread this is; null for the project page's. */
  update: ThreadUpdate | null;
  /** The idea whose thread this is; null unless it is an idea's. */
  ideaId: string | null;
  /** The path of the thread's page, for redirects and email links. */
  path: string;
  viewerIsCreator: boolean;
  viewerIsBacker: boolean;
  /** A backers-only update the viewer cannot read: neither it nor its comments are shown. */
  locked: boolean;
  permission: CommentPermission;
}

/** The thread at this address as this viewer may see it, or undefined when there is none. */
export async function openThread(
  db: Db,
  {
    slug,
    updateId,
    ideaId = null,
    viewer,
  }: { slug: string; updateId: string | null; ideaId?: string | null; viewer: SessionUser | undefined },
): Promise<Thread | undefined> {
  const campaign = await findThreadCampaign(db, { slug });
  if (!campaign) return undefined;
  const viewerIsCreator = viewer?.id === campaign.creatorId;
  const viewerIsBacker =
    viewer && !viewerIsCreator ? await isBacker(db, { campaignId: campaign.id, userId: viewer.id }) : false;
  let update: ThreadUpdate | null = null;
  let locked = false;
  if (updateId) {
    const row = await findCampaignUpdate(db, { campaignId: campaign.id, updateId });
    if (!row) return undefined;
    locked = row.visibility === "backers" && !viewerIsBacker && !viewerIsCreator;
    update = {
      id: row.id,
      title: row.title,
      html: locked ? "" : currentUpdateBody(row).body_html,
      createdAt: row.created_at,
      authorName: row.author_name,
      visibility: row.visibility,
    };
  }
  if (ideaId) return openIdeaThread(db, { campaign, ideaId, viewer, viewerIsCreator, viewerIsBacker });
  const permission = locked
    ? "backersOnly"
    : commentPermission({
        campaignState: campaign.state,
        policy: campaign.commentPolicy,
        signedIn: Boolean(viewer),
        suspended: viewer?.suspended ?? false,
        isCreator: viewerIsCreator,
        isBacker: viewerIsBacker,
      });
  const path = update ? `/projects/${campaign.slug}/updates/${update.id}` : `/projects/${campaign.slug}/comments`;
  return { campaign, update, ideaId: null, path, viewerIsCreator, viewerIsBacker, locked, permission };
}

/**
 * An idea's thread: its conversation is the board's, so whoever may post ideas may comment
 * (a board that is off or a campaign that has ended reads as closed). A hidden idea is found
 * only by the creator, and its thread takes no new words.
 */
async function openIdeaThread(
  db: Db,
  {
    campaign,
    ideaId,
    viewer,
    viewerIsCreator,
    viewerIsBacker,
  }: {
    campaign: ThreadCampaign;
    ideaId: string;
    viewer: SessionUser | undefined;
    viewerIsCreator: boolean;
    viewerIsBacker: boolean;
  },
): Promise<Thread | undefined> {
  const visibility = await ideaInThread(db, { ideaId, campaignId: campaign.id });
  if (!visibility || (visibility === "hidden" && !viewerIsCreator)) return undefined;
  const board = crowdPermission({
    campaignState: campaign.state,
    enabled: campaign.ideasEnabled && visibility === "visible",
    policy: campaign.ideaPolicy,
    signedIn: Boolean(viewer),
    suspended: viewer?.suspended ?? false,
    isCreator: viewerIsCreator,
    isBacker: viewerIsBacker,
  });
  return {
    campaign,
    update: null,
    ideaId,
    path: `/projects/${campaign.slug}/ideas/${ideaId}`,
    viewerIsCreator,
    viewerIsBacker,
    locked: false,
    permission: board === "disabled" ? "closed" : board,
  };
}

export type ThreadActionResult =
  { ok: true; commentId: string; intent: CommentAction["intent"] } | Refusal | RateLimited;

const PERMISSION_MESSAGE: Record<Exclude<CommentPermission, "ok">, string> = {
  signIn: "comments:permission.signIn",
  backersOnly: "comments:permission.backersOnly",
  suspended: "comments:permission.suspended",
  closed: "comments:permission.closed",
};

/** Does what a form on the thread asked, as `user`, or says why not. */
export async function actOnThread(
  db: Db,
  {
    thread,
    user,
    action,
    t,
    now = new Date(),
  }: { thread: Thread; user: SessionUser; action: CommentAction; t: Translate; now?: Date },
): Promise<ThreadActionResult> {
  const { campaign } = thread;
  const updateId = thread.update?.id ?? null;
  const { ideaId } = thread;
  if (user.suspended) return refuse(403, t(PERMISSION_MESSAGE.suspended));
  if (thread.locked) return refuse(403, t(PERMISSION_MESSAGE.backersOnly));

  if (action.intent === "hide" || action.intent === "show") {
    if (!thread.viewerIsCreator) return refuse(403, t("comments:refusal.onlyCreatorHides"));
    const moved = await inTransaction(db, async (trx) => {
      const change = await changeCommentVisibility(trx, {
        commentId: action.commentId,
        campaignId: campaign.id,
        actorId: user.id,
        to: action.intent === "hide" ? "hidden" : "visible",
        reason: action.intent === "hide" ? "hidden by the campaign's creator" : null,
      });
      if (change.ok && change.from !== change.to)
        await recordAudit(trx, {
          actorId: user.id,
          action: `comment.${action.intent === "hide" ? "hide" : "show"}`,
          subjectType: "comment",
          subjectId: action.commentId,
          detail: { by: "creator", campaignId: campaign.id },
        });
      return change;
    });
    if (!moved.ok) return refuse(moved.reason === "not_found" ? 404 : 409, t("comments:refusal.deleted"));
    return { ok: true, commentId: action.commentId, intent: action.intent };
  }

  if (action.intent === "delete") {
    const comment = await findThreadComment(db, {
      commentId: action.commentId,
      campaignId: campaign.id,
      updateId,
      ideaId,
    });
    if (!comment) return refuse(404, t("comments:refusal.notFound"));
    if (comment.author_id !== user.id) return refuse(403, t("comments:refusal.notYours"));
    const moved = await changeCommentVisibility(db, { commentId: comment.id, actorId: user.id, to: "deleted" });
    if (!moved.ok) return refuse(404, t("comments:refusal.notFound"));
    return { ok: true, commentId: comment.id, intent: "delete" };
  }

  if (thread.permission !== "ok") return refuse(403, t(PERMISSION_MESSAGE[thread.permission]));
  const limit = await hitRateLimit(db, postingLimitKey("comment", user.id), POSTING_LIMITS.comment);
  if (!limit.allowed)
    return rateLimited(
      limit.retryAfterSeconds,
      t("comments:refusal.tooMany", { wait: describeWait(t, limit.retryAfterSeconds) }),
    );

  if (action.intent === "edit") {
    const comment = await findThreadComment(db, {
      commentId: action.commentId,
      campaignId: campaign.id,
      updateId,
      ideaId,
    });
    if (!comment || comment.deleted_at) return refuse(404, t("comments:refusal.notFound"));
    if (comment.author_id !== user.id) return refuse(403, t("comments:refusal.notYours"));
    const edited = await editComment(db, { commentId: comment.id, authorId: user.id, bodyMd: action.body, now });
    if (!edited) return refuseField(409, "body", t("comments:refusal.editClosed"));
    return { ok: true, commentId: comment.id, intent: "edit" };
  }

  let parent: Awaited<ReturnType<typeof findThreadComment>> | null = null;
  if (action.intent === "reply") {
    parent = await findThreadComment(db, { commentId: action.parentId, campaignId: campaign.id, updateId, ideaId });
    // A reply to a reply joins the same conversation: threads are one level deep.
    if (parent?.parent_id)
      parent = await findThreadComment(db, {
        commentId: parent.parent_id,
        campaignId: campaign.id,
        updateId,
        ideaId,
      });
    if (!parent || parent.deleted_at || parent.hidden_at) return refuse(404, t("comments:refusal.parentGone"));
  }
  if (await isDuplicateComment(db, { authorId: user.id, bodyMd: action.body, now }))
    return refuseField(409, "body", t("comments:refusal.duplicate"));

  return inTransaction(db, async (trx) => {
    const comment = await recordComment(trx, {
      campaignId: campaign.id,
      updateId,
      ideaId,
      parentId: parent?.id ?? null,
      authorId: user.id,
      bodyMd: action.body,
    });
    if (parent && parent.author_id !== user.id)
      await queueReplyEmail(trx, {
        thread,
        parentAuthorId: parent.author_id,
        replyId: comment.id,
        replier: user,
        bodyMd: action.body,
      });
    return { ok: true as const, commentId: comment.id, intent: action.intent };
  });
}

async function queueReplyEmail(
  trx: Db,
  {
    thread,
    parentAuthorId,
    replyId,
    replier,
    bodyMd,
  }: { thread: Thread; parentAuthorId: string; replyId: string; replier: SessionUser; bodyMd: string },
) {
  const recipient = await trx
    .selectFrom("users")
    .select(["id", "email", "name", "locale"])
    .where("id", "=", parentAuthorId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!recipient) return;
  // Without a saved language, the campaign's is the best guess at what the commenter reads.
  const campaignLanguage = isLocale(thread.campaign.language) ? thread.campaign.language : null;
  const written = writeEmail(commentReplyEmail, recipientLocale(recipient.locale, campaignLanguage), {
    recipientName: recipient.name,
    replierName: replier.name,
    campaignTitle: thread.campaign.title,
    text: markdownToText(bodyMd, 2_000),
    url: `${thread.path}#comment-${replyId}`,
  });
  await queueEmails(trx, [
    {
      kind: "comment_reply",
      category: "comments",
      toEmail: recipient.email,
      toUserId: recipient.id,
      dedupeKey: `comment-reply:${replyId}`,
      ...written,
    },
  ]);
}

/** A page of the thread, serialisable, with each comment's permissions for `viewer`. */
export async function loadThreadPage(
  db: Db,
  {
    thread,
    viewer,
    before,
    now = new Date(),
  }: { thread: Thread; viewer: SessionUser | undefined; before: string | null; now?: Date },
): Promise<{ comments: CommentItem[]; nextBefore: string | null }> {
  if (thread.locked) return { comments: [], nextBefore: null };
  const page = await listThreadPage(db, {
    campaignId: thread.campaign.id,
    creatorId: thread.campaign.creatorId,
    updateId: thread.update?.id ?? null,
    ideaId: thread.ideaId,
    before,
  });
  const sources = viewer
    ? await editableSources(db, { authorId: viewer.id, now, ids: collectIds(page.comments) })
    : new Map();
  const canWrite = thread.permission === "ok";
  const participant = Boolean(viewer) && !viewer?.suspended;
  const item = (c: CommentView, topLevel: boolean): CommentItem => {
    const mine = c.authorId === viewer?.id;
    const visible = c.visibility === "visible";
    return {
      id: c.id,
      authorName: c.authorName,
      byCreator: c.byCreator,
      visibility: c.visibility,
      html: c.html,
      createdAt: c.createdAt.toISOString(),
      editedAt: c.editedAt?.toISOString() ?? null,
      editableSource:
        canWrite && visible && mine && mayEdit({ authorIsViewer: mine, visible, createdAt: c.createdAt }, now)
          ? (sources.get(c.id) ?? null)
          : null,
      may: {
        reply: canWrite && topLevel && visible,
        delete: participant && mine && c.visibility !== "deleted",
        hide: participant && thread.viewerIsCreator && visible,
        show: participant && thread.viewerIsCreator && c.visibility === "hidden",
        report: participant && !mine && visible,
      },
      replies: c.replies.map((r) => item(r, false)),
    };
  };
  return { comments: page.comments.map((c) => item(c, true)), nextBefore: page.nextBefore };
}

function collectIds(comments: CommentView[]): string[] {
  return comments.flatMap((c) => [c.id, ...c.replies.map((r) => r.id)]);
}
