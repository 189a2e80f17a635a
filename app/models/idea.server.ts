import { sql } from "kysely";
import type { CampaignState, CrowdPolicy, Db, IdeaCreditKind, IdeaKind, IdeaStatus } from "../../db/schema.js";
import { IDEA_READABLE_STATES, IDEAS_PER_PAGE, TRENDING_WINDOW_MS, type IdeaSort } from "../domain/crowd";
import { currentConversationBody } from "../domain/markdown";
import { shortName } from "../domain/person-names";
import { COUNTED_STATES } from "../domain/pledge-states";
import { ideaVisibilityOf, type IdeaVisibility } from "./idea-state.server";

// Reading a campaign's Ideas board: its pages (sorted, filtered, searched), one idea with its
// history and thank-you, the public counts and credits of the project page, the thank-you on a
// backer's pledge, and the creator's list of ideas waiting for an answer. Writing ideas is
// idea-state.server.ts's, votes crowd-votes.server.ts's. Authors appear on public pages by
// their short name ("Nora G."), never their full one.

/** The campaign a board belongs to, as its pages need it; drafts and deleted campaigns have none. */
export interface BoardCampaign {
  id: string;
  slug: string;
  title: string;
  state: CampaignState;
  creatorId: string;
  creatorName: string;
  language: string;
  commentCount: number;
  ideasEnabled: boolean;
  ideaPolicy: CrowdPolicy;
  ideaCount: number;
  ideasAdoptedCount: number;
}

export async function findBoardCampaign(db: Db, { slug }: { slug: string }): Promise<BoardCampaign | undefined> {
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
      "c.language",
      "c.comment_count as commentCount",
      "c.ideas_enabled as ideasEnabled",
      "c.idea_policy as ideaPolicy",
      "c.idea_count as ideaCount",
      "c.ideas_adopted_count as ideasAdoptedCount",
    ])
    .where("c.slug", "=", slug)
    .where("c.state", "in", IDEA_READABLE_STATES)
    .executeTakeFirst();
}

/** One idea as a board lists it. */
export interface IdeaSummary {
  id: string;
  title: string;
  kind: IdeaKind;
  status: IdeaStatus;
  statusNote: string;
  authorName: string;
  voteCount: number;
  commentCount: number;
  createdAt: Date;
  /** The viewer has voted for it (false for anonymous viewers). */
  voted: boolean;
}

/** A LIKE pattern that matches `text` literally anywhere (its % and _ are not wildcards). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of a board's visible ideas: top (most votes), new (newest), or trending (most votes
 * from accounts in good standing in the last seven days), optionally of one status and matching
 * a search in the title or the description. Ties fall to the newest, then the id, so pages never
 * overlap.
 */
export async function listBoardPage(
  db: Db,
  {
    campaignId,
    viewerId,
    sort,
    status,
    q,
    page,
    perPage = IDEAS_PER_PAGE,
    now = new Date(),
  }: {
    campaignId: string;
    viewerId: string | null;
    sort: IdeaSort;
    status: IdeaStatus | null;
    q: string;
    page: number;
    perPage?: number;
    now?: Date;
  },
): Promise<{ ideas: IdeaSummary[]; total: number; hasNext: boolean }> {
  let base = db
    .selectFrom("ideas as i")
    .where("i.campaign_id", "=", campaignId)
    .where("i.hidden_at", "is", null)
    .where("i.deleted_at", "is", null);
  if (status) base = base.where("i.status", "=", status);
  if (q) {
    const pattern = containsPattern(q);
    base = base.where((eb) => eb.or([eb("i.title", "ilike", pattern), eb("i.body_md", "ilike", pattern)]));
  }
  const since = new Date(now.getTime() - TRENDING_WINDOW_MS);
  const recentVotes = sql<number>`(
    select count(*)::int from idea_votes v join users vu on vu.id = v.user_id
    where v.idea_id = i.id and v.created_at > ${since} and vu.suspended_at is null)`;
  let query = base
    .innerJoin("users as a", "a.id", "i.author_id")
    .select([
      "i.id",
      "i.title",
      "i.kind",
      "i.status",
      "i.status_note",
      "a.name as author_name",
      "i.vote_count",
      "i.comment_count",
      "i.created_at",
    ])
    .select(
      viewerId
        ? sql<boolean>`exists (select 1 from idea_votes w where w.idea_id = i.id and w.user_id = ${viewerId})`.as(
            "voted",
          )
        : sql<boolean>`false`.as("voted"),
    );
  if (sort === "trending") query = query.orderBy(recentVotes, "desc").orderBy("i.vote_count", "desc");
  else if (sort === "top") query = query.orderBy("i.vote_count", "desc");
  query = query
    .orderBy("i.created_at", "desc")
    .orderBy("i.id", "desc")
    .limit(perPage + 1)
    .offset((page - 1) * perPage);
  const [rows, counted] = await Promise.all([
    query.execute(),
    base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    ideas: rows.slice(0, perPage).map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      status: r.status,
      statusNote: r.status_note,
      authorName: shortName(r.author_name),
      voteCount: r.vote_count,
      commentCount: r.comment_count,
      createdAt: r.created_at,
      voted: r.voted,
    })),
    total: counted.n,
    hasNext: rows.length > perPage,
  };
}

