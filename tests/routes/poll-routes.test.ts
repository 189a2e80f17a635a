import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as pollsAction, loader as pollsLoader } from "~/routes/creator.campaigns.$id.polls";
import PollPage, { action as voteAction, loader as pollLoader } from "~/routes/projects.$slug_.polls.$pollId";
import { loader as projectLoader } from "~/routes/projects.$slug";
import { loader as updateLoader } from "~/routes/projects.$slug_.updates.$updateId";
import { POSTING_LIMITS, postingLimitKey } from "~/domain/conversation-limits";
import { hitRateLimit } from "~/services/rate-limit.server";
import { useTestDatabase } from "../support/database";
import { makeBacker, makeLiveCampaign, makeUser } from "../support/fixtures";
import { renderRoute } from "../support/render-route";
import { call, get, post, sessionCookie } from "../support/routes";

// Polls as people use them: the creator asks (on the project page or in an update), backers (or
// anyone signed in) vote once and may change their vote until it closes, results show only after
// voting or closing, the creator sees backers-only results weighted by pledge amount, and bad
// input (too few options, a past closing time, an option of another poll, a closed poll) gets a
// clear message and changes nothing.

const database = useTestDatabase();

type Persona = "anonymous" | "backer" | "bigBacker" | "nonBacker" | "otherCreator" | "creator" | "suspended";
const people: Record<Exclude<Persona, "anonymous">, { id: string; cookie: string }> = {} as never;
let campaign: { id: string; slug: string; tiers: { id: string }[] };
let backersUpdateId: string;
const cookieOf = (who: Persona) => (who === "anonymous" ? undefined : people[who].cookie);
const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 16);

function ask(who: Persona, fields: Record<string, string>) {
  return call(pollsAction, post(`/creator/campaigns/${campaign.id}/polls`, fields, cookieOf(who)), { id: campaign.id });
}
/** Asks a poll as the creator and returns its id and its options' ids. */
async function pollAsked(fields: Record<string, string> = {}) {
  const res = await ask("creator", {
    intent: "create",
    question: "Which colour for the case?",
    "options[0]": "Slate",
    "options[1]": "Sand",
    "options[2]": "",
    "options[3]": "Moss",
    closesAt: inAWeek(),
    policy: "backers",
    updateId: "",
    ...fields,
  });
  expect(res.status, await res.clone().text()).toBe(303);
  const pollId = res.headers.get("Location")!.split("#poll-")[1]!;
  const options = await database()
    .db.selectFrom("poll_options")
    .select(["id", "label"])
    .where("poll_id", "=", pollId)
    .orderBy("position")
    .execute();
  return { pollId, options };
}
function vote(who: Persona, pollId: string, optionId: string) {
  return call(
    voteAction,
    post(
      `/projects/${campaign.slug}/polls/${pollId}`,
      { optionId, returnTo: `/projects/${campaign.slug}` },
      cookieOf(who),
    ),
    { slug: campaign.slug, pollId },
  );
}
async function pollAs(who: Persona, pollId: string) {
  const res = await call(pollLoader, get(`/projects/${campaign.slug}/polls/${pollId}`, cookieOf(who)), {
    slug: campaign.slug,
    pollId,
  });
  return { status: res.status, poll: res.status === 200 ? (await res.json()).poll : null };
}
async function counts(pollId: string) {
  return database()
    .db.selectFrom("poll_options")
    .select("vote_count")
    .where("poll_id", "=", pollId)
    .orderBy("position")
    .execute()
    .then((rows) => rows.map((r) => r.vote_count));
}

async function votesOf(pollId: string) {
  const { db } = database();
  const [votes, events] = await Promise.all([
    db.selectFrom("poll_votes").select(["user_id", "option_id"]).where("poll_id", "=", pollId).execute(),
    db.selectFrom("poll_vote_events").select("id").where("poll_id", "=", pollId).execute(),
  ]);
  return { votes: votes.length, events: events.length };
}

