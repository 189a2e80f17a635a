import { sql } from "kysely";
import type { Db, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";

// The one writer of votes and the counters that follow them: ideas.vote_count, polls.vote_count
// and poll_options.vote_count count the votes of accounts that are not suspended. Each vote holds
// its voter's account row FOR SHARE, so it waits for (or is waited on by) a suspension, which
// holds the row FOR UPDATE and moves that account's votes out of (or back into) the counts in the
// same transaction. One vote per account is the primary key's to decide, under any race; a
// counter moves only when a row was really inserted, deleted or changed, so retries and double
// submits count once.

export type VoteRefusal = { ok: false; reason: "not_found" | "suspended" | "closed" | "wrong_option" };

/** The voter's account, locked against a concurrent suspension; undefined when suspended or gone. */
async function lockVoter(trx: Trx, userId: string) {
  return trx
    .selectFrom("users")
    .select("id")
    .where("id", "=", userId)
    .where("suspended_at", "is", null)
    .where("deleted_at", "is", null)
    .forShare()
    .executeTakeFirst();
}

/** Adds the account's vote to a visible idea; a second vote changes nothing. */
export async function castIdeaVote(
  db: Db,
  { ideaId, userId }: { ideaId: string; userId: string },
): Promise<{ ok: true; changed: boolean; voteCount: number } | VoteRefusal> {
  return inTransaction(db, async (trx) => {
    if (!(await lockVoter(trx, userId))) return { ok: false, reason: "suspended" };
    const inserted = await trx
      .insertInto("idea_votes")
      .columns(["idea_id", "user_id"])
      .expression(
        trx
          .selectFrom("ideas")
          .select([sql<string>`id`.as("idea_id"), sql<string>`${userId}::uuid`.as("user_id")])
          .where("id", "=", ideaId)
          .where("hidden_at", "is", null)
          .where("deleted_at", "is", null),
      )
      .onConflict((oc) => oc.columns(["idea_id", "user_id"]).doNothing())
      .returning("idea_id")
      .executeTakeFirst();
    if (inserted) {
      const row = await trx
        .updateTable("ideas")
        .set({ vote_count: sql`vote_count + 1` })
        .where("id", "=", ideaId)
        .returning("vote_count")
        .executeTakeFirstOrThrow();
      return { ok: true as const, changed: true, voteCount: row.vote_count };
    }
    const idea = await trx
      .selectFrom("ideas")
      .select("vote_count")
      .where("id", "=", ideaId)
      .where("hidden_at", "is", null)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return idea
      ? { ok: true as const, changed: false, voteCount: idea.vote_count }
      : { ok: false, reason: "not_found" };
  });
}

/** Withdraws the account's vote; withdrawing twice changes nothing. */
export async function withdrawIdeaVote(
  db: Db,
  { ideaId, userId }: { ideaId: string; userId: string },
): Promise<{ ok: true; changed: boolean; voteCount: number } | VoteRefusal> {
  return inTransaction(db, async (trx) => {
    // A suspended account's vote is not in the count: deleting it must not take one away.
    const voter = await trx
      .selectFrom("users")
      .select("suspended_at")
      .where("id", "=", userId)
      .forShare()
      .executeTakeFirst();
    const counted = voter !== undefined && voter.suspended_at === null;
    const deleted = await trx
      .deleteFrom("idea_votes")
      .where("idea_id", "=", ideaId)
      .where("user_id", "=", userId)
      .returning("idea_id")
      .executeTakeFirst();
    const row =
      deleted && counted
        ? await trx
            .updateTable("ideas")
            .set({ vote_count: sql`vote_count - 1` })
            .where("id", "=", ideaId)
            .returning("vote_count")
            .executeTakeFirst()
        : await trx.selectFrom("ideas").select("vote_count").where("id", "=", ideaId).executeTakeFirst();
    if (!row) return { ok: false, reason: "not_found" };
    return { ok: true as const, changed: Boolean(deleted), voteCount: row.vote_count };
  });
}

/**
 * Records the account's choice in an open poll, or changes it. The option must be one of this
 * poll's (the composite foreign key says so too); a vote at or after closes_at is refused. Every
 * vote and change is kept in poll_vote_events for the results-over-time chart.
 */
export async function castPollVote(
  db: Db,
  { pollId, optionId, userId, now = new Date() }: { pollId: string; optionId: string; userId: string; now?: Date },
): Promise<{ ok: true; changed: boolean; previousOptionId: string | null } | VoteRefusal> {
  return inTransaction(db, async (trx) => {
    if (!(await lockVoter(trx, userId))) return { ok: false, reason: "suspended" };
    const poll = await trx.selectFrom("polls").select(["id", "closes_at"]).where("id", "=", pollId).executeTakeFirst();
    if (!poll) return { ok: false, reason: "not_found" };
    if (poll.closes_at.getTime() <= now.getTime()) return { ok: false, reason: "closed" };
    const option = await trx
      .selectFrom("poll_options")
      .select("id")
      .where("id", "=", optionId)
      .where("poll_id", "=", pollId)
      .executeTakeFirst();
    if (!option) return { ok: false, reason: "wrong_option" };

    const inserted = await trx
      .insertInto("poll_votes")
      .values({ poll_id: pollId, user_id: userId, option_id: optionId, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(["poll_id", "user_id"]).doNothing())
      .returning("option_id")
      .executeTakeFirst();
    if (inserted) {
      // Lock order everywhere: the poll row, then its option rows in id order.
      await trx
        .updateTable("polls")
        .set({ vote_count: sql`vote_count + 1` })
        .where("id", "=", pollId)
        .execute();
      await moveOptionCounts(trx, { add: optionId, remove: null });
      await trx
        .insertInto("poll_vote_events")
        .values({ poll_id: pollId, user_id: userId, from_option_id: null, to_option_id: optionId, at: now })
        .execute();
      return { ok: true as const, changed: true, previousOptionId: null };
    }
    // The account has voted (perhaps a moment ago, in a transaction that has now committed).
    const current = await trx
      .selectFrom("poll_votes")
      .select("option_id")
      .where("poll_id", "=", pollId)
      .where("user_id", "=", userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.option_id === optionId) return { ok: true as const, changed: false, previousOptionId: optionId };
    await trx
      .updateTable("poll_votes")
      .set({ option_id: optionId, updated_at: now })
      .where("poll_id", "=", pollId)
      .where("user_id", "=", userId)
      .execute();
    await moveOptionCounts(trx, { add: optionId, remove: current.option_id });
    await trx
      .insertInto("poll_vote_events")
      .values({ poll_id: pollId, user_id: userId, from_option_id: current.option_id, to_option_id: optionId, at: now })
      .execute();
    return { ok: true as const, changed: true, previousOptionId: current.option_id };
  });
}

/** Moves one vote between options, locking the two rows in id order (two opposite changes cannot deadlock). */
async function moveOptionCounts(trx: Trx, { add, remove }: { add: string; remove: string | null }) {
  const moves = [{ id: add, delta: 1 }, ...(remove ? [{ id: remove, delta: -1 }] : [])].sort((a, b) =>
    a.id < b.id ? -1 : 1,
  );
  for (const m of moves)
    await trx
      .updateTable("poll_options")
      .set({ vote_count: sql`vote_count + ${m.delta}` })
      .where("id", "=", m.id)
      .execute();
}

/**
 * Moves an account's votes out of every count (it was suspended) or back in (its suspension was
 * lifted). Runs in the suspension's transaction, after users.suspended_at has changed, with the
 * account row locked FOR UPDATE: no vote of this account can land or leave meanwhile. Counters
 * are moved by one per vote rather than recounted, so other people's votes landing at the same
 * moment are never lost; rows are locked in id order.
 */
export async function moveVotesOfAccount(trx: Trx, { userId, counted }: { userId: string; counted: boolean }) {
  const delta = counted ? 1 : -1;
  const ideas = await trx
    .selectFrom("ideas")
    .select("id")
    .where("id", "in", trx.selectFrom("idea_votes").select("idea_id").where("user_id", "=", userId))
    .orderBy("id")
    .forUpdate()
    .execute();
  if (ideas.length)
    await trx
      .updateTable("ideas")
      .set({ vote_count: sql`vote_count + ${delta}` })
      .where(
        "id",
        "in",
        ideas.map((i) => i.id),
      )
      .execute();
  const votes = await trx
    .selectFrom("poll_votes")
    .select(["poll_id", "option_id"])
    .where("user_id", "=", userId)
    .orderBy("poll_id")
    .execute();
  for (const v of votes) {
    await trx
      .updateTable("polls")
      .set({ vote_count: sql`vote_count + ${delta}` })
      .where("id", "=", v.poll_id)
      .execute();
    await trx
      .updateTable("poll_options")
      .set({ vote_count: sql`vote_count + ${delta}` })
      .where("id", "=", v.option_id)
      .execute();
  }
  return { ideas: ideas.length, polls: votes.length };
}
