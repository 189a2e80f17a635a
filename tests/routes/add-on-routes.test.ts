import { beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { action as listAction, loader as listLoader } from "~/routes/creator.campaigns.$id.add-ons._index";
import { action as editAction, loader as editLoader } from "~/routes/creator.campaigns.$id.add-ons.$addOnId";
import { createAddOn } from "~/models/add-ons.server";
import { useTestDatabase } from "../support/database";
import { makeBacker, makeLiveCampaign, makeUser } from "../support/fixtures";
import { call, get, sessionCookie } from "../support/routes";

// The creator's add-on pages as people use them: only the campaign's creator lists, adds,
// changes, hides and deletes its add-ons; bad input gets a clear message at its field, a 4xx and
// no write at all; an add-on a pledge line carries is hidden, never deleted; and the pages speak
// Spanish to a Spanish reader.

const database = useTestDatabase();
const db = () => database().db as Kysely<Database>;

type Fields = Record<string, string | string[]>;

/** A form POST as a browser sends it: a field with several values (checkboxes) repeats. */
function post(path: string, fields: Fields, cookie?: string) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return new Request(`http://localhost${path}`, { method: "POST", body, headers: cookie ? { Cookie: cookie } : {} });
}

let creator: { id: string; cookie: string };
let otherCreator: { id: string; cookie: string };
let backer: { id: string; cookie: string };
/** A draft in USD with a reward that ships and one that doesn't. */
let usd: { id: string; ships: string; digital: string };
/** A live campaign in yen. */
let jpy: { id: string; tier: string };
/** Another creator's campaign, with a reward of its own. */
let foreign: { id: string; tier: string };

const listPath = (campaignId: string) => `/creator/campaigns/${campaignId}/add-ons`;
const addOnFields = (tierIds: string[], overrides: Fields = {}): Fields => ({
  intent: "create",
  title: "Spare filter",
  description: "A second filter for the kettle",
  price: "12.50",
  quantityLimit: "",
  perBackerMax: "",
  shipping: "none",
  tiers: tierIds,
  ...overrides,
});

function create(campaignId: string, fields: Fields, cookie = creator.cookie) {
  return call(listAction, post(listPath(campaignId), fields, cookie), { id: campaignId });
}
function edit(campaignId: string, addOnId: string, fields: Fields, cookie = creator.cookie) {
  return call(editAction, post(`${listPath(campaignId)}/${addOnId}`, fields, cookie), { id: campaignId, addOnId });
}
async function listed(campaignId: string, cookie = creator.cookie) {
  const res = await call(listLoader, get(listPath(campaignId), cookie), { id: campaignId });
  expect(res.status).toBe(200);
  return (await res.json()) as { addOns: Array<Record<string, unknown>>; tiers: Array<{ id: string }> };
}
/** Adds an add-on as the creator and returns its id. */
async function added(campaignId: string, fields: Fields) {
  const before = new Set((await addOnRows(campaignId)).map((r) => r.id));
  const res = await create(campaignId, fields);
  expect(res.status, await res.clone().text()).toBe(302);
  const row = (await addOnRows(campaignId)).find((r) => !before.has(r.id));
  return row!.id;
}

/** Everything the add-on tables hold for a campaign, to compare before and after a refused write. */
async function snapshot(campaignId: string) {
  const addOns = await addOnRows(campaignId);
  const ids = addOns.map((a) => a.id);
  const [rates, tiers, audits] = await Promise.all([
    ids.length
      ? db()
          .selectFrom("add_on_shipping_rates")
          .selectAll()
          .where("add_on_id", "in", ids)
          .orderBy("destination")
          .execute()
      : [],
    ids.length
      ? db().selectFrom("add_on_tiers").selectAll().where("add_on_id", "in", ids).orderBy("tier_id").execute()
      : [],
    db()
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("subject_id", "=", campaignId)
      .executeTakeFirstOrThrow(),
  ]);
  return { addOns, rates, tiers, audits: Number(audits.n) };
}
function addOnRows(campaignId: string) {
  return db()
    .selectFrom("add_ons")
    .select([
      "id",
      "title",
      "description",
      "price",
      "quantity_limit",
      "per_backer_max",
      "ships",
      "hidden",
      "updated_at",
    ])
    .where("campaign_id", "=", campaignId)
    .orderBy("created_at")
    .execute();
}

