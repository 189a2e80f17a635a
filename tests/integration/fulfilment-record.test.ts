import type { Kysely } from "kysely";
import type { Database, FulfilmentStatus } from "../../db/schema.js";
import { deliveryRecord } from "~/models/delivery-record.server";
import { ensureFulfilments, transitionFulfilment } from "~/models/fulfilment-state.server";
import { fulfilmentDashboard } from "~/models/fulfilment.server";
import ProjectPage, { loader as projectLoader } from "~/routes/projects.$slug";
import { deleteAccount } from "~/services/accounts/deletion.server";
import { hashPassword } from "~/services/accounts/password.server";
import { fulfilmentHousekeeping } from "~/services/fulfilment/housekeeping.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { addAddress, addCollectedBacker, makeFundedCampaign } from "../support/fulfilment";
import { renderRoute } from "../support/render-route";
import { call, get } from "../support/routes";

// The public delivery record (counts from backers' confirmations, plus shipments older than 60
// days with no problem, said so; and the share by the estimated month), for a project and for
// its creator across campaigns; and the retention of shipping addresses.

const database = useTestDatabase({ APP_URL: "https://colecta.example", ADDRESS_RETENTION_DAYS: "90" });
const db = () => database().db as Kysely<Database>;

const NOW = new Date("2026-12-02T12:00:00Z");
const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
let creatorId: string;
let campaign: { id: string; slug: string; tiers: { id: string }[] };
const p: Record<string, { pledgeId: string; user: { id: string } }> = {};

/** Moves a fulfilment along `path` through the one writer, with the columns each step sets. */
async function walk(pledgeId: string, path: Array<[FulfilmentStatus, Record<string, Date | string>]>) {
  await db()
    .transaction()
    .execute(async (trx) => {
      for (const [to, set] of path) await transitionFulfilment(trx, { pledgeId, to, actorId: null, set });
    });
}

beforeAll(async () => {
  const creator = await makeUser(db(), "Rita Record");
  creatorId = creator.id;
  // Estimated August 2026: due by the end of it (1 September).
  campaign = await makeFundedCampaign(db(), { creatorId, estimatedDelivery: "2026-08-01" });
  const tierId = campaign.tiers[0]!.id;
  for (const key of ["onTime", "late", "assumed", "recent", "problem", "unsent"])
    p[key] = await addCollectedBacker(db(), { campaignId: campaign.id, tierId, name: key });
  await ensureFulfilments(db(), campaign.id);
  await walk(p.onTime!.pledgeId, [
    ["shipped", { shipped_at: at("2026-08-10"), carrier: "UPS", tracking_number: "1" }],
    ["received", { received_at: at("2026-08-20") }],
  ]);
  await walk(p.late!.pledgeId, [
    ["shipped", { shipped_at: at("2026-09-20"), carrier: "UPS", tracking_number: "2" }],
    ["received", { received_at: at("2026-10-05") }],
  ]);
  await walk(p.assumed!.pledgeId, [
    ["shipped", { shipped_at: at("2026-08-25"), carrier: "UPS", tracking_number: "3" }],
  ]);
  await walk(p.recent!.pledgeId, [["shipped", { shipped_at: at("2026-11-25"), carrier: "UPS", tracking_number: "4" }]]);
  await walk(p.problem!.pledgeId, [
    ["shipped", { shipped_at: at("2026-08-05"), carrier: "UPS", tracking_number: "5" }],
    ["problem", { problem_kind: "damaged", problem_note: "Broken", problem_reported_at: at("2026-08-15") }],
  ]);

  // A second campaign of the same creator: one reward received, one not due (no estimate, unsent).
  const second = await makeFundedCampaign(db(), { creatorId });
  const b = await addCollectedBacker(db(), { campaignId: second.id, tierId: second.tiers[0]!.id });
  await addCollectedBacker(db(), { campaignId: second.id, tierId: second.tiers[0]!.id });
  await ensureFulfilments(db(), second.id);
  await walk(b.pledgeId, [
    ["shipped", { shipped_at: at("2026-11-01"), carrier: "UPS", tracking_number: "6" }],
    ["received", { received_at: at("2026-11-10") }],
  ]);
  // Someone else's campaign never counts.
  const stranger = await makeUser(db(), "Stan Stranger");
  const theirs = await makeFundedCampaign(db(), { creatorId: stranger.id });
  await addCollectedBacker(db(), { campaignId: theirs.id, tierId: theirs.tiers[0]!.id });
}, 120_000);

