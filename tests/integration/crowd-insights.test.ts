import { describe, expect, it } from "vitest";
import type { Db } from "../../db/schema";
import { castIdeaVote, castPollVote } from "~/models/crowd-votes.server";
import { crowdInsights } from "~/models/crowd-insights.server";
import { recordComment } from "~/models/comment-state.server";
import { answerIdea, changeIdeaVisibility, creditIdea, recordIdea } from "~/models/idea-state.server";
import { createPoll } from "~/models/poll.server";
import { setSuspension } from "~/models/suspension.server";
import { grantRole } from "~/models/user.server";
import InsightsPage, { loader as insightsLoader } from "~/routes/creator.campaigns.$id.insights";
import { loader as csvLoader } from "~/routes/creator.campaigns.$id.insights[.]csv";
import { useTestDatabase } from "../support/database";
import { makeBacker, makeLiveCampaign, makeUser } from "../support/fixtures";
import { renderRoute } from "../support/render-route";
import { call, get, sessionCookie } from "../support/routes";

// The creator's Crowd insights, as a specification: each person counted once however many ways
// they took part, the creator and suspended accounts left out, hidden ideas left out, the time to
// the creator's first answer as a true median, and each poll's results replayed day by day
// (a changed vote moves from one option to another). Only the campaign's creator (or staff)
// reads them, and the export names people by their short name, never their address.