async function person(name: string) {
  const user = await makeUser(db(), name);
  return { id: user.id, cookie: await sessionCookie(user.id) };
}

beforeAll(async () => {
  creator = await person("Ana Creator");
  otherCreator = await person("Other Creator");
  const draft = await makeLiveCampaign(db(), {
    creatorId: creator.id,
    state: "draft",
    tiers: [
      { title: "Kettle", minimum: 7_900, shipping: { US: 1_000, ROW: 2_500 } },
      { title: "Digital thanks", minimum: 1_000 },
    ],
  });
  usd = { id: draft.id, ships: draft.tiers[0]!.id, digital: draft.tiers[1]!.id };
  const live = await makeLiveCampaign(db(), { creatorId: creator.id, currency: "jpy", tiers: [{ minimum: 3_000 }] });
  jpy = { id: live.id, tier: live.tiers[0]!.id };
  const theirs = await makeLiveCampaign(db(), { creatorId: otherCreator.id, tiers: [{ minimum: 2_500 }] });
  foreign = { id: theirs.id, tier: theirs.tiers[0]!.id };
  const b = await makeBacker(db(), { campaignId: jpy.id, tierId: jpy.tier, amount: 3_000 });
  backer = { id: b.id, cookie: await sessionCookie(b.id) };
});

