import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { COUNTED_STATES, SLOT_HOLDING_STATES } from "~/domain/pledge-states";
import { DEMO_CAMPAIGNS, seedDemoCampaigns } from "../../scripts/demo/campaigns";
import { createUser } from "~/models/user.server";
import { listHomeSections } from "~/models/campaign-query.server";
import { useTestDatabase } from "../support/database";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "colecta-demo-"));
const database = useTestDatabase({ DATA_DIR: dataDir });
const now = new Date();

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

beforeAll(async () => {
  const { db } = database();
  await createUser(db, { email: "backer@example.com", name: "Bea Backer", passwordHash: "x" });
  await createUser(db, { email: "creator@example.com", name: "Carlos Creator", passwordHash: "x" });
  await seedDemoCampaigns(db, { passwordHash: "x", now });
}, 120_000);

describe("demo campaigns", () => {
  it("seeds at least twelve campaigns across categories and every state a visitor meets", async () => {
    const { db } = database();
    const campaigns = await db
      .selectFrom("campaigns")
      .select(["slug", "state", "category", "deadline", "featured", "cover_image_id", "cover_alt", "story_md"])
      .execute();
    expect(campaigns.length).toBeGreaterThanOrEqual(12);
    expect(campaigns.length).toBe(DEMO_CAMPAIGNS.length);
    expect(new Set(campaigns.map((c) => c.category)).size).toBeGreaterThanOrEqual(8);
    const states = new Set(campaigns.map((c) => c.state));
    for (const state of ["draft", "live", "funded", "unfunded"]) expect(states, state).toContain(state);
    const live = campaigns.filter((c) => c.state === "live");
    expect(
      live.some((c) => c.deadline!.getTime() > now.getTime() && c.deadline!.getTime() - now.getTime() < 3_600_000),
    ).toBe(true);
    expect(live.some((c) => c.deadline!.getTime() < now.getTime())).toBe(true);
    expect(live.filter((c) => c.featured).length).toBeGreaterThanOrEqual(2);
    for (const c of campaigns) {
      expect(c.cover_image_id, c.slug).not.toBeNull();
      expect(c.cover_alt, c.slug).not.toBe("");
      expect(c.story_md.split("\n\n").length, c.slug).toBeGreaterThanOrEqual(2);
    }
    // The cover files exist where the image route reads them.
    const covers = fs.readdirSync(path.join(dataDir, "uploads"));
    expect(covers.length).toBe(campaigns.length);
  });

  it("gives the drafts to creator@example.com", async () => {
    const { db } = database();
    const drafts = await db
      .selectFrom("campaigns as c")
      .innerJoin("users as u", "u.id", "c.creator_id")
      .select(["u.email"])
      .where("c.state", "=", "draft")
      .execute();
    expect(drafts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(drafts.map((d) => d.email))).toEqual(new Set(["creator@example.com"]));
  });

  it("keeps every counter exactly equal to the sums over the pledges", async () => {
    const { db } = database();
    const campaigns = await sql<{ slug: string; pledged_amount: number; backer_count: number; sum: number; n: number }>`
      select c.slug, c.pledged_amount, c.backer_count,
        coalesce(sum(p.amount) filter (where p.state in (${sql.join(COUNTED_STATES)})), 0)::bigint as sum,
        count(p.id) filter (where p.state in (${sql.join(COUNTED_STATES)}))::int as n
      from campaigns c left join pledges p on p.campaign_id = c.id
      group by c.id`.execute(db);
    for (const c of campaigns.rows) {
      expect(c.pledged_amount, c.slug).toBe(Number(c.sum));
      expect(c.backer_count, c.slug).toBe(c.n);
    }
    const tiers = await sql<{ title: string; claimed_count: number; quantity_limit: number | null; n: number }>`
      select t.title, t.claimed_count, t.quantity_limit,
        count(p.id) filter (where p.state in (${sql.join(SLOT_HOLDING_STATES)}))::int as n
      from tiers t left join pledges p on p.tier_id = t.id
      group by t.id`.execute(db);
    for (const t of tiers.rows) {
      expect(t.claimed_count, t.title).toBe(t.n);
      if (t.quantity_limit !== null) expect(t.claimed_count).toBeLessThanOrEqual(t.quantity_limit);
    }
    expect(tiers.rows.some((t) => t.quantity_limit !== null && t.claimed_count === t.quantity_limit)).toBe(true);
  });

  it("uses pledge states that fit each campaign, with a history row per pledge and per campaign move", async () => {
    const { db } = database();
    const byState = await sql<{ campaign_state: string; pledge_state: string; n: number }>`
      select c.state as campaign_state, p.state as pledge_state, count(*)::int as n
      from pledges p join campaigns c on c.id = p.campaign_id group by 1, 2`.execute(db);
    const pairs = byState.rows.map((r) => `${r.campaign_state}:${r.pledge_state}`).sort();
    expect(pairs).toEqual(["funded:collected", "live:active", "live:cancelled", "unfunded:released"]);
    const missingHistory = await sql<{ n: number }>`
      select count(*)::int as n from pledges p where not exists (select 1 from pledge_transitions t where t.pledge_id = p.id)`.execute(
      db,
    );
    expect(missingHistory.rows[0]!.n).toBe(0);
    const funded = await db
      .selectFrom("campaign_transitions as t")
      .innerJoin("campaigns as c", "c.id", "t.campaign_id")
      .select(["t.from_state", "t.to_state"])
      .where("c.slug", "=", "kintsugi-repair-kit")
      .orderBy("t.id")
      .execute();
    expect(funded.map((t) => `${t.from_state}->${t.to_state}`)).toEqual([
      "draft->live",
      "live->settling",
      "settling->funded",
    ]);
  });

  it("gives backer@example.com pledges in several states, and trending something to show", async () => {
    const { db } = database();
    const pledges = await db
      .selectFrom("pledges as p")
      .innerJoin("users as u", "u.id", "p.backer_id")
      .innerJoin("campaigns as c", "c.id", "p.campaign_id")
      .select(["p.state", "c.state as campaign_state"])
      .where("u.email", "=", "backer@example.com")
      .execute();
    expect(pledges.filter((p) => p.state === "active" && p.campaign_state === "live").length).toBeGreaterThanOrEqual(2);
    expect(pledges.some((p) => p.state === "collected" && p.campaign_state === "funded")).toBe(true);
    expect(pledges.some((p) => p.state === "released" && p.campaign_state === "unfunded")).toBe(true);
    const home = await listHomeSections(db, { now });
    expect(home.featured.length).toBeGreaterThan(0);
    expect(home.trending.length).toBeGreaterThanOrEqual(3);
    expect(home.endingSoon.length).toBe(3);
    expect(home.recentlyFunded.length).toBeGreaterThanOrEqual(2);
  });
});