const database = useTestDatabase();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Ten in the morning, UTC: offsets of a few hours stay on the same day. */
const T0 = new Date("2026-11-02T10:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

async function crowd(db: Db) {
  const creator = await makeUser(db, "Vera Valdés");
  const campaign = await makeLiveCampaign(db, {
    creatorId: creator.id,
    tiers: [{ title: "Early bird", minimum: 2_500 }],
  });
  const tierId = campaign.tiers[0]!.id;
  const backer = (name: string) => makeBacker(db, { campaignId: campaign.id, tierId, name });
  // Six backers: Nora does everything, three take part in one way each, Quim does nothing, and
  // Sal takes part and is then suspended.
  const nora = await backer("Nora Gallego");
  const bruno = await backer("Bruno Díaz");
  const carla = await backer("Carla Ortiz");
  const dario = await backer("Darío Pons");
  await backer("Quim Ferrer");
  const sal = await backer("Sal Suárez");
  // Two people who do not back it: Iris takes part; Hugo only on an idea that gets hidden.
  const iris = await makeUser(db, "Iris Mendoza");
  const hugo = await makeUser(db, "Hugo Lara");

  const idea = async (authorId: string, title: string, createdAt: Date) =>
    (
      await recordIdea(db, {
        campaignId: campaign.id,
        authorId,
        title,
        kind: "feature",
        bodyMd: `**${title}**, please.`,
        now: createdAt,
      })
    ).id;
  const adoptedId = await idea(nora.id, "A braille index on the lid", at(0));
  const declinedId = await idea(iris.id, "Glow-in-the-dark keys", at(DAY));
  const plannedId = await idea(nora.id, "A left-handed grip", at(2 * DAY));
  const newId = await idea(nora.id, '=HYPERLINK("http://evil.example","spreadsheet")', at(3 * DAY));
  const hiddenId = await idea(hugo.id, "Buy my followers", at(DAY));

  const answer = (ideaId: string, status: "under_review" | "planned" | "adopted" | "declined", when: Date) =>
    answerIdea(db, {
      ideaId,
      campaignId: campaign.id,
      creatorId: creator.id,
      status,
      note: "Thanks!",
      now: when,
    });
  // First answers after 2 days, 4 hours and 10 hours: the median is 10 hours. A later answer
  // does not move the first one.
  await answer(adoptedId, "under_review", at(2 * DAY));
  await answer(adoptedId, "adopted", at(5 * DAY));
  await answer(declinedId, "declined", at(DAY + 4 * HOUR));
  await answer(plannedId, "planned", at(2 * DAY + 10 * HOUR));
  await answer(hiddenId, "declined", at(40 * DAY));
  expect(
    await creditIdea(db, {
      ideaId: adoptedId,
      campaignId: campaign.id,
      creatorId: creator.id,
      kind: "reward",
      tierId,
    }),
  ).toMatchObject({ ok: true, kind: "reward" });

  const vote = async (ideaId: string, userId: string) =>
    expect(await castIdeaVote(db, { ideaId, userId })).toMatchObject({ ok: true });
  await vote(adoptedId, bruno.id);
  await vote(adoptedId, creator.id);
  await vote(adoptedId, sal.id);
  await vote(declinedId, nora.id);
  await vote(declinedId, bruno.id);
  await vote(declinedId, iris.id);
  await vote(plannedId, bruno.id);
  await vote(hiddenId, hugo.id);

  const comment = (ideaId: string, authorId: string) =>
    recordComment(db, {
      campaignId: campaign.id,
      updateId: null,
      ideaId,
      parentId: null,
      authorId,
      bodyMd: "Yes, this.",
    });
  await comment(plannedId, carla.id);
  await comment(adoptedId, creator.id);
  await comment(adoptedId, nora.id);
  await comment(hiddenId, hugo.id);

  const pollId = (await createPoll(db, {
    campaignId: campaign.id,
    creatorId: creator.id,
    question: "Which colour for the case?",
    options: ["Slate", "Sand", "Moss"],
    closesAt: at(10 * DAY),
    policy: "signed_in",
    now: at(0),
  }))!;
  const options = await db
    .selectFrom("poll_options")
    .select("id")
    .where("poll_id", "=", pollId)
    .orderBy("position")
    .execute();
  const [slate, sand, moss] = options.map((o) => o.id) as [string, string, string];
  const pollVote = async (userId: string, optionId: string, when: Date) =>
    expect(await castPollVote(db, { pollId, optionId, userId, now: when })).toMatchObject({ ok: true });
  await pollVote(nora.id, slate, at(HOUR));
  await pollVote(dario.id, slate, at(2 * HOUR));
  await pollVote(iris.id, sand, at(DAY));
  await pollVote(dario.id, sand, at(2 * DAY));
  await pollVote(sal.id, moss, at(2 * DAY + HOUR));
  await pollVote(nora.id, slate, at(4 * DAY));

  await changeIdeaVisibility(db, { ideaId: hiddenId, campaignId: campaign.id, actorId: creator.id, to: "hidden" });
  await setSuspension(db, { userId: sal.id, suspend: true, reason: "Vote stuffing" });

  return { creator, campaign, nora, pollId, ids: { adoptedId, declinedId, plannedId, newId, hiddenId } };
}

describe("crowd insights", () => {
  it("measures participation, ideas, answers and polls from the crowd's activity", async () => {
    const { db } = database();
    const s = await crowd(db);
    const insights = await crowdInsights(db, {
      campaignId: s.campaign.id,
      viewer: { userId: s.creator.id, staff: false },
      now: at(20 * DAY),
    });
    if (!insights) throw new Error("the creator reads their insights");

    // Nora (idea, votes, comment, poll), Bruno (votes), Carla (comment), Darío (poll), Iris (idea,
    // vote, poll): five, each once. Not the creator, not Sal (suspended), not Hugo (hidden idea only).
    expect(insights.participants).toBe(5);
    // Six backers with a counted pledge (Sal still backs it); four of them took part.
    expect(insights.backers).toBe(6);
    expect(insights.backersTookPart).toBe(4);

    expect(insights.ideas.total).toBe(4);
    expect(insights.ideas.byStatus).toEqual({ new: 1, under_review: 0, planned: 1, adopted: 1, declined: 1 });
    expect(insights.ideas.answered).toBe(3);
    expect(insights.ideas.unanswered).toBe(1);
    expect(insights.ideas.medianSecondsToAnswer).toBe(10 * 3600);

    // Sal's vote left the count when the account was suspended; Hugo's hidden idea is not listed.
    expect(insights.topIdeas.map((i) => [i.id, i.votes, i.comments, i.author])).toEqual([
      [s.ids.declinedId, 3, 0, "Iris M."],
      [s.ids.adoptedId, 2, 2, "Nora G."],
      [s.ids.plannedId, 1, 1, "Nora G."],
      [s.ids.newId, 0, 0, "Nora G."],
    ]);
    expect(insights.adopted).toEqual([
      expect.objectContaining({
        id: s.ids.adoptedId,
        title: "A braille index on the lid",
        author: "Nora G.",
        credit: "reward",
        rewardTier: "Early bird",
      }),
    ]);

    expect(insights.polls).toHaveLength(1);
    const poll = insights.polls[0]!;
    expect(poll.closed).toBe(true);
    expect(poll.voteCount).toBe(3);
    expect(poll.options.map((o) => [o.label, o.votes])).toEqual([
      ["Slate", 1],
      ["Sand", 2],
      ["Moss", 0],
    ]);
    // From the day it was asked to the day it closed; Darío's change moves his vote on day 2,
    // and Sal's vote is out of the replay as it is out of the counts.
    expect(poll.days).toHaveLength(11);
    expect(poll.days[0]).toEqual({ day: "2026-11-02", counts: [2, 0, 0] });
    expect(poll.days[1]).toEqual({ day: "2026-11-03", counts: [2, 1, 0] });
    expect(poll.days[2]).toEqual({ day: "2026-11-04", counts: [1, 2, 0] });
    expect(poll.days[10]).toEqual({ day: "2026-11-12", counts: [1, 2, 0] });
    expect(poll.days.at(-1)!.counts).toEqual(poll.options.map((o) => o.votes));
  });

  it("shows an open poll up to today, and nothing for a campaign without a crowd", async () => {
    const { db } = database();
    const creator = await makeUser(db, "Olga Open");
    const campaign = await makeLiveCampaign(db, { creatorId: creator.id });
    const viewer = { userId: creator.id, staff: false };
    const empty = await crowdInsights(db, { campaignId: campaign.id, viewer });
    expect(empty).toMatchObject({
      participants: 0,
      backers: 0,
      backersTookPart: 0,
      ideas: { total: 0, answered: 0, unanswered: 0, medianSecondsToAnswer: null },
      topIdeas: [],
      adopted: [],
      polls: [],
    });

    const pollId = (await createPoll(db, {
      campaignId: campaign.id,
      creatorId: creator.id,
      question: "Ship in spring or summer?",
      options: ["Spring", "Summer"],
      closesAt: at(30 * DAY),
      policy: "signed_in",
      now: at(0),
    }))!;
    const voter = await makeUser(db, "Pau Votes");
    const [spring] = await db.selectFrom("poll_options").select("id").where("poll_id", "=", pollId).execute();
    await castPollVote(db, { pollId, optionId: spring!.id, userId: voter.id, now: at(DAY) });
    const open = await crowdInsights(db, { campaignId: campaign.id, viewer, now: at(3 * DAY + HOUR) });
    expect(open!.participants).toBe(1);
    expect(open!.polls[0]!.closed).toBe(false);
    expect(open!.polls[0]!.days.map((d) => d.counts)).toEqual([
      [0, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
  });

  it("is only the creator's (or staff's) to read, on the page and in the export", async () => {
    const { db } = database();
    const s = await crowd(db);
    const params = { id: s.campaign.id };
    const page = `/creator/campaigns/${s.campaign.id}/insights`;
    const csv = `${page}.csv`;
    const other = await makeUser(db, "Otto Other");
    await makeLiveCampaign(db, { creatorId: other.id });
    const staff = await makeUser(db, "Fina Finance");
    await grantRole(db, { email: staff.email, role: "finance" });

    expect(await crowdInsights(db, { campaignId: s.campaign.id, viewer: { userId: other.id, staff: false } })).toBe(
      undefined,
    );
    for (const cookie of [await sessionCookie(other.id), await sessionCookie(s.nora.id)]) {
      expect((await call(insightsLoader, get(page, cookie), params)).status).toBe(404);
      expect((await call(csvLoader, get(csv, cookie), params)).status).toBe(404);
    }
    const anonymous = await call(insightsLoader, get(page), params);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    expect((await call(csvLoader, get(csv), params)).status).toBe(302);
    expect(
      (
        await call(insightsLoader, get(page.replace(s.campaign.id, "not-a-uuid"), await sessionCookie(s.creator.id)), {
          id: "not-a-uuid",
        })
      ).status,
    ).toBe(404);

    const own = await call(insightsLoader, get(page, await sessionCookie(s.creator.id)), params);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ participants: 5, backers: 6, backersTookPart: 4 });
    expect((await call(insightsLoader, get(page, await sessionCookie(staff.id)), params)).status).toBe(200);
  });

  it("draws the figures, the bars with their numbers, and the poll chart with a table and a description", async () => {
    const { db } = database();
    const s = await crowd(db);
    const page = `/creator/campaigns/${s.campaign.id}/insights`;
    const data = await (
      await call(insightsLoader, get(page, await sessionCookie(s.creator.id)), { id: s.campaign.id })
    ).json();
    const render = (locale: "en" | "es") =>
      renderRoute({ path: "/creator/campaigns/:id/insights", url: page, Component: InsightsPage, data }, locale);
    const html = render("en");
    expect(html).toContain("Crowd insights");
    expect(html).toContain("4 of 6 backers");
    expect(html).toContain("an adoption rate of 25%");
    expect(html).toContain("10 hours");
    expect(html).toContain("1 idea still waits for your answer.");
    expect(html).toContain("1 (25%)");
    expect(html).toContain('role="img"');
    expect(html).toContain("Results over time: Which colour for the case?");
    expect(html).toMatch(/Now: Sand 2, Slate 1, Moss 0\./);
    expect(html).toContain("Show the numbers as a table");
    expect(html).toContain("The Early bird reward, free");
    expect(html).not.toMatch(/@|Gallego/);
    const es = render("es");
    expect(es).toContain("Lo que aporta la comunidad");
    expect(es).toContain("4 de 6 mecenas");
    expect(es).toContain("10 horas");
  });

  it("exports every visible idea and the poll results as CSV, with short names and no addresses", async () => {
    const { db } = database();
    const s = await crowd(db);
    const res = await call(
      csvLoader,
      get(`/creator/campaigns/${s.campaign.id}/insights.csv`, await sessionCookie(s.creator.id)),
      { id: s.campaign.id },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(res.headers.get("Content-Disposition")).toContain(`${s.campaign.slug}-insights.csv`);
    const text = await res.text();
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("Ideas");
    expect(lines[1]).toBe("Title,Kind,Status,Votes,Comments,Author,Posted,Answered,Days to answer,Thank-you");
    expect(lines[2]).toBe(
      "A braille index on the lid,Feature,Adopted,2,2,Nora G.,2026-11-02,2026-11-04,2.0,reward: Early bird",
    );
    expect(lines).toContain("Glow-in-the-dark keys,Feature,Declined,3,0,Iris M.,2026-11-03,2026-11-03,0.2,");
    // A title a spreadsheet would run as a formula is defused.
    expect(text).toContain(
      `"'=HYPERLINK(""http://evil.example"",""spreadsheet"")",Feature,New,0,0,Nora G.,2026-11-05,,,`,
    );
    expect(text).not.toContain("Buy my followers");
    expect(lines).toContain("Which colour for the case?,2026-11-12,Sand,2");
    expect(lines).toContain("Which colour for the case?,2026-11-04,Slate,1");
    expect(text).not.toMatch(/@/);
    expect(text).not.toMatch(/Gallego|Mendoza/);
  });

  it("words the export in the creator's language", async () => {
    const { db } = database();
    const s = await crowd(db);
    await db.updateTable("users").set({ locale: "es" }).where("id", "=", s.creator.id).execute();
    const res = await call(
      csvLoader,
      get(`/creator/campaigns/${s.campaign.id}/insights.csv`, await sessionCookie(s.creator.id)),
      { id: s.campaign.id },
    );
    const text = await res.text();
    expect(text.split("\r\n")[1]).toBe(
      "Título,Tipo,Estado,Votos,Comentarios,Autor,Publicada,Respondida,Días hasta la respuesta,Agradecimiento",
    );
    expect(text).toContain("recompensa: Early bird");
  });
});