describe("who may", () => {
  it("lets only the campaign's creator list, add, edit, hide and delete; anyone else gets a 404", async () => {
    const addOnId = await added(jpy.id, addOnFields([jpy.tier], { price: "500" }));
    const before = await snapshot(jpy.id);
    for (const who of [otherCreator, backer]) {
      const params = { id: jpy.id, addOnId };
      expect((await call(listLoader, get(listPath(jpy.id), who.cookie), params)).status).toBe(404);
      expect((await create(jpy.id, addOnFields([jpy.tier]), who.cookie)).status).toBe(404);
      for (const intent of ["hide", "delete"])
        expect((await create(jpy.id, { intent, addOnId }, who.cookie)).status).toBe(404);
      expect((await call(editLoader, get(`${listPath(jpy.id)}/${addOnId}`, who.cookie), params)).status).toBe(404);
      expect(
        (
          await edit(
            jpy.id,
            addOnId,
            { ...addOnFields([jpy.tier], { title: "Mine now" }), intent: "update" },
            who.cookie,
          )
        ).status,
      ).toBe(404);
      for (const intent of ["hide", "delete"])
        expect((await edit(jpy.id, addOnId, { intent }, who.cookie)).status).toBe(404);
    }
    // Signed out: to sign-in and back.
    const anonymous = await call(listLoader, get(listPath(jpy.id)), { id: jpy.id });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect((await create(jpy.id, addOnFields([jpy.tier]), "")).status).toBe(302);
    expect(await snapshot(jpy.id)).toEqual(before);
  });

  it("answers 404 for an add-on of another campaign, or a malformed id", async () => {
    const theirs = await createAddOn(db(), {
      campaignId: foreign.id,
      actor: { userId: otherCreator.id, staff: false },
      input: {
        title: "Their add-on",
        description: "",
        price: 500,
        quantityLimit: null,
        perBackerMax: null,
        ships: false,
        shippingRates: [],
        tierIds: [foreign.tier],
      },
    });
    expect(theirs.ok).toBe(true);
    const theirId = theirs.ok ? theirs.addOnId : "";
    for (const addOnId of [theirId, "not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const params = { id: usd.id, addOnId };
      expect((await call(editLoader, get(`${listPath(usd.id)}/${addOnId}`, creator.cookie), params)).status).toBe(404);
      expect(
        (await edit(usd.id, addOnId, { ...addOnFields([usd.ships]), intent: "update" })).status,
        `update ${addOnId}`,
      ).toBe(404);
      expect((await edit(usd.id, addOnId, { intent: "delete" })).status).toBe(404);
    }
    const list = await create(usd.id, { intent: "hide", addOnId: theirId });
    expect(list.status).toBe(404);
    expect(
      (await db().selectFrom("add_ons").select("hidden").where("id", "=", theirId).executeTakeFirstOrThrow()).hidden,
    ).toBe(false);
  });
});

describe("adding an add-on", () => {
  it("stores a shipped add-on with its surcharges and rewards, audits it, and lists it", async () => {
    const addOnId = await added(
      usd.id,
      addOnFields([usd.ships], {
        title: "Travel case",
        price: "19.99",
        quantityLimit: "200",
        perBackerMax: "2",
        shipping: "ships",
        ship_US: "3",
        ship_ROW: "0",
      }),
    );
    const row = await db().selectFrom("add_ons").selectAll().where("id", "=", addOnId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      title: "Travel case",
      quantity_limit: 200,
      per_backer_max: 2,
      ships: true,
      hidden: false,
    });
    expect(Number(row.price)).toBe(1_999);
    const rates = await db()
      .selectFrom("add_on_shipping_rates")
      .select(["destination", "amount"])
      .where("add_on_id", "=", addOnId)
      .orderBy("destination")
      .execute();
    expect(rates.map((r) => [r.destination, Number(r.amount)])).toEqual([
      ["ROW", 0],
      ["US", 300],
    ]);
    const audit = await db()
      .selectFrom("audit_log")
      .select(["action", "actor_id"])
      .where("subject_id", "=", usd.id)
      .where("action", "=", "add_on.create")
      .execute();
    expect(audit).toContainEqual({ action: "add_on.create", actor_id: creator.id });

    const page = await listed(usd.id);
    expect(page.addOns.find((a) => a.id === addOnId)).toMatchObject({
      title: "Travel case",
      price: 1_999,
      limit: 200,
      claimed: 0,
      remaining: 200,
      perBackerMax: 2,
      ships: true,
      tierIds: [usd.ships],
      hidden: false,
      canDelete: true,
    });
    expect(page.tiers.map((t) => t.id)).toEqual([usd.ships, usd.digital]);
  });

  it("offers an add-on that doesn't ship with any rewards, shipped or not", async () => {
    const addOnId = await added(usd.id, addOnFields([usd.ships, usd.digital], { title: "Sticker pack", price: "2" }));
    const tiers = await db().selectFrom("add_on_tiers").select("tier_id").where("add_on_id", "=", addOnId).execute();
    expect(tiers.map((t) => t.tier_id).sort()).toEqual([usd.ships, usd.digital].sort());
  });

  it.each<[string, () => [string, Fields], string, RegExp]>([
    ["an empty title", () => [usd.id, addOnFields([usd.ships], { title: "" })], "title", /Give the add-on a title/],
    ["a price of 0", () => [usd.id, addOnFields([usd.ships], { price: "0" })], "price", /more than zero/],
    ["12.345 dollars", () => [usd.id, addOnFields([usd.ships], { price: "12.345" })], "price", /at most 2 decimal/],
    ["decimals in yen", () => [jpy.id, addOnFields([jpy.tier], { price: "500.5" })], "price", /JPY has no decimal/],
    [
      "a per-backer maximum above the limit",
      () => [usd.id, addOnFields([usd.ships], { quantityLimit: "3", perBackerMax: "4" })],
      "perBackerMax",
      /more than the 3 units in stock/,
    ],
    [
      "a reward of another campaign",
      () => [usd.id, addOnFields([usd.ships, foreign.tier])],
      "tiers",
      /not this campaign's/,
    ],
    [
      "a shipped add-on offered with a reward that doesn't ship",
      () => [usd.id, addOnFields([usd.ships, usd.digital], { shipping: "ships", ship_US: "3" })],
      "tiers",
      /ships, but “Digital thanks” doesn't/,
    ],
    ["no reward chosen", () => [usd.id, addOnFields([])], "tiers", /Choose at least one reward/],
    [
      "a shipped add-on with no surcharge",
      () => [usd.id, addOnFields([usd.ships], { shipping: "ships" })],
      "shipping",
      /at least one destination/,
    ],
  ])("refuses %s at the field, keeps what was typed, and writes nothing", async (_, input, field, message) => {
    const [campaignId, fields] = input();
    const before = await snapshot(campaignId);
    const res = await create(campaignId, fields);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error[field][0]).toMatch(message);
    // What was typed comes back (Conform leaves empty fields out).
    expect(body.initialValue).toMatchObject({ description: fields.description, price: fields.price });
    expect(await snapshot(campaignId)).toEqual(before);
  });

  it("checks the rewards in the query too, whatever the form said", async () => {
    const before = await snapshot(usd.id);
    const input = {
      title: "Sneaky",
      description: "",
      price: 100,
      quantityLimit: null,
      perBackerMax: null,
      ships: true,
      shippingRates: [{ destination: "US", amount: 100 }],
    };
    const actor = { userId: creator.id, staff: false };
    const foreignTier = await createAddOn(db(), {
      campaignId: usd.id,
      actor,
      input: { ...input, tierIds: [foreign.tier] },
    });
    expect(foreignTier).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { tiers: expect.stringMatching(/not this campaign's/) },
    });
    const noShipping = await createAddOn(db(), {
      campaignId: usd.id,
      actor,
      input: { ...input, tierIds: [usd.digital] },
    });
    expect(noShipping).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { tiers: expect.stringMatching(/doesn't/) },
    });
    expect(await snapshot(usd.id)).toEqual(before);
  });

  it("reads and answers a Spanish reader in Spanish: 12,50 is 1250 cents", async () => {
    const es = `${creator.cookie}; colecta_lang=es`;
    const refused = await create(usd.id, addOnFields([usd.ships], { title: "", price: "0" }), es);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({
      title: ["Ponle un título al complemento."],
      price: ["El importe debe ser mayor que cero."],
    });
    const res = await create(usd.id, addOnFields([usd.ships], { title: "Filtro de repuesto", price: "12,50" }), es);
    expect(res.status).toBe(302);
    const row = await db()
      .selectFrom("add_ons")
      .select("price")
      .where("campaign_id", "=", usd.id)
      .where("title", "=", "Filtro de repuesto")
      .executeTakeFirstOrThrow();
    expect(Number(row.price)).toBe(1_250);
    const page = await call(editLoader, get(`${listPath(usd.id)}/x`, es), { id: usd.id, addOnId: "x" });
    expect(await page.text()).toBe("No se encuentra el complemento.");
  });
});

