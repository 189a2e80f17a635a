import { sql, type ExpressionBuilder } from "kysely";
import type { Database, Db, Trx } from "../../db/schema.js";
import { conversationColumns, currentConversationBody } from "../domain/markdown";
import type { ThreadSide } from "../domain/messages";
import { COUNTED_STATES } from "../domain/pledge-states";

// Private threads between a person and a campaign's creator: one per (campaign, person), with a
// read mark per side. Who may see or write to a thread is in every query's WHERE: its
// participant, or the creator of its campaign; anyone else finds nothing.
//
// Unread means: written by the other side after my read mark. Posting moves the poster's own
// mark to their message, so `last_message_at > my mark` is "something new from the other side".

/** Campaigns people may write to: launched, and not deleted. */
const MESSAGEABLE_STATES = ["live", "settling", "funded", "unfunded", "cancelled"] as const;

const NEVER = sql<Date>`'-infinity'::timestamptz`;

type ThreadScope = ExpressionBuilder<
  Database & { t: Database["message_threads"]; c: Database["campaigns"] },
  "t" | "c"
>;

/** The participation check: the viewer wrote to the campaign, or created it. */
const takesPart = (viewerId: string) => (eb: ThreadScope) =>
  eb.or([eb("t.participant_id", "=", viewerId), eb("c.creator_id", "=", viewerId)]);

/** Threads the viewer takes part in, with their campaign (c), participant (p) and creator (cr). */
const threadsOf = (db: Db, viewerId: string) =>
  db
    .selectFrom("message_threads as t")
    .innerJoin("campaigns as c", "c.id", "t.campaign_id")
    .innerJoin("users as p", "p.id", "t.participant_id")
    .innerJoin("users as cr", "cr.id", "c.creator_id")
    .where(takesPart(viewerId));

/** A campaign one may write to, by its address. */
export async function findMessageableCampaign(db: Db, slug: string) {
  return db
    .selectFrom("campaigns as c")
    .innerJoin("users as u", "u.id", "c.creator_id")
    .select(["c.id", "c.slug", "c.title", "c.creator_id as creatorId", "u.name as creatorName"])
    .where("c.slug", "=", slug)
    .where("c.state", "in", MESSAGEABLE_STATES)
    .executeTakeFirst();
}

/** The thread this person already has with this campaign, if any. */
export async function findThreadOf(
  db: Db,
  { campaignId, participantId }: { campaignId: string; participantId: string },
) {
  const row = await db
    .selectFrom("message_threads")
    .select("id")
    .where("campaign_id", "=", campaignId)
    .where("participant_id", "=", participantId)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Opens the person's thread with a campaign, or finds the one they have (the unique key decides
 * under a race). The campaign must accept messages and not be the person's own.
 */
