import { sql } from "kysely";
import type { CrowdPolicy, CurrencyCode, Db } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { COUNTED_STATES } from "../domain/pledge-states";

// Polls: asking one (the creator, on the project page or in one of the campaign's updates) and
// reading them. Votes and their counters are crowd-votes.server.ts's.

/**
 * Creates a poll with its options, in order. The owner check is in the query: the campaign must
 * be the creator's, and an update named must be one of its updates. Returns the poll's id, or
 * undefined when the campaign or the update is not theirs.
 */
export async function createPoll(
  db: Db,
  input: {
    campaignId: string;
    creatorId: string;
    question: string;
    options: string[];
    closesAt: Date;
    policy: CrowdPolicy;
    updateId?: string | null;
    now?: Date;
  },
): Promise<string | undefined> {
  return inTransaction(db, async (trx) => {
    const campaign = await trx
      .selectFrom("campaigns")
      .select("id")
      .where("id", "=", input.campaignId)
      .where("creator_id", "=", input.creatorId)
      .executeTakeFirst();
    if (!campaign) return undefined;
    if (input.updateId) {
      const update = await trx
        .selectFrom("campaign_updates")
        .select("id")
        .where("id", "=", input.updateId)
        .where("campaign_id", "=", campaign.id)
        .executeTakeFirst();
      if (!update) return undefined;
    }
    const poll = await trx
      .insertInto("polls")
      .values({
        campaign_id: campaign.id,
        update_id: input.updateId ?? null,
        question: input.question,
        policy: input.policy,
        closes_at: input.closesAt,
        created_by: input.creatorId,
        ...(input.now ? { created_at: input.now } : {}),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("poll_options")
      .values(input.options.map((label, position) => ({ poll_id: poll.id, label, position })))
      .execute();
    return poll.id;
  });
}

export interface PollView {
  id: string;
  campaignId: string;
  updateId: string | null;
  question: string;
  policy: CrowdPolicy;
  closesAt: Date;
  createdAt: Date;
  voteCount: number;
  options: { id: string; label: string; voteCount: number }[];
  /** The option the viewer chose, if they voted. */
  viewerChoice: string | null;
}

/**
 * A campaign's polls with their options (in order) and the viewer's choice: those on the project
 * page (`updateId` null), those asked in one update, or all of them (`updateId` undefined, for the
 * creator's list). Open polls first, then the most recently closed. A poll asked in a
 * backers-only update is left out unless `readsBackersUpdates` (the viewer backs the campaign or
 * is its creator): it is as private as the update. `closedSince` leaves out polls closed before it.
 */
export async function listPolls(
  db: Db,
  {
    campaignId,
    updateId,
    viewerId,
    readsBackersUpdates,
    pollId,
    closedSince,
    now = new Date(),
  }: {
    campaignId: string;
    updateId?: string | null;
    viewerId: string | null;
    readsBackersUpdates: boolean;
    pollId?: string;
    closedSince?: Date;
    now?: Date;
  },
): Promise<PollView[]> {
  let query = db
    .selectFrom("polls as p")
    .select([
      "p.id",
      "p.campaign_id",
      "p.update_id",
      "p.question",
      "p.policy",
      "p.closes_at",
      "p.created_at",
      "p.vote_count",
    ])
    .select(
      viewerId
        ? sql<
            string | null
          >`(select v.option_id from poll_votes v where v.poll_id = p.id and v.user_id = ${viewerId})`.as(
            "viewer_choice",
          )
        : sql<string | null>`null::uuid`.as("viewer_choice"),
    )
    .where("p.campaign_id", "=", campaignId)
    .orderBy(sql`p.closes_at > ${now}`, "desc")
    .orderBy("p.closes_at", "desc")
    .orderBy("p.id");
  if (updateId === null) query = query.where("p.update_id", "is", null);
  else if (updateId !== undefined) query = query.where("p.update_id", "=", updateId);
  if (pollId) query = query.where("p.id", "=", pollId);
  if (closedSince) query = query.where("p.closes_at", ">", closedSince);
  if (!readsBackersUpdates)
    query = query.where((eb) =>
      eb.or([
        eb("p.update_id", "is", null),
        eb(
          "p.update_id",
          "in",
          eb
            .selectFrom("campaign_updates")
            .select("id")
            .where("campaign_id", "=", campaignId)
            .where("visibility", "=", "public"),
        ),
      ]),
    );
  const polls = await query.execute();
  if (polls.length === 0) return [];
  const options = await db
    .selectFrom("poll_options")
    .select(["id", "poll_id", "label", "vote_count"])
    .where(
      "poll_id",
      "in",
      polls.map((p) => p.id),
    )
    .orderBy("poll_id")
    .orderBy("position")
    .execute();
  return polls.map((p) => ({
    id: p.id,
    campaignId: p.campaign_id,
    updateId: p.update_id,
    question: p.question,
    policy: p.policy,
    closesAt: p.closes_at,
    createdAt: p.created_at,
    voteCount: p.vote_count,
    options: options
      .filter((o) => o.poll_id === p.id)
      .map((o) => ({ id: o.id, label: o.label, voteCount: o.vote_count })),
    viewerChoice: p.viewer_choice,
  }));
}

/** The updates a poll can be asked in: the campaign's, newest first, for the creator's form. */
export async function pollUpdateChoices(db: Db, { campaignId, creatorId }: { campaignId: string; creatorId: string }) {
  return db
    .selectFrom("campaign_updates as u")
    .innerJoin("campaigns as c", "c.id", "u.campaign_id")
    .select(["u.id", "u.title"])
    .where("u.campaign_id", "=", campaignId)
    .where("c.creator_id", "=", creatorId)
    .orderBy("u.created_at", "desc")
    .orderBy("u.id", "desc")
    .limit(50)
    .execute();
}

/**
 * A backers-only poll's results weighted by pledge amount, for the campaign's creator: per
 * option, the sum of its voters' counted pledges on the campaign, in the campaign's currency
 * (integer minor units). Suspended voters count no more here than in the plain results. The
 * owner check is in the query; another person gets nothing.
 */
export async function weightedPollResults(
  db: Db,
  { pollId, creatorId }: { pollId: string; creatorId: string },
): Promise<{ currency: CurrencyCode; options: { optionId: string; amount: number }[] } | undefined> {
  const poll = await db
    .selectFrom("polls as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .select(["p.id", "p.campaign_id", "c.currency"])
    .where("p.id", "=", pollId)
    .where("p.policy", "=", "backers")
    .where("c.creator_id", "=", creatorId)
    .executeTakeFirst();
  if (!poll) return undefined;
  const { rows } = await sql<{ option_id: string; amount: number }>`
    select o.id as option_id, coalesce(sum(pl.amount), 0)::bigint as amount
    from poll_options o
    left join poll_votes v on v.option_id = o.id and v.poll_id = o.poll_id
    left join users u on u.id = v.user_id and u.suspended_at is null
    left join pledges pl on pl.backer_id = u.id and pl.campaign_id = ${poll.campaign_id}
      and pl.state in (${sql.join([...COUNTED_STATES])})
    where o.poll_id = ${poll.id}
    group by o.id, o.position
    order by o.position`.execute(db);
  return { currency: poll.currency, options: rows.map((r) => ({ optionId: r.option_id, amount: Number(r.amount) })) };
}

/**
 * Ends an open poll of the creator's campaign now. The owner check is in the query; a poll that
 * is not this campaign's (or not theirs) is "not_found", one already past its closing "closed".
 */
export async function closePoll(
  db: Db,
  {
    pollId,
    campaignId,
    creatorId,
    now = new Date(),
  }: { pollId: string; campaignId: string; creatorId: string; now?: Date },
): Promise<"done" | "closed" | "not_found"> {
  const theirs = db
    .selectFrom("campaigns")
    .select("id")
    .where("id", "=", campaignId)
    .where("creator_id", "=", creatorId);
  const result = await db
    .updateTable("polls")
    .set({ closes_at: now })
    .where("id", "=", pollId)
    .where("closes_at", ">", now)
    .where("campaign_id", "in", theirs)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return "done";
  const poll = await db
    .selectFrom("polls")
    .select("id")
    .where("id", "=", pollId)
    .where("campaign_id", "in", theirs)
    .executeTakeFirst();
  return poll ? "closed" : "not_found";
}
