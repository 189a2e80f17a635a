import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { recordNewPledge } from "~/models/pledge-state.server";
import { createUser } from "~/models/user.server";
import { loader as creatorHomeLoader } from "~/routes/creator._index";
import { action as newAction } from "~/routes/creator.new";
import { loader as dashboardLoader } from "~/routes/creator.campaigns.$id._index";
import { action as editAction, loader as editLoader } from "~/routes/creator.campaigns.$id.edit";
import { action as tiersAction, loader as tiersLoader } from "~/routes/creator.campaigns.$id.tiers._index";
import { action as tierEditAction } from "~/routes/creator.campaigns.$id.tiers.$tierId";
import { action as launchAction, loader as launchLoader } from "~/routes/creator.campaigns.$id.launch";
import { action as cancelAction, loader as cancelLoader } from "~/routes/creator.campaigns.$id.cancel";
import { action as deleteAction } from "~/routes/creator.campaigns.$id.delete";
import { action as updatesAction } from "~/routes/creator.campaigns.$id.updates";
import { loader as csvLoader } from "~/routes/creator.campaigns.$id.backers[.]csv";
import { action as signupAction } from "~/routes/signup";
import { verifyEmailOf } from "../support/fixtures";
import { useTestDatabase } from "../support/database";
import { makePng } from "../support/png";
import { call, cookieOf, get } from "../support/routes";

const database = useTestDatabase();
const db = () => database().db as Kysely<Database>;

const post = (path: string, cookie: string, fields: Record<string, string>) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { Cookie: cookie },
  });
function postMultipart(
  path: string,
  cookie: string,
  fields: Record<string, string>,
  cover?: { bytes: Uint8Array; name: string; type: string },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(
    "cover",
    cover ? new Blob([new Uint8Array(cover.bytes)], { type: cover.type }) : new Blob([]),
    cover?.name ?? "",
  );
  return new Request(`http://localhost${path}`, { method: "POST", body: form, headers: { Cookie: cookie } });
}

let userSeq = 0;
async function signUp(name: string) {
  userSeq++;
  const res = await call(
    signupAction,
    new Request("http://localhost/signup", {
      method: "POST",
      body: new URLSearchParams({ name, email: `creator${userSeq}@example.com`, password: "long enough pw" }),
    }),
  );
  expect(res.status).toBe(302);
  // Creators here launch: their address is verified, as its emailed link would do.
  await verifyEmailOf(db(), `creator${userSeq}@example.com`);
  return cookieOf(res);
}

const STORY =
  "## Why\n\nWe built a kettle that boils water with sunlight alone. It folds flat, weighs 900 g and needs no fuel. " +
  "This campaign pays for the first production run of 500 kettles. <script>alert('x')</script> [Click me](javascript:alert(1)) [Our site](https://example.com)";

const campaignFields = (overrides: Record<string, string> = {}) => ({
  title: "Solar Kettle",
  slug: "",
  blurb: "Tea anywhere the sun shines",
  storyMd: STORY,
  category: "hardware",
  coverAlt: "A steel kettle beside a folding solar panel",
  goal: "5000",
  currency: "usd",
  deadlineMode: "duration",
  durationDays: "30",
  endDate: "",
  fundingModel: "all_or_nothing",
  collection: "at_deadline",
  ...overrides,
});

const tierFields = (overrides: Record<string, string> = {}) => ({
  intent: "create",
  title: "Early bird",
  description: "One kettle",
  minimum: "79",
  quantityLimit: "",
  estimatedDelivery: "2030-09",
  shipping: "none",
  ...overrides,
});

const png = () => ({ bytes: makePng(32, 18), name: "cover.png", type: "image/png" });

let campaignSeq = 0;
async function createCampaign(cookie: string, overrides: Record<string, string> = {}) {
  campaignSeq++;
  const res = await call(
    newAction,
    postMultipart("/creator/new", cookie, campaignFields({ slug: `solar-kettle-${campaignSeq}`, ...overrides }), png()),
  );
  expect(res.status).toBe(302);
  const id = /\/creator\/campaigns\/([0-9a-f-]{36})\/tiers/.exec(res.headers.get("Location")!)![1]!;
  return id;
}