export async function openThread(
  trx: Trx,
  { campaignId, participantId, subject }: { campaignId: string; participantId: string; subject: string },
): Promise<{ id: string; created: boolean } | undefined> {
  const inserted = await trx
    .insertInto("message_threads")
    .columns(["campaign_id", "participant_id", "subject"])
    .expression((eb) =>
      eb
        .selectFrom("campaigns")
        .select([
          "id",
          sql<string>`${participantId}::uuid`.as("participant_id"),
          sql<string>`${subject}::text`.as("subject"),
        ])
        .where("id", "=", campaignId)
        .where("state", "in", MESSAGEABLE_STATES)
        .where("creator_id", "!=", participantId),
    )
    .onConflict((oc) => oc.columns(["campaign_id", "participant_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await findThreadOf(trx, { campaignId, participantId });
  return existing ? { id: existing, created: false } : undefined;
}

export interface ThreadView {
  id: string;
  subject: string;
  side: ThreadSide;
  campaign: { id: string; slug: string; title: string };
  participant: { id: string; name: string };
  creator: { id: string; name: string };
  /** The viewer's read mark (null: never opened). */
  readAt: Date | null;
  /** The other side's read mark (for the email coalescing key). */
  otherReadAt: Date | null;
}

/** The thread as the viewer sees it, or undefined when they do not take part in it. */
export async function getThreadFor(db: Db, { threadId, viewerId }: { threadId: string; viewerId: string }) {
  const row = await threadsOf(db, viewerId)
    .select([
      "t.id",
      "t.subject",
      "t.participant_read_at",
      "t.creator_read_at",
      "c.id as campaign_id",
      "c.slug",
      "c.title",
      "p.id as participant_id",
      "p.name as participant_name",
      "cr.id as creator_id",
      "cr.name as creator_name",
    ])
    .where("t.id", "=", threadId)
    .executeTakeFirst();
  if (!row) return undefined;
  const side: ThreadSide = row.participant_id === viewerId ? "participant" : "creator";
  const view: ThreadView = {
    id: row.id,
    subject: row.subject,
    side,
    campaign: { id: row.campaign_id, slug: row.slug, title: row.title },
    participant: { id: row.participant_id, name: row.participant_name },
    creator: { id: row.creator_id, name: row.creator_name },
    readAt: side === "participant" ? row.participant_read_at : row.creator_read_at,
    otherReadAt: side === "participant" ? row.creator_read_at : row.participant_read_at,
  };
  return view;
}

export interface ThreadMessage {
  id: string;
  authorId: string;
  authorName: string;
  /** Sanitised HTML; empty when a moderator hid the message. */
  html: string;
  hidden: boolean;
  createdAt: Date;
}

/** A thread's messages, oldest first; nothing when the viewer does not take part in it. */
export async function listThreadMessages(
  db: Db,
  { threadId, viewerId, limit = 500 }: { threadId: string; viewerId: string; limit?: number },
): Promise<ThreadMessage[]> {
  const rows = await db
    .selectFrom("messages as m")
    .innerJoin("message_threads as t", "t.id", "m.thread_id")
    .innerJoin("campaigns as c", "c.id", "t.campaign_id")
    .innerJoin("users as a", "a.id", "m.author_id")
    .select([
      "m.id",
      "m.author_id",
      "a.name as author_name",
      "m.body_md",
      "m.body_html",
      "m.markdown_version",
      "m.hidden_at",
      "m.created_at",
    ])
    .where("m.thread_id", "=", threadId)
    .where(takesPart(viewerId))
    .orderBy("m.created_at")
    .orderBy("m.id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    authorId: r.author_id,
    authorName: r.author_name,
    html: r.hidden_at ? "" : currentConversationBody(r),
    hidden: r.hidden_at !== null,
    createdAt: r.created_at,
  }));
}

/**
 * Adds a message to a thread the author takes part in, moves the thread's last-message time and
 * the author's own read mark to it. Undefined when the author does not take part.
 */
export async function insertMessage(
  trx: Trx,
  { threadId, authorId, bodyMd }: { threadId: string; authorId: string; bodyMd: string },
) {
  const thread = await trx
    .selectFrom("message_threads as t")
    .innerJoin("campaigns as c", "c.id", "t.campaign_id")
    .select(["t.id", "t.participant_id", "c.creator_id"])
    .where("t.id", "=", threadId)
    .where(takesPart(authorId))
    .forUpdate("t")
    .executeTakeFirst();
  if (!thread) return undefined;
  const side: ThreadSide = thread.participant_id === authorId ? "participant" : "creator";
  const message = await trx
    .insertInto("messages")
    .values({ thread_id: threadId, author_id: authorId, ...conversationColumns(bodyMd) })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
  await trx
    .updateTable("message_threads")
    .set(
      side === "participant"
        ? { last_message_at: message.created_at, participant_read_at: message.created_at }
        : { last_message_at: message.created_at, creator_read_at: message.created_at },
    )
    .where("id", "=", threadId)
    .execute();
  return { id: message.id, createdAt: message.created_at, side };
}

/** Moves the viewer's read mark of a thread up to `upTo` (never back). */
export async function markThreadRead(
  db: Db,
  { threadId, viewerId, upToMessageId }: { threadId: string; viewerId: string; upToMessageId: string },
) {
  // The mark is the message's own timestamp, read in SQL: PostgreSQL keeps microseconds, a
  // JavaScript Date only milliseconds, so a mark from the page's Date would leave it "unread".
  const upTo = sql<Date>`(select m.created_at from messages m where m.id = ${upToMessageId} and m.thread_id = ${threadId})`;
  await db
    .updateTable("message_threads")
    .set({ participant_read_at: sql`greatest(coalesce(participant_read_at, ${NEVER}), ${upTo})` })
    .where("id", "=", threadId)
    .where("participant_id", "=", viewerId)
    .execute();
  await db
    .updateTable("message_threads")
    .set({ creator_read_at: sql`greatest(coalesce(creator_read_at, ${NEVER}), ${upTo})` })
    .where("id", "=", threadId)
    .where("campaign_id", "in", (eb) => eb.selectFrom("campaigns").select("id").where("creator_id", "=", viewerId))
    .execute();
}

/** Bodies this author sent since `since`, newest first (for duplicate detection). */
export async function recentMessageBodies(db: Db, { authorId, since }: { authorId: string; since: Date }) {
  const rows = await db
    .selectFrom("messages")
    .select("body_md")
    .where("author_id", "=", authorId)
    .where("created_at", ">", since)
    .orderBy("created_at", "desc")
    .limit(100)
    .execute();
  return rows.map((r) => r.body_md);
}

export interface InboxThread {
  id: string;
  subject: string;
  side: ThreadSide;
  campaignTitle: string;
  campaignSlug: string;
  /** The person on the other side. */
  otherName: string;
  lastMessageAt: Date;
  unread: number;
  /** On the creator's side: whether the person backs the campaign (a counted pledge). */
  participantBacks: boolean;
}

/** Unread messages of a thread for the viewer on `side` (visible ones, from the other side). */
const unreadIn = (viewerId: string) =>
  sql<number>`(
    select count(*)::int from messages m
    where m.thread_id = t.id and m.author_id <> ${viewerId} and m.hidden_at is null
      and m.created_at > coalesce(case when t.participant_id = ${viewerId} then t.participant_read_at else t.creator_read_at end, ${NEVER})
  )`;

/** Every thread the person takes part in, on either side, most recent first. */
export async function listInbox(
  db: Db,
  { viewerId, limit = 200 }: { viewerId: string; limit?: number },
): Promise<InboxThread[]> {
  const rows = await threadsOf(db, viewerId)
    .select([
      "t.id",
      "t.subject",
      "t.participant_id",
      "t.last_message_at",
      "c.title",
      "c.slug",
      "p.name as participant_name",
      "cr.name as creator_name",
      unreadIn(viewerId).as("unread"),
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom("pledges as pl")
              .select("pl.id")
              .whereRef("pl.campaign_id", "=", "t.campaign_id")
              .whereRef("pl.backer_id", "=", "t.participant_id")
              .where("pl.state", "in", COUNTED_STATES),
          )
          .as("backs"),
    ])
    .orderBy("t.last_message_at", "desc")
    .orderBy("t.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const side: ThreadSide = r.participant_id === viewerId ? "participant" : "creator";
    return {
      id: r.id,
      subject: r.subject,
      side,
      campaignTitle: r.title,
      campaignSlug: r.slug,
      otherName: side === "participant" ? r.creator_name : r.participant_name,
      lastMessageAt: r.last_message_at,
      unread: Number(r.unread),
      participantBacks: side === "creator" && Boolean(r.backs),
    };
  });
}

