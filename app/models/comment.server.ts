import { sql } from "kysely";
import type { CampaignState, CommentPolicy, Db } from "../../db/schema.js";
import { COMMENTS_PER_PAGE } from "../domain/comments";
import { DUPLICATE_WINDOW_MS, duplicateFingerprint, EDIT_WINDOW_MS } from "../domain/conversation-limits";
import { conversationColumns, currentConversationBody } from "../domain/markdown";
import { visibilityOf, type CommentVisibility } from "./comment-state.server";

// Reading comment threads and the author's edits. Inserting, hiding and deleting (and the
// counters) belong to comment-state.server.ts. A thread is a campaign's project page
// (update_id and idea_id null), one of its updates, or one idea of its board; replies are one
// level deep.

/** The campaign a thread belongs to, as its comment pages need it; drafts and deleted campaigns have none. */
export interface ThreadCampaign {
  id: string;
  slug: string;
  title: string;
  state: CampaignState;
  creatorId: string;
  creatorName: string;
  commentPolicy: CommentPolicy;
  commentCount: number;
  language: string;
  /** The Ideas board's settings: an idea's thread follows who may post on the board. */
  ideasEnabled: boolean;
  ideaPolicy: CommentPolicy;
  ideaCount: number;
}

export async function findThreadCampaign(db: Db, { slug }: { slug: string }): Promise<ThreadCampaign | undefined> {
  return db
    .selectFrom("campaigns as c")
    .innerJoin("users as u", "u.id", "c.creator_id")
    .select([
      "c.id",
      "c.slug",
      "c.title",
      "c.state",
      "c.creator_id as creatorId",
      "u.name as creatorName",
      "c.comment_policy as commentPolicy",
      "c.comment_count as commentCount",
      "c.language",
      "c.ideas_enabled as ideasEnabled",
      "c.idea_policy as ideaPolicy",
      "c.idea_count as ideaCount",
    ])
    .where("c.slug", "=", slug)
    .where("c.state", "in", ["live", "settling", "funded", "unfunded", "cancelled"])
    .executeTakeFirst();
}

export interface CommentView {
  id: string;
  parentId: string | null;
  authorId: string;
  authorName: string;
  /** Written by the campaign's creator: the page shows a "Creator" badge. */
  byCreator: boolean;
  visibility: CommentVisibility;
  /** Sanitised HTML; empty unless the comment is visible (a placeholder shows instead). */
  html: string;
  createdAt: Date;
  editedAt: Date | null;
  replyCount: number;
  replies: CommentView[];
}

interface CommentRow {
  id: string;
  parent_id: string | null;
  author_id: string;
  author_name: string;
  body_md: string;
  body_html: string;
  markdown_version: number;
  created_at: Date;
  edited_at: Date | null;
  hidden_at: Date | null;
  deleted_at: Date | null;
  reply_count: number;
}

const COMMENT_COLUMNS = [
  "c.id",
  "c.parent_id",
  "c.author_id",
  "a.name as author_name",
  "c.body_md",
  "c.body_html",
  "c.markdown_version",
  "c.created_at",
  "c.edited_at",
  "c.hidden_at",
  "c.deleted_at",
  "c.reply_count",
] as const;

function toView(row: CommentRow, creatorId: string): CommentView {
  const visibility = visibilityOf(row);
  return {
    id: row.id,
    parentId: row.parent_id,
    authorId: row.author_id,
    authorName: row.author_name,
    byCreator: row.author_id === creatorId,
    visibility,
    html: visibility === "visible" ? currentConversationBody(row) : "",
    createdAt: row.created_at,
    editedAt: row.edited_at,
    replyCount: row.reply_count,
    replies: [],
  };
}

/**
 * One page of a thread, newest first, each comment with its replies (oldest first, as a
 * conversation reads). `before` is the last comment of the previous page. A deleted comment
 * is left out unless it still has visible replies (then a placeholder keeps them in place);
 * hidden ones always show their placeholder.
 */
