import { sql } from "kysely";
import type { Db, IdeaCreditKind, IdeaKind, IdeaStatus, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { mayMoveIdea } from "../domain/crowd";
import { conversationColumns } from "../domain/markdown";
import { COUNTED_STATES } from "../domain/pledge-states";

// The one writer of an idea's existence, visibility, status and thank-you, and of the counters
// that follow them: campaigns.idea_count (visible ideas) and campaigns.ideas_adopted_count
// (visible ideas adopted). Each change locks the idea row first, then moves the campaign's
// counters in the same transaction, so the public counts stay exact under concurrent posts,
// answers, hides and deletes. Votes are crowd-votes.server.ts's; reading is idea.server.ts's.

export type IdeaVisibility = "visible" | "hidden" | "deleted";

export function ideaVisibilityOf(row: { hidden_at: Date | null; deleted_at: Date | null }): IdeaVisibility {
  return row.deleted_at ? "deleted" : row.hidden_at ? "hidden" : "visible";
}

/** Hidden ideas can be shown again; a deleted idea stays deleted. */
const VISIBILITY_MOVES: Record<IdeaVisibility, readonly IdeaVisibility[]> = {
  visible: ["hidden", "deleted"],
  hidden: ["visible", "deleted"],
  deleted: [],
};

/** Inserts an idea and counts it. The caller has checked who may post and the limits. */
export async function recordIdea(
  db: Db,
  input: { campaignId: string; authorId: string; title: string; kind: IdeaKind; bodyMd: string; now?: Date },
) {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto("ideas")
      .values({
        campaign_id: input.campaignId,
        author_id: input.authorId,
        title: input.title,
        kind: input.kind,
        ...conversationColumns(input.bodyMd),
        ...(input.now ? { created_at: input.now } : {}),
      })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    await countIdeas(trx, input.campaignId, { visible: 1, adopted: 0 });
    return row;
  });
}

export type IdeaAnswerResult =
  { ok: true; from: IdeaStatus; to: IdeaStatus; changed: boolean } | { ok: false; reason: "not_found" | "illegal" };

/**
 * The creator answers an idea of their own campaign: a status and a public note. The owner check
 * is in the query (an idea of another campaign, or of someone else's, is not found). The first
 * answer stamps answered_at (the insights' time to answer); every answer is kept in
 * idea_status_changes. Moving away from "adopted" withdraws its thank-you. The same answer again
 * writes nothing.
 */
export async function answerIdea(
  db: Db,
  {
    ideaId,
    campaignId,
    creatorId,
    status,
    note,
    now = new Date(),
  }: { ideaId: string; campaignId: string; creatorId: string; status: IdeaStatus; note: string; now?: Date },
): Promise<IdeaAnswerResult> {
  return inTransaction(db, async (trx) => {
    const idea = await trx
      .selectFrom("ideas")
      .select(["id", "status", "status_note", "hidden_at", "deleted_at"])
      .where("id", "=", ideaId)
      .where("campaign_id", "=", campaignId)
      .where("campaign_id", "in", trx.selectFrom("campaigns").select("id").where("creator_id", "=", creatorId))
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) return { ok: false, reason: "not_found" };
    const from = idea.status;
    if (from === status && idea.status_note === note) return { ok: true, from, to: status, changed: false };
    if (from !== status && !mayMoveIdea(from, status)) return { ok: false, reason: "illegal" };
    await trx
      .updateTable("ideas")
      .set({
        status,
        status_note: note,
        status_changed_at: from === status ? undefined : now,
        answered_at: sql`coalesce(answered_at, ${now})`,
      })
      .where("id", "=", idea.id)
      .execute();
    await trx
      .insertInto("idea_status_changes")
      .values({ idea_id: idea.id, from_status: from, to_status: status, note, actor_id: creatorId, at: now })
      .execute();
    if (from === "adopted" && status !== "adopted")
      await trx.deleteFrom("idea_credits").where("idea_id", "=", idea.id).execute();
    const adoptedDelta = (status === "adopted" ? 1 : 0) - (from === "adopted" ? 1 : 0);
    if (adoptedDelta !== 0 && ideaVisibilityOf(idea) === "visible")
      await countIdeas(trx, campaignId, { visible: 0, adopted: adoptedDelta });
    return { ok: true, from, to: status, changed: true };
  });
}

export type IdeaCreditResult =
  | { ok: true; kind: IdeaCreditKind | null; pledgeId: string | null }
  | { ok: false; reason: "not_found" | "not_adopted" | "no_pledge" | "wrong_tier" };

/**
 * The creator's thank-you for an adopted idea of their campaign: a mention in the credits, or a
 * tier's reward given free, recorded against the author's pledge on the campaign (their earliest
 * counted one); `null` takes the thank-you back. Setting it again replaces the previous one.
 */
