import { attemptLogin } from "~/services/accounts/accounts.server";
import { DEMO_PASSWORD, seedDemoData } from "../../scripts/demo/seed";
import { getUserById } from "~/models/user.server";
import { isEnrolled } from "~/services/security/two-factor.server";
import { discoverCampaigns } from "~/models/campaign-query.server";
import { useTestDatabase } from "../support/database";

const database = useTestDatabase();

describe("demo data", () => {
  it("seeds the demo users on an empty database, once", async () => {
    const { db } = database();
    expect(await seedDemoData(db)).toBe(true);
    expect(await seedDemoData(db)).toBe(false);
    for (const email of [
      "backer@example.com",
      "creator@example.com",
      "finance@example.com",
      "moderator@example.com",
      "lucia@example.com",
    ]) {
      const login = await attemptLogin(db, { email, password: DEMO_PASSWORD, ip: "127.0.0.1" });
      expect(login.ok, email).toBe(true);
    }
    const finance = await attemptLogin(db, { email: "finance@example.com", password: DEMO_PASSWORD, ip: "127.0.0.1" });
    if (!finance.ok) throw new Error("unreachable");
    expect((await getUserById(db, finance.userId))?.roles).toEqual(["finance"]);
    // Staff need a second factor: in demo mode the finance user has one (`npm run demo:code`).
    expect(await isEnrolled(db, { userId: finance.userId })).toBe(true);
  });

  it("has Spanish campaigns in euros, and a backer who reads the site in Spanish", async () => {
    const { db } = database();
    const spanish = await db
      .selectFrom("campaigns")
      .select(["id", "slug", "title", "state", "currency"])
      .where("language", "=", "es")
      .execute();
    expect(spanish.length).toBeGreaterThanOrEqual(3);
    expect(new Set(spanish.map((c) => c.currency))).toEqual(new Set(["eur"]));
    expect(new Set(spanish.map((c) => c.state))).toEqual(new Set(["live", "funded", "unfunded"]));
    const ids = spanish.map((c) => c.id);
    const tiers = await db.selectFrom("tiers").select("campaign_id").where("campaign_id", "in", ids).execute();
    const updates = await db
      .selectFrom("campaign_updates")
      .select("campaign_id")
      .where("campaign_id", "in", ids)
      .execute();
    for (const c of spanish)
      expect(
        tiers.some((t) => t.campaign_id === c.id),
        c.slug,
      ).toBe(true);
    expect(new Set(updates.map((u) => u.campaign_id)).size).toBeGreaterThanOrEqual(2);
    expect(await db.selectFrom("campaigns").select("id").where("language", "=", "en").execute()).not.toHaveLength(0);

    const lucia = await db
      .selectFrom("users")
      .select(["id", "locale"])
      .where("email", "=", "lucia@example.com")
      .executeTakeFirstOrThrow();
    expect(lucia.locale).toBe("es");
    const pledges = await db
      .selectFrom("pledges")
      .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
      .select(["campaigns.language", "pledges.state"])
      .where("pledges.backer_id", "=", lucia.id)
      .execute();
    expect(pledges.filter((p) => p.language === "es").length).toBeGreaterThanOrEqual(2);
    expect(pledges.some((p) => p.language === "en")).toBe(true);
    expect((await searchTitles(db, "lampara"))[0]).toMatch(/Lámparas de cerámica/);
  });
});

async function searchTitles(db: Parameters<typeof discoverCampaigns>[0], q: string) {
  return (await discoverCampaigns(db, { q, now: new Date() })).campaigns.map((c) => c.title);
}
