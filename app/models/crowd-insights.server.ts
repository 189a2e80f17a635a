import { sql } from "kysely";
import type { Db, IdeaCreditKind, IdeaKind, IdeaStatus } from "../../db/schema.js";
import { IDEA_STATUSES } from "../domain/crowd";
import { shortName } from "../domain/person-names";
import { COUNTED_STATES } from "../domain/pledge-states";

// What the crowd gave a campaign, measured for its creator: who took part, how many of the
// backers that is, what became of the ideas and how fast the creator answered, and how each
// poll's results moved day by day. Computed in SQL, a handful of queries per page. What counts:
// visible ideas (not hidden, not deleted) and their visible comments, and only accounts that are
// not suspended (as the vote counters); the creator's own activity is not the crowd's.
// People are named by their short name ("Nora G."), as the public credits name them, and no
// address or email is ever read here.

/** Who is asking: the campaign's creator, or staff (admin/finance), as on every creator page. */
export interface InsightsViewer {
  userId: string;
  staff: boolean;
}

export interface PollInsight {
  id: string;
  question: string;
  createdAt: Date;
  closesAt: Date;
  closed: boolean;
  voteCount: number;
  /** In the poll's order, with the final counts (the counters, votes of accounts not suspended). */
  options: { id: string; label: string; votes: number }[];
  /**
   * The results at the end of each UTC day, from the day it was asked to the day it closed (or
   * today): `counts[i]` is options[i]'s votes then. Replayed from every vote and change.
   */
  days: { day: string; counts: number[] }[];
}

export interface CrowdInsights {
  campaign: { id: string; slug: string; title: string; state: string; ideasEnabled: boolean };
  /** Distinct people (not the creator, not suspended) who posted, voted or commented on an idea, or voted in a poll. */
  participants: number;
  /** Distinct backers with a counted pledge. */
  backers: number;
  /** Of those backers, how many took part. */
  backersTookPart: number;
  ideas: {
    /** Visible ideas. */
    total: number;
    byStatus: Record<IdeaStatus, number>;
    answered: number;
    unanswered: number;
    /** The median time from an idea's posting to the creator's first answer, in seconds; null before any answer. */
    medianSecondsToAnswer: number | null;
  };
  topIdeas: InsightIdea[];
  adopted: AdoptedIdea[];
  polls: PollInsight[];
}

export interface InsightIdea {
  id: string;
  title: string;
  kind: IdeaKind;
  status: IdeaStatus;
  votes: number;
  comments: number;
  author: string;
}

export interface AdoptedIdea {
  id: string;
  title: string;
  author: string;
  /** The thank-you: a mention, a tier's reward given free, or none yet. */
  credit: IdeaCreditKind | null;
  rewardTier: string | null;
  adoptedAt: Date | null;
}

/** How many top ideas the page lists. */
export const TOP_IDEAS = 5;
/** A poll's chart covers at most a year of days (polls run 90 days at most). */
const MAX_POLL_DAYS = 366;

/**
 * The campaign, if the viewer may read its insights: its creator, or staff; a deleted draft is
 * nobody's. Every query below is keyed on the id this returns.
 */
async function viewableCampaign(db: Db, { campaignId, viewer }: { campaignId: string; viewer: InsightsViewer }) {
  let query = db
    .selectFrom("campaigns")
    .select(["id", "slug", "title", "state", "ideas_enabled", "creator_id"])
    .where("id", "=", campaignId)
    .where("state", "!=", "deleted");
  if (!viewer.staff) query = query.where("creator_id", "=", viewer.userId);
  return query.executeTakeFirst();
}

/** The Crowd insights of one campaign, or undefined when it is not the viewer's to read. */
export async function crowdInsights(
  db: Db,
  { campaignId, viewer, now = new Date() }: { campaignId: string; viewer: InsightsViewer; now?: Date },
): Promise<CrowdInsights | undefined> {
  const campaign = await viewableCampaign(db, { campaignId, viewer });
  if (!campaign) return undefined;
  const [figures, byStatus, topIdeas, adopted, polls] = await Promise.all([
    headlineFigures(db, campaign),
    ideasByStatus(db, campaign.id),
    listTopIdeas(db, campaign.id),
    listAdopted(db, campaign.id),
    pollInsights(db, campaign.id, now),
  ]);
  const total = IDEA_STATUSES.reduce((sum, s) => sum + byStatus[s], 0);
  return {
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      title: campaign.title,
      state: campaign.state,
      ideasEnabled: campaign.ideas_enabled,
    },
    participants: figures.participants,
    backers: figures.backers,
    backersTookPart: figures.backers_took_part,
    ideas: {
      total,
      byStatus,
      answered: figures.answered,
      unanswered: total - figures.answered,
      medianSecondsToAnswer: figures.median_seconds === null ? null : Math.round(Number(figures.median_seconds)),
    },
    topIdeas,
    adopted,
    polls,
  };
}