export async function creditIdea(
  db: Db,
  {
    ideaId,
    campaignId,
    creatorId,
    kind,
    tierId,
  }: { ideaId: string; campaignId: string; creatorId: string; kind: IdeaCreditKind | null; tierId?: string | null },
): Promise<IdeaCreditResult> {
  return inTransaction(db, async (trx) => {
    const idea = await trx
      .selectFrom("ideas")
      .select(["id", "status", "author_id"])
      .where("id", "=", ideaId)
      .where("campaign_id", "=", campaignId)
      .where("campaign_id", "in", trx.selectFrom("campaigns").select("id").where("creator_id", "=", creatorId))
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) return { ok: false, reason: "not_found" };
    if (kind === null) {
      await trx.deleteFrom("idea_credits").where("idea_id", "=", idea.id).execute();
      return { ok: true, kind: null, pledgeId: null };
    }
    if (idea.status !== "adopted") return { ok: false, reason: "not_adopted" };
    let pledgeId: string | null = null;
    let giftTier: string | null = null;
    if (kind === "reward") {
      const tier = await trx
        .selectFrom("tiers")
        .select("id")
        .where("id", "=", tierId ?? "00000000-0000-0000-0000-000000000000")
        .where("campaign_id", "=", campaignId)
        .executeTakeFirst();
      if (!tier) return { ok: false, reason: "wrong_tier" };
      const pledge = await trx
        .selectFrom("pledges")
        .select("id")
        .where("campaign_id", "=", campaignId)
        .where("backer_id", "=", idea.author_id)
        .where("state", "in", COUNTED_STATES)
        .orderBy("created_at")
        .limit(1)
        .executeTakeFirst();
      if (!pledge) return { ok: false, reason: "no_pledge" };
      pledgeId = pledge.id;
      giftTier = tier.id;
    }
    await trx
      .insertInto("idea_credits")
      .values({ idea_id: idea.id, kind, tier_id: giftTier, pledge_id: pledgeId, created_by: creatorId })
      .onConflict((oc) =>
        oc.column("idea_id").doUpdateSet({ kind, tier_id: giftTier, pledge_id: pledgeId, created_by: creatorId }),
      )
      .execute();
    return { ok: true, kind, pledgeId };
  });
}

export type IdeaVisibilityChange =
  | { ok: true; from: IdeaVisibility; to: IdeaVisibility }
  | { ok: false; reason: "not_found" | "illegal"; from?: IdeaVisibility };

/**
 * Hides an idea (the creator or a moderator, with a reason), shows it again, or deletes it (its
 * author or a moderator; the text is cleared). Authorization is the caller's, in this query:
 * `campaignId`, `creatorId` (the campaign's creator) and `authorId`, when given, must match the
 * idea. Moving to where it already is answers ok without writing.
 */
export async function changeIdeaVisibility(
  db: Db,
  input: {
    ideaId: string;
    campaignId?: string;
    creatorId?: string;
    authorId?: string;
    actorId: string;
    to: IdeaVisibility;
    reason?: string | null;
    now?: Date;
  },
): Promise<IdeaVisibilityChange> {
  return inTransaction(db, async (trx) => {
    let query = trx
      .selectFrom("ideas")
      .select(["id", "campaign_id", "status", "hidden_at", "deleted_at"])
      .where("id", "=", input.ideaId);
    if (input.campaignId) query = query.where("campaign_id", "=", input.campaignId);
    if (input.authorId) query = query.where("author_id", "=", input.authorId);
    if (input.creatorId)
      query = query.where(
        "campaign_id",
        "in",
        trx.selectFrom("campaigns").select("id").where("creator_id", "=", input.creatorId),
      );
    const row = await query.forUpdate().executeTakeFirst();
    if (!row) return { ok: false, reason: "not_found" };
    const from = ideaVisibilityOf(row);
    if (from === input.to) return { ok: true, from, to: from };
    if (!VISIBILITY_MOVES[from].includes(input.to)) return { ok: false, reason: "illegal", from };
    const now = input.now ?? new Date();
    await trx
      .updateTable("ideas")
      .set(
        input.to === "deleted"
          ? { deleted_at: now, deleted_by: input.actorId, title: "—", body_md: "", body_html: "" }
          : input.to === "hidden"
            ? { hidden_at: now, hidden_by: input.actorId, hidden_reason: input.reason ?? null }
            : { hidden_at: null, hidden_by: null, hidden_reason: null },
      )
      .where("id", "=", row.id)
      .execute();
    if (input.to === "deleted") await trx.deleteFrom("idea_credits").where("idea_id", "=", row.id).execute();
    const visible = (input.to === "visible" ? 1 : 0) - (from === "visible" ? 1 : 0);
    if (visible !== 0)
      await countIdeas(trx, row.campaign_id, { visible, adopted: row.status === "adopted" ? visible : 0 });
    return { ok: true, from, to: input.to };
  });
}

async function countIdeas(trx: Trx, campaignId: string, delta: { visible: number; adopted: number }) {
  await trx
    .updateTable("campaigns")
    .set({
      idea_count: sql`idea_count + ${delta.visible}`,
      ideas_adopted_count: sql`ideas_adopted_count + ${delta.adopted}`,
    })
    .where("id", "=", campaignId)
    .execute();
}
