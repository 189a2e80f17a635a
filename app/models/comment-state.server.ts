import { sql } from "kysely";
import type { Db, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { conversationColumns } from "../domain/markdown";

// The one writer of a comment's existence and visibility, and of the counters that follow it:
// campaigns.comment_count (visible comments and replies on the campaign and its updates),
// ideas.comment_count (the same on one idea's thread, which the campaign's count leaves out) and
// comments.reply_count (a comment's visible replies). Each move changes the row and the counters
// in one transaction, the comment row locked first, so counts stay exact under concurrent posts,
// hides and deletes. Edits of the text (which do not change visibility) are the comments model's.

export type CommentVisibility = "visible" | "hidden" | "deleted";

export function visibilityOf(row: { hidden_at: Date | null; deleted_at: Date | null }): CommentVisibility {
  return row.deleted_at ? "deleted" : row.hidden_at ? "hidden" : "visible";
}

/** Legal moves: hidden comments can be shown again; a deleted comment stays deleted. */
const MOVES: Record<CommentVisibility, readonly CommentVisibility[]> = {
  visible: ["hidden", "deleted"],
  hidden: ["visible", "deleted"],
  deleted: [],
};

/** Inserts a comment or a reply and counts it. The caller has checked who may post and the limits. */
export async function recordComment(
  db: Db,
  input: {
    campaignId: string;
    updateId: string | null;
    /** The idea whose thread it is on (updateId is then null). */
    ideaId?: string | null;
    parentId: string | null;
    authorId: string;
    bodyMd: string;
  },
) {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto("comments")
      .values({
        campaign_id: input.campaignId,
        update_id: input.updateId,
        idea_id: input.ideaId ?? null,
        parent_id: input.parentId,
        author_id: input.authorId,
        ...conversationColumns(input.bodyMd),
      })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    await countVisible(
      trx,
      { campaignId: input.campaignId, ideaId: input.ideaId ?? null, parentId: input.parentId },
      1,
    );
    return row;
  });
}

export type VisibilityChange =
  | { ok: true; from: CommentVisibility; to: CommentVisibility }
  | { ok: false; reason: "not_found" | "illegal"; from?: CommentVisibility };

/**
 * Moves a comment to `to`: hide (with a reason shown to moderators), show again, or delete (its
 * text is cleared; a placeholder keeps the thread). Authorization is the caller's, in its query;
 * `campaignId`, when given, must own the comment (a creator acting on their own campaign).
 * Moving to where it already is answers ok without writing: a retried request is harmless.
 */
export async function changeCommentVisibility(
  db: Db,
  input: { commentId: string; campaignId?: string; actorId: string; to: CommentVisibility; reason?: string | null },
): Promise<VisibilityChange> {
  return inTransaction(db, async (trx) => {
    let query = trx
      .selectFrom("comments")
      .select(["id", "campaign_id", "idea_id", "parent_id", "hidden_at", "deleted_at"])
      .where("id", "=", input.commentId);
    if (input.campaignId) query = query.where("campaign_id", "=", input.campaignId);
    const row = await query.forUpdate().executeTakeFirst();
    if (!row) return { ok: false, reason: "not_found" };
    const from = visibilityOf(row);
    if (from === input.to) return { ok: true, from, to: from };
    if (!MOVES[from].includes(input.to)) return { ok: false, reason: "illegal", from };
    const now = new Date();
    await trx
      .updateTable("comments")
      .set(
        input.to === "deleted"
          ? { deleted_at: now, deleted_by: input.actorId, body_md: "", body_html: "" }
          : input.to === "hidden"
            ? { hidden_at: now, hidden_by: input.actorId, hidden_reason: input.reason ?? null }
            : { hidden_at: null, hidden_by: null, hidden_reason: null },
      )
      .where("id", "=", row.id)
      .execute();
    const delta = (input.to === "visible" ? 1 : 0) - (from === "visible" ? 1 : 0);
    if (delta !== 0)
      await countVisible(trx, { campaignId: row.campaign_id, ideaId: row.idea_id, parentId: row.parent_id }, delta);
    return { ok: true, from, to: input.to };
  });
}

/** Lock order everywhere: the comment, then its parent, then the idea or the campaign (no deadlock between moves). */
async function countVisible(
  trx: Trx,
  at: { campaignId: string; ideaId: string | null; parentId: string | null },
  delta: number,
) {
  if (at.parentId)
    await trx
      .updateTable("comments")
      .set({ reply_count: sql`reply_count + ${delta}` })
      .where("id", "=", at.parentId)
      .execute();
  if (at.ideaId)
    await trx
      .updateTable("ideas")
      .set({ comment_count: sql`comment_count + ${delta}` })
      .where("id", "=", at.ideaId)
      .execute();
  else
    await trx
      .updateTable("campaigns")
      .set({ comment_count: sql`comment_count + ${delta}` })
      .where("id", "=", at.campaignId)
      .execute();
}