const visibleIdea = (alias: string) => sql.raw(`${alias}.hidden_at is null and ${alias}.deleted_at is null`);
const countedStates = () => sql.join([...COUNTED_STATES]);

/** Participants, backers and the time to answer, in one statement. */
async function headlineFigures(db: Db, campaign: { id: string; creator_id: string }) {
  const { rows } = await sql<{
    participants: number;
    backers: number;
    backers_took_part: number;
    answered: number;
    median_seconds: number | string | null;
  }>`
    with people as (
      select i.author_id as user_id from ideas i
        where i.campaign_id = ${campaign.id} and ${visibleIdea("i")}
      union
      select v.user_id from idea_votes v join ideas i on i.id = v.idea_id
        where i.campaign_id = ${campaign.id} and ${visibleIdea("i")}
      union
      select c.author_id from comments c join ideas i on i.id = c.idea_id
        where i.campaign_id = ${campaign.id} and ${visibleIdea("i")}
          and c.hidden_at is null and c.deleted_at is null
      union
      select pv.user_id from poll_votes pv join polls p on p.id = pv.poll_id
        where p.campaign_id = ${campaign.id}
    ),
    participants as (
      select p.user_id from people p join users u on u.id = p.user_id
      where u.suspended_at is null and p.user_id <> ${campaign.creator_id}
    ),
    backers as (
      select distinct backer_id from pledges
      where campaign_id = ${campaign.id} and state in (${countedStates()})
    )
    select
      (select count(*)::int from participants) as participants,
      (select count(*)::int from backers) as backers,
      (select count(*)::int from participants p join backers b on b.backer_id = p.user_id) as backers_took_part,
      (select count(*)::int from ideas i
        where i.campaign_id = ${campaign.id} and ${visibleIdea("i")} and i.answered_at is not null) as answered,
      (select percentile_cont(0.5) within group (order by extract(epoch from i.answered_at - i.created_at))
        from ideas i
        where i.campaign_id = ${campaign.id} and ${visibleIdea("i")} and i.answered_at is not null) as median_seconds`.execute(
    db,
  );
  return rows[0]!;
}

async function ideasByStatus(db: Db, campaignId: string): Promise<Record<IdeaStatus, number>> {
  const rows = await db
    .selectFrom("ideas")
    .select(["status", sql<number>`count(*)::int`.as("n")])
    .where("campaign_id", "=", campaignId)
    .where("hidden_at", "is", null)
    .where("deleted_at", "is", null)
    .groupBy("status")
    .execute();
  const counts = Object.fromEntries(IDEA_STATUSES.map((s) => [s, 0])) as Record<IdeaStatus, number>;
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

async function listTopIdeas(db: Db, campaignId: string): Promise<InsightIdea[]> {
  const rows = await db
    .selectFrom("ideas as i")
    .innerJoin("users as u", "u.id", "i.author_id")
    .select(["i.id", "i.title", "i.kind", "i.status", "i.vote_count", "i.comment_count", "u.name"])
    .where("i.campaign_id", "=", campaignId)
    .where("i.hidden_at", "is", null)
    .where("i.deleted_at", "is", null)
    .orderBy("i.vote_count", "desc")
    .orderBy("i.created_at", "asc")
    .orderBy("i.id")
    .limit(TOP_IDEAS)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    status: r.status,
    votes: r.vote_count,
    comments: r.comment_count,
    author: shortName(r.name),
  }));
}

async function listAdopted(db: Db, campaignId: string): Promise<AdoptedIdea[]> {
  const rows = await db
    .selectFrom("ideas as i")
    .innerJoin("users as u", "u.id", "i.author_id")
    .leftJoin("idea_credits as cr", "cr.idea_id", "i.id")
    .leftJoin("tiers as t", "t.id", "cr.tier_id")
    .select(["i.id", "i.title", "i.status_changed_at", "u.name", "cr.kind as credit", "t.title as tier_title"])
    .where("i.campaign_id", "=", campaignId)
    .where("i.status", "=", "adopted")
    .where("i.hidden_at", "is", null)
    .where("i.deleted_at", "is", null)
    .orderBy(sql`coalesce(i.status_changed_at, i.created_at)`, "desc")
    .orderBy("i.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    author: shortName(r.name),
    credit: r.credit,
    rewardTier: r.tier_title,
    adoptedAt: r.status_changed_at,
  }));
}

/**
 * Every poll of the campaign with its final counts and its results at the end of each day. The
 * replay adds each event's vote to its new option and takes it from its old one (a change), day
 * by day, over a grid of every (option, day), so a quiet day repeats the day before. Votes of
 * accounts now suspended are left out of the replay as they are out of the counters, so the last
 * day always equals the final counts.
 */
