import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import FulfilmentPage, {
  action as tableAction,
  loader as tableLoader,
} from "~/routes/creator.campaigns.$id.fulfilment._index";
import Dashboard, { loader as dashboardLoader } from "~/routes/creator.campaigns.$id._index";
import { loader as csvLoader } from "~/routes/creator.campaigns.$id.fulfilment[.]csv";
import PledgePage, { action as pledgeAction, loader as pledgeLoader } from "~/routes/me.pledges.$id";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser } from "../support/finance";
import { makeUser } from "../support/fixtures";
import {
  addAddress,
  addCollectedBacker,
  addSizeSurvey,
  answerSize,
  fulfilmentOf,
  makeFundedCampaign,
} from "../support/fulfilment";
import { renderRoute } from "../support/render-route";
import { call, get, post, sessionCookie } from "../support/routes";

// Fulfilment from the creator's table and the backer's pledge page: every move through the one
// state module, each refused clearly when the status does not allow it, only the campaign's
// creator acting on its rewards, only the pledge's backer on theirs; emails in the recipient's
// language; the export with addresses for the creator and finance only.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });
const db = () => database().db as Kysely<Database>;

let creatorCookie: string;
let otherCookie: string;
let financeCookie: string;
let campaign: { id: string; slug: string; tiers: { id: string }[] };
let otherCampaign: { id: string; slug: string; tiers: { id: string }[] };
const backers: Record<string, { user: { id: string; email: string }; pledgeId: string; cookie: string }> = {};

const tablePath = (id: string, query = "") => `/creator/campaigns/${id}/fulfilment${query}`;
const act = (cookie: string | undefined, id: string, fields: Record<string, string>) =>
  call(tableAction, post(tablePath(id), fields, cookie), { id });
const backerAct = (cookie: string | undefined, pledgeId: string, fields: Record<string, string>) =>
  call(pledgeAction, post(`/me/pledges/${pledgeId}`, fields, cookie), { id: pledgeId });
const today = () => new Date().toISOString().slice(0, 10);
const ship = (pledgeId: string, extra: Record<string, string> = {}) => ({
  intent: "ship",
  pledgeId,
  carrier: "Correos",
  trackingNumber: "PK123456789ES",
  trackingUrl: "https://track.example/PK123456789ES",
  shippedOn: today(),
  ...extra,
});
const events = async (pledgeId: string) =>
  db().selectFrom("fulfilment_events").select(["from_status", "to_status"]).where("pledge_id", "=", pledgeId).execute();
const emailsTo = (email: string) =>
  db().selectFrom("email_outbox").selectAll().where("to_email", "=", email).orderBy("id").execute();

beforeAll(async () => {
  const creator = await makeUser(db(), "Fay Creator");
  const other = await makeUser(db(), "Otto Other");
  const finance = await makeFinanceUser(db());
  creatorCookie = await sessionCookie(creator.id);
  otherCookie = await sessionCookie(other.id);
  financeCookie = await sessionCookie(finance.id);
  campaign = await makeFundedCampaign(db(), { creatorId: creator.id });
  otherCampaign = await makeFundedCampaign(db(), { creatorId: other.id });
  const tierId = campaign.tiers[0]!.id;
  for (const [key, name, destination, locale] of [
    ["ana", "Ana Española", "EU", "es"],
    ["bob", '=HYPERLINK("http://evil")', "US", "en"],
    ["cy", "Cy Digital", "US", null],
    ["dee", "Dee Problem", "US", "en"],
  ] as const) {
    const b = await addCollectedBacker(db(), { campaignId: campaign.id, tierId, name, destination, locale });
    backers[key] = { ...b, cookie: await sessionCookie(b.user.id) };
  }
  const o = await addCollectedBacker(db(), {
    campaignId: otherCampaign.id,
    tierId: otherCampaign.tiers[0]!.id,
    name: "Olga Other",
  });
  backers.olga = { ...o, cookie: await sessionCookie(o.user.id) };
  const survey = await addSizeSurvey(db(), campaign.id);
  await answerSize(db(), survey, backers.ana!.pledgeId, "L");
  await addAddress(db(), backers.ana!.pledgeId, {
    full_name: "Ana García",
    line1: "Calle Mayor 1",
    city: "Madrid",
    postal_code: "28013",
    country: "ES",
  });
  await addAddress(db(), backers.olga!.pledgeId, { full_name: "Olga Secret", line1: "1 Hidden Lane" });
}, 120_000);

