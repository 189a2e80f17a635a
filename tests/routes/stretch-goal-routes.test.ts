import { beforeAll, describe, expect, it } from "vitest";
import { loader as dashboardLoader } from "~/routes/creator.campaigns.$id._index";
import { action as stretchAction, loader as stretchLoader } from "~/routes/creator.campaigns.$id.stretch-goals";
import { loader as projectLoader } from "~/routes/projects.$slug";
import { useTestDatabase } from "../support/database";
import { makeBacker, makeLiveCampaign, makeUser } from "../support/fixtures";
import { call, get, post, sessionCookie } from "../support/routes";

// Stretch goals as a creator keeps them: only the campaign's creator adds, changes and deletes
// them (another creator and a backer get the 404 any other campaign gives), amounts are typed in
// the reader's language and stored as integer minor units, and bad input (no title, an amount
// not above the goal, one already used, one with too many decimals, deleting a reached goal) gets
// a clear message at its field, a 4xx, and changes nothing. The project page shows the ladder,
// and the dashboard asks the creator to tell the backers when a goal is reached.

const database = useTestDatabase();

type Persona = "anonymous" | "creator" | "otherCreator" | "backer";
const people: Record<Exclude<Persona, "anonymous">, { id: string; cookie: string }> = {} as never;
/** A live campaign with a $1,000.00 goal and $25.00 pledged. */
let campaign: { id: string; slug: string; tiers: { id: string }[] };
const cookieOf = (who: Persona) => (who === "anonymous" ? undefined : people[who].cookie);

function send(who: Persona, fields: Record<string, string>, campaignId = campaign.id, cookie = cookieOf(who)) {
  return call(stretchAction, post(`/creator/campaigns/${campaignId}/stretch-goals`, fields, cookie), {
    id: campaignId,
  });
}
const add = (who: Persona, fields: Record<string, string>, campaignId?: string) =>
  send(who, { intent: "create", title: "Metal coffee tokens", description: "", ...fields }, campaignId);

async function goalsOf(campaignId = campaign.id) {
  return database()
    .db.selectFrom("stretch_goals")
    .select(["id", "title", "description", "amount", "reached_at", "updated_at"])
    .where("campaign_id", "=", campaignId)
    .orderBy("amount")
    .execute();
}
async function added(fields: Record<string, string>, campaignId = campaign.id) {
  const res = await add("creator", fields, campaignId);
  expect(res.status, await res.clone().text()).toBe(303);
  const id = res.headers.get("Location")!.split("#stretch-")[1]!;
  return (await goalsOf(campaignId)).find((g) => g.id === id)!;
}

/** What the refused request answered: its status, and the message at `field` ("" for the form's own). */
async function refusal(res: Response, field: string) {
  return { status: res.status, message: ((await res.json()).error?.[field] ?? [])[0] as string | undefined };
}

beforeAll(async () => {
  const { db } = database();
  const creator = await makeUser(db, "Carla Creator");
  campaign = await makeLiveCampaign(db, { creatorId: creator.id, goal: 100_000 });
  const backer = await makeBacker(db, { campaignId: campaign.id, tierId: campaign.tiers[0]!.id, amount: 2_500 });
  const otherCreator = await makeUser(db, "Otto Other");
  await makeLiveCampaign(db, { creatorId: otherCreator.id });
  for (const [key, user] of Object.entries({ creator, otherCreator, backer }))
    people[key as keyof typeof people] = { id: user.id, cookie: await sessionCookie(user.id) };
}, 60_000);

