import { ensureFulfilments } from "~/models/fulfilment-state.server";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { action as builderAction, loader as builderLoader } from "~/routes/creator.campaigns.$id.survey";
import { action as answerAction, loader as answerLoader } from "~/routes/me.pledges.$id_.survey";
import { loader as pledgeLoader } from "~/routes/me.pledges.$id";
import { sendDueSurveyReminders } from "~/services/surveys/invitations.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { call, get, sessionCookie } from "../support/routes";
import { makeCollectedBacker, makeFundedCampaign } from "../support/surveys";

// The survey end to end through its pages: only the campaign's creator builds and sends it, only
// the pledge's backer answers it; bad input is refused at its field with nothing written; the
// invitation and reminders reach each backer once, in their language; answers freeze at the lock
// and the creator can reopen one backer.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });
const db = () => database().db as Kysely<Database>;

function postForm(path: string, entries: Array<[string, string]>, cookie?: string) {
  const body = new URLSearchParams();
  for (const [k, v] of entries) body.append(k, v);
  return new Request(`http://localhost${path}`, { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

let world: Awaited<ReturnType<typeof makeFundedCampaign>>;
let creatorCookie: string;
let otherCreatorCookie: string;
let strangerCookie: string;
let us: Awaited<ReturnType<typeof makeCollectedBacker>>;
let eu: Awaited<ReturnType<typeof makeCollectedBacker>>;
let digital: Awaited<ReturnType<typeof makeCollectedBacker>>;
let usCookie: string;
let euCookie: string;

const builderPath = () => `/creator/campaigns/${world.campaign.id}/survey`;
const build = (cookie: string | undefined, entries: Array<[string, string]>, id = world.campaign.id) =>
  call(builderAction, postForm(`/creator/campaigns/${id}/survey`, entries, cookie), { id });
const builderPage = async (cookie: string, query = "") =>
  (await (await call(builderLoader, get(`${builderPath()}${query}`, cookie), { id: world.campaign.id })).json()) as {
    survey: { state: string } | null;
    questions: Array<{ id: string; kind: string; prompt: string; options: Array<{ id: string; label: string }> }>;
    preview: { questions: Array<{ kind: string; prompt: string }> } | null;
    progress: Array<{ pledgeId: string; submittedAt: string | null }>;
    counts: { owed: number; answered: number };
  };
const surveyPath = (pledgeId: string) => `/me/pledges/${pledgeId}/survey`;
const answer = (cookie: string | undefined, pledgeId: string, entries: Array<[string, string]>) =>
  call(answerAction, postForm(surveyPath(pledgeId), entries, cookie), { id: pledgeId });
const counts = async () => ({
  questions: Number(
    (
      await db()
        .selectFrom("survey_questions")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  answers: Number(
    (
      await db()
        .selectFrom("survey_answers")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  addresses: Number(
    (
      await db()
        .selectFrom("shipping_addresses")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  ),
});

beforeAll(async () => {
  world = await makeFundedCampaign(db());
  const otherCreator = await makeUser(db(), "Otto Other");
  const stranger = await makeUser(db(), "Stan Stranger");
  us = await makeCollectedBacker(db(), {
    campaignId: world.campaign.id,
    tierId: world.shirt.id,
    destination: "US",
    name: "Uma US",
  });
  eu = await makeCollectedBacker(db(), {
    campaignId: world.campaign.id,
    tierId: world.shirt.id,
    destination: "EU",
    locale: "es",
    name: "Elena EU",
  });
  digital = await makeCollectedBacker(db(), {
    campaignId: world.campaign.id,
    tierId: world.digital.id,
    name: "Dan Digital",
  });
  creatorCookie = await sessionCookie(world.creator.id);
  otherCreatorCookie = await sessionCookie(otherCreator.id);
  strangerCookie = await sessionCookie(stranger.id);
  usCookie = await sessionCookie(us.id);
  euCookie = await sessionCookie(eu.id);
}, 120_000);

describe("who reaches the builder", () => {
  it("is the campaign's creator only: another creator, a stranger and a backer find nothing", async () => {
    for (const cookie of [otherCreatorCookie, strangerCookie, usCookie]) {
      const res = await call(builderLoader, get(builderPath(), cookie), { id: world.campaign.id });
      expect(res.status).toBe(404);
      const write = await build(cookie, [["intent", "start"]]);
      expect(write.status).toBe(404);
    }
    const anonymous = await call(builderLoader, get(builderPath()), { id: world.campaign.id });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    expect(await db().selectFrom("surveys").selectAll().execute()).toHaveLength(0);
    const malformed = await call(builderLoader, get("/creator/campaigns/nope/survey", creatorCookie), { id: "nope" });
    expect(malformed.status).toBe(404);
  });

  it("refuses a survey on a campaign that is not funded yet", async () => {
    const live = await makeLiveCampaign(db(), { creatorId: world.creator.id });
    const res = await build(creatorCookie, [["intent", "start"]], live.id);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { formErrors: string[] }).formErrors[0]).toMatch(/once the campaign is funded/);
  });
});

describe("building and sending the survey", () => {
  it("builds questions per tier, refusing bad ones at their fields with nothing written", async () => {
    expect((await build(creatorCookie, [["intent", "start"]])).status).toBe(302);
    expect(
      (
        await build(creatorCookie, [
          ["intent", "save"],
          ["kind", "address"],
          ["prompt", "Where should we ship it?"],
          ["allTiers", "on"],
        ])
      ).status,
    ).toBe(302);
    const size = await build(creatorCookie, [
      ["intent", "save"],
      ["kind", "single"],
      ["prompt", "Your size"],
      ["required", "on"],
      ["tierIds", world.shirt.id],
      ["options[0].label", "S"],
      ["options[0].stock", "10"],
      ["options[1].label", "M"],
      ["options[2].label", "L"],
      ["options[3].label", ""],
    ]);
    expect(size.status).toBe(302);
    expect(
      (
        await build(creatorCookie, [
          ["intent", "save"],
          ["kind", "text"],
          ["prompt", "Name for the credits"],
          ["tierIds", world.digital.id],
        ])
      ).status,
    ).toBe(302);

    const before = await counts();
    const bad = await build(creatorCookie, [
      ["intent", "save"],
      ["kind", "single"],
      ["prompt", "x"],
      ["options[0].label", "Only one"],
    ]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Record<string, string[]> }).errors).toEqual({
      prompt: ["Write a question of 3 to 200 characters."],
      tierIds: ["Choose at least one tier, or tick “Every tier”."],
      options: ["Give from 2 to 20 options."],
    });
    const secondAddress = await build(creatorCookie, [
      ["intent", "save"],
      ["kind", "address"],
      ["prompt", "Another address"],
      ["allTiers", "on"],
    ]);
    expect(secondAddress.status).toBe(409);
    const foreignTier = await build(creatorCookie, [
      ["intent", "save"],
      ["kind", "text"],
      ["prompt", "Sneaky"],
      ["tierIds", (await makeLiveCampaign(db(), { creatorId: world.creator.id })).tiers[0]!.id],
    ]);
    expect(foreignTier.status).toBe(400);
    expect(await counts()).toEqual(before);

    const page = await builderPage(creatorCookie);
    expect(page.questions.map((q) => q.kind)).toEqual(["address", "single", "text"]);
    expect(page.questions[1]!.options.map((o) => o.label)).toEqual(["S", "M", "L"]);
  });

  it("refuses an edit into a second address, or with another question's option, changing nothing", async () => {
    const page = await builderPage(creatorCookie);
    const [, size, credits] = page.questions;
    const before = await db().selectFrom("survey_questions").selectAll().orderBy("position").execute();
    const intoAddress = await build(creatorCookie, [
      ["intent", "save"],
      ["questionId", credits!.id],
      ["kind", "address"],
      ["prompt", "Ship it here"],
      ["allTiers", "on"],
    ]);
    expect(intoAddress.status).toBe(409);
    expect(((await intoAddress.json()) as { errors: Record<string, string[]> }).errors.kind).toEqual([
      "The survey already asks for a shipping address.",
    ]);
    const borrowed = await build(creatorCookie, [
      ["intent", "save"],
      ["questionId", credits!.id],
      ["kind", "single"],
      ["prompt", "Renamed"],
      ["allTiers", "on"],
      ["options[0].id", size!.options[0]!.id],
      ["options[0].label", "Stolen"],
      ["options[1].label", "New"],
    ]);
    expect(borrowed.status).toBe(404);
    expect(await db().selectFrom("survey_questions").selectAll().orderBy("position").execute()).toEqual(before);
    expect((await builderPage(creatorCookie)).questions[1]!.options.map((o) => o.label)).toEqual(["S", "M", "L"]);
  });

  it("reorders and deletes questions while a draft", async () => {
    const added = await build(creatorCookie, [
      ["intent", "save"],
      ["kind", "text"],
      ["prompt", "Temporary question"],
      ["allTiers", "on"],
    ]);
    expect(added.status).toBe(302);
    const kinds = async () => (await builderPage(creatorCookie)).questions.map((q) => q.prompt);
    const temp = (await builderPage(creatorCookie)).questions[3]!;
    expect(
      (
        await build(creatorCookie, [
          ["intent", "up"],
          ["questionId", temp.id],
        ])
      ).status,
    ).toBe(302);
    expect((await kinds())[2]).toBe("Temporary question");
    expect(
      (
        await build(otherCreatorCookie, [
          ["intent", "delete"],
          ["questionId", temp.id],
        ])
      ).status,
    ).toBe(404);
    expect(
      (
        await build(creatorCookie, [
          ["intent", "delete"],
          ["questionId", temp.id],
        ])
      ).status,
    ).toBe(302);
    expect(await kinds()).toEqual(["Where should we ship it?", "Your size", "Name for the credits"]);
    const positions = await db().selectFrom("survey_questions").select("position").orderBy("position").execute();
    expect(positions.map((p) => p.position)).toEqual([0, 1, 2]);
  });

  it("previews the survey as a backer of each tier", async () => {
    const shirt = await builderPage(creatorCookie, `?preview=${world.shirt.id}`);
    expect(shirt.preview!.questions.map((q) => q.kind)).toEqual(["address", "single"]);
    const dig = await builderPage(creatorCookie, `?preview=${world.digital.id}`);
    expect(dig.preview!.questions.map((q) => q.kind)).toEqual(["text"]);
  });

  it("sends it with a lock date at least a day ahead, emailing each backer once in their language", async () => {
    const tooSoon = await build(creatorCookie, [
      ["intent", "send"],
      ["lockDate", new Date().toISOString().slice(0, 10)],
    ]);
    expect(tooSoon.status).toBe(400);
    expect(((await tooSoon.json()) as { errors: Record<string, string[]> }).errors.lockDate).toEqual([
      "Choose a day at least a day from now.",
    ]);
    expect((await db().selectFrom("surveys").select("state").executeTakeFirstOrThrow()).state).toBe("draft");

    // The background pass gave the rewards their rows before the survey went out: nothing was
    // asked then, so they were ready; sending makes those that now need answers wait for them.
    await ensureFulfilments(db(), world.campaign.id);
    expect(new Set((await db().selectFrom("fulfilments").select("status").execute()).map((f) => f.status))).toEqual(
      new Set(["ready"]),
    );

    const lockDate = new Date(Date.now() + 14 * 24 * 3600_000).toISOString().slice(0, 10);
    const sent = await build(creatorCookie, [
      ["intent", "send"],
      ["lockDate", lockDate],
    ]);
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(`${builderPath()}?sent=3`);
    const again = await build(creatorCookie, [
      ["intent", "send"],
      ["lockDate", lockDate],
    ]);
    expect(again.status).toBe(409);

    const mail = await db()
      .selectFrom("email_outbox")
      .select(["to_email", "locale", "subject", "body_text", "dedupe_key"])
      .where("kind", "=", "survey_invitation")
      .execute();
    expect(mail.map((m) => m.to_email).sort()).toEqual([us.email, eu.email, digital.email].sort());
    const toEu = mail.find((m) => m.to_email === eu.email)!;
    expect(toEu.locale).toBe("es");
    expect(toEu.subject).toBe(`Campaign ${world.campaign.slug}: dile al creador dónde enviar tu recompensa`);
    expect(toEu.body_text).toContain(`https://colecta.example/me/pledges/${eu.pledgeId}/survey`);
    const toUs = mail.find((m) => m.to_email === us.email)!;
    expect(toUs.locale).toBe("en");
    expect(toUs.dedupe_key).toBe(
      `survey:${(await db().selectFrom("surveys").select("id").executeTakeFirstOrThrow()).id}:${us.pledgeId}`,
    );

    // Every owed pledge has its fulfilment: waiting for the survey where a required question is
    // asked (the address, the size), ready where the only question is optional (the credits).
    const fulfilments = await db().selectFrom("fulfilments").select(["pledge_id", "status"]).execute();
    expect(Object.fromEntries(fulfilments.map((f) => [f.pledge_id, f.status]))).toEqual({
      [us.pledgeId]: "awaiting_survey",
      [eu.pledgeId]: "awaiting_survey",
      [digital.pledgeId]: "ready",
    });
  });

  it("after sending allows words and more stock, not new questions nor less stock", async () => {
    const page = await builderPage(creatorCookie);
    const size = page.questions[1]!;
    const base: Array<[string, string]> = [
      ["intent", "save"],
      ["questionId", size.id],
      ["kind", "single"],
      ["prompt", "Your T-shirt size"],
      ["required", "on"],
      ["tierIds", world.shirt.id],
      ["options[0].id", size.options[0]!.id],
      ["options[0].label", "Small"],
      ["options[1].id", size.options[1]!.id],
      ["options[1].label", "M"],
      ["options[2].id", size.options[2]!.id],
      ["options[2].label", "L"],
    ];
    const lower = await build(creatorCookie, [...base, ["options[0].stock", "5"]]);
    expect(lower.status).toBe(409);
    expect(((await lower.json()) as { errors: Record<string, string[]> }).errors["options[0].stock"]).toEqual([
      "Stock can only rise after sending: at least 10.",
    ]);
    expect((await build(creatorCookie, [...base, ["options[0].stock", "12"]])).status).toBe(302);
    const option = await db()
      .selectFrom("survey_options")
      .selectAll()
      .where("id", "=", size.options[0]!.id)
      .executeTakeFirstOrThrow();
    expect(option).toMatchObject({ label: "Small", stock_limit: 12 });
    const added = await build(creatorCookie, [
      ["intent", "save"],
      ["kind", "text"],
      ["prompt", "A new question"],
      ["allTiers", "on"],
    ]);
    expect(added.status).toBe(409);
  });
});

describe("answering the survey", () => {
  const goodAddress: Array<[string, string]> = [
    ["addr_fullName", "Uma Backer"],
    ["addr_line1", "1 Market St"],
    ["addr_city", "San Francisco"],
    ["addr_region", "CA"],
    ["addr_postalCode", "94105"],
    ["addr_country", "US"],
  ];
  const questionIds = async () => {
    const page = await builderPage(creatorCookie);
    return { address: page.questions[0]!, size: page.questions[1]!, credits: page.questions[2]! };
  };

  it("is for the pledge's backer only", async () => {
    for (const cookie of [euCookie, strangerCookie, creatorCookie]) {
      expect((await call(answerLoader, get(surveyPath(us.pledgeId), cookie), { id: us.pledgeId })).status).toBe(404);
      expect((await answer(cookie, us.pledgeId, goodAddress)).status).toBe(404);
    }
    const anonymous = await call(answerLoader, get(surveyPath(us.pledgeId)), { id: us.pledgeId });
    expect(anonymous.status).toBe(302);
    expect((await counts()).addresses).toBe(0);
  });

  it("shows only the questions of the backer's tier, and a banner on the pledge page", async () => {
    const page = (await (
      await call(answerLoader, get(surveyPath(us.pledgeId), usCookie), { id: us.pledgeId })
    ).json()) as {
      questions: Array<{ kind: string }>;
      values: Record<string, string>;
    };
    expect(page.questions.map((q) => q.kind)).toEqual(["address", "single"]);
    expect(page.values.addr_country).toBe("US");
    const pledge = (await (
      await call(pledgeLoader, get(`/me/pledges/${us.pledgeId}`, usCookie), { id: us.pledgeId })
    ).json()) as {
      survey: { answered: boolean; open: boolean; until: string };
    };
    expect(pledge.survey).toMatchObject({ answered: false, open: true });
  });

  it("refuses bad answers at each field, and saves nothing", async () => {
    const { size, credits } = await questionIds();
    const before = await counts();
    const res = await answer(usCookie, us.pledgeId, [
      ["addr_fullName", "Uma"],
      ["addr_line1", "1 Market St"],
      ["addr_country", "US"],
      ["addr_postalCode", "9410"],
      [`q_${size.id}`, credits.id],
    ]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Record<string, string[]>; values: Record<string, string> };
    expect(body.errors).toEqual({
      addr_city: ["Enter the city."],
      addr_region: ["Choose the state."],
      addr_postalCode: ["This is not a ZIP code of United States: they look like 94105."],
      [`q_${size.id}`]: ["Choose one of the options shown."],
    });
    expect(body.values.addr_line1).toBe("1 Market St");
    expect(await counts()).toEqual(before);
  });

  it("explains a country outside the destination paid for", async () => {
    const { size } = await questionIds();
    const res = await answer(usCookie, us.pledgeId, [
      ["addr_fullName", "Uma"],
      ["addr_line1", "1 Rue de Rivoli"],
      ["addr_city", "Paris"],
      ["addr_postalCode", "75001"],
      ["addr_country", "FR"],
      [`q_${size.id}`, size.options[1]!.id],
    ]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Record<string, string[]> }).errors.addr_country![0]).toBe(
      "You paid shipping to United States, which does not include France. To ship to France, change your pledge's destination on your pledge page before the campaign's deadline (the shipping price may change), or message the creator.",
    );
  });

  it("saves the answers, readies the fulfilment, shows them back and takes stock as they change", async () => {
    const { size } = await questionIds();
    const small = size.options[0]!.id;
    const medium = size.options[1]!.id;
    const res = await answer(usCookie, us.pledgeId, [...goodAddress, [`q_${size.id}`, small]]);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`${surveyPath(us.pledgeId)}?saved=1`);
    const taken = async (id: string) =>
      (await db().selectFrom("survey_options").select("taken_count").where("id", "=", id).executeTakeFirstOrThrow())
        .taken_count;
    expect(await taken(small)).toBe(1);
    const fulfilment = await db()
      .selectFrom("fulfilments")
      .select("status")
      .where("pledge_id", "=", us.pledgeId)
      .executeTakeFirstOrThrow();
    expect(fulfilment.status).toBe("ready");
    const events = await db()
      .selectFrom("fulfilment_events")
      .selectAll()
      .where("pledge_id", "=", us.pledgeId)
      .orderBy("at")
      .execute();
    // Ready before the survey went out, waiting once it did, ready again with the answers.
    expect(events.map((e) => [e.from_status, e.to_status])).toEqual([
      ["ready", "awaiting_survey"],
      ["awaiting_survey", "ready"],
    ]);

    const page = (await (
      await call(answerLoader, get(surveyPath(us.pledgeId), usCookie), { id: us.pledgeId })
    ).json()) as {
      values: Record<string, string>;
    };
    expect(page.values).toMatchObject({
      addr_city: "San Francisco",
      addr_postalCode: "94105",
      [`q_${size.id}`]: small,
    });

    expect((await answer(usCookie, us.pledgeId, [...goodAddress, [`q_${size.id}`, medium]])).status).toBe(302);
    expect([await taken(small), await taken(medium), await taken(size.options[2]!.id)]).toEqual([0, 1, 0]);

    // The creator sees the answer; the Spanish backer (EU) has not answered yet.
    const builder = await builderPage(creatorCookie);
    expect(builder.progress.filter((p) => p.submittedAt).map((p) => p.pledgeId)).toEqual([us.pledgeId]);
    expect(builder.counts).toEqual({ owed: 3, answered: 1 });
  });

  it("reminds those who have not answered on day 3 and day 7, once each, in their language", async () => {
    const survey = await db().selectFrom("surveys").selectAll().executeTakeFirstOrThrow();
    const day = 24 * 3600_000;
    const now = (days: number) => new Date(survey.sent_at!.getTime() + days * day);
    expect(await sendDueSurveyReminders(db(), now(2))).toBe(0);
    expect(await sendDueSurveyReminders(db(), now(3.5))).toBe(2);
    expect(await sendDueSurveyReminders(db(), now(4))).toBe(0);
    expect(await sendDueSurveyReminders(db(), now(7.5))).toBe(2);
    expect(await sendDueSurveyReminders(db(), now(9))).toBe(0);
    const reminders = await db()
      .selectFrom("email_outbox")
      .select(["to_email", "locale", "subject"])
      .where("kind", "=", "survey_reminder")
      .orderBy("id")
      .execute();
    expect(reminders.map((r) => r.to_email).sort()).toEqual([eu.email, eu.email, digital.email, digital.email].sort());
    expect(reminders.filter((r) => r.to_email === eu.email).map((r) => [r.locale, r.subject])).toEqual([
      ["es", `Recordatorio: tu encuesta de Campaign ${world.campaign.slug}`],
      ["es", `Último recordatorio: tu encuesta de Campaign ${world.campaign.slug}`],
    ]);
  });

  it("freezes answers at the lock, and the creator can reopen one backer", async () => {
    const { size } = await questionIds();
    await db()
      .updateTable("surveys")
      .set({ lock_at: new Date(Date.now() - 1000) })
      .execute();
    const page = (await (
      await call(answerLoader, get(surveyPath(us.pledgeId), usCookie), { id: us.pledgeId })
    ).json()) as {
      window: { open: boolean };
    };
    expect(page.window.open).toBe(false);
    const before = await db()
      .selectFrom("survey_answer_choices")
      .selectAll()
      .where("pledge_id", "=", us.pledgeId)
      .execute();
    const locked = await answer(usCookie, us.pledgeId, [...goodAddress, [`q_${size.id}`, size.options[2]!.id]]);
    expect(locked.status).toBe(409);
    expect(((await locked.json()) as { formErrors: string[] }).formErrors[0]).toMatch(/Answers are locked/);
    expect(
      await db().selectFrom("survey_answer_choices").selectAll().where("pledge_id", "=", us.pledgeId).execute(),
    ).toEqual(before);

    const until = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
    // Another creator cannot reopen anyone here.
    expect(
      (
        await build(otherCreatorCookie, [
          ["intent", "unlock"],
          ["pledgeId", us.pledgeId],
          ["untilDate", until],
        ])
      ).status,
    ).toBe(404);
    const bad = await build(creatorCookie, [
      ["intent", "unlock"],
      ["pledgeId", us.pledgeId],
      ["untilDate", "2001-01-01"],
    ]);
    expect(bad.status).toBe(400);
    const reopened = await build(creatorCookie, [
      ["intent", "unlock"],
      ["pledgeId", us.pledgeId],
      ["untilDate", until],
    ]);
    expect(reopened.status).toBe(302);
    const audit = await db().selectFrom("audit_log").selectAll().where("action", "=", "survey.unlock").execute();
    expect(audit).toMatchObject([{ actor_id: world.creator.id, subject_id: us.pledgeId }]);
    expect((await answer(usCookie, us.pledgeId, [...goodAddress, [`q_${size.id}`, size.options[2]!.id]])).status).toBe(
      302,
    );
    // Only that backer: the others stay locked.
    expect((await answer(euCookie, eu.pledgeId, [...goodAddress])).status).toBe(409);
  });
});

describe("removing questions after sending", () => {
  it("refuses to remove a question that has answers", async () => {
    const page = await builderPage(creatorCookie);
    const res = await build(creatorCookie, [
      ["intent", "delete"],
      ["questionId", page.questions[0]!.id],
    ]);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { formErrors: string[] }).formErrors).toEqual([
      "Backers have answered this question, so it can't be removed.",
    ]);
    expect((await builderPage(creatorCookie)).questions).toHaveLength(3);
  });
});
