import { describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { Db } from "../../db/schema";
import { castIdeaVote, castPollVote, withdrawIdeaVote } from "~/models/crowd-votes.server";
import { answerIdea, changeIdeaVisibility, creditIdea, recordIdea } from "~/models/idea-state.server";
import { createPoll } from "~/models/poll.server";
import { setSuspension } from "~/models/suspension.server";
import { useTestDatabase } from "../support/database";
import { makeBacker, makeLiveCampaign, makeUser } from "../support/fixtures";

// Votes cannot be stuffed: one per account per idea and per poll, decided by the database under
// any race, the counters a board and a poll show always equal to the votes of accounts that are
// not suspended, and the public idea counts exact under answers, hides and deletes at once.

const database = useTestDatabase();

async function setting(db: Db) {
  const creator = await makeUser(db, "Vera Voted");
  const campaign = await makeLiveCampaign(db, { creatorId: creator.id, tiers: [{ minimum: 2_500 }] });
  const author = await makeUser(db, "Nora Gallego");
  const idea = await recordIdea(db, {
    campaignId: campaign.id,
    authorId: author.id,
    title: "A tactile index on every page",
    kind: "feature",
    bodyMd: "Raised dots at the corner, so a reader finds the page by touch.",
  });
  const pollId = (await createPoll(db, {
    campaignId: campaign.id,
    creatorId: creator.id,
    question: "Which colour for the case?",
    options: ["Slate", "Sand", "Moss"],
    closesAt: new Date(Date.now() + 7 * 24 * 3600_000),
    policy: "signed_in",
  }))!;
  const options = await db
    .selectFrom("poll_options")
    .select("id")
    .where("poll_id", "=", pollId)
    .orderBy("position")
    .execute();
  return { creator, campaign, author, ideaId: idea.id, pollId, optionIds: options.map((o) => o.id) };
}

/** What the counters say, beside what a count of the votes of accounts not suspended says. */
async function tallies(db: Db, ideaId: string, pollId: string) {
  const { rows } = await sql<{
    idea_counter: number;
    idea_votes: number;
    poll_counter: number;
    poll_votes: number;
    option_counters: number[];
    option_votes: number[];
  }>`
    select
      (select vote_count from ideas where id = ${ideaId}) as idea_counter,
      (select count(*)::int from idea_votes v join users u on u.id = v.user_id
        where v.idea_id = ${ideaId} and u.suspended_at is null) as idea_votes,
      (select vote_count from polls where id = ${pollId}) as poll_counter,
      (select count(*)::int from poll_votes v join users u on u.id = v.user_id
        where v.poll_id = ${pollId} and u.suspended_at is null) as poll_votes,
      (select array_agg(vote_count order by position) from poll_options where poll_id = ${pollId}) as option_counters,
      (select array_agg((select count(*)::int from poll_votes v join users u on u.id = v.user_id
          where v.option_id = o.id and u.suspended_at is null) order by o.position)
        from poll_options o where o.poll_id = ${pollId}) as option_votes`.execute(db);
  return rows[0]!;
}

describe("votes on ideas and polls", () => {
  it("100 accounts voting twice each at once on one idea and one poll count exactly 100 votes each", async () => {
    const { db } = database();
    const s = await setting(db);
    const voters = await Promise.all(Array.from({ length: 100 }, (_, i) => makeUser(db, `Voter ${i}`)));
    const results = await Promise.all(
      voters.flatMap((v, i) => [
        castIdeaVote(db, { ideaId: s.ideaId, userId: v.id }),
        castIdeaVote(db, { ideaId: s.ideaId, userId: v.id }),
        // The second poll vote picks another option for a third of them: a change, not a second vote.
        castPollVote(db, { pollId: s.pollId, optionId: s.optionIds[i % 3]!, userId: v.id }),
        castPollVote(db, { pollId: s.pollId, optionId: s.optionIds[(i + (i % 3 === 0 ? 1 : 0)) % 3]!, userId: v.id }),
      ]),
    );
    for (const r of results) expect(r.ok, JSON.stringify(r)).toBe(true);
    const t = await tallies(db, s.ideaId, s.pollId);
    expect(t.idea_counter).toBe(100);
    expect(t.idea_votes).toBe(100);
    expect(t.poll_counter).toBe(100);
    expect(t.poll_votes).toBe(100);
    expect(t.option_counters).toEqual(t.option_votes);
    expect(t.option_counters.reduce((a, b) => a + b, 0)).toBe(100);
    // Each account's two idea votes: exactly one of them counted.
    const changedIdeaVotes = results.filter((r, k) => k % 4 < 2 && r.ok && r.changed).length;
    expect(changedIdeaVotes).toBe(100);
    // Every vote and change left one event; replaying them gives the final counts.
    const events = await db
      .selectFrom("poll_vote_events")
      .select(["from_option_id", "to_option_id"])
      .where("poll_id", "=", s.pollId)
      .execute();
    const replay = new Map<string, number>();
    for (const e of events) {
      replay.set(e.to_option_id, (replay.get(e.to_option_id) ?? 0) + 1);
      if (e.from_option_id) replay.set(e.from_option_id, (replay.get(e.from_option_id) ?? 0) - 1);
    }
    expect(s.optionIds.map((id) => replay.get(id) ?? 0)).toEqual(t.option_counters);
  });

  it("keeps the counts exact while votes are withdrawn, changed back and forth, and voters are suspended", async () => {
    const { db } = database();
    const s = await setting(db);
    const voters = await Promise.all(Array.from({ length: 40 }, (_, i) => makeUser(db, `Voter ${i}`)));
    for (const v of voters.slice(0, 20)) {
      await castIdeaVote(db, { ideaId: s.ideaId, userId: v.id });
      await castPollVote(db, { pollId: s.pollId, optionId: s.optionIds[0]!, userId: v.id });
    }
    await Promise.all([
      // Ten withdraw (twice each), ten swap between the first two options in opposite orders.
      ...voters
        .slice(0, 10)
        .flatMap((v) => [
          withdrawIdeaVote(db, { ideaId: s.ideaId, userId: v.id }),
          withdrawIdeaVote(db, { ideaId: s.ideaId, userId: v.id }),
        ]),
      ...voters
        .slice(10, 20)
        .flatMap((v, i) => [
          castPollVote(db, { pollId: s.pollId, optionId: s.optionIds[1]!, userId: v.id }),
          castPollVote(db, { pollId: s.pollId, optionId: s.optionIds[i % 2 === 0 ? 0 : 2]!, userId: v.id }),
        ]),
      // Twenty new voters arrive while five of the earlier ones are suspended.
      ...voters
        .slice(20)
        .flatMap((v) => [
          castIdeaVote(db, { ideaId: s.ideaId, userId: v.id }),
          castPollVote(db, { pollId: s.pollId, optionId: s.optionIds[2]!, userId: v.id }),
        ]),
      ...voters.slice(12, 17).map((v) => setSuspension(db, { userId: v.id, suspend: true, reason: "vote stuffing" })),
    ]);
    let t = await tallies(db, s.ideaId, s.pollId);
    // 20 voted, 10 withdrew, 20 arrived, 5 of the remaining earlier voters are suspended.
    expect(t.idea_counter).toBe(25);
    expect(t.idea_counter).toBe(t.idea_votes);
    expect(t.poll_counter).toBe(35);
    expect(t.poll_counter).toBe(t.poll_votes);
    expect(t.option_counters).toEqual(t.option_votes);

    // A suspended account cannot vote; lifting the suspension brings its votes back.
    expect(await castIdeaVote(db, { ideaId: s.ideaId, userId: voters[12]!.id })).toEqual({
      ok: false,
      reason: "suspended",
    });
    for (const v of voters.slice(12, 17)) await setSuspension(db, { userId: v.id, suspend: false, reason: "appeal" });
    t = await tallies(db, s.ideaId, s.pollId);
    expect(t.idea_counter).toBe(30);
    expect(t.poll_counter).toBe(40);
    expect(t.option_counters).toEqual(t.option_votes);
  });

  it("refuses a vote on a closed poll and an option of another poll, and changes nothing", async () => {
    const { db } = database();
    const s = await setting(db);
    const other = await setting(db);
    const voter = await makeUser(db, "Otto Option");
    expect(await castPollVote(db, { pollId: s.pollId, optionId: other.optionIds[0]!, userId: voter.id })).toEqual({
      ok: false,
      reason: "wrong_option",
    });
    const later = new Date(Date.now() + 8 * 24 * 3600_000);
    expect(
      await castPollVote(db, { pollId: s.pollId, optionId: s.optionIds[0]!, userId: voter.id, now: later }),
    ).toEqual({ ok: false, reason: "closed" });
    const t = await tallies(db, s.ideaId, s.pollId);
    expect([t.poll_counter, t.poll_votes]).toEqual([0, 0]);
    expect(await db.selectFrom("poll_vote_events").select("id").where("poll_id", "=", s.pollId).execute()).toEqual([]);
  });

  it("keeps the public idea counts exact while ideas are posted, adopted, hidden and deleted at once", async () => {
    const { db } = database();
    const s = await setting(db);
    const authors = await Promise.all(Array.from({ length: 30 }, (_, i) => makeUser(db, `Author ${i}`)));
    const posted = await Promise.all(
      authors.map((a, i) =>
        recordIdea(db, {
          campaignId: s.campaign.id,
          authorId: a.id,
          title: `Idea ${i}`,
          kind: "design",
          bodyMd: `Body ${i}`,
        }),
      ),
    );
    await Promise.all([
      ...posted.slice(0, 12).map((p) =>
        answerIdea(db, {
          ideaId: p.id,
          campaignId: s.campaign.id,
          creatorId: s.creator.id,
          status: "adopted",
          note: "Yes",
        }),
      ),
      ...posted
        .slice(8, 16)
        .map((p) =>
          changeIdeaVisibility(db, { ideaId: p.id, actorId: s.creator.id, to: "hidden", reason: "off topic" }),
        ),
      ...posted.slice(14, 18).map((p, k) =>
        changeIdeaVisibility(db, {
          ideaId: p.id,
          authorId: authors[14 + k]!.id,
          actorId: authors[14 + k]!.id,
          to: "deleted",
        }),
      ),
      // More ideas arrive meanwhile.
      ...authors.slice(0, 5).map((a, i) =>
        recordIdea(db, {
          campaignId: s.campaign.id,
          authorId: a.id,
          title: `Late ${i}`,
          kind: "reward",
          bodyMd: "More",
        }),
      ),
    ]);
    const counted = await sql<{ visible: number; adopted: number }>`
      select count(*)::int as visible, (count(*) filter (where status = 'adopted'))::int as adopted
      from ideas where campaign_id = ${s.campaign.id} and hidden_at is null and deleted_at is null`.execute(db);
    const row = await db
      .selectFrom("campaigns")
      .select(["idea_count", "ideas_adopted_count"])
      .where("id", "=", s.campaign.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ idea_count: counted.rows[0]!.visible, ideas_adopted_count: counted.rows[0]!.adopted });
    // 1 + 30 + 5 ideas, 8 hidden (8..15), 2 more deleted (16, 17; 14 and 15 were hidden first): 26 visible.
    expect(row.idea_count).toBe(26);
    // Adopted 0..11, of which 8..11 are hidden: 8 adopted and visible.
    expect(row.ideas_adopted_count).toBe(8);
  });

  it("answers and thanks only for the campaign's own creator, and records a reward on the author's pledge", async () => {
    const { db } = database();
    const s = await setting(db);
    const stranger = await makeUser(db, "Sam Stranger");
    expect(
      await answerIdea(db, {
        ideaId: s.ideaId,
        campaignId: s.campaign.id,
        creatorId: stranger.id,
        status: "adopted",
        note: "",
      }),
    ).toEqual({ ok: false, reason: "not_found" });
    expect(
      await answerIdea(db, {
        ideaId: s.ideaId,
        campaignId: s.campaign.id,
        creatorId: s.creator.id,
        status: "new",
        note: "",
      }),
    ).toEqual({ ok: true, from: "new", to: "new", changed: false });
    const tierId = s.campaign.tiers[0]!.id;
    // Not adopted yet: no thank-you.
    expect(
      await creditIdea(db, { ideaId: s.ideaId, campaignId: s.campaign.id, creatorId: s.creator.id, kind: "mention" }),
    ).toEqual({ ok: false, reason: "not_adopted" });
    await answerIdea(db, {
      ideaId: s.ideaId,
      campaignId: s.campaign.id,
      creatorId: s.creator.id,
      status: "adopted",
      note: "In the next prototype.",
    });
    // The author has no pledge: a reward cannot be recorded, a mention can.
    expect(
      await creditIdea(db, {
        ideaId: s.ideaId,
        campaignId: s.campaign.id,
        creatorId: s.creator.id,
        kind: "reward",
        tierId,
      }),
    ).toEqual({ ok: false, reason: "no_pledge" });
    expect(
      await creditIdea(db, { ideaId: s.ideaId, campaignId: s.campaign.id, creatorId: stranger.id, kind: "mention" }),
    ).toEqual({ ok: false, reason: "not_found" });

    const backer = await makeBacker(db, { campaignId: s.campaign.id, tierId, name: "Bea Backer" });
    const idea = await recordIdea(db, {
      campaignId: s.campaign.id,
      authorId: backer.id,
      title: "Braille on the lid",
      kind: "reward",
      bodyMd: "x",
    });
    await answerIdea(db, {
      ideaId: idea.id,
      campaignId: s.campaign.id,
      creatorId: s.creator.id,
      status: "adopted",
      note: "",
    });
    const credited = await creditIdea(db, {
      ideaId: idea.id,
      campaignId: s.campaign.id,
      creatorId: s.creator.id,
      kind: "reward",
      tierId,
    });
    const pledge = await db
      .selectFrom("pledges")
      .select("id")
      .where("backer_id", "=", backer.id)
      .executeTakeFirstOrThrow();
    expect(credited).toEqual({ ok: true, kind: "reward", pledgeId: pledge.id });
    // Un-adopting takes the thank-you back; the history keeps every answer.
    await answerIdea(db, {
      ideaId: idea.id,
      campaignId: s.campaign.id,
      creatorId: s.creator.id,
      status: "planned",
      note: "Later",
    });
    expect(await db.selectFrom("idea_credits").select("idea_id").where("idea_id", "=", idea.id).execute()).toEqual([]);
    const history = await db
      .selectFrom("idea_status_changes")
      .select(["from_status", "to_status"])
      .where("idea_id", "=", idea.id)
      .orderBy("at")
      .execute();
    expect(history).toEqual([
      { from_status: "new", to_status: "adopted" },
      { from_status: "adopted", to_status: "planned" },
    ]);
    // An answered idea does not go back to "new".
    expect(
      await answerIdea(db, {
        ideaId: idea.id,
        campaignId: s.campaign.id,
        creatorId: s.creator.id,
        status: "new",
        note: "",
      }),
    ).toEqual({ ok: false, reason: "illegal" });
  });
});