describe("the creator's fulfilment table", () => {
  it("lists every pledge owed a reward, filtered on the server", async () => {
    const res = await call(tableLoader, get(tablePath(campaign.id), creatorCookie), { id: campaign.id });
    expect(res.status).toBe(200);
    const data = (await res.json()) as { total: number; rows: Array<{ backerName: string; status: string }> };
    expect(data.total).toBe(4);
    // A survey question applies to the tier, so every reward waits for the survey first.
    expect(new Set(data.rows.map((r) => r.status))).toEqual(new Set(["awaiting_survey"]));
    const eu = (await (
      await call(tableLoader, get(tablePath(campaign.id, "?country=EU"), creatorCookie), { id: campaign.id })
    ).json()) as { rows: Array<{ backerName: string }> };
    expect(eu.rows.map((r) => r.backerName)).toEqual(["Ana Española"]);
    const bogus = await call(tableLoader, get(tablePath(campaign.id, "?status=nope&page=-3&tier=x"), creatorCookie), {
      id: campaign.id,
    });
    expect(bogus.status).toBe(200);
  });

  it("is the campaign's creator's only: another creator gets 404, a stranger is sent to sign in", async () => {
    expect((await call(tableLoader, get(tablePath(campaign.id), otherCookie), { id: campaign.id })).status).toBe(404);
    const anonymous = await call(tableLoader, get(tablePath(campaign.id)), { id: campaign.id });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    // Acting on this campaign's reward: through its page, and through one's own campaign's page.
    expect((await act(otherCookie, campaign.id, ship(backers.ana!.pledgeId))).status).toBe(404);
    expect((await act(otherCookie, otherCampaign.id, ship(backers.ana!.pledgeId))).status).toBe(404);
    expect((await act(undefined, campaign.id, ship(backers.ana!.pledgeId))).status).toBe(302);
    expect((await fulfilmentOf(db(), backers.ana!.pledgeId)).status).toBe("awaiting_survey");
  });

  it("answers bad shipment details at the fields with 400 and changes nothing", async () => {
    const res = await act(
      creatorCookie,
      campaign.id,
      ship(backers.ana!.pledgeId, {
        carrier: " ",
        trackingNumber: "",
        trackingUrl: "http://track.example/1",
        shippedOn: "2999-01-01",
      }),
    );
    expect(res.status).toBe(400);
    const reply = (await res.json()) as { form: string; result: { error: Record<string, string[]> } };
    expect(reply.form).toBe("ship");
    expect(reply.result.error.carrier?.[0]).toBe("Enter the carrier (for example, Correos or UPS).");
    expect(reply.result.error.trackingNumber?.[0]).toBe("Enter the tracking number.");
    expect(reply.result.error.trackingUrl?.[0]).toBe(
      "Enter a tracking link that starts with https://, or leave it empty.",
    );
    expect(reply.result.error.shippedOn?.[0]).toBe("Enter the date it was shipped (not in the future).");
    expect((await act(creatorCookie, campaign.id, { intent: "explode", pledgeId: "x" })).status).toBe(400);
    expect((await act(creatorCookie, campaign.id, ship("not-a-uuid"))).status).toBe(400);
    expect((await fulfilmentOf(db(), backers.ana!.pledgeId)).status).toBe("awaiting_survey");
    expect(await events(backers.ana!.pledgeId)).toEqual([]);
  });

  it("ships a reward, records the move and emails the backer the tracking link in their language", async () => {
    const res = await act(creatorCookie, campaign.id, ship(backers.ana!.pledgeId));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toContain("done=ship");
    const f = await fulfilmentOf(db(), backers.ana!.pledgeId);
    expect(f).toMatchObject({ status: "shipped", carrier: "Correos", tracking_number: "PK123456789ES" });
    expect(await events(backers.ana!.pledgeId)).toEqual([{ from_status: "awaiting_survey", to_status: "shipped" }]);
    const [email] = await emailsTo(backers.ana!.user.email);
    expect(email).toMatchObject({ kind: "reward_shipped", locale: "es" });
    expect(email!.subject).toMatch(/^Tu recompensa de .* está en camino$/);
    expect(email!.body_text).toContain("https://track.example/PK123456789ES");
    expect(email!.body_text).toContain("PK123456789ES");
  });

  it("refuses a move the status does not allow, saying why", async () => {
    const again = await act(creatorCookie, campaign.id, ship(backers.ana!.pledgeId));
    expect(again.status).toBe(409);
    const reply = (await again.json()) as { result: { error: Record<string, string[]> } };
    expect(reply.result.error[""]?.[0]).toBe("This reward is Shipped: it cannot be marked shipped now.");
    const deliverUnsent = await act(creatorCookie, campaign.id, { intent: "deliver", pledgeId: backers.bob!.pledgeId });
    expect(deliverUnsent.status).toBe(409);
    const answerNoProblem = await act(creatorCookie, campaign.id, {
      intent: "answer",
      pledgeId: backers.bob!.pledgeId,
      answer: "Hello",
      outcome: "answer",
    });
    expect(answerNoProblem.status).toBe(409);
    expect(await events(backers.ana!.pledgeId)).toHaveLength(1);
    expect(await events(backers.bob!.pledgeId)).toEqual([]);
  });

  it("sends a digital reward by email (https links only) and marks it delivered", async () => {
    const bad = await act(creatorCookie, campaign.id, {
      intent: "digital",
      pledgeId: backers.cy!.pledgeId,
      digitalKind: "link",
      digitalValue: "javascript:alert(1)",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { result: { error: Record<string, string[]> } }).result.error.digitalValue?.[0]).toBe(
      "Enter a download link that starts with https://.",
    );
    const res = await act(creatorCookie, campaign.id, {
      intent: "digital",
      pledgeId: backers.cy!.pledgeId,
      digitalKind: "key",
      digitalValue: "AAAA-BBBB-CCCC",
    });
    expect(res.status).toBe(302);
    expect(await fulfilmentOf(db(), backers.cy!.pledgeId)).toMatchObject({
      status: "delivered",
      digital_kind: "key",
      digital_value: "AAAA-BBBB-CCCC",
    });
    const [email] = await emailsTo(backers.cy!.user.email);
    expect(email).toMatchObject({ kind: "reward_digital", locale: "en" });
    expect(email!.body_text).toContain("Your key: AAAA-BBBB-CCCC");
  });
});

