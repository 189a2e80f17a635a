import { sql } from "kysely";
import type { Db, ReportReason, ReportResolution, ReportSubject } from "../../db/schema.js";

// Reports of comments, messages and ideas: who may report what (only what they can see, never their
// own words), one report per person per subject (the unique key decides under any race), the
// open queue grouped by subject for the moderation desk, and resolving a subject's reports.

/** Comments can be read (and so reported) on campaigns that are live or have ended. */
const READABLE_CAMPAIGN_STATES = ["live", "settling", "funded", "unfunded", "cancelled"] as const;

/**
 * The campaign of a subject the viewer may report, or undefined: a visible comment on a live or
 * ended campaign, or a message in a thread the viewer takes part in (its sender or the creator).
 * The visibility rules are in the query.
 */
export async function findReportableSubject(
  db: Db,
  { subjectType, subjectId, viewerId }: { subjectType: ReportSubject; subjectId: string; viewerId: string },
): Promise<{ campaignId: string } | undefined> {
  if (subjectType === "idea") {
    return db
      .selectFrom("ideas")
      .innerJoin("campaigns", "campaigns.id", "ideas.campaign_id")
      .select("ideas.campaign_id as campaignId")
      .where("ideas.id", "=", subjectId)
      .where("ideas.deleted_at", "is", null)
      .where("ideas.hidden_at", "is", null)
      .where("ideas.author_id", "!=", viewerId)
      .where("campaigns.state", "in", READABLE_CAMPAIGN_STATES)
      .executeTakeFirst();
  }
  if (subjectType === "comment") {
    return db
      .selectFrom("comments")
      .innerJoin("campaigns", "campaigns.id", "comments.campaign_id")
      .select("comments.campaign_id as campaignId")
      .where("comments.id", "=", subjectId)
      .where("comments.deleted_at", "is", null)
      .where("comments.hidden_at", "is", null)
      .where("comments.author_id", "!=", viewerId)
      .where("campaigns.state", "in", READABLE_CAMPAIGN_STATES)
      .executeTakeFirst();
  }
  return db
    .selectFrom("messages")
    .innerJoin("message_threads", "message_threads.id", "messages.thread_id")
    .innerJoin("campaigns", "campaigns.id", "message_threads.campaign_id")
    .select("message_threads.campaign_id as campaignId")
    .where("messages.id", "=", subjectId)
    .where("messages.hidden_at", "is", null)
    .where("messages.author_id", "!=", viewerId)
    .where((eb) =>
      eb.or([eb("message_threads.participant_id", "=", viewerId), eb("campaigns.creator_id", "=", viewerId)]),
    )
    .executeTakeFirst();
}

