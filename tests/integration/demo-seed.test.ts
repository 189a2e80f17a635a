import { attemptLogin } from "~/services/accounts/accounts.server";
import { DEMO_PASSWORD, seedDemoData } from "../../scripts/demo/seed";
import { getUserById } from "~/models/user.server";
import { isEnrolled } from "~/services/security/two-factor.server";
import { discoverCampaigns } from "~/models/campaign-query.server";
import { crowdInsights } from "~/models/crowd-insights.server";
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

  it("gives the demo campaigns lively idea boards and polls, and the creators real insights", async () => {
    const { db } = database();
    const boards = await db
      .selectFrom("campaigns as c")
      .innerJoin("users as u", "u.id", "c.creator_id")
      .select(["c.id", "c.slug", "c.creator_id", "c.ideas_enabled", "c.idea_count", "c.ideas_adopted_count", "u.email"])
      .where("c.ideas_enabled", "=", true)
      .orderBy("c.slug")
      .execute();
    expect(boards.map((b) => [b.slug, b.email])).toEqual([
      ["kintsugi-repair-kit", "priya@quiethours.example"],
      ["lamparas-ceramica-triana", "ines@alfartriana.example"],
      ["lumen-solar-lantern", "ana@lumenworks.example"],
      ["open-braille-labeller", "ana@lumenworks.example"],
    ]);
    for (const slug of ["kintsugi-repair-kit", "lumen-solar-lantern", "open-braille-labeller"]) {
      const board = boards.find((b) => b.slug === slug)!;
      expect(board.idea_count, slug).toBeGreaterThanOrEqual(8);
      const insights = await crowdInsights(db, {
        campaignId: board.id,
        viewer: { userId: board.creator_id, staff: false },
      });
      if (!insights) throw new Error(`${slug}: the creator reads the insights`);
      // Every kind of idea and every answer is there, counted the way the board counts them.
      expect(insights.ideas.total, slug).toBe(board.idea_count);
      expect(insights.ideas.byStatus.adopted, slug).toBe(board.ideas_adopted_count);
      for (const status of ["new", "under_review", "planned", "adopted", "declined"] as const)
        expect(insights.ideas.byStatus[status], `${slug} ${status}`).toBeGreaterThan(0);
      expect(insights.participants, slug).toBeGreaterThanOrEqual(15);
      expect(insights.backersTookPart, slug).toBeGreaterThan(0);
      expect(insights.backersTookPart, slug).toBeLessThanOrEqual(insights.backers);
      expect(insights.ideas.medianSecondsToAnswer, slug).toBeGreaterThan(3600);
      expect(insights.topIdeas[0]!.votes, slug).toBeGreaterThanOrEqual(10);
      expect(
        insights.adopted.some((a) => a.credit === "reward" && a.rewardTier),
        slug,
      ).toBe(true);
      expect(
        insights.adopted.some((a) => a.credit === "mention"),
        slug,
      ).toBe(true);
      // The poll's votes arrived over several days, and the replay ends at its counts.
      const poll = insights.polls[0]!;
      expect(poll.voteCount, slug).toBeGreaterThanOrEqual(15);
      const daysWithVotes = poll.days.filter(
        (d, i) => i === 0 || d.counts.some((n, j) => n !== poll.days[i - 1]!.counts[j]),
      );
      expect(daysWithVotes.length, slug).toBeGreaterThanOrEqual(4);
      expect(poll.days.at(-1)!.counts, slug).toEqual(poll.options.map((o) => o.votes));
    }
    // On the live lantern, which Bea backs, the poll is open and neither Bea nor an idea has her
    // vote yet: the demo leaves them for whoever signs in as her.
    const lantern = await db
      .selectFrom("polls as p")
      .innerJoin("campaigns as c", "c.id", "p.campaign_id")
      .select(["p.id", "p.closes_at", "p.update_id", "c.state"])
      .where("c.slug", "=", "lumen-solar-lantern")
      .executeTakeFirstOrThrow();
    expect(lantern.state).toBe("live");
    expect(lantern.update_id).toBeNull();
    expect(lantern.closes_at.getTime()).toBeGreaterThan(Date.now());
    const beaVotes = await db
      .selectFrom("users as u")
      .select((eb) => [
        eb
          .selectFrom("poll_votes")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("user_id", "=", "u.id")
          .as("polls"),
        eb
          .selectFrom("idea_votes")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("user_id", "=", "u.id")
          .as("ideas"),
      ])
      .where("u.email", "=", "backer@example.com")
      .executeTakeFirstOrThrow();
    expect([Number(beaVotes.polls), Number(beaVotes.ideas)]).toEqual([0, 0]);
    // The demo backer's idea was adopted with a mention: she sees her credit.
    const bea = await db
      .selectFrom("ideas as i")
      .innerJoin("users as u", "u.id", "i.author_id")
      .innerJoin("idea_credits as cr", "cr.idea_id", "i.id")
      .select(["i.status", "cr.kind"])
      .where("u.email", "=", "backer@example.com")
      .execute();
    expect(bea).toEqual([{ status: "adopted", kind: "mention" }]);
    // Some changed their mind in a poll.
    const changes = await db
      .selectFrom("poll_vote_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("from_option_id", "is not", null)
      .executeTakeFirstOrThrow();
    expect(Number(changes.n)).toBeGreaterThan(0);
  });

  it("gives a live campaign a stretch goal ladder (reached, next, ahead) and a funded one two reached goals", async () => {
    const { db } = database();
    const ladders = await db
      .selectFrom("stretch_goals as g")
      .innerJoin("campaigns as c", "c.id", "g.campaign_id")
      .select(["c.slug", "c.state", "g.amount", "g.reached_at", "c.pledged_amount", "c.goal_amount"])
      .orderBy("c.slug")
      .orderBy("g.amount")
      .execute();
    expect(
      ladders.map((g) => [
        g.slug,
        g.state,
        g.reached_at !== null,
        g.amount > g.goal_amount,
        g.amount <= g.pledged_amount,
      ]),
    ).toEqual([
      ["cuaderno-de-campo-pirineo", "funded", true, true, true],
      ["cuaderno-de-campo-pirineo", "funded", true, true, true],
      ["night-shift-board-game", "live", true, true, true],
      ["night-shift-board-game", "live", false, true, false],
      ["night-shift-board-game", "live", false, true, false],
    ]);
  });

  it("offers add-ons on live campaigns in dollars and euros, carried by pledges and counted exactly", async () => {
    const { db } = database();
    for (const slug of ["lumen-solar-lantern", "lamparas-ceramica-triana"]) {
      const campaign = await db
        .selectFrom("campaigns")
        .select(["id", "pledged_amount"])
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow();
      const addOns = await db
        .selectFrom("add_ons")
        .select(["id", "claimed_count", "quantity_limit"])
        .where("campaign_id", "=", campaign.id)
        .execute();
      expect(addOns.length, slug).toBeGreaterThanOrEqual(2);
      const pledges = await db
        .selectFrom("pledges")
        .select(["id", "amount", "base_amount", "shipping_amount", "add_ons_amount", "state"])
        .where("campaign_id", "=", campaign.id)
        .execute();
      const lines = await db
        .selectFrom("pledge_add_ons")
        .select(["pledge_id", "add_on_id", "quantity", "amount"])
        .where(
          "pledge_id",
          "in",
          pledges.map((p) => p.id),
        )
        .execute();
      expect(new Set(lines.map((l) => l.pledge_id)).size, slug).toBeGreaterThanOrEqual(3);
      // Each pledge's add-ons are its lines; the campaign total and each add-on's units add up.
      for (const p of pledges)
        expect(p.add_ons_amount, slug).toBe(
          lines.filter((l) => l.pledge_id === p.id).reduce((n, l) => n + l.amount, 0),
        );
      expect(campaign.pledged_amount).toBe(
        pledges.filter((p) => p.state === "active").reduce((n, p) => n + p.amount, 0),
      );
      for (const a of addOns) {
        expect(a.claimed_count).toBe(lines.filter((l) => l.add_on_id === a.id).reduce((n, l) => n + l.quantity, 0));
        if (a.quantity_limit !== null) expect(a.claimed_count).toBeLessThanOrEqual(a.quantity_limit);
      }
    }
  });
});

async function searchTitles(db: Parameters<typeof discoverCampaigns>[0], q: string) {
  return (await discoverCampaigns(db, { q, now: new Date() })).campaigns.map((c) => c.title);
}