// Each test starts with fresh rate-limit windows (the last test fills one on purpose).
beforeEach(async () => {
  await database().db.deleteFrom("rate_limits").execute();
});

beforeAll(async () => {
  const { db } = database();
  const creator = await makeUser(db, "Carla Creator");
  campaign = await makeLiveCampaign(db, { creatorId: creator.id, currency: "eur" });
  const tierId = campaign.tiers[0]!.id;
  const backer = await makeBacker(db, { campaignId: campaign.id, tierId, amount: 2_500, name: "Bruno Backer" });
  const bigBacker = await makeBacker(db, { campaignId: campaign.id, tierId, amount: 10_000, name: "Bea Big" });
  const nonBacker = await makeUser(db, "Nina Nobody");
  const otherCreator = await makeUser(db, "Otto Other");
  await makeLiveCampaign(db, { creatorId: otherCreator.id });
  const suspended = await makeBacker(db, { campaignId: campaign.id, tierId, name: "Sam Suspended" });
  await db
    .updateTable("users")
    .set({ suspended_at: new Date(), suspension_reason: "spam" })
    .where("id", "=", suspended.id)
    .execute();
  for (const [key, user] of Object.entries({ creator, backer, bigBacker, nonBacker, otherCreator, suspended }))
    people[key as keyof typeof people] = { id: user.id, cookie: await sessionCookie(user.id) };
  const update = await db
    .insertInto("campaign_updates")
    .values({
      campaign_id: campaign.id,
      author_id: creator.id,
      title: "For backers",
      body_md: "Secret.",
      body_html: "<p>Secret.</p>",
      markdown_version: 1,
      visibility: "backers",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  backersUpdateId = update.id;
}, 60_000);

describe("asking a poll", () => {
  it("is for the campaign's creator only", async () => {
    expect((await ask("otherCreator", { intent: "create", question: "Mine?" })).status).toBe(404);
    expect((await ask("backer", { intent: "create", question: "Mine?" })).status).toBe(404);
    const closesAt = inAWeek();
    const { pollId, options } = await pollAsked({ closesAt });
    // The blank third field is left out.
    expect(options.map((o) => o.label)).toEqual(["Slate", "Sand", "Moss"]);
    // The form's time is read as UTC, as its label says, whatever the server's zone.
    const poll = await database().db.selectFrom("polls").selectAll().where("id", "=", pollId).executeTakeFirstOrThrow();
    expect(poll.closes_at.toISOString()).toBe(`${closesAt}:00.000Z`);
    expect(poll).toMatchObject({ campaign_id: campaign.id, update_id: null, policy: "backers", vote_count: 0 });
  });

  it("is refused once the campaign has ended, to a suspended creator, and when the creator asks too often", async () => {
    const { db } = database();
    const ended = await makeLiveCampaign(db, { creatorId: people.creator.id });
    await db.updateTable("campaigns").set({ state: "unfunded" }).where("id", "=", ended.id).execute();
    const fields = {
      intent: "create",
      question: "Too late?",
      "options[0]": "Yes",
      "options[1]": "No",
      closesAt: inAWeek(),
      policy: "signed_in",
    };
    const late = await call(pollsAction, post(`/creator/campaigns/${ended.id}/polls`, fields, people.creator.cookie), {
      id: ended.id,
    });
    expect(late.status).toBe(409);
    expect((await late.json()).error[""][0]).toMatch(/live or funded/);
    expect(await db.selectFrom("polls").select("id").where("campaign_id", "=", ended.id).execute()).toEqual([]);

    const suspendedCreator = await makeUser(db, "Sol Suspended");
    const theirs = await makeLiveCampaign(db, { creatorId: suspendedCreator.id });
    await db
      .updateTable("users")
      .set({ suspended_at: new Date(), suspension_reason: "spam" })
      .where("id", "=", suspendedCreator.id)
      .execute();
    const refused = await call(
      pollsAction,
      post(`/creator/campaigns/${theirs.id}/polls`, fields, await sessionCookie(suspendedCreator.id)),
      { id: theirs.id },
    );
    expect(refused.status).toBe(403);
    expect((await refused.json()).error[""][0]).toMatch(/suspended/);
    expect(await db.selectFrom("polls").select("id").where("campaign_id", "=", theirs.id).execute()).toEqual([]);

    for (let i = 0; i < POSTING_LIMITS.poll.limit; i++)
      await hitRateLimit(db, postingLimitKey("poll", people.creator.id), POSTING_LIMITS.poll);
    const before = (await db.selectFrom("polls").select("id").execute()).length;
    const flooded = await ask("creator", fields);
    expect(flooded.status).toBe(429);
    expect(flooded.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect((await flooded.json()).error[""][0]).toMatch(/many polls/);
    expect((await db.selectFrom("polls").select("id").execute()).length).toBe(before);
  });

  it("refuses too few or too many options, a bad closing time and another campaign's update, at the field", async () => {
    const { db } = database();
    const before = (await db.selectFrom("polls").select("id").execute()).length;
    const base = {
      intent: "create",
      question: "Q?",
      "options[0]": "A",
      "options[1]": "B",
      closesAt: inAWeek(),
      policy: "backers",
    };
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`options[${i}]`, `Option ${i}`]));
    const otherCampaign = await makeLiveCampaign(db, { creatorId: people.otherCreator.id });
    const foreign = await db
      .insertInto("campaign_updates")
      .values({
        campaign_id: otherCampaign.id,
        author_id: people.otherCreator.id,
        title: "x",
        body_md: "x",
        body_html: "x",
        markdown_version: 1,
        visibility: "public",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const [fields, field] of [
      [{ ...base, question: "" }, "question"],
      [{ ...base, "options[1]": "" }, "options"],
      [{ ...base, ...nine }, "options"],
      [{ ...base, "options[1]": "a" }, "options"],
      [{ ...base, closesAt: "2020-01-01T10:00" }, "closesAt"],
      [{ ...base, closesAt: new Date(Date.now() + 200 * 24 * 3600_000).toISOString().slice(0, 16) }, "closesAt"],
      [{ ...base, closesAt: "soon" }, "closesAt"],
      [{ ...base, policy: "everyone" }, "policy"],
      [{ ...base, updateId: foreign.id }, "updateId"],
    ] as const) {
      const res = await ask("creator", fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect((await res.json()).error[field]?.[0], JSON.stringify(fields)).toBeTruthy();
    }
    expect((await db.selectFrom("polls").select("id").execute()).length).toBe(before);
  });
});

describe("voting", () => {
  it("lets backers vote once, change their vote, and see the results only after voting", async () => {
    const { pollId, options } = await pollAsked();
    const [slate, sand] = options.map((o) => o.id) as [string, string];
    const anonymous = await vote("anonymous", pollId, slate);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    const stranger = await vote("nonBacker", pollId, slate);
    expect(stranger.status).toBe(403);
    expect((await stranger.json()).error[""][0]).toMatch(/Only backers/);
    const suspended = await vote("suspended", pollId, slate);
    expect(suspended.status).toBe(403);
    expect((await suspended.json()).error[""][0]).toMatch(/suspended/);
    expect(await counts(pollId)).toEqual([0, 0, 0]);
    expect(await votesOf(pollId)).toEqual({ votes: 0, events: 0 });
    expect((await pollAs("nonBacker", pollId)).poll).toMatchObject({ permission: "backersOnly", results: null });
    expect((await pollAs("anonymous", pollId)).poll).toMatchObject({ permission: "signIn", results: null });

    // Before voting: the choices, no numbers.
    const before = await pollAs("backer", pollId);
    expect(before.poll).toMatchObject({ permission: "ok", results: null, viewerChoice: null });
    const res = await vote("backer", pollId, slate);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/projects/${campaign.slug}?voted=${pollId}&vote=voted#poll-${pollId}`);
    const same = await vote("backer", pollId, slate);
    expect(same.headers.get("Location")).toContain("vote=same");
    expect(await counts(pollId)).toEqual([1, 0, 0]);
    const changed = await vote("backer", pollId, sand);
    expect(changed.headers.get("Location")).toContain("vote=changed");
    expect(await counts(pollId)).toEqual([0, 1, 0]);
    // One vote, two events: the first choice and the change (the same choice again is no event).
    expect(await votesOf(pollId)).toEqual({ votes: 1, events: 2 });
    const after = await pollAs("backer", pollId);
    expect(after.poll.viewerChoice).toBe(sand);
    expect(after.poll.results).toEqual({
      total: 1,
      options: options.map((o) => ({ id: o.id, voteCount: o.id === sand ? 1 : 0 })),
    });
    // Someone who has not voted sees no numbers, on the poll's page or the project page.
    expect((await pollAs("bigBacker", pollId)).poll.results).toBeNull();
    // The anonymous project page (a shared cache may keep it) holds nobody's vote and no numbers.
    const anonymousPage = await call(projectLoader, get(`/projects/${campaign.slug}`), { slug: campaign.slug });
    expect(anonymousPage.headers.get("Cache-Control")).toMatch(/^public/);
    const project = await anonymousPage.json();
    expect(project.polls.find((p: { id: string }) => p.id === pollId)).toMatchObject({
      viewerChoice: null,
      results: null,
    });
    // The backer's own project page shows their vote and the results, and is never shared.
    const own = await call(projectLoader, get(`/projects/${campaign.slug}`, people.backer.cookie), {
      slug: campaign.slug,
    });
    expect(own.headers.get("Cache-Control")).toMatch(/private/);
    expect((await own.json()).polls.find((p: { id: string }) => p.id === pollId)).toMatchObject({
      viewerChoice: sand,
      results: { total: 1 },
    });
    // The creator always sees the results, and may vote too.
    expect((await pollAs("creator", pollId)).poll.results.total).toBe(1);
    expect((await vote("creator", pollId, slate)).status).toBe(303);
    expect(await counts(pollId)).toEqual([1, 1, 0]);
  });

  it("goes back only to a page of this site", async () => {
    const { pollId, options } = await pollAsked({ policy: "signed_in", question: "Where to?" });
    const res = await call(
      voteAction,
      post(
        `/projects/${campaign.slug}/polls/${pollId}`,
        { optionId: options[0]!.id, returnTo: "//evil.example/x" },
        people.nonBacker.cookie,
      ),
      { slug: campaign.slug, pollId },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(
      `/projects/${campaign.slug}/polls/${pollId}?voted=${pollId}&vote=voted#poll-${pollId}`,
    );
  });

  it("refuses an option of another poll and a closed poll, and changes nothing", async () => {
    const first = await pollAsked();
    const second = await pollAsked({ question: "And the strap?" });
    expect((await vote("backer", first.pollId, first.options[0]!.id)).status).toBe(303);
    const wrong = await vote("backer", first.pollId, second.options[0]!.id);
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.optionId[0]).toMatch(/Choose one of the options/);
    const garbage = await vote("backer", first.pollId, "not-a-uuid");
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).error.optionId[0]).toMatch(/Choose one of the options/);
    expect(await counts(first.pollId)).toEqual([1, 0, 0]);
    expect(await counts(second.pollId)).toEqual([0, 0, 0]);
    expect(await votesOf(first.pollId)).toEqual({ votes: 1, events: 1 });
    expect(await votesOf(second.pollId)).toEqual({ votes: 0, events: 0 });

    const closed = await call(
      pollsAction,
      post(
        `/creator/campaigns/${campaign.id}/polls`,
        { intent: "close", pollId: first.pollId },
        people.otherCreator.cookie,
      ),
      { id: campaign.id },
    );
    expect(closed.status).toBe(404);
    const closing = await call(
      pollsAction,
      post(`/creator/campaigns/${campaign.id}/polls`, { intent: "close", pollId: first.pollId }, people.creator.cookie),
      { id: campaign.id },
    );
    expect(closing.status).toBe(303);
    const again = await call(
      pollsAction,
      post(`/creator/campaigns/${campaign.id}/polls`, { intent: "close", pollId: first.pollId }, people.creator.cookie),
      { id: campaign.id },
    );
    expect(
      await database()
        .db.selectFrom("audit_log")
        .select(["action", "actor_id"])
        .where("subject_id", "=", first.pollId)
        .orderBy("id")
        .execute(),
    ).toEqual([
      { action: "campaign.poll_asked", actor_id: people.creator.id },
      { action: "campaign.poll_closed", actor_id: people.creator.id },
    ]);
    expect(again.status).toBe(409);
    expect((await again.json()).error[""][0]).toMatch(/already closed/);
    // A change and a first vote after closing are both refused.
    for (const [who, option] of [
      ["backer", first.options[1]!.id],
      ["bigBacker", first.options[0]!.id],
    ] as const) {
      const late = await vote(who, first.pollId, option);
      expect(late.status).toBe(409);
      expect((await late.json()).error[""][0]).toMatch(/This poll is closed/);
    }
    expect(await counts(first.pollId)).toEqual([1, 0, 0]);
    expect(await votesOf(first.pollId)).toEqual({ votes: 1, events: 1 });
    // Closed, the results are for everyone, even someone who never voted.
    expect((await pollAs("anonymous", first.pollId)).poll).toMatchObject({
      closed: true,
      permission: "closed",
      results: { total: 1, options: first.options.map((o, i) => ({ id: o.id, voteCount: i === 0 ? 1 : 0 })) },
    });
  });

  it("opens a signed-in poll to anyone signed in, and weights backers-only results for the creator only", async () => {
    const open = await pollAsked({ policy: "signed_in", question: "Open to all?" });
    expect((await vote("nonBacker", open.pollId, open.options[0]!.id)).status).toBe(303);

    const weighted = await pollAsked({ question: "Weighted?" });
    const { db } = database();
    const leaver = await makeBacker(db, {
      campaignId: campaign.id,
      tierId: campaign.tiers[0]!.id,
      amount: 7_000,
      name: "Lea Leaver",
    });
    const leaverCookie = await sessionCookie(leaver.id);
    expect((await vote("backer", weighted.pollId, weighted.options[0]!.id)).status).toBe(303);
    expect((await vote("bigBacker", weighted.pollId, weighted.options[1]!.id)).status).toBe(303);
    const leaverVote = await call(
      voteAction,
      post(`/projects/${campaign.slug}/polls/${weighted.pollId}`, { optionId: weighted.options[1]!.id }, leaverCookie),
      { slug: campaign.slug, pollId: weighted.pollId },
    );
    expect(leaverVote.status).toBe(303);
    // Their pledge is cancelled afterwards: the vote stays in the count, its weight goes.
    await db.updateTable("pledges").set({ state: "cancelled" }).where("backer_id", "=", leaver.id).execute();
    expect(await counts(weighted.pollId)).toEqual([1, 2, 0]);
    const page = await (
      await call(pollsLoader, get(`/creator/campaigns/${campaign.id}/polls`, people.creator.cookie), {
        id: campaign.id,
      })
    ).json();
    const row = page.polls.find((p: { card: { id: string } }) => p.card.id === weighted.pollId);
    expect(row.weighted).toEqual({
      currency: "eur",
      options: weighted.options.map((o, i) => ({ optionId: o.id, amount: [2_500, 10_000, 0][i] })),
    });
    expect(page.polls.find((p: { card: { id: string } }) => p.card.id === open.pollId).weighted).toBeNull();
    // Nobody else's page carries a weight.
    const backerView = await (
      await call(pollLoader, get(`/projects/${campaign.slug}/polls/${weighted.pollId}`, people.backer.cookie), {
        slug: campaign.slug,
        pollId: weighted.pollId,
      })
    ).json();
    expect(JSON.stringify(backerView)).not.toMatch(/weighted|amount/);
    expect(
      (
        await call(pollsLoader, get(`/creator/campaigns/${campaign.id}/polls`, people.otherCreator.cookie), {
          id: campaign.id,
        })
      ).status,
    ).toBe(404);
    // Finance staff may open the creator's pages: they read the plain results, never the weights.
    const staff = await makeUser(db, "Fina Finance");
    await db.insertInto("user_roles").values({ user_id: staff.id, role: "finance" }).execute();
    const staffPage = await (
      await call(pollsLoader, get(`/creator/campaigns/${campaign.id}/polls`, await sessionCookie(staff.id)), {
        id: campaign.id,
      })
    ).json();
    const staffRow = staffPage.polls.find((p: { card: { id: string } }) => p.card.id === weighted.pollId);
    expect(staffRow).toMatchObject({ weighted: null, card: { results: { total: 3 } } });
    expect(staffPage).toMatchObject({ isCreator: false, mayAsk: false, updates: [] });
  });

  it("keeps a backers-only update's poll from everyone who cannot read the update", async () => {
    const { pollId, options } = await pollAsked({ updateId: backersUpdateId, question: "Backers: which date?" });
    expect((await pollAs("nonBacker", pollId)).status).toBe(404);
    expect((await vote("nonBacker", pollId, options[0]!.id)).status).toBe(404);
    expect((await pollAs("backer", pollId)).status).toBe(200);
    const update = await (
      await call(updateLoader, get(`/projects/${campaign.slug}/updates/${backersUpdateId}`, people.backer.cookie), {
        slug: campaign.slug,
        updateId: backersUpdateId,
      })
    ).json();
    expect(update.polls.map((p: { id: string }) => p.id)).toEqual([pollId]);
    const locked = await (
      await call(updateLoader, get(`/projects/${campaign.slug}/updates/${backersUpdateId}`), {
        slug: campaign.slug,
        updateId: backersUpdateId,
      })
    ).json();
    expect(locked.polls).toEqual([]);
    // Nor is it on the project page, which carries only the project page's polls.
    const project = await (
      await call(projectLoader, get(`/projects/${campaign.slug}`, people.backer.cookie), { slug: campaign.slug })
    ).json();
    expect(project.polls.map((p: { id: string }) => p.id)).not.toContain(pollId);
    expect(await counts(pollId)).toEqual([0, 0, 0]);
  });

  it("shows the project page's open polls first, then those closed in the last 30 days", async () => {
    const { db } = database();
    const open = await pollAsked({ question: "Open one?" });
    const recent = await pollAsked({ question: "Closed lately?" });
    const old = await pollAsked({ question: "Closed long ago?" });
    await db
      .updateTable("polls")
      .set({ closes_at: new Date(Date.now() - 2 * 24 * 3600_000) })
      .where("id", "=", recent.pollId)
      .execute();
    await db
      .updateTable("polls")
      .set({ closes_at: new Date(Date.now() - 40 * 24 * 3600_000) })
      .where("id", "=", old.pollId)
      .execute();
    const project = await (
      await call(projectLoader, get(`/projects/${campaign.slug}`), { slug: campaign.slug })
    ).json();
    const ids: string[] = project.polls.map((p: { id: string }) => p.id);
    expect(ids).toContain(open.pollId);
    expect(ids).toContain(recent.pollId);
    expect(ids).not.toContain(old.pollId);
    const closedFlags: boolean[] = project.polls.map((p: { closed: boolean }) => p.closed);
    expect(closedFlags).toEqual([...closedFlags].sort((a, b) => Number(a) - Number(b)));
    // The old poll still has its own page, with its results.
    expect((await pollAs("anonymous", old.pollId)).poll.results).not.toBeNull();
  });

  it("answers 404 for a malformed or unknown poll, and for a poll of another campaign", async () => {
    const { db } = database();
    const { pollId } = await pollAsked({ question: "Where am I?" });
    const other = await makeLiveCampaign(db, { creatorId: people.otherCreator.id });
    for (const [slug, id] of [
      [campaign.slug, "nope"],
      [campaign.slug, "00000000-0000-4000-8000-000000000000"],
      [other.slug, pollId],
      ["Bad Slug!", pollId],
    ]) {
      const res = await call(pollLoader, get(`/projects/${slug}/polls/${id}`, people.backer.cookie), {
        slug: slug!,
        pollId: id!,
      });
      expect(res.status, `${slug} ${id}`).toBe(404);
    }
  });

  it("limits how many votes one account casts in a short time", async () => {
    const { pollId, options } = await pollAsked({ question: "Hammer?" });
    const statuses: number[] = [];
    for (let i = 0; i <= POSTING_LIMITS.vote.limit; i++)
      statuses.push((await vote("bigBacker", pollId, options[i % 2]!.id)).status);
    expect(statuses.slice(0, POSTING_LIMITS.vote.limit)).toEqual(Array(POSTING_LIMITS.vote.limit).fill(303));
    const refused = await vote("bigBacker", pollId, options[2]!.id);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect((await refused.json()).error[""][0]).toMatch(/a lot of votes/);
    // The refused vote moved nothing: the account's last counted choice stands.
    expect(await counts(pollId)).toEqual([0, 1, 0]);
  });
});