export interface IdeaCreditView {
  kind: IdeaCreditKind;
  /** The reward given, for a "reward" thank-you. */
  tierTitle: string | null;
}

export interface IdeaDetail extends IdeaSummary {
  authorId: string;
  html: string;
  visibility: IdeaVisibility;
  statusChangedAt: Date | null;
  credit: IdeaCreditView | null;
  history: { id: string; from: IdeaStatus; to: IdeaStatus; note: string; at: Date }[];
}

/**
 * One idea of a campaign, with its status history and thank-you. Hidden ideas are found only
 * with `includeHidden` (the creator, who may show them again); deleted ones never.
 */
export async function findIdea(
  db: Db,
  {
    ideaId,
    campaignId,
    viewerId,
    includeHidden = false,
  }: { ideaId: string; campaignId: string; viewerId: string | null; includeHidden?: boolean },
): Promise<IdeaDetail | undefined> {
  let query = db
    .selectFrom("ideas as i")
    .innerJoin("users as a", "a.id", "i.author_id")
    .leftJoin("idea_credits as ic", "ic.idea_id", "i.id")
    .leftJoin("tiers as t", "t.id", "ic.tier_id")
    .select([
      "i.id",
      "i.title",
      "i.kind",
      "i.status",
      "i.status_note",
      "i.status_changed_at",
      "i.author_id",
      "a.name as author_name",
      "i.vote_count",
      "i.comment_count",
      "i.created_at",
      "i.body_md",
      "i.body_html",
      "i.markdown_version",
      "i.hidden_at",
      "i.deleted_at",
      "ic.kind as credit_kind",
      "t.title as credit_tier",
    ])
    .select(
      viewerId
        ? sql<boolean>`exists (select 1 from idea_votes w where w.idea_id = i.id and w.user_id = ${viewerId})`.as(
            "voted",
          )
        : sql<boolean>`false`.as("voted"),
    )
    .where("i.id", "=", ideaId)
    .where("i.campaign_id", "=", campaignId)
    .where("i.deleted_at", "is", null);
  if (!includeHidden) query = query.where("i.hidden_at", "is", null);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const history = await db
    .selectFrom("idea_status_changes")
    .select(["id", "from_status", "to_status", "note", "at"])
    .where("idea_id", "=", row.id)
    .orderBy("at")
    .orderBy("id")
    .execute();
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    statusNote: row.status_note,
    statusChangedAt: row.status_changed_at,
    authorId: row.author_id,
    authorName: shortName(row.author_name),
    voteCount: row.vote_count,
    commentCount: row.comment_count,
    createdAt: row.created_at,
    voted: row.voted,
    html: currentConversationBody(row),
    visibility: ideaVisibilityOf(row),
    credit: row.credit_kind ? { kind: row.credit_kind, tierTitle: row.credit_tier } : null,
    history: history.map((h) => ({ id: h.id, from: h.from_status, to: h.to_status, note: h.note, at: h.at })),
  };
}

/**
 * What the creator's answer form offers: the campaign's tiers, and whether the author has a
 * pledge that counts (the one a reward thank-you is recorded on, as creditIdea finds it).
 */