/** Files a report; a second one by the same person about the same subject changes nothing. */
export async function fileReport(
  db: Db,
  input: {
    subjectType: ReportSubject;
    subjectId: string;
    campaignId: string;
    reporterId: string;
    reason: ReportReason;
    note: string;
  },
): Promise<{ created: boolean }> {
  const row = await db
    .insertInto("reports")
    .values({
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      campaign_id: input.campaignId,
      reporter_id: input.reporterId,
      reason: input.reason,
      note: input.note,
    })
    .onConflict((oc) => oc.columns(["subject_type", "subject_id", "reporter_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return { created: Boolean(row) };
}

/** Marks every open report of a subject resolved; returns how many it closed. */
export async function resolveReports(
  db: Db,
  {
    subjectType,
    subjectId,
    resolution,
    moderatorId,
    now = new Date(),
  }: {
    subjectType: ReportSubject;
    subjectId: string;
    resolution: ReportResolution;
    moderatorId: string;
    now?: Date;
  },
): Promise<number> {
  const result = await db
    .updateTable("reports")
    .set({ resolved_at: now, resolved_by: moderatorId, resolution })
    .where("subject_type", "=", subjectType)
    .where("subject_id", "=", subjectId)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface ReportGroup {
  subjectType: ReportSubject;
  subjectId: string;
  campaignId: string;
  reportCount: number;
  reasons: ReportReason[];
  notes: string[];
  firstReportedAt: Date;
  /** The reported words as their author wrote them (plain Markdown source, shown as text). */
  text: string;
  subjectCreatedAt: Date;
  subjectState: "visible" | "hidden" | "deleted";
  authorId: string;
  authorName: string;
  authorSuspended: boolean;
  campaignTitle: string;
  campaignSlug: string;
  /** Where a comment sits on the public site: the project page or the update it belongs to. */
  updateId: string | null;
}

/**
 * The open reports, one entry per subject, the longest-waiting first: how many reports and why,
 * the reported words, who wrote them and on which campaign. Reports of a subject that no longer
 * exists stay out (they cannot be acted on).
 */
export async function listOpenReportGroups(db: Db, { limit = 50 }: { limit?: number } = {}): Promise<ReportGroup[]> {
  const { rows } = await sql<ReportGroup>`
    with open as (
      select subject_type, subject_id, min(campaign_id::text)::uuid as campaign_id, count(*)::int as report_count,
        array_agg(distinct reason order by reason) as reasons,
        array_remove(array_agg(nullif(note, '') order by created_at), null) as notes,
        min(created_at) as first_reported_at
      from reports where resolved_at is null
      group by subject_type, subject_id
    ), subjects as (
      select 'comment'::text as subject_type, c.id as subject_id, c.body_md as text, c.created_at,
        case when c.deleted_at is not null then 'deleted' when c.hidden_at is not null then 'hidden' else 'visible' end as state,
        c.author_id, c.update_id
      from comments c where c.id in (select subject_id from open where subject_type = 'comment')
      union all
      select 'message', m.id, m.body_md, m.created_at,
        case when m.hidden_at is not null then 'hidden' else 'visible' end,
        m.author_id, null::uuid
      from messages m where m.id in (select subject_id from open where subject_type = 'message')
      union all
      select 'idea', i.id, i.title || E'\n\n' || i.body_md, i.created_at,
        case when i.deleted_at is not null then 'deleted' when i.hidden_at is not null then 'hidden' else 'visible' end,
        i.author_id, null::uuid
      from ideas i where i.id in (select subject_id from open where subject_type = 'idea')
    )
    select o.subject_type as "subjectType", o.subject_id as "subjectId", o.campaign_id as "campaignId",
      o.report_count as "reportCount", o.reasons, o.notes, o.first_reported_at as "firstReportedAt",
      s.text, s.created_at as "subjectCreatedAt", s.state as "subjectState", s.author_id as "authorId",
      u.name as "authorName", (u.suspended_at is not null) as "authorSuspended",
      ca.title as "campaignTitle", ca.slug as "campaignSlug", s.update_id as "updateId"
    from open o
    join subjects s on s.subject_type = o.subject_type and s.subject_id = o.subject_id
    join users u on u.id = s.author_id
    join campaigns ca on ca.id = o.campaign_id
    order by o.first_reported_at, o.subject_id
    limit ${limit}`.execute(db);
  return rows;
}

/** How many subjects wait in the queue (the desk's navigation shows it). */
export async function countOpenReportSubjects(db: Db): Promise<number> {
  const row = await db
    .selectFrom("reports")
    .select(sql<number>`count(distinct (subject_type, subject_id))::int`.as("count"))
    .where("resolved_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** The author of a reported subject, if it exists: the desk suspends them. */
export async function authorOfSubject(
  db: Db,
  { subjectType, subjectId }: { subjectType: ReportSubject; subjectId: string },
): Promise<string | undefined> {
  const table = subjectType === "comment" ? "comments" : subjectType === "idea" ? "ideas" : "messages";
  const row = await db.selectFrom(table).select("author_id").where("id", "=", subjectId).executeTakeFirst();
  return row?.author_id;
}

/**
 * Hides a message from its thread (a placeholder shows in its place), as the desk decides.
 * Hiding a hidden message changes nothing. Returns whether the message exists.
 */
export async function hideMessage(
  db: Db,
  { messageId, actorId, reason, now = new Date() }: { messageId: string; actorId: string; reason: string; now?: Date },
): Promise<boolean> {
  const exists = await db.selectFrom("messages").select("id").where("id", "=", messageId).executeTakeFirst();
  if (!exists) return false;
  await db
    .updateTable("messages")
    .set({ hidden_at: now, hidden_by: actorId, hidden_reason: reason })
    .where("id", "=", messageId)
    .where("hidden_at", "is", null)
    .execute();
  return true;
}