describe("the backer's reward on their pledge page", () => {
  it("shows the status, tracking and the forms", async () => {
    const res = await call(pledgeLoader, get(`/me/pledges/${backers.ana!.pledgeId}`, backers.ana!.cookie), {
      id: backers.ana!.pledgeId,
    });
    const data = (await res.json()) as { reward: { status: string; trackingUrl: string; canConfirm: boolean } };
    expect(data.reward).toMatchObject({
      status: "shipped",
      trackingUrl: "https://track.example/PK123456789ES",
      canConfirm: true,
    });
  });

  it("lets only the pledge's backer confirm receipt", async () => {
    const pledgeId = backers.ana!.pledgeId;
    expect((await backerAct(backers.bob!.cookie, pledgeId, { intent: "fulfilment-received" })).status).toBe(404);
    expect((await backerAct(undefined, pledgeId, { intent: "fulfilment-received" })).status).toBe(302);
    // The creator is not the backer either.
    expect((await backerAct(creatorCookie, pledgeId, { intent: "fulfilment-received" })).status).toBe(404);
    expect((await fulfilmentOf(db(), pledgeId)).status).toBe("shipped");
    const res = await backerAct(backers.ana!.cookie, pledgeId, { intent: "fulfilment-received" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/me/pledges/${pledgeId}?reward=received`);
    const f = await fulfilmentOf(db(), pledgeId);
    expect(f.status).toBe("received");
    expect(f.received_at).not.toBeNull();
    const twice = await backerAct(backers.ana!.cookie, pledgeId, { intent: "fulfilment-received" });
    expect(twice.status).toBe(409);
  });

  it("cannot confirm or report a reward that was not sent", async () => {
    const pledgeId = backers.bob!.pledgeId;
    expect((await backerAct(backers.bob!.cookie, pledgeId, { intent: "fulfilment-received" })).status).toBe(409);
    const report = await backerAct(backers.bob!.cookie, pledgeId, {
      intent: "fulfilment-problem",
      problemKind: "not_received",
      problemNote: "Where is it?",
    });
    expect(report.status).toBe(409);
    expect((await fulfilmentOf(db(), pledgeId)).status).toBe("awaiting_survey");
  });

  it("reports a problem (clear messages for bad input), emails the creator, and gets the creator's answer", async () => {
    const pledgeId = backers.dee!.pledgeId;
    expect((await act(creatorCookie, campaign.id, ship(pledgeId, { trackingUrl: "" }))).status).toBe(302);
    const bad = await backerAct(backers.dee!.cookie, pledgeId, {
      intent: "fulfilment-problem",
      problemKind: "lost",
      problemNote: " ",
    });
    expect(bad.status).toBe(400);
    const reply = (await bad.json()) as { form: string; result: { error: Record<string, string[]> } };
    expect(reply.result.error.problemKind?.[0]).toBe("Choose what happened.");
    expect(reply.result.error.problemNote?.[0]).toBe("Tell the creator what happened.");
    expect((await fulfilmentOf(db(), pledgeId)).status).toBe("shipped");
    // Someone else's pledge: not found.
    const stranger = await backerAct(backers.bob!.cookie, pledgeId, {
      intent: "fulfilment-problem",
      problemKind: "damaged",
      problemNote: "x",
    });
    expect(stranger.status).toBe(404);

    const res = await backerAct(backers.dee!.cookie, pledgeId, {
      intent: "fulfilment-problem",
      problemKind: "damaged",
      problemNote: "The box was crushed and the lamp is broken.",
    });
    expect(res.status).toBe(302);
    expect(await fulfilmentOf(db(), pledgeId)).toMatchObject({ status: "problem", problem_kind: "damaged" });
    const creatorEmail = (
      await db()
        .selectFrom("email_outbox")
        .select(["subject", "body_text"])
        .where("kind", "=", "reward_problem_reported")
        .execute()
    )[0]!;
    expect(creatorEmail.subject).toMatch(/Dee Problem reported a problem/);
    expect(creatorEmail.body_text).toContain("The box was crushed");

    // An answer without an outcome keeps the problem open.
    const fieldErrors = async (fields: Record<string, string>) => {
      const res = await act(creatorCookie, campaign.id, { intent: "answer", pledgeId, ...fields });
      expect(res.status).toBe(400);
      return ((await res.json()) as { result: { error: Record<string, string[]> } }).result.error;
    };
    expect((await fieldErrors({ answer: "", outcome: "answer" })).answer?.[0]).toBe("Write your answer to the backer.");
    // A replacement needs its shipment.
    const noTracking = await fieldErrors({ answer: "On its way", outcome: "replacement", carrier: "UPS" });
    expect(noTracking.trackingNumber?.[0]).toBe("Enter the tracking number.");
    expect((await fulfilmentOf(db(), pledgeId)).problem_answer).toBeNull();
    expect(
      (
        await act(creatorCookie, campaign.id, {
          intent: "answer",
          pledgeId,
          answer: "So sorry! Checking.",
          outcome: "answer",
        })
      ).status,
    ).toBe(302);
    expect(await fulfilmentOf(db(), pledgeId)).toMatchObject({
      status: "problem",
      problem_answer: "So sorry! Checking.",
    });
    const replacement = await act(creatorCookie, campaign.id, {
      intent: "answer",
      pledgeId,
      answer: "A new lamp is on its way.",
      outcome: "replacement",
      carrier: "UPS",
      trackingNumber: "1Z999",
      trackingUrl: "https://ups.example/1Z999",
      shippedOn: today(),
    });
    expect(replacement.status).toBe(302);
    expect(await fulfilmentOf(db(), pledgeId)).toMatchObject({ status: "shipped", tracking_number: "1Z999" });
    const kinds = (await emailsTo(backers.dee!.user.email)).map((e) => e.kind);
    expect(kinds).toEqual(["reward_shipped", "reward_problem_answered", "reward_shipped", "reward_problem_answered"]);
    expect((await events(pledgeId)).map((e) => e.to_status)).toEqual(["shipped", "problem", "shipped"]);
  });
});

describe("under concurrency and abuse", () => {
  it("ships a reward once when two requests race", async () => {
    const pledgeId = backers.bob!.pledgeId;
    const [a, b] = await Promise.all([
      act(creatorCookie, campaign.id, ship(pledgeId, { trackingNumber: "RACE-A" })),
      act(creatorCookie, campaign.id, ship(pledgeId, { trackingNumber: "RACE-B" })),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    expect(await events(pledgeId)).toEqual([{ from_status: "awaiting_survey", to_status: "shipped" }]);
    expect((await emailsTo(backers.bob!.user.email)).map((e) => e.kind)).toEqual(["reward_shipped"]);
  });

  it("limits how many problems one account reports", async () => {
    let res: Response | undefined;
    for (let i = 0; i < 12; i++) {
      res = await backerAct(backers.cy!.cookie, backers.cy!.pledgeId, {
        intent: "fulfilment-problem",
        problemKind: "other",
        problemNote: `Attempt ${i}`,
      });
      if (res.status === 429) break;
    }
    expect(res!.status).toBe(429);
    expect(Number(res!.headers.get("Retry-After"))).toBeGreaterThan(0);
    const reply = (await res!.json()) as { result: { error: Record<string, string[]> } };
    expect(reply.result.error[""]?.[0]).toBe(
      "You have reported too many problems in a short time. Try again in a while.",
    );
  });
});

describe("the export for a shipping house", () => {
  const csv = async (cookie: string, id = campaign.id) =>
    call(csvLoader, get(`/creator/campaigns/${id}/fulfilment.csv`, cookie), { id });

  it("gives the creator one row per pledge with address, answers and fulfilment, formula-safe", async () => {
    const res = await csv(creatorCookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = await res.text();
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain("Size");
    const ana = lines.find((l) => l.includes("Ana García"))!;
    expect(ana).toContain("Calle Mayor 1");
    expect(ana).toContain(",L,");
    expect(ana).toContain("Received");
    // A name a spreadsheet would run as a formula is quoted.
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).not.toContain("Olga");
  });

  it("gives it to finance staff, and to no other creator or backer", async () => {
    expect((await csv(financeCookie)).status).toBe(200);
    expect((await csv(otherCookie)).status).toBe(404);
    expect((await csv(backers.ana!.cookie)).status).toBe(404);
    const own = await (await csv(otherCookie, otherCampaign.id)).text();
    expect(own).toContain("Olga Secret");
    expect(own).not.toContain("Ana García");
  });
});

describe("the pages, in both languages", () => {
  it("render the table with a problem's panel, the backer's reward and the dashboard figures", async () => {
    const dee = backers.dee!;
    // Dee reports again, so the panel shows a problem to answer.
    expect(
      (
        await backerAct(dee.cookie, dee.pledgeId, {
          intent: "fulfilment-problem",
          problemKind: "not_received",
          problemNote: "Still nothing <b>here</b>",
        })
      ).status,
    ).toBe(302);
    const url = tablePath(campaign.id, `?pledge=${dee.pledgeId}`);
    const table = await (await call(tableLoader, get(url, creatorCookie), { id: campaign.id })).json();
    for (const [locale, words] of [
      ["en", ["Rewards to send", "Answer the backer", "Not received"]],
      ["es", ["Recompensas por enviar", "Responder al mecenas", "No ha llegado"]],
    ] as const) {
      const html = renderRoute(
        { path: "/creator/campaigns/:id/fulfilment", url, Component: FulfilmentPage, data: table },
        locale,
      );
      for (const w of words) expect(html).toContain(w);
      expect(html).toContain("Still nothing &lt;b&gt;here&lt;/b&gt;");
    }

    const pledgeUrl = `/me/pledges/${backers.ana!.pledgeId}`;
    const pledge = await (
      await call(pledgeLoader, get(pledgeUrl, backers.ana!.cookie), { id: backers.ana!.pledgeId })
    ).json();
    const en = renderRoute({ path: "/me/pledges/:id", url: pledgeUrl, Component: PledgePage, data: pledge });
    expect(en).toContain("Your reward");
    expect(en).toContain("Report a problem");
    const es = renderRoute({ path: "/me/pledges/:id", url: pledgeUrl, Component: PledgePage, data: pledge }, "es");
    expect(es).toContain("Tu recompensa");

    const dashUrl = `/creator/campaigns/${campaign.id}`;
    const dash = (await (await call(dashboardLoader, get(dashUrl, creatorCookie), { id: campaign.id })).json()) as {
      fulfilment: {
        shippedPercent: number;
        receivedPercent: number;
        problemsOpen: number;
        surveyAnsweredPercent: number;
      };
    };
    // Four rewards, all sent: Ana's received; Dee and Cy reported problems.
    expect(dash.fulfilment).toMatchObject({ shippedPercent: 100, receivedPercent: 25, problemsOpen: 2 });
    const dashHtml = renderRoute(
      { path: "/creator/campaigns/:id", url: dashUrl, Component: Dashboard, data: dash },
      "es",
    );
    expect(dashHtml).toContain("Problemas abiertos");
  });
});