describe("keeping stretch goals", () => {
  it("is for the campaign's creator only", async () => {
    const anonymous = await add("anonymous", { amount: "1500" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    for (const who of ["otherCreator", "backer"] as const) {
      expect((await add(who, { amount: "1500" })).status, who).toBe(404);
      const page = await call(stretchLoader, get(`/creator/campaigns/${campaign.id}/stretch-goals`, cookieOf(who)), {
        id: campaign.id,
      });
      expect(page.status, who).toBe(404);
    }
    expect(await goalsOf()).toEqual([]);

    const goal = await added({ amount: "1,500.50", description: "Forty metal tokens\r\nin every box." });
    expect(goal).toMatchObject({ title: "Metal coffee tokens", amount: 150_050, reached_at: null });
    expect(goal.description).toBe("Forty metal tokens\nin every box.");

    // Another creator and a backer can neither change nor delete it.
    for (const who of ["otherCreator", "backer"] as const) {
      const update = await send(who, { intent: "update", goalId: goal.id, title: "Mine", amount: "1600" });
      expect(update.status, who).toBe(404);
      expect((await send(who, { intent: "delete", goalId: goal.id })).status, who).toBe(404);
    }
    expect(await goalsOf()).toEqual([goal]);

    // Their own: changed, then deleted.
    const changed = await send("creator", {
      intent: "update",
      goalId: goal.id,
      title: "Metal tokens",
      description: "",
      amount: "1600",
    });
    expect(changed.status).toBe(303);
    expect(changed.headers.get("Location")).toBe(
      `/creator/campaigns/${campaign.id}/stretch-goals?done=saved#stretch-${goal.id}`,
    );
    expect((await goalsOf())[0]).toMatchObject({ id: goal.id, title: "Metal tokens", amount: 160_000 });
    const deleted = await send("creator", { intent: "delete", goalId: goal.id });
    expect(deleted.status).toBe(303);
    expect(await goalsOf()).toEqual([]);
  });

  it("reads amounts as a Spanish reader types them, and lists the goals for the creator", async () => {
    const spanish = await send(
      "creator",
      { intent: "create", title: "Mapa plegable", amount: "1.250,75" },
      campaign.id,
      `${people.creator.cookie}; colecta_lang=es`,
    );
    expect(spanish.status).toBe(303);
    const page = await call(
      stretchLoader,
      get(`/creator/campaigns/${campaign.id}/stretch-goals`, people.creator.cookie),
      { id: campaign.id },
    );
    const data = await page.json();
    expect(data.editable).toBe(true);
    expect(data.goals).toEqual([
      expect.objectContaining({ title: "Mapa plegable", amount: 125_075, description: "", reachedAt: null }),
    ]);
    const bad = await send(
      "creator",
      { intent: "create", title: "Demasiado", amount: "900" },
      campaign.id,
      `${people.creator.cookie}; colecta_lang=es`,
    );
    const { status, message } = await refusal(bad, "amount");
    expect(status).toBe(400);
    expect(message?.replace(/\u00a0/g, " ")).toBe(
      "Un objetivo adicional tiene que superar el objetivo de la campaña, 1.000,00 US$.",
    );
    await database().db.deleteFrom("stretch_goals").where("campaign_id", "=", campaign.id).execute();
  });

  it("refuses bad input at its field with a 4xx, and changes nothing", async () => {
    const existing = await added({ title: "Linen cards", amount: "2000" });
    const before = await goalsOf();
    for (const [fields, status, field, message] of [
      [{ title: "", amount: "1500" }, 400, "title", "Give the stretch goal a title."],
      [{ amount: "1000" }, 400, "amount", "A stretch goal starts above the campaign's goal of $1,000.00."],
      [{ amount: "500" }, 400, "amount", "A stretch goal starts above the campaign's goal of $1,000.00."],
      [{ amount: "2,000.00" }, 409, "amount", "Another stretch goal already has this amount."],
      [{ amount: "1500.505" }, 400, "amount", "Use at most 2 decimal places."],
      [{ amount: "lots" }, 400, "amount", "Enter the amount as a number, like 25 or 25.50."],
      [{ amount: "" }, 400, "amount", "Enter the amount the total must reach."],
    ] as const) {
      const res = await add("creator", fields);
      expect(await refusal(res, field), JSON.stringify(fields)).toEqual({ status, message });
    }
    // A change to the amount of another goal gets the same answers.
    const clash = await send("creator", { intent: "update", goalId: existing.id, title: "Linen", amount: "1000" });
    expect(await refusal(clash, "amount")).toEqual({
      status: 400,
      message: "A stretch goal starts above the campaign's goal of $1,000.00.",
    });
    const second = await added({ title: "Cloth bag", amount: "2500" });
    const taken = await send("creator", { intent: "update", goalId: second.id, title: "Cloth bag", amount: "2000" });
    expect(await refusal(taken, "amount")).toEqual({
      status: 409,
      message: "Another stretch goal already has this amount.",
    });
    expect(await goalsOf()).toEqual([...before, second]);
    // A goal that is not there, and an action the page does not know.
    const gone = await send("creator", { intent: "delete", goalId: "00000000-0000-4000-8000-000000000000" });
    expect(await refusal(gone, "goalId")).toEqual({ status: 404, message: "This stretch goal doesn't exist." });
    expect((await send("creator", { intent: "delete", goalId: "nope" })).status).toBe(404);
    expect((await send("creator", { intent: "launch" })).status).toBe(400);
    expect(await goalsOf()).toEqual([...before, second]);
    await database().db.deleteFrom("stretch_goals").where("campaign_id", "=", campaign.id).execute();
  });

  it("keeps a reached goal on the ladder: its words may change, its amount and place may not", async () => {
    const { db } = database();
    const rich = await makeLiveCampaign(db, { creatorId: people.creator.id, goal: 100_000 });
    await makeBacker(db, { campaignId: rich.id, tierId: rich.tiers[0]!.id, amount: 130_000 });
    // Covered when it is added: reached at once.
    const reached = await added({ title: "Spanish rulebook", amount: "1200" }, rich.id);
    expect(reached.reached_at).toBeInstanceOf(Date);
    const before = await goalsOf(rich.id);

    const move = (amount: string) =>
      send("creator", { intent: "update", goalId: reached.id, title: "Spanish rulebook", amount }, rich.id);
    expect(await refusal(await move("1250"), "amount")).toEqual({
      status: 409,
      message: "This goal has been reached, so its amount can't change.",
    });
    const remove = await send("creator", { intent: "delete", goalId: reached.id }, rich.id);
    expect(await refusal(remove, "goalId")).toEqual({
      status: 409,
      message: "This goal has been reached, so it stays on the ladder.",
    });
    expect(await goalsOf(rich.id)).toEqual(before);

    // The same amount, written as the form shows it, with better words: saved, still reached.
    const reworded = await send(
      "creator",
      { intent: "update", goalId: reached.id, title: "Spanish and Portuguese rulebooks", amount: "1200.00" },
      rich.id,
    );
    expect(reworded.status).toBe(303);
    const [after] = await goalsOf(rich.id);
    expect(after).toMatchObject({ title: "Spanish and Portuguese rulebooks", amount: 120_000 });
    expect(after!.reached_at).toEqual(reached.reached_at);
  });

  it("holds at most ten goals, and none once the campaign has ended", async () => {
    const { db } = database();
    const busy = await makeLiveCampaign(db, { creatorId: people.creator.id, goal: 100_000 });
    for (let i = 1; i <= 10; i++) await added({ title: `Goal ${i}`, amount: String(1000 + i * 100) }, busy.id);
    const eleventh = await add("creator", { title: "One more", amount: "9000" }, busy.id);
    expect(await refusal(eleventh, "")).toEqual({
      status: 409,
      message: "A campaign can have at most 10 stretch goals.",
    });
    expect(await goalsOf(busy.id)).toHaveLength(10);

    await db.updateTable("campaigns").set({ state: "funded" }).where("id", "=", busy.id).execute();
    const [first] = await goalsOf(busy.id);
    const late = await send("creator", { intent: "delete", goalId: first!.id }, busy.id);
    expect(await refusal(late, "")).toEqual({
      status: 409,
      message: "Stretch goals can be changed while the campaign is a draft or live.",
    });
    const edit = await send("creator", { intent: "update", goalId: first!.id, title: "Late", amount: "1100" }, busy.id);
    expect(edit.status).toBe(409);
    expect(await goalsOf(busy.id)).toHaveLength(10);
    const page = await call(stretchLoader, get(`/creator/campaigns/${busy.id}/stretch-goals`, people.creator.cookie), {
      id: busy.id,
    });
    expect((await page.json()).editable).toBe(false);
  });
});

describe("the ladder on the project page and the dashboard", () => {
  it("shows every goal on the project page, and asks the creator to tell the backers once one is reached", async () => {
    const { db } = database();
    const lamp = await makeLiveCampaign(db, { creatorId: people.creator.id, goal: 100_000 });
    await makeBacker(db, { campaignId: lamp.id, tierId: lamp.tiers[0]!.id, amount: 130_000 });
    const reached = await added({ title: "Solar panel upgrade", amount: "1200" }, lamp.id);
    await added({ title: "A second colour", amount: "2000", description: "Slate or sand." }, lamp.id);

    const page = await call(projectLoader, get(`/projects/${lamp.slug}`), { slug: lamp.slug });
    expect((await page.json()).stretchGoals).toEqual([
      {
        id: reached.id,
        title: "Solar panel upgrade",
        description: "",
        amount: 120_000,
        reachedAt: reached.reached_at!.toISOString(),
      },
      expect.objectContaining({
        title: "A second colour",
        description: "Slate or sand.",
        amount: 200_000,
        reachedAt: null,
      }),
    ]);

    const dashboard = async () =>
      (
        await (
          await call(dashboardLoader, get(`/creator/campaigns/${lamp.id}`, people.creator.cookie), { id: lamp.id })
        ).json()
      ).stretchToAnnounce;
    expect(await dashboard()).toEqual([
      { id: reached.id, title: "Solar panel upgrade", reachedAt: reached.reached_at!.toISOString() },
    ]);
    // An update published since the goal was reached tells the backers: the prompt goes.
    await db
      .insertInto("campaign_updates")
      .values({
        campaign_id: lamp.id,
        author_id: people.creator.id,
        title: "Solar upgrade unlocked",
        body_md: "Thanks!",
        body_html: "<p>Thanks!</p>",
        markdown_version: 1,
        visibility: "public",
      })
      .execute();
    expect(await dashboard()).toEqual([]);

    // A campaign that failed shows no ladder.
    await db.updateTable("campaigns").set({ state: "unfunded" }).where("id", "=", lamp.id).execute();
    const failed = await call(projectLoader, get(`/projects/${lamp.slug}`), { slug: lamp.slug });
    expect((await failed.json()).stretchGoals).toEqual([]);
  });
});