describe("the poll's card", () => {
  /** The poll's page as the viewer's browser first receives it. */
  async function pageOf(who: Persona, pollId: string, locale: "en" | "es" = "en") {
    const url = `/projects/${campaign.slug}/polls/${pollId}`;
    const data = await (await call(pollLoader, get(url, cookieOf(who)), { slug: campaign.slug, pollId })).json();
    return renderRoute({ path: "/projects/:slug/polls/:pollId", url, Component: PollPage, data }, locale);
  }

  it("offers a labelled choice before voting, the results in words after, and says why not otherwise", async () => {
    const { pollId, options } = await pollAsked({ question: "Which <b>box</b>?" });
    const before = await pageOf("backer", pollId);
    expect(before).toContain("Which &lt;b&gt;box&lt;/b&gt;?");
    expect(before).toMatch(/<fieldset[^>]*>\s*<legend/);
    expect(before.match(/<label[^>]*class="poll-option"[^>]*><input type="radio" name="optionId"/g)).toHaveLength(3);
    expect(before).toContain("Results show once you have voted.");
    expect(before).not.toContain("%");

    await vote("backer", pollId, options[1]!.id);
    const after = await pageOf("backer", pollId);
    expect(after).toMatch(/You voted for “Sand”: you can change your vote until \d+ \w+ \d{4}, \d\d:\d\d UTC\./);
    expect(after).toContain("100 % · 1 vote");
    expect(after).toContain("Change my vote");
    const es = await pageOf("backer", pollId, "es");
    expect(es).toContain("Votaste «Sand»: puedes cambiar tu voto hasta el");
    expect(es).toContain("100 % · 1 voto");

    // The redirect's ?voted= thanks the voter only: the same address tells anyone else nothing.
    const thanksUrl = `/projects/${campaign.slug}/polls/${pollId}?voted=${pollId}&vote=voted`;
    const thanks = async (who: Persona) => {
      const res = await call(pollLoader, get(thanksUrl, cookieOf(who)), { slug: campaign.slug, pollId });
      const data = await res.json();
      return renderRoute({ path: "/projects/:slug/polls/:pollId", url: thanksUrl, Component: PollPage, data });
    };
    expect(await thanks("backer")).toContain("Your vote is counted.");
    expect(await thanks("bigBacker")).not.toContain("Your vote is counted.");

    expect(await pageOf("nonBacker", pollId)).toContain("Only backers of this project can vote in this poll.");
    expect(await pageOf("suspended", pollId)).toContain("Your account is suspended, so you can&#x27;t vote.");
    expect(await pageOf("anonymous", pollId)).toContain("Sign in to vote →");

    await database()
      .db.updateTable("polls")
      .set({ closes_at: new Date(Date.now() - 60_000) })
      .where("id", "=", pollId)
      .execute();
    const closed = await pageOf("nonBacker", pollId);
    expect(closed).toContain("Closed on");
    expect(closed).toContain("0 % · 0 votes");
    expect(closed).not.toContain('type="radio"');
  });
});