describe("the public delivery record", () => {
  it("counts confirmations and old shipments without a problem, of the rewards due", async () => {
    const record = await deliveryRecord(db(), { campaignId: campaign.id, creatorId, now: NOW });
    // Due: five sent, plus the unsent one whose month has passed.
    expect(record.campaign).toEqual({
      due: 6,
      received: 3,
      assumed: 1,
      percent: 50,
      // By 1 September: the one confirmed on 20 August and the one shipped 25 August (assumed).
      onTimePercent: 33,
      campaigns: 1,
    });
    expect(record.creator).toEqual({ due: 7, received: 4, assumed: 1, percent: 57, onTimePercent: 33, campaigns: 2 });
  });

  it("counts a shipment as received only after 60 days", async () => {
    const earlier = new Date("2026-10-20T12:00:00Z"); // 56 days after the 25 August shipment
    const record = await deliveryRecord(db(), { campaignId: campaign.id, creatorId, now: earlier });
    expect(record.campaign).toMatchObject({ received: 2, assumed: 0 });
  });

  it("is on the project page, counts only", async () => {
    const res = await call(projectLoader, get(`/projects/${campaign.slug}`), { slug: campaign.slug });
    const data = (await res.json()) as {
      delivery: { campaign: Record<string, number>; creator: Record<string, number> };
    };
    expect(Object.keys(data.delivery.campaign).sort()).toEqual(
      ["assumed", "campaigns", "due", "onTimePercent", "percent", "received"].sort(),
    );
    expect(data.delivery.campaign.due).toBe(6);
    expect(JSON.stringify(data.delivery)).not.toMatch(/Rita|onTime"|@/);
    const page = { path: "/projects/:slug", url: `/projects/${campaign.slug}`, Component: ProjectPage, data };
    const en = renderRoute(page);
    expect(en).toContain("Rewards confirmed received: 3 of 6 (50%), 33% by the estimated month");
    expect(en).toContain("Includes 1 shipment older than 60 days with no problem reported, counted as received.");
    expect(en).toContain("Rita Record&#x27;s record across 2 campaigns");
    const es = renderRoute(page, "es");
    expect(es).toContain("Recompensas recibidas (confirmado): 3 de 6 (50 %), 33 % en el mes estimado");
  });
});

describe("the creator's record on a new project", () => {
  it("shows what their other campaigns delivered", async () => {
    const fresh = await makeLiveCampaign(db(), { creatorId });
    const data = await (await call(projectLoader, get(`/projects/${fresh.slug}`), { slug: fresh.slug })).json();
    const html = renderRoute({ path: "/projects/:slug", url: `/projects/${fresh.slug}`, Component: ProjectPage, data });
    expect(html).toContain("No rewards due yet on this project.");
    expect(html).toContain("Rita Record&#x27;s record across 2 campaigns");
  });
});

describe("the creator's dashboard figures", () => {
  it("says a tier is late once its estimated month has ended with rewards unsent", async () => {
    const figures = await fulfilmentDashboard(db(), { campaignId: campaign.id, now: NOW });
    expect(figures).toMatchObject({ owed: 6, shippedPercent: 83, receivedPercent: 33, problemsOpen: 1 });
    expect(figures.tiers).toEqual([expect.objectContaining({ owed: 6, sent: 5, late: true })]);
    const inAugust = await fulfilmentDashboard(db(), {
      campaignId: campaign.id,
      now: new Date("2026-08-31T23:00:00Z"),
    });
    expect(inAugust.tiers[0]!.late).toBe(false);
  });
});

describe("address retention", () => {
  it("blanks addresses ADDRESS_RETENTION_DAYS after the reward was confirmed received, keeping the country", async () => {
    for (const key of ["onTime", "late", "assumed"]) await addAddress(db(), p[key]!.pledgeId, { country: "ES" });
    // 90 days: the one received 20 August goes; 5 October (58 days) and the unconfirmed stay.
    expect(await fulfilmentHousekeeping(db(), { now: NOW })).toBe(1);
    const rows = await db()
      .selectFrom("shipping_addresses")
      .selectAll()
      .where("pledge_id", "in", [p.onTime!.pledgeId, p.late!.pledgeId, p.assumed!.pledgeId])
      .execute();
    const byPledge = (id: string) => rows.find((r) => r.pledge_id === id)!;
    expect(byPledge(p.onTime!.pledgeId)).toMatchObject({
      full_name: "",
      line1: "",
      city: "",
      postal_code: "",
      phone: "",
      country: "ES",
    });
    expect(byPledge(p.onTime!.pledgeId).anonymised_at).not.toBeNull();
    expect(byPledge(p.late!.pledgeId)).toMatchObject({ full_name: "Ada Lovelace", anonymised_at: null });
    expect(byPledge(p.assumed!.pledgeId)).toMatchObject({ full_name: "Ada Lovelace", anonymised_at: null });
    // Running again changes nothing more.
    expect(await fulfilmentHousekeeping(db(), { now: NOW })).toBe(0);
  });

  it("gives every pledge owed a reward its fulfilment row in the background", async () => {
    const late = await makeFundedCampaign(db(), { creatorId });
    const b = await addCollectedBacker(db(), { campaignId: late.id, tierId: late.tiers[0]!.id });
    await fulfilmentHousekeeping(db(), { now: NOW });
    const row = await db()
      .selectFrom("fulfilments")
      .select("status")
      .where("pledge_id", "=", b.pledgeId)
      .executeTakeFirst();
    expect(row?.status).toBe("ready");
  });

  it("blanks a backer's addresses when they delete their account", async () => {
    const userId = p.late!.user.id;
    await db()
      .updateTable("users")
      .set({ password_hash: await hashPassword("correct horse battery") })
      .where("id", "=", userId)
      .execute();
    const done = await deleteAccount(db(), { userId, password: "correct horse battery", ip: "203.0.113.7" });
    expect(done.ok).toBe(true);
    const row = await db()
      .selectFrom("shipping_addresses")
      .selectAll()
      .where("pledge_id", "=", p.late!.pledgeId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ full_name: "", line1: "", country: "ES" });
    expect(row.anonymised_at).not.toBeNull();
  });
});