async function pollInsights(db: Db, campaignId: string, now: Date): Promise<PollInsight[]> {
  const polls = await db
    .selectFrom("polls")
    .select(["id", "question", "created_at", "closes_at", "vote_count"])
    .where("campaign_id", "=", campaignId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  if (polls.length === 0) return [];
  const ids = polls.map((p) => p.id);
  const [options, { rows: replay }] = await Promise.all([
    db
      .selectFrom("poll_options")
      .select(["id", "poll_id", "label", "vote_count"])
      .where("poll_id", "in", ids)
      .orderBy("poll_id")
      .orderBy("position")
      .execute(),
    sql<{ poll_id: string; option_id: string; day: string; votes: number }>`
      with events as (
        select e.poll_id, e.from_option_id, e.to_option_id, (e.at at time zone 'UTC')::date as day
        from poll_vote_events e join users u on u.id = e.user_id
        where e.poll_id in (${sql.join(ids)}) and u.suspended_at is null
      ),
      deltas as (
        select poll_id, to_option_id as option_id, day, 1 as delta from events
        union all
        select poll_id, from_option_id, day, -1 from events where from_option_id is not null
      ),
      spans as (
        select p.id as poll_id,
          least((p.created_at at time zone 'UTC')::date, min(e.day)) as first_day,
          greatest((least(p.closes_at, ${now}) at time zone 'UTC')::date, max(e.day)) as last_day
        from polls p left join events e on e.poll_id = p.id
        where p.id in (${sql.join(ids)})
        group by p.id
      ),
      grid as (
        select s.poll_id, o.id as option_id, o.position, d::date as day
        from spans s
        join poll_options o on o.poll_id = s.poll_id
        cross join lateral generate_series(
          s.first_day,
          least(greatest(s.last_day, s.first_day), s.first_day + ${MAX_POLL_DAYS - 1}::int),
          interval '1 day'
        ) as d
      )
      select g.poll_id, g.option_id, to_char(g.day, 'YYYY-MM-DD') as day,
        (sum(coalesce(sum(dl.delta), 0)) over (partition by g.option_id order by g.day))::int as votes
      from grid g
      left join deltas dl on dl.option_id = g.option_id and dl.day = g.day
      group by g.poll_id, g.option_id, g.position, g.day
      order by g.poll_id, g.day, g.position`.execute(db),
  ]);
  return polls.map((p) => {
    const own = options.filter((o) => o.poll_id === p.id);
    const index = new Map(own.map((o, i) => [o.id, i]));
    const days: PollInsight["days"] = [];
    for (const r of replay) {
      if (r.poll_id !== p.id) continue;
      let last = days[days.length - 1];
      if (!last || last.day !== r.day) {
        last = { day: r.day, counts: own.map(() => 0) };
        days.push(last);
      }
      last.counts[index.get(r.option_id)!] = r.votes;
    }
    return {
      id: p.id,
      question: p.question,
      createdAt: p.created_at,
      closesAt: p.closes_at,
      closed: p.closes_at.getTime() <= now.getTime(),
      voteCount: p.vote_count,
      options: own.map((o) => ({ id: o.id, label: o.label, votes: o.vote_count })),
      days,
    };
  });
}

export interface IdeaExportRow {
  id: string;
  title: string;
  kind: IdeaKind;
  status: IdeaStatus;
  votes: number;
  comments: number;
  author: string;
  createdAt: Date;
  answeredAt: Date | null;
  credit: IdeaCreditKind | null;
  rewardTier: string | null;
}

/**
 * One page of the campaign's visible ideas for the export, oldest first, after a keyset cursor.
 * The viewer check is in the query, as for the page.
 */
export async function insightIdeasPage(
  db: Db,
  {
    campaignId,
    viewer,
    after,
    limit,
  }: { campaignId: string; viewer: InsightsViewer; after?: { createdAt: Date; id: string }; limit: number },
): Promise<IdeaExportRow[]> {
  let query = db
    .selectFrom("ideas as i")
    .innerJoin("campaigns as c", "c.id", "i.campaign_id")
    .innerJoin("users as u", "u.id", "i.author_id")
    .leftJoin("idea_credits as cr", "cr.idea_id", "i.id")
    .leftJoin("tiers as t", "t.id", "cr.tier_id")
    .select([
      "i.id",
      "i.title",
      "i.kind",
      "i.status",
      "i.vote_count",
      "i.comment_count",
      "i.created_at",
      "i.answered_at",
      "u.name",
      "cr.kind as credit",
      "t.title as tier_title",
    ])
    .where("i.campaign_id", "=", campaignId)
    .where("c.state", "!=", "deleted")
    .where("i.hidden_at", "is", null)
    .where("i.deleted_at", "is", null);
  if (!viewer.staff) query = query.where("c.creator_id", "=", viewer.userId);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb("i.created_at", ">", after.createdAt),
        eb.and([eb("i.created_at", "=", after.createdAt), eb("i.id", ">", after.id)]),
      ]),
    );
  const rows = await query.orderBy("i.created_at").orderBy("i.id").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    status: r.status,
    votes: r.vote_count,
    comments: r.comment_count,
    author: shortName(r.name),
    createdAt: r.created_at,
    answeredAt: r.answered_at,
    credit: r.credit,
    rewardTier: r.tier_title,
  }));
}
