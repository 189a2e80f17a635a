import { z } from "zod";
import type { CampaignState, CommentPolicy } from "../../db/schema.js";
import { EDIT_WINDOW_MS, MAX_LENGTH } from "./conversation-limits";
import type { Translate } from "./locale";

// Comments' rules, pure: who may write on a campaign, what a comment form holds, and what each
// person may do to a comment they see. The queries apply the same rules in their WHERE clauses
// (app/models/comment.server.ts); these decide what a page offers and what a refusal says.

/** Comments are read on every campaign that has been public; new ones only while it is open or funded. */
export const COMMENTABLE_STATES = ["live", "settling", "funded"] as const satisfies readonly CampaignState[];

/** Top-level comments per page; replies come with their comment (one level). */
export const COMMENTS_PER_PAGE = 20;

/** Why a person may not write a comment on a campaign, or "ok". */
export type CommentPermission = "ok" | "signIn" | "backersOnly" | "suspended" | "closed";

export function commentPermission(v: {
  campaignState: CampaignState;
  policy: CommentPolicy;
  signedIn: boolean;
  suspended: boolean;
  isCreator: boolean;
  isBacker: boolean;
}): CommentPermission {
  if (!(COMMENTABLE_STATES as readonly string[]).includes(v.campaignState)) return "closed";
  if (!v.signedIn) return "signIn";
  if (v.suspended) return "suspended";
  if (v.isCreator || v.policy === "signed_in") return "ok";
  return v.isBacker ? "ok" : "backersOnly";
}

/** An author may change their words for a while after posting, while the comment is visible. */
export function editableUntil(createdAt: Date): Date {
  return new Date(createdAt.getTime() + EDIT_WINDOW_MS);
}

export function mayEdit(c: { authorIsViewer: boolean; visible: boolean; createdAt: Date }, now: Date): boolean {
  return c.authorIsViewer && c.visible && now < editableUntil(c.createdAt);
}

const body = (t: Translate) =>
  z
    .string({ error: t("comments:validation.bodyRequired") })
    .trim()
    .min(1, t("comments:validation.bodyRequired"))
    .max(MAX_LENGTH.comment, t("comments:validation.bodyTooLong", { max: MAX_LENGTH.comment }));

const commentId = (t: Translate) => z.uuid({ error: t("comments:refusal.notFound") });

/**
 * Every form on a comment thread, by intent: a new comment, a reply (to a top-level comment), an
 * edit, the author's delete, and the creator's hide and show.
 */
export function commentActionSchema(t: Translate) {
  return z.discriminatedUnion(
    "intent",
    [
      z.object({ intent: z.literal("post"), body: body(t) }),
      z.object({ intent: z.literal("reply"), parentId: commentId(t), body: body(t) }),
      z.object({ intent: z.literal("edit"), commentId: commentId(t), body: body(t) }),
      z.object({ intent: z.literal("delete"), commentId: commentId(t) }),
      z.object({ intent: z.literal("hide"), commentId: commentId(t) }),
      z.object({ intent: z.literal("show"), commentId: commentId(t) }),
    ],
    { error: t("comments:refusal.unknownAction") },
  );
}

export type CommentAction = z.infer<ReturnType<typeof commentActionSchema>>;

/** The comment policy setting on the creator's comments page. */
export const COMMENT_POLICIES = ["backers", "signed_in"] as const satisfies readonly CommentPolicy[];

export function commentPolicySchema(t: Translate) {
  return z.object({ policy: z.enum(COMMENT_POLICIES, { error: t("comments:creator.invalid") }) });
}

/** One comment as a thread page shows it to this viewer, with what they may do to it. */
export interface CommentItem {
  id: string;
  authorName: string;
  byCreator: boolean;
  visibility: "visible" | "hidden" | "deleted";
  html: string;
  createdAt: string;
  editedAt: string | null;
  /** Source for the edit box: only to the author, only while they may edit. */
  editableSource: string | null;
  may: { reply: boolean; delete: boolean; hide: boolean; show: boolean; report: boolean };
  replies: CommentItem[];
}