export async function listThreadPage(
  db: Db,
  {
    campaignId,
    creatorId,
    updateId,
    ideaId = null,
    before,
    limit = COMMENTS_PER_PAGE,
  }: {
    campaignId: string;
    creatorId: string;
    updateId: string | null;
    /** An idea's thread (updateId is then null). */
    ideaId?: string | null;
    before?: string | null;
    limit?: number;
  },
): Promise<{ comments: CommentView[]; nextBefore: string | null }> {
  let query = db
    .selectFrom("comments as c")
    .innerJoin("users as a", "a.id", "c.author_id")
    .select(COMMENT_COLUMNS)
    .where("c.campaign_id", "=", campaignId)
    .where("c.parent_id", "is", null)
    .where((eb) => eb.or([eb("c.deleted_at", "is", null), eb("c.reply_count", ">", 0)]))
    .orderBy("c.created_at", "desc")
    .orderBy("c.id", "desc")
    .limit(limit + 1);
  query = ideaId
    ? query.where("c.idea_id", "=", ideaId)
    : updateId
      ? query.where("c.update_id", "=", updateId)
      : query.where("c.update_id", "is", null).where("c.idea_id", "is", null);
  if (before) {
    // Keyset pagination: strictly older than the cursor comment of this same thread.
    query = query.where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple("c.created_at", "c.id"),
        "<",
        selectFrom("comments as k")
          .select(["k.created_at", "k.id"])
          .where("k.id", "=", before)
          .where("k.campaign_id", "=", campaignId)
          .$asTuple("created_at", "id"),
      ),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit).map((r) => toView(r, creatorId));
  if (page.length) {
    const replies = await db
      .selectFrom("comments as c")
      .innerJoin("users as a", "a.id", "c.author_id")
      .select(COMMENT_COLUMNS)
      .where(
        "c.parent_id",
        "in",
        page.map((c) => c.id),
      )
      .where("c.deleted_at", "is", null)
      .orderBy("c.created_at")
      .orderBy("c.id")
      .execute();
    const byParent = new Map(page.map((c) => [c.id, c]));
    for (const r of replies) byParent.get(r.parent_id!)?.replies.push(toView(r, creatorId));
  }
  return { comments: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** A comment of this thread, as the actions on it need it. */
export async function findThreadComment(
  db: Db,
  {
    commentId,
    campaignId,
    updateId,
    ideaId = null,
  }: { commentId: string; campaignId: string; updateId: string | null; ideaId?: string | null },
) {
  let query = db
    .selectFrom("comments")
    .select(["id", "parent_id", "author_id", "created_at", "hidden_at", "deleted_at", "body_md"])
    .where("id", "=", commentId)
    .where("campaign_id", "=", campaignId);
  query = ideaId
    ? query.where("idea_id", "=", ideaId)
    : updateId
      ? query.where("update_id", "=", updateId)
      : query.where("update_id", "is", null).where("idea_id", "is", null);
  return query.executeTakeFirst();
}

/**
 * The author changes a visible comment's words within the edit window; the check is the WHERE,
 * so a late or foreign edit changes nothing. Returns whether it was changed.
 */
export async function editComment(
  db: Db,
  {
    commentId,
    authorId,
    bodyMd,
    now = new Date(),
  }: { commentId: string; authorId: string; bodyMd: string; now?: Date },
): Promise<boolean> {
  const result = await db
    .updateTable("comments")
    .set({ ...conversationColumns(bodyMd), edited_at: now })
    .where("id", "=", commentId)
    .where("author_id", "=", authorId)
    .where("deleted_at", "is", null)
    .where("hidden_at", "is", null)
    .where("created_at", ">", new Date(now.getTime() - EDIT_WINDOW_MS))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The Markdown source of the viewer's own comments among `ids` still inside the edit window. */
export async function editableSources(
  db: Db,
  { authorId, ids, now = new Date() }: { authorId: string; ids: string[]; now?: Date },
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("comments")
    .select(["id", "body_md"])
    .where("id", "in", ids)
    .where("author_id", "=", authorId)
    .where("deleted_at", "is", null)
    .where("hidden_at", "is", null)
    .where("created_at", ">", new Date(now.getTime() - EDIT_WINDOW_MS))
    .execute();
  return new Map(rows.map((r) => [r.id, r.body_md]));
}

/** Whether the author posted the same words (by fingerprint) anywhere within the duplicate window. */
export async function isDuplicateComment(
  db: Db,
  { authorId, bodyMd, now = new Date() }: { authorId: string; bodyMd: string; now?: Date },
): Promise<boolean> {
  const recent = await db
    .selectFrom("comments")
    .select("body_md")
    .where("author_id", "=", authorId)
    .where("created_at", ">", new Date(now.getTime() - DUPLICATE_WINDOW_MS))
    .where("deleted_at", "is", null)
    .orderBy("created_at", "desc")
    .limit(50)
    .execute();
  const fingerprint = duplicateFingerprint(bodyMd);
  return recent.some((r) => duplicateFingerprint(r.body_md) === fingerprint);
}

export interface DigestRow {
  campaign_id: string;
  campaign_title: string;
  campaign_slug: string;
  creator_id: string;
  creator_email: string;
  creator_name: string;
  creator_locale: string | null;
  total: number;
  author_name: string;
  body_md: string;
}

/**
 * For the creators' daily digest: per campaign, how many visible comments others wrote on its
 * threads in [from, to), and the first few of them. One row per shown comment.
 */
export async function commentsForDigest(
  db: Db,
  { from, to, perCampaign = 5 }: { from: Date; to: Date; perCampaign?: number },
) {
  const { rows } = await sql<DigestRow>`
    select * from (
      select ca.id as campaign_id, ca.title as campaign_title, ca.slug as campaign_slug,
        cr.id as creator_id, cr.email as creator_email, cr.name as creator_name, cr.locale as creator_locale,
        count(*) over (partition by ca.id)::int as total,
        row_number() over (partition by ca.id order by c.created_at, c.id) as n,
        a.name as author_name, c.body_md
      from comments c
      join campaigns ca on ca.id = c.campaign_id
      join users cr on cr.id = ca.creator_id and cr.deleted_at is null
      join users a on a.id = c.author_id
      where c.created_at >= ${from} and c.created_at < ${to}
        and c.deleted_at is null and c.hidden_at is null and c.author_id <> ca.creator_id
    ) ranked
    where n <= ${perCampaign}
    order by campaign_id, n`.execute(db);
  return rows;
}

/** The creator (or staff) chooses who may comment; the owner check is in the WHERE. */
export async function setCommentPolicy(
  db: Db,
  {
    campaignId,
    actor,
    policy,
  }: { campaignId: string; actor: { userId: string; staff: boolean }; policy: CommentPolicy },
): Promise<boolean> {
  let query = db.updateTable("campaigns").set({ comment_policy: policy }).where("id", "=", campaignId);
  if (!actor.staff) query = query.where("creator_id", "=", actor.userId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