/**
 * How many unread messages the person has, on both sides: the header's badge, so one statement
 * and only threads with something new (thread indexes by participant and by campaign).
 */
export async function countUnreadMessages(
  db: Db,
  viewerId: string,
  { reading }: { reading?: string } = {},
): Promise<number> {
  // The thread being opened by this very request is left out: its page marks it read, in a
  // loader that runs beside this one, so counting it would show a number that is already stale.
  const notReading = reading ? sql`and t.id <> ${reading}` : sql``;
  const row = await sql<{ unread: number }>`
    select
      (select count(*)::int from message_threads t join messages m on m.thread_id = t.id
        where t.participant_id = ${viewerId}
          and t.last_message_at > coalesce(t.participant_read_at, ${NEVER})
          and m.created_at > coalesce(t.participant_read_at, ${NEVER})
          and m.author_id <> ${viewerId} and m.hidden_at is null ${notReading})
      +
      (select count(*)::int from campaigns c join message_threads t on t.campaign_id = c.id
        join messages m on m.thread_id = t.id
        where c.creator_id = ${viewerId}
          and t.last_message_at > coalesce(t.creator_read_at, ${NEVER})
          and m.created_at > coalesce(t.creator_read_at, ${NEVER})
          and m.author_id <> ${viewerId} and m.hidden_at is null ${notReading}) as unread
  `.execute(db);
  return Number(row.rows[0]?.unread ?? 0);
}

/**
 * What the creator sees of a participant: the tiers of their pledges that count as backing this
 * campaign (empty: not a backer; null tier: a pledge without a reward). Only the campaign's
 * creator gets an answer (the check is in the query).
 */
export async function backingOf(
  db: Db,
  { campaignId, participantId, creatorId }: { campaignId: string; participantId: string; creatorId: string },
) {
  return db
    .selectFrom("pledges as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .leftJoin("tiers as tr", "tr.id", "p.tier_id")
    .select(["p.id", "tr.title as tierTitle", "p.amount", "p.currency"])
    .where("p.campaign_id", "=", campaignId)
    .where("p.backer_id", "=", participantId)
    .where("c.creator_id", "=", creatorId)
    .where("p.state", "in", COUNTED_STATES)
    .orderBy("p.created_at")
    .execute();
}

/** The person on the other side of a thread from `senderId` (who a new message emails), and what it is about. */
export async function otherSideOf(db: Db, { threadId, senderId }: { threadId: string; senderId: string }) {
  const row = await threadsOf(db, senderId)
    .select([
      "t.subject",
      "c.title",
      "t.participant_id",
      "t.participant_read_at",
      "t.creator_read_at",
      "p.email as p_email",
      "p.name as p_name",
      "p.locale as p_locale",
      "cr.id as cr_id",
      "cr.email as cr_email",
      "cr.name as cr_name",
      "cr.locale as cr_locale",
    ])
    .where("t.id", "=", threadId)
    .executeTakeFirst();
  if (!row) return undefined;
  const fromParticipant = row.participant_id === senderId;
  const recipient = fromParticipant
    ? { id: row.cr_id, email: row.cr_email, name: row.cr_name, locale: row.cr_locale, readAt: row.creator_read_at }
    : {
        id: row.participant_id,
        email: row.p_email,
        name: row.p_name,
        locale: row.p_locale,
        readAt: row.participant_read_at,
      };
  return {
    recipient,
    senderName: fromParticipant ? row.p_name : row.cr_name,
    subject: row.subject,
    campaignTitle: row.title,
  };
}