describe("after backers chose it", () => {
  let addOnId: string;
  let pledgeId: string;
  beforeAll(async () => {
    addOnId = await added(jpy.id, addOnFields([jpy.tier], { title: "Poster", price: "800", quantityLimit: "10" }));
    const pledge = await db()
      .selectFrom("pledges")
      .select("id")
      .where("campaign_id", "=", jpy.id)
      .where("backer_id", "=", backer.id)
      .executeTakeFirstOrThrow();
    pledgeId = pledge.id;
    // A pledge line as checkout writes it: three posters at 800 yen, the units claimed.
    await db()
      .insertInto("pledge_add_ons")
      .values({ pledge_id: pledgeId, add_on_id: addOnId, quantity: 3, unit_price: 800, amount: 2_400 })
      .execute();
    await db().updateTable("add_ons").set({ claimed_count: 3 }).where("id", "=", addOnId).execute();
  });
  const update = (overrides: Fields) =>
    edit(jpy.id, addOnId, {
      ...addOnFields([jpy.tier], { title: "Poster", price: "800", quantityLimit: "10" }),
      intent: "update",
      ...overrides,
    });

  it("shows the edit form with what is stored and says the price stays for existing pledges", async () => {
    const res = await call(editLoader, get(`${listPath(jpy.id)}/${addOnId}`, creator.cookie), { id: jpy.id, addOnId });
    expect(res.status).toBe(200);
    const { addOn } = await res.json();
    expect(addOn).toMatchObject({
      claimed: 3,
      chosen: true,
      canDelete: false,
      values: { title: "Poster", price: "800", quantityLimit: "10", shipping: "none", tiers: [jpy.tier] },
    });
  });

  it("changes the words and the price; the pledge line keeps the price it was priced at", async () => {
    const res = await update({ title: "Signed poster", price: "1200", quantityLimit: "3" });
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get("Location")).toBe(`${listPath(jpy.id)}?saved=1`);
    const row = await db().selectFrom("add_ons").selectAll().where("id", "=", addOnId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: "Signed poster", quantity_limit: 3 });
    expect(Number(row.price)).toBe(1_200);
    const line = await db()
      .selectFrom("pledge_add_ons")
      .select(["unit_price", "amount"])
      .where("pledge_id", "=", pledgeId)
      .executeTakeFirstOrThrow();
    expect([Number(line.unit_price), Number(line.amount)]).toEqual([800, 2_400]);
  });

  it("refuses a limit under the units claimed, at the field, and changes nothing", async () => {
    const before = await snapshot(jpy.id);
    const res = await update({ title: "Cheaper poster", price: "600", quantityLimit: "2" });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.quantityLimit).toEqual(["3 units are already claimed, so the limit can't be lower than 3."]);
    expect(body.initialValue).toMatchObject({ title: "Cheaper poster", price: "600", quantityLimit: "2" });
    expect(await snapshot(jpy.id)).toEqual(before);
  });

  it("refuses to delete it and says to hide it; hides and shows it instead", async () => {
    const before = await snapshot(jpy.id);
    for (const res of [
      await create(jpy.id, { intent: "delete", addOnId }),
      await edit(jpy.id, addOnId, { intent: "delete" }),
    ]) {
      expect(res.status).toBe(409);
      expect((await res.json()).error[""][0]).toMatch(
        /Backers have chosen this add-on, so it can't be deleted\. Hide it instead/,
      );
    }
    expect(await snapshot(jpy.id)).toEqual(before);

    const hide = await create(jpy.id, { intent: "hide", addOnId });
    expect(hide.status).toBe(302);
    expect((await listed(jpy.id)).addOns.find((a) => a.id === addOnId)).toMatchObject({
      hidden: true,
      canDelete: false,
    });
    const show = await edit(jpy.id, addOnId, { intent: "show" });
    expect(show.status).toBe(302);
    expect(show.headers.get("Location")).toBe(`${listPath(jpy.id)}/${addOnId}`);
    expect((await listed(jpy.id)).addOns.find((a) => a.id === addOnId)).toMatchObject({ hidden: false });
    const actions = await db()
      .selectFrom("audit_log")
      .select("action")
      .where("subject_id", "=", jpy.id)
      .where("action", "like", "add_on.%")
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action).slice(-2)).toEqual(["add_on.hide", "add_on.show"]);
  });

  it("deletes an add-on nobody chose, with its surcharges and rewards", async () => {
    const spare = await added(jpy.id, addOnFields([jpy.tier], { title: "Tote bag", price: "900" }));
    const res = await edit(jpy.id, spare, { intent: "delete" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`${listPath(jpy.id)}?deleted=1`);
    expect(await db().selectFrom("add_ons").select("id").where("id", "=", spare).execute()).toEqual([]);
    expect(await db().selectFrom("add_on_tiers").select("tier_id").where("add_on_id", "=", spare).execute()).toEqual(
      [],
    );
  });

  it("refuses every change once the campaign has ended", async () => {
    await db().updateTable("campaigns").set({ state: "funded" }).where("id", "=", jpy.id).execute();
    try {
      const before = await snapshot(jpy.id);
      const res = await update({ title: "Too late" });
      expect(res.status).toBe(409);
      expect((await res.json()).error[""][0]).toMatch(/has ended/);
      expect((await create(jpy.id, addOnFields([jpy.tier], { price: "100" }))).status).toBe(409);
      expect((await create(jpy.id, { intent: "hide", addOnId })).status).toBe(409);
      expect(await snapshot(jpy.id)).toEqual(before);
      expect((await listed(jpy.id)).addOns).not.toHaveLength(0);
    } finally {
      await db().updateTable("campaigns").set({ state: "live" }).where("id", "=", jpy.id).execute();
    }
  });
});