export async function answerOptions(
  db: Db,
  { campaignId, authorId }: { campaignId: string; authorId: string },
): Promise<{ tiers: { id: string; title: string }[]; authorBacks: boolean }> {
  const [tiers, pledge] = await Promise.all([
    db
      .selectFrom("tiers")
      .select(["id", "title"])
      .where("campaign_id", "=", campaignId)
      .orderBy("position")
      .orderBy("created_at")
      .execute(),
    db
      .selectFrom("pledges")
      .select("id")
      .where("campaign_id", "=", campaignId)
      .where("backer_id", "=", authorId)
      .where("state", "in", COUNTED_STATES)
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { tiers, authorBacks: Boolean(pledge) };
}

/** The adopted ideas a project page credits, the most recently adopted first. */
export async function adoptedIdeas(
  db: Db,
  { campaignId, limit = 6 }: { campaignId: string; limit?: number },
): Promise<{ id: string; title: string; authorName: string; mentioned: boolean }[]> {
  const rows = await db
    .selectFrom("ideas as i")
    .innerJoin("users as a", "a.id", "i.author_id")
    .leftJoin("idea_credits as ic", "ic.idea_id", "i.id")
    .select(["i.id", "i.title", "a.name as author_name", "ic.kind as credit_kind"])
    .where("i.campaign_id", "=", campaignId)
    .where("i.status", "=", "adopted")
    .where("i.hidden_at", "is", null)
    .where("i.deleted_at", "is", null)
    .orderBy("i.status_changed_at", "desc")
    .orderBy("i.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    authorName: shortName(r.author_name),
    mentioned: r.credit_kind !== null,
  }));
}

/** The thank-you rewards recorded on a pledge: which idea earned it and which tier's reward it is. */
export async function ideaThanksOnPledge(
  db: Db,
  { pledgeId }: { pledgeId: string },
): Promise<{ ideaId: string; ideaTitle: string; tierTitle: string }[]> {
  const rows = await db
    .selectFrom("idea_credits as ic")
    .innerJoin("ideas as i", "i.id", "ic.idea_id")
    .innerJoin("tiers as t", "t.id", "ic.tier_id")
    .select(["i.id as ideaId", "i.title as ideaTitle", "t.title as tierTitle"])
    .where("ic.pledge_id", "=", pledgeId)
    .where("ic.kind", "=", "reward")
    .where("i.deleted_at", "is", null)
    .orderBy("ic.created_at")
    .execute();
  return rows;
}

/** The creator's queue: visible ideas still "new" (no answer yet), newest first. */
export async function ideasAwaitingAnswer(
  db: Db,
  { campaignId, limit = 100 }: { campaignId: string; limit?: number },
): Promise<{ id: string; title: string; kind: IdeaKind; authorName: string; voteCount: number; createdAt: Date }[]> {
  const rows = await db
    .selectFrom("ideas as i")
    .innerJoin("users as a", "a.id", "i.author_id")
    .select(["i.id", "i.title", "i.kind", "a.name as author_name", "i.vote_count", "i.created_at"])
    .where("i.campaign_id", "=", campaignId)
    .where("i.status", "=", "new")
    .where("i.hidden_at", "is", null)
    .where("i.deleted_at", "is", null)
    .orderBy("i.created_at", "desc")
    .orderBy("i.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    authorName: r.author_name,
    voteCount: r.vote_count,
    createdAt: r.created_at,
  }));
}

/** The creator (or staff) opens or closes the board and chooses who may post; the owner check is in the WHERE. */
export async function setIdeaBoard(
  db: Db,
  {
    campaignId,
    actor,
    enabled,
    policy,
  }: { campaignId: string; actor: { userId: string; staff: boolean }; enabled: boolean; policy: CrowdPolicy },
): Promise<boolean> {
  let query = db
    .updateTable("campaigns")
    .set({ ideas_enabled: enabled, idea_policy: policy })
    .where("id", "=", campaignId)
    .where("state", "!=", "deleted");
  if (!actor.staff) query = query.where("creator_id", "=", actor.userId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether an idea of this campaign exists (deleted ones do not), and whether it is visible: its thread's question. */
export async function ideaInThread(
  db: Db,
  { ideaId, campaignId }: { ideaId: string; campaignId: string },
): Promise<IdeaVisibility | undefined> {
  const row = await db
    .selectFrom("ideas")
    .select(["hidden_at", "deleted_at"])
    .where("id", "=", ideaId)
    .where("campaign_id", "=", campaignId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return row ? ideaVisibilityOf(row) : undefined;
}