describe("signing in", () => {
  it("sends a visitor to sign-in and back", async () => {
    const res = await call(creatorHomeLoader, new Request("http://localhost/creator"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fcreator");
  });
});

describe("creating a draft", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await signUp("Grace Creator");
  });

  it("creates a draft with an uploaded cover, slug from the title, and lists it", async () => {
    const id = await createCampaign(cookie, { title: "Tea Anywhere Kettle", slug: "" });
    const row = await db()
      .selectFrom("campaigns")
      .select(["slug", "cover_image_id", "goal_amount", "state"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ slug: "tea-anywhere-kettle", goal_amount: 500_000, state: "draft" });
    expect(row.cover_image_id).toMatch(/^[0-9a-f-]{36}$/);
    const home = await (await call(creatorHomeLoader, get("/creator", cookie))).json();
    expect(home.campaigns.map((c: { id: string }) => c.id)).toContain(id);
  });

  it.each([
    [{ goal: "0" }, "goal", /more than zero/],
    [{ goal: "-5" }, "goal", /must be positive/],
    [{ goal: "12.5", currency: "jpy" }, "goal", /JPY has no decimal places/],
    [{ deadlineMode: "date", endDate: "2001-01-01" }, "endDate", /in the future/],
    [{ deadlineMode: "date", endDate: "2999-01-01" }, "endDate", /at most 60 days/],
    [{ durationDays: "90" }, "durationDays", /1 to 60 days/],
  ])("refuses %o with 400 at the %s field, keeping what was typed", async (fields, field, message) => {
    const res = await call(
      newAction,
      postMultipart("/creator/new", cookie, campaignFields({ title: "Bad input", ...fields })),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error[field][0]).toMatch(message);
    // A multipart body carries line breaks as CRLF; the story's textarea shows them as typed.
    const echoed = { ...body.initialValue, storyMd: body.initialValue.storyMd.replace(/\r\n/g, "\n") };
    expect(echoed).toMatchObject({ title: "Bad input", storyMd: STORY, ...fields });
  });

  it("answers a duplicate slug at the slug field", async () => {
    await createCampaign(cookie, { slug: "one-of-a-kind" });
    const res = await call(
      newAction,
      postMultipart("/creator/new", cookie, campaignFields({ slug: "one-of-a-kind" }), png()),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.slug[0]).toMatch(/is taken/);
  });

  it("refuses a file that is not an image, whatever it claims to be", async () => {
    const fake = {
      bytes: new TextEncoder().encode("<?php system($_GET['x']); ?>"),
      name: "cover.png",
      type: "image/png",
    };
    const res = await call(
      newAction,
      postMultipart("/creator/new", cookie, campaignFields({ title: "Fake image" }), fake),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.cover[0]).toMatch(/not a PNG, JPEG or WebP/);
    expect(body.initialValue.title).toBe("Fake image");
  });

  it("refuses an oversized upload with a message at the cover field, keeping the other fields", async () => {
    const big = Buffer.alloc(5_000_001, 1);
    big.set(makePng(8, 8));
    const res = await call(
      newAction,
      postMultipart("/creator/new", cookie, campaignFields({ title: "Huge cover" }), {
        bytes: big,
        name: "huge.png",
        type: "image/png",
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.cover[0]).toMatch(/larger than 5 MB/);
    expect(body.initialValue.title).toBe("Huge cover");
  });

  it("a body that is not a form is a 400, not a 500", async () => {
    const res = await call(
      newAction,
      new Request("http://localhost/creator/new", {
        method: "POST",
        body: "--x\r\ngarbage",
        headers: { Cookie: cookie, "Content-Type": "multipart/form-data; boundary=zz" },
      }),
    );
    expect(res.status).toBe(400);
  });

  it("renders the story's Markdown without scripts or javascript: links", async () => {
    const id = await createCampaign(cookie);
    const body = await (await call(editLoader, get(`/creator/campaigns/${id}/edit`, cookie), { id })).json();
    expect(body.storyHtml).toContain("<h2>Why</h2>");
    expect(body.storyHtml).toContain('href="https://example.com"');
    expect(body.storyHtml).not.toMatch(/<script|javascript:/i);
  });
});

describe("someone else's campaign", () => {
  it("is a 404 for every page and action, as is a malformed id", async () => {
    const owner = await signUp("Owner");
    const stranger = await signUp("Stranger");
    const id = await createCampaign(owner);
    for (const badId of [id, "not-a-uuid", "00000000-0000-0000-0000-000000000000"]) {
      const params = { id: badId };
      expect((await call(dashboardLoader, get(`/creator/campaigns/${badId}`, stranger), params)).status).toBe(404);
      expect((await call(editLoader, get(`/creator/campaigns/${badId}/edit`, stranger), params)).status).toBe(404);
      expect((await call(tiersLoader, get(`/creator/campaigns/${badId}/tiers`, stranger), params)).status).toBe(404);
      expect((await call(csvLoader, get(`/creator/campaigns/${badId}/backers.csv`, stranger), params)).status).toBe(
        404,
      );
      expect(
        (await call(editAction, postMultipart(`/creator/campaigns/${badId}/edit`, stranger, campaignFields()), params))
          .status,
      ).toBe(404);
      expect(
        (await call(tiersAction, post(`/creator/campaigns/${badId}/tiers`, stranger, tierFields()), params)).status,
      ).toBe(404);
      expect((await call(launchAction, post(`/creator/campaigns/${badId}/launch`, stranger, {}), params)).status).toBe(
        404,
      );
    }
    const row = await db()
      .selectFrom("campaigns")
      .select(["title", "state"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ title: "Solar Kettle", state: "draft" });
    expect((await call(dashboardLoader, get(`/creator/campaigns/${id}`, owner), { id })).status).toBe(200);
  });
});

describe("rewards, launch and after", () => {
  let cookie: string;
  let id: string;
  beforeAll(async () => {
    cookie = await signUp("Hedy Creator");
    id = await createCampaign(cookie);
  });

  it("refuses a minimum above the sane maximum and a bad shipping setup", async () => {
    let res = await call(
      tiersAction,
      post(`/creator/campaigns/${id}/tiers`, cookie, tierFields({ minimum: "20000000" })),
      { id },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.minimum[0]).toMatch(/at most \$10,000,000/);
    res = await call(tiersAction, post(`/creator/campaigns/${id}/tiers`, cookie, tierFields({ shipping: "ships" })), {
      id,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.shipping[0]).toMatch(/at least one destination/);
  });

  it("shows what is missing before launch, then launches", async () => {
    let checklist = await (await call(launchLoader, get(`/creator/campaigns/${id}/launch`, cookie), { id })).json();
    expect(checklist.ready).toBe(false);
    expect(checklist.checklist.filter((i: { done: boolean }) => !i.done).map((i: { key: string }) => i.key)).toEqual([
      "tier",
    ]);
    expect((await call(launchAction, post(`/creator/campaigns/${id}/launch`, cookie, {}), { id })).status).toBe(400);

    const add = await call(
      tiersAction,
      post(
        `/creator/campaigns/${id}/tiers`,
        cookie,
        tierFields({ quantityLimit: "10", shipping: "ships", ship_US: "10", ship_ROW: "25" }),
      ),
      { id },
    );
    expect(add.status).toBe(302);
    checklist = await (await call(launchLoader, get(`/creator/campaigns/${id}/launch`, cookie), { id })).json();
    expect(checklist.ready).toBe(true);

    const launched = await call(launchAction, post(`/creator/campaigns/${id}/launch`, cookie, {}), { id });
    expect(launched.status).toBe(302);
    expect(launched.headers.get("Location")).toBe(`/creator/campaigns/${id}?launched=1`);
    const dashboard = await (await call(dashboardLoader, get(`/creator/campaigns/${id}`, cookie), { id })).json();
    expect(dashboard.campaign).toMatchObject({
      state: "live",
      pledged: "$0.00",
      goal: "$5,000.00",
      backers: 0,
      daysLeft: 30,
    });
    expect(dashboard.tiers).toEqual([
      expect.objectContaining({ title: "Early bird", claimed: 0, remaining: 10, limit: 10 }),
    ]);
  });

  it("refuses to change the goal, currency, deadline or terms after launch, but saves the story", async () => {
    const res = await call(
      editAction,
      postMultipart(
        `/creator/campaigns/${id}/edit`,
        cookie,
        campaignFields({ goal: "4000", fundingModel: "flexible" }),
      ),
      { id },
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.goal[0]).toMatch(/goal is fixed once the campaign is live/);
    expect(body.error.fundingModel[0]).toMatch(/funding model is fixed/);

    const ok = await call(
      editAction,
      postMultipart(`/creator/campaigns/${id}/edit`, cookie, {
        title: "Solar Kettle 2",
        blurb: "Now lighter",
        storyMd: STORY,
        category: "hardware",
        coverAlt: "A kettle",
      }),
      { id },
    );
    expect(ok.status).toBe(302);
    const row = await db()
      .selectFrom("campaigns")
      .select(["title", "goal_amount", "funding_model"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ title: "Solar Kettle 2", goal_amount: 500_000, funding_model: "all_or_nothing" });
  });

  it("exports backers as safe CSV and refuses a limit below the claimed count", async () => {
    const [tier] = await db().selectFrom("tiers").select(["id"]).where("campaign_id", "=", id).execute();
    const tierId = tier!.id;
    const backers = [
      await createUser(db(), {
        email: "evil@example.com",
        name: '=HYPERLINK("http://evil.example","click")',
        passwordHash: "x",
      }),
      await createUser(db(), { email: "jane@example.com", name: "Smith, Jane", passwordHash: "x" }),
    ];
    for (const [i, b] of backers.entries()) {
      await db()
        .transaction()
        .execute(async (trx) => {
          const p = await trx
            .insertInto("pledges")
            .values({
              campaign_id: id,
              backer_id: b.id,
              tier_id: tierId,
              currency: "usd",
              base_amount: 7_900,
              shipping_amount: 1_000,
              amount: 8_900,
              shipping_destination: i === 0 ? "US" : "ROW",
              state: "active",
              activated_at: new Date(),
            })
            .returning(["id", "campaign_id", "tier_id", "amount", "state"])
            .executeTakeFirstOrThrow();
          await recordNewPledge(trx, { ...p, amount: Number(p.amount) }, b.id);
        });
    }

    const csv = await call(csvLoader, get(`/creator/campaigns/${id}/backers.csv`, cookie), { id });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toMatch(/attachment; filename="solar-kettle(-\w+)?-backers\.csv"/);
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe("name,email,tier,amount,status,shipping destination,add-ons,add-ons amount,late pledge");
    expect(lines[1]).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")",evil@example.com,Early bird,$89.00,active,United States,,,`,
    );
    expect(lines[2]).toBe(`"Smith, Jane",jane@example.com,Early bird,$89.00,active,Rest of world,,,`);

    const lower = await call(
      tierEditAction,
      post(`/creator/campaigns/${id}/tiers/${tierId}`, cookie, { ...tierFields({ quantityLimit: "1" }), intent: "" }),
      { id, tierId },
    );
    expect(lower.status).toBe(400);
    expect((await lower.json()).error.quantityLimit[0]).toMatch(/2 backers have already claimed this reward/);
    const cheaper = await call(
      tierEditAction,
      post(`/creator/campaigns/${id}/tiers/${tierId}`, cookie, tierFields({ minimum: "50", quantityLimit: "10" })),
      { id, tierId },
    );
    expect((await cheaper.json()).error.minimum[0]).toMatch(/can't be lowered/);
    const hide = await call(tiersAction, post(`/creator/campaigns/${id}/tiers`, cookie, { intent: "delete", tierId }), {
      id,
    });
    expect(hide.status).toBe(409);
    // The form's own errors are under the empty name.
    expect((await hide.json()).error[""][0]).toMatch(/Hide it instead/);

    const dashboard = await (await call(dashboardLoader, get(`/creator/campaigns/${id}`, cookie), { id })).json();
    expect(dashboard.campaign).toMatchObject({ pledged: "$178.00", backers: 2, average: "$89.00" });
    expect(dashboard.recent).toHaveLength(2);
    expect(dashboard.points.at(-1).total).toBe(17_800);
    expect(dashboard.projection).not.toBeNull();
  });

  it("posts an update to backers and needs a reason to cancel", async () => {
    const posted = await call(
      updatesAction,
      post(`/creator/campaigns/${id}/updates`, cookie, {
        title: "Molds are in",
        bodyMd: "Good news.",
        visibility: "backers",
      }),
      { id },
    );
    expect(posted.status).toBe(302);
    expect(posted.headers.get("Location")).toMatch(/posted=2$/);

    const noReason = await call(
      cancelAction,
      post(`/creator/campaigns/${id}/cancel`, cookie, { reason: "", confirm: "yes" }),
      { id },
    );
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error.reason[0]).toMatch(/why you are cancelling/);
    const cancelled = await call(
      cancelAction,
      post(`/creator/campaigns/${id}/cancel`, cookie, { reason: "Our supplier closed down.", confirm: "yes" }),
      { id },
    );
    expect(cancelled.status).toBe(302);
    const row = await db().selectFrom("campaigns").select(["state"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.state).toBe("cancelled");
  });
});

describe("in Spanish", () => {
  let cookie: string;
  let es: string;
  let id: string;
  beforeAll(async () => {
    cookie = await signUp("Inés Creadora");
    es = `${cookie}; colecta_lang=es`;
    id = await createCampaign(cookie, { currency: "eur" });
    const tier = await call(tiersAction, post(`/creator/campaigns/${id}/tiers`, cookie, tierFields()), { id });
    expect(tier.status).toBe(302);
    expect((await call(launchAction, post(`/creator/campaigns/${id}/launch`, cookie, {}), { id })).status).toBe(302);
    const [row] = await db().selectFrom("tiers").select(["id"]).where("campaign_id", "=", id).execute();
    const backer = await createUser(db(), { email: "lucia.b3x@example.com", name: "Lucía", passwordHash: "x" });
    await db()
      .transaction()
      .execute(async (trx) => {
        const p = await trx
          .insertInto("pledges")
          .values({
            campaign_id: id,
            backer_id: backer.id,
            tier_id: row!.id,
            currency: "eur",
            base_amount: 123_456,
            shipping_amount: 0,
            amount: 123_456,
            state: "active",
            activated_at: new Date(),
          })
          .returning(["id", "campaign_id", "tier_id", "amount", "state"])
          .executeTakeFirstOrThrow();
        await recordNewPledge(trx, { ...p, amount: Number(p.amount) }, backer.id);
      });
  });

  // es-ES puts a no-break space before the euro sign.
  it("shows the campaigns and the dashboard with es-ES money and Spanish labels", async () => {
    const home = await (await call(creatorHomeLoader, get("/creator", es))).json();
    expect(home.campaigns[0]).toMatchObject({ pledged: "1.234,56\u00a0€", goal: "5.000,00\u00a0€" });
    const english = await (await call(creatorHomeLoader, get("/creator", cookie))).json();
    expect(english.campaigns[0]).toMatchObject({ pledged: "€1,234.56", goal: "€5,000.00" });

    const dashboard = await (await call(dashboardLoader, get(`/creator/campaigns/${id}`, es), { id })).json();
    expect(dashboard.campaign).toMatchObject({
      pledged: "1.234,56\u00a0€",
      goal: "5.000,00\u00a0€",
      average: "1.234,56\u00a0€",
      fundingModel: "Todo o nada",
      collection: "Cobro en la fecha límite",
    });
    expect(dashboard.campaign.deadline).toMatch(/^\d{1,2} [a-z]{3,4} \d{4}, \d{2}:\d{2} UTC$/);
    expect(dashboard.tiers[0]).toMatchObject({ minimum: "79,00\u00a0€" });
    expect(dashboard.recent[0]).toMatchObject({ backer: "Lucía", amount: "1.234,56\u00a0€", state: "Activa" });

    const cancel = await (await call(cancelLoader, get(`/creator/campaigns/${id}/cancel`, es), { id })).json();
    expect(cancel.pledged).toBe("1.234,56\u00a0€");
  });

  it("answers the update and cancel forms in Spanish, at the field, and refuses in Spanish", async () => {
    const noTitle = await call(
      updatesAction,
      post(`/creator/campaigns/${id}/updates`, es, { title: "", bodyMd: "Hola.", visibility: "public" }),
      { id },
    );
    expect(noTitle.status).toBe(400);
    const reply = await noTitle.json();
    expect(reply.error.title).toEqual(["Ponle un título a la novedad."]);
    const noBody = await call(
      updatesAction,
      post(`/creator/campaigns/${id}/updates`, es, { title: "Hola", bodyMd: "", visibility: "everyone" }),
      { id },
    );
    const noBodyReply = await noBody.json();
    expect(noBodyReply.error.bodyMd).toEqual(["Escribe la novedad."]);
    expect(noBodyReply.error.visibility).toEqual(["Elige quién puede leerla."]);

    const noReason = await call(
      cancelAction,
      post(`/creator/campaigns/${id}/cancel`, es, { reason: "corto", confirm: "" }),
      { id },
    );
    const cancelReply = await noReason.json();
    expect(cancelReply.error.reason).toEqual([
      "Explica a tus patrocinadores por qué cancelas (al menos 10 caracteres).",
    ]);
    expect(cancelReply.error.confirm).toEqual(["Marca la casilla para confirmar."]);

    const notDraft = await call(deleteAction, post(`/creator/campaigns/${id}/delete`, es, {}), { id });
    expect(notDraft.status).toBe(409);
    expect((await notDraft.json()).error[""]).toEqual([
      "Solo se pueden eliminar borradores. Una campaña en curso se puede cancelar.",
    ]);
    const english = await call(deleteAction, post(`/creator/campaigns/${id}/delete`, cookie, {}), { id });
    expect((await english.json()).error[""]).toEqual(["Only drafts can be deleted. A live campaign can be cancelled."]);

    const missing = await call(dashboardLoader, get(`/creator/campaigns/not-a-uuid`, es), { id: "not-a-uuid" });
    expect(missing.status).toBe(404);
  });

  it("exports the backers with Spanish headers, statuses and money", async () => {
    const csv = await call(csvLoader, get(`/creator/campaigns/${id}/backers.csv`, es), { id });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).toBe(
      "nombre,correo electrónico,recompensa,importe,estado,destino del envío,complementos,importe de complementos,aportación tardía",
    );
    expect(lines[1]).toBe(`Lucía,lucia.b3x@example.com,Early bird,"1.234,56\u00a0€",activa,,,,`);
  });

  it("cancels in Spanish and refuses a second cancellation in Spanish", async () => {
    const ok = await call(
      cancelAction,
      post(`/creator/campaigns/${id}/cancel`, es, { reason: "Nuestro proveedor ha cerrado.", confirm: "yes" }),
      { id },
    );
    expect(ok.status).toBe(302);
    const again = await call(
      cancelAction,
      post(`/creator/campaigns/${id}/cancel`, es, { reason: "Nuestro proveedor ha cerrado.", confirm: "yes" }),
      { id },
    );
    expect(again.status).toBe(409);
    expect((await again.json()).error[""]).toEqual(["Esta campaña ya está cancelada."]);
  });
});

describe("the campaign pages in Spanish", () => {
  let cookie: string;
  /** The same creator, reading the site in Spanish (the language switch's cookie). */
  let es: string;
  beforeAll(async () => {
    cookie = await signUp("Rosalía Creadora");
    es = `${cookie}; colecta_lang=es`;
  });

  it("reads a goal typed the Spanish way, 1.500,50, as 150050 minor units", async () => {
    const res = await call(
      newAction,
      postMultipart(
        "/creator/new",
        es,
        campaignFields({ slug: "hervidor-solar", goal: "1.500,50", currency: "eur" }),
        png(),
      ),
    );
    expect(res.status).toBe(302);
    const row = await db()
      .selectFrom("campaigns")
      .select(["goal_amount", "currency"])
      .where("slug", "=", "hervidor-solar")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ goal_amount: 150_050, currency: "eur" });
    // Editing it again, the goal comes back with a decimal comma.
    const id = /\/creator\/campaigns\/([0-9a-f-]{36})\//.exec(res.headers.get("Location")!)![1]!;
    const edit = await (await call(editLoader, get(`/creator/campaigns/${id}/edit`, es), { id })).json();
    expect(edit.values.goal).toBe("1500,50");
    expect(edit.fixed.goal).toBe("1.500,50\u00a0€");
  });

  it.each([
    [{ goal: "0" }, "goal", "El importe debe ser mayor que cero."],
    [{ goal: "12,5", currency: "jpy" }, "goal", "JPY no tiene decimales; escribe un número entero."],
    [{ durationDays: "90" }, "durationDays", "Elige una duración de 1 a 60 días."],
    [
      { deadlineMode: "date", endDate: "2001-01-01" },
      "endDate",
      "La fecha de fin tiene que ser futura: como pronto, mañana.",
    ],
    [{ title: "" }, "title", "Ponle un título a tu campaña."],
    [{ category: "armas" }, "category", "Elige una categoría."],
  ])("answers %o in Spanish at the %s field", async (fields, field, message) => {
    const res = await call(newAction, postMultipart("/creator/new", es, campaignFields({ title: "Mal", ...fields })));
    expect(res.status).toBe(400);
    expect((await res.json()).error[field]).toEqual([message]);
  });

  it("refuses a taken address, a file that is not an image and an unknown campaign in Spanish", async () => {
    await createCampaign(cookie, { slug: "unica-en-su-clase" });
    let res = await call(
      newAction,
      postMultipart("/creator/new", es, campaignFields({ slug: "unica-en-su-clase" }), png()),
    );
    expect((await res.json()).error.slug[0]).toMatch(/^La dirección web «unica-en-su-clase» ya está en uso\./);
    const fake = { bytes: new TextEncoder().encode("no soy una imagen"), name: "portada.png", type: "image/png" };
    res = await call(newAction, postMultipart("/creator/new", es, campaignFields({ title: "Falsa" }), fake));
    expect((await res.json()).error.cover).toEqual(["Ese archivo no es una imagen PNG, JPEG ni WebP."]);
    const missing = await call(editLoader, get("/creator/campaigns/not-a-uuid/edit", es), { id: "not-a-uuid" });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("No encontramos esa campaña.");
  });

  it("words the rewards, the checklist and the fixed terms in Spanish, and English stays English", async () => {
    const id = await createCampaign(cookie);
    let res = await call(
      tiersAction,
      post(`/creator/campaigns/${id}/tiers`, es, tierFields({ minimum: "20000000", shipping: "ships" })),
      { id },
    );
    expect(res.status).toBe(400);
    let body = await res.json();
    expect(body.error.minimum).toEqual(["El importe puede ser como máximo 10.000.000\u00a0US$."]);
    expect(body.error.shipping).toEqual([
      "Indica un precio de envío para al menos un destino (0 para el envío gratuito).",
    ]);

    let launch = await (await call(launchLoader, get(`/creator/campaigns/${id}/launch`, es), { id })).json();
    expect(launch.checklist.find((i: { key: string }) => i.key === "tier")).toMatchObject({
      label: "Al menos una recompensa visible",
      fix: "Añade una recompensa que puedan elegir los patrocinadores.",
      done: false,
    });
    expect(launch.terms.fundingModel.label).toBe("Todo o nada");
    res = await call(launchAction, post(`/creator/campaigns/${id}/launch`, es, {}), { id });
    expect((await res.json()).error[""]).toEqual(["Completa la lista antes de lanzar."]);
    launch = await (await call(launchLoader, get(`/creator/campaigns/${id}/launch`, cookie), { id })).json();
    expect(launch.checklist.find((i: { key: string }) => i.key === "tier").label).toBe("At least one visible reward");

    // A shipping price typed with a decimal comma.
    res = await call(
      tiersAction,
      post(`/creator/campaigns/${id}/tiers`, es, tierFields({ minimum: "79,50", shipping: "ships", ship_EU: "12,5" })),
      { id },
    );
    expect(res.status).toBe(302);
    const tier = await db()
      .selectFrom("tiers")
      .select(["id", "minimum_amount"])
      .where("campaign_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(Number(tier.minimum_amount)).toBe(7_950);
    const rate = await db()
      .selectFrom("tier_shipping_rates")
      .select(["destination", "amount"])
      .where("tier_id", "=", tier.id)
      .executeTakeFirstOrThrow();
    expect(rate).toEqual({ destination: "EU", amount: 1_250 });

    expect((await call(launchAction, post(`/creator/campaigns/${id}/launch`, es, {}), { id })).status).toBe(302);
    res = await call(
      editAction,
      postMultipart(`/creator/campaigns/${id}/edit`, es, campaignFields({ goal: "4000", fundingModel: "flexible" })),
      { id },
    );
    expect(res.status).toBe(400);
    body = await res.json();
    expect(body.error[""][0]).toMatch(/^El objetivo, la moneda, la fecha límite/);
    expect(body.error.goal).toEqual([
      "El objetivo queda fijo cuando la campaña está activa: los patrocinadores hicieron sus aportaciones con él.",
    ]);
    // The unchanged goal, echoed back with a decimal comma, is no change.
    res = await call(
      editAction,
      postMultipart(`/creator/campaigns/${id}/edit`, es, {
        ...campaignFields({ goal: "5000,00" }),
        slug: `solar-kettle-${campaignSeq}`,
      }),
      { id },
    );
    expect(res.status).toBe(302);
  });
});
