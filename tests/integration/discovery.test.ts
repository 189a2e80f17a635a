import type { Kysely } from "kysely";
import type { CampaignState, Database } from "../../db/schema";
import { createUser } from "~/models/user.server";
import {
  decodeCursor,
  discoverCampaigns,
  encodeCursor,
  getPublicCampaignBySlug,
  listHomeSections,
  type DiscoverOptions,
} from "~/models/campaign-query.server";
import type { DiscoverSort, DiscoverState } from "~/domain/discovery";
import { useTestDatabase } from "../support/database";

const database = useTestDatabase();
const now = new Date("2026-12-01T12:00:00.000Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Fixture {
  slug: string;
  title?: string;
  blurb?: string;
  story?: string;
  category?: string;
  state?: CampaignState;
  deadlineInDays?: number;
  launchedDaysAgo?: number;
  goal?: number;
  pledged?: number;
  featured?: boolean;
  endedDaysAgo?: number;
}

let creatorId = "";
let backers: string[] = [];

async function addCampaign(db: Kysely<Database>, f: Fixture) {
  const state = f.state ?? "live";
  const launched =
    state === "draft" || state === "deleted" ? null : new Date(now.getTime() - (f.launchedDaysAgo ?? 5) * DAY);
  const row = await db
    .insertInto("campaigns")
    .values({
      creator_id: creatorId,
      slug: f.slug,
      title: f.title ?? `Project ${f.slug}`,
      blurb: f.blurb ?? "A useful thing.",
      story_md: f.story ?? "Plain story.",
      category: f.category ?? "hardware",
      goal_amount: f.goal ?? 100_000,
      pledged_amount: f.pledged ?? 0,
      currency: "usd",
      state,
      featured: f.featured ?? false,
      launched_at: launched,
      deadline: launched ? new Date(now.getTime() + (f.deadlineInDays ?? 10) * DAY) : null,
      ended_at: f.endedDaysAgo !== undefined ? new Date(now.getTime() - f.endedDaysAgo * DAY) : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Pledges activated `hoursAgo`, one backer each. */
async function addPledges(
  db: Kysely<Database>,
  campaignId: string,
  hoursAgo: number[],
  state: "active" | "cancelled" = "active",
) {
  const used = await db.selectFrom("pledges").select("backer_id").where("campaign_id", "=", campaignId).execute();
  const free = backers.filter((b) => !used.some((u) => u.backer_id === b));
  await db
    .insertInto("pledges")
    .values(
      hoursAgo.map((h, i) => ({
        campaign_id: campaignId,
        backer_id: free[i]!,
        currency: "usd" as const,
        base_amount: 1000,
        amount: 1000,
        state,
        activated_at: new Date(now.getTime() - h * HOUR),
      })),
    )
    .execute();
}

async function allPages(db: Kysely<Database>, options: Omit<DiscoverOptions, "now" | "cursor">, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const result = await discoverCampaigns(db, { ...options, now, limit, cursor: decodeCursor(cursor, options.sort!) });
    ids.push(...result.campaigns.map((c) => c.slug));
    cursor = result.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error("pagination did not end");
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  const { db } = database();
  creatorId = (await createUser(db, { email: "maker@example.com", name: "Mia Maker", passwordHash: "x" })).id;
  backers = [];
  for (let i = 0; i < 30; i++)
    backers.push((await createUser(db, { email: `b${i}@example.com`, name: `Backer ${i}`, passwordHash: "x" })).id);

  const fixtures: Fixture[] = [
    {
      slug: "solar-lantern",
      title: "Solar lantern for camping",
      blurb: "Light from the sun.",
      category: "hardware",
      deadlineInDays: 3,
      pledged: 50_000,
      featured: true,
    },
    {
      slug: "lantern-festival-book",
      title: "A book of festivals",
      blurb: "Stories from lantern festivals.",
      category: "publishing",
      deadlineInDays: 20,
      pledged: 120_000,
    },
    {
      slug: "garden-journal",
      title: "Garden journal",
      story: "Notes on tomatoes, and a lantern for the shed.",
      category: "publishing",
      deadlineInDays: 8,
      pledged: 10_000,
    },
    {
      slug: "kombucha-brewer",
      title: "Kombucha brewer",
      category: "food",
      deadlineInDays: 1,
      pledged: 99_000,
      launchedDaysAgo: 1,
    },
    {
      slug: "ended-awaiting",
      title: "Deadline passed lantern",
      category: "hardware",
      deadlineInDays: -0.1,
      pledged: 200_000,
    },
    {
      slug: "funded-synth",
      title: "Pocket synth",
      category: "music",
      state: "funded",
      deadlineInDays: -5,
      endedDaysAgo: 5,
      pledged: 300_000,
      launchedDaysAgo: 40,
    },
    {
      slug: "funded-board-game",
      title: "Board game",
      category: "games",
      state: "funded",
      deadlineInDays: -2,
      endedDaysAgo: 2,
      pledged: 150_000,
      launchedDaysAgo: 30,
    },
    {
      slug: "unfunded-books",
      title: "Picture books",
      category: "education",
      state: "unfunded",
      deadlineInDays: -3,
      endedDaysAgo: 3,
    },
    {
      slug: "cancelled-lamp",
      title: "Cancelled lantern lamp",
      category: "hardware",
      state: "cancelled",
      deadlineInDays: 4,
    },
    { slug: "secret-draft-lantern", title: "Secret draft lantern", category: "hardware", state: "draft" },
    { slug: "deleted-lantern", title: "Deleted lantern", category: "hardware", state: "deleted" },
  ];
  // Ties on purpose: the same deadline, launch and percent, so pagination must use the id.
  for (let i = 0; i < 14; i++) {
    fixtures.push({
      slug: `twin-${String(i).padStart(2, "0")}`,
      title: `Twin gadget ${i}`,
      category: "technology",
      deadlineInDays: 15,
      launchedDaysAgo: 6,
      pledged: 25_000,
    });
  }
  const { db: d } = database();
  for (const f of fixtures) ids[f.slug] = await addCampaign(d, f);

  await addPledges(db, ids["kombucha-brewer"]!, [1, 2, 3, 5, 10]); // 5 recent
  await addPledges(db, ids["garden-journal"]!, [4, 20, 47, 100, 200, 300]); // 3 recent
  await addPledges(db, ids["solar-lantern"]!, [60, 70, 80, 90, 100, 120, 130, 150]); // none recent
  await addPledges(db, ids["solar-lantern"]!, [1, 2], "cancelled"); // cancelled ones don't count
  await addPledges(db, ids["twin-03"]!, [6]); // 1 recent
  await addPledges(db, ids["ended-awaiting"]!, [1, 2, 3, 4, 5, 6, 7]); // past its deadline: not trending
});

describe("discover", () => {
  it("lists only public campaigns: never drafts or deleted ones, under any filter or search", async () => {
    const { db } = database();
    for (const state of ["live", "funded", "all"] as DiscoverState[]) {
      for (const q of ["", "lantern"]) {
        const slugs = await allPages(db, { state, q, sort: q ? "relevance" : "newest" }, 50);
        expect(slugs).not.toContain("secret-draft-lantern");
        expect(slugs).not.toContain("deleted-lantern");
      }
    }
  });

  it("filters by state: open (live, before its deadline), funded, or every public state", async () => {
    const { db } = database();
    const live = await allPages(db, { state: "live", sort: "newest" }, 50);
    expect(live).toHaveLength(4 + 14);
    expect(live).not.toContain("ended-awaiting");
    expect(live).not.toContain("funded-synth");
    expect((await allPages(db, { state: "funded", sort: "newest" }, 50)).sort()).toEqual([
      "funded-board-game",
      "funded-synth",
    ]);
    const all = await allPages(db, { state: "all", sort: "newest" }, 50);
    expect(all).toHaveLength(fixturesPublic());
    expect(all).toEqual(expect.arrayContaining(["ended-awaiting", "unfunded-books", "cancelled-lamp"]));
  });

  it("filters by category and counts the matches", async () => {
    const { db } = database();
    const result = await discoverCampaigns(db, { category: "publishing", state: "all", sort: "newest", now });
    expect(result.campaigns.map((c) => c.slug).sort()).toEqual(["garden-journal", "lantern-festival-book"]);
    expect(result.total).toBe(2);
    expect((await discoverCampaigns(db, { category: "games", state: "live", now })).total).toBe(0);
  });

  it("searches title, blurb and story, ranking title matches first", async () => {
    const { db } = database();
    const result = await discoverCampaigns(db, { q: "lantern", state: "live", now });
    const slugs = result.campaigns.map((c) => c.slug);
    expect(slugs).toEqual(["solar-lantern", "lantern-festival-book", "garden-journal"]);
    // Stemming and web-search syntax: plural, a quoted phrase, and exclusion.
    expect((await discoverCampaigns(db, { q: "lanterns", state: "live", now })).campaigns).toHaveLength(3);
    expect(
      (await discoverCampaigns(db, { q: '"solar lantern"', state: "live", now })).campaigns.map((c) => c.slug),
    ).toEqual(["solar-lantern"]);
    expect(
      (await discoverCampaigns(db, { q: "lantern -festival", state: "live", now })).campaigns.map((c) => c.slug).sort(),
    ).toEqual(["garden-journal", "solar-lantern"]);
  });

  it("answers odd searches with no results rather than an error", async () => {
    const { db } = database();
    for (const q of ["the", "!!!", "'); drop table campaigns; --", "a & | ! ( ) :*", "ñandú ü 日本"]) {
      const result = await discoverCampaigns(db, { q, state: "all", now });
      expect(result.campaigns.length, q).toBeGreaterThanOrEqual(0);
    }
    expect(await db.selectFrom("campaigns").select("id").execute()).not.toHaveLength(0);
  });

  it("sorts by ending soon, newest and most funded (percent of goal)", async () => {
    const { db } = database();
    const ending = (await discoverCampaigns(db, { sort: "ending", state: "live", now, limit: 4 })).campaigns.map(
      (c) => c.slug,
    );
    expect(ending).toEqual(["kombucha-brewer", "solar-lantern", "garden-journal", expect.stringMatching(/^twin-/)]);
    const newest = (await discoverCampaigns(db, { sort: "newest", state: "live", now, limit: 1 })).campaigns.map(
      (c) => c.slug,
    );
    expect(newest).toEqual(["kombucha-brewer"]);
    const funded = (await discoverCampaigns(db, { sort: "funded", state: "all", now, limit: 3 })).campaigns.map(
      (c) => c.slug,
    );
    expect(funded).toEqual(["funded-synth", "ended-awaiting", "funded-board-game"]);
  });

  it("ranks trending by pledges activated in the last 48 hours, counting only live ones", async () => {
    const { db } = database();
    const trending = (await discoverCampaigns(db, { sort: "trending", state: "live", now, limit: 3 })).campaigns.map(
      (c) => c.slug,
    );
    expect(trending).toEqual(["kombucha-brewer", "garden-journal", "twin-03"]);
    const home = await listHomeSections(db, { now });
    expect(home.trending.map((c) => [c.slug, c.recent])).toEqual([
      ["kombucha-brewer", 5],
      ["garden-journal", 3],
      ["twin-03", 1],
    ]);
  });

  it.each(["trending", "ending", "newest", "funded", "relevance"] as DiscoverSort[])(
    "pages through every result sorted by %s with no duplicates or gaps",
    async (sort) => {
      const { db } = database();
      const options = { sort, state: "all" as const, q: sort === "relevance" ? "twin or lantern or gadget" : "" };
      const everything = (await discoverCampaigns(db, { ...options, now, limit: 100 })).campaigns.map((c) => c.slug);
      expect(everything.length).toBeGreaterThan(10);
      for (const size of [1, 4, 5]) {
        const paged = await allPages(db, options, size);
        expect(paged).toEqual(everything);
        expect(new Set(paged).size).toBe(paged.length);
      }
    },
  );

  it("recounts trending from a snapshot at most once a minute", async () => {
    const { db } = database();
    await addPledges(db, ids["twin-05"]!, [0.5, 0.6, 0.7, 0.8, 0.9, 1.1]);
    const top = async (at: Date) =>
      (await discoverCampaigns(db, { sort: "trending", now: at, limit: 1 })).campaigns[0]!.slug;
    expect(await top(now)).toBe("kombucha-brewer");
    expect(await top(new Date(now.getTime() + 30_000))).toBe("kombucha-brewer");
    expect(await top(new Date(now.getTime() + 61_000))).toBe("twin-05");
    expect((await listHomeSections(db, { now: new Date(now.getTime() + 61_000) })).trending[0]!.slug).toBe("twin-05");
  });

  it("ignores a cursor that is malformed or belongs to another sort", async () => {
    const { db } = database();
    const id = ids["twin-01"]!;
    expect(decodeCursor("not base64 at all!", "newest")).toBeNull();
    expect(decodeCursor(Buffer.from("[1,2]").toString("base64url"), "newest")).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: "funded", key: 5, id }), "newest")).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: "newest", key: "yesterday", id }), "newest")).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: "funded", key: 1.5, id }), "funded")).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: "funded", key: 5, id: "1; drop" }), "funded")).toBeNull();
    const good = encodeCursor({ sort: "newest", key: "2026-11-26T12:00:00.000000Z", id });
    expect(decodeCursor(good, "newest")).toEqual({ sort: "newest", key: "2026-11-26T12:00:00.000000Z", id });
    const first = await discoverCampaigns(db, { sort: "newest", now, limit: 3, cursor: null });
    const mismatched = await discoverCampaigns(db, {
      sort: "newest",
      now,
      limit: 3,
      cursor: { sort: "funded", key: 1, id },
    });
    expect(mismatched.campaigns).toEqual(first.campaigns);
  });
});

describe("home sections", () => {
  it("shows featured, trending, ending soon and recently funded live campaigns", async () => {
    const { db } = database();
    const home = await listHomeSections(db, { now });
    expect(home.featured.map((c) => c.slug)).toEqual(["solar-lantern"]);
    expect(home.endingSoon.map((c) => c.slug)).toEqual(["kombucha-brewer", "solar-lantern", "garden-journal"]);
    expect(home.recentlyFunded.map((c) => c.slug)).toEqual(["funded-board-game", "funded-synth"]);
    const everywhere = [...home.featured, ...home.trending, ...home.endingSoon, ...home.recentlyFunded].map(
      (c) => c.slug,
    );
    expect(everywhere).not.toContain("secret-draft-lantern");
    expect(everywhere).not.toContain("ended-awaiting");
  });
});

describe("project page query", () => {
  it("shows public campaigns, drafts only to their creator, deleted ones to nobody", async () => {
    const { db } = database();
    expect(await getPublicCampaignBySlug(db, { slug: "funded-synth" })).toBeDefined();
    expect(await getPublicCampaignBySlug(db, { slug: "cancelled-lamp" })).toBeDefined();
    expect(await getPublicCampaignBySlug(db, { slug: "secret-draft-lantern" })).toBeUndefined();
    expect(await getPublicCampaignBySlug(db, { slug: "secret-draft-lantern", viewerId: backers[0] })).toBeUndefined();
    expect(
      (await getPublicCampaignBySlug(db, { slug: "secret-draft-lantern", viewerId: creatorId }))?.campaign.state,
    ).toBe("draft");
    expect(await getPublicCampaignBySlug(db, { slug: "deleted-lantern", viewerId: creatorId })).toBeUndefined();
    expect(await getPublicCampaignBySlug(db, { slug: "no-such-project" })).toBeUndefined();
  });

  it("returns visible tiers in order with their shipping rates", async () => {
    const { db } = database();
    const campaignId = ids["solar-lantern"]!;
    const tiers = await db
      .insertInto("tiers")
      .values([
        {
          campaign_id: campaignId,
          title: "Lantern",
          minimum_amount: 5900,
          position: 1,
          ships: true,
          quantity_limit: 50,
          estimated_delivery: "2027-05-01",
        },
        { campaign_id: campaignId, title: "Thanks", minimum_amount: 500, position: 0 },
        { campaign_id: campaignId, title: "Old tier", minimum_amount: 100, position: 2, hidden: true },
      ])
      .returning(["id", "title"])
      .execute();
    const lantern = tiers.find((t) => t.title === "Lantern")!;
    await db
      .insertInto("tier_shipping_rates")
      .values([
        { tier_id: lantern.id, destination: "ROW", amount: 2500 },
        { tier_id: lantern.id, destination: "US", amount: 1000 },
      ])
      .execute();
    const found = await getPublicCampaignBySlug(db, { slug: "solar-lantern" });
    expect(found!.tiers.map((t) => t.title)).toEqual(["Thanks", "Lantern"]);
    expect(found!.tiers[1]).toMatchObject({
      minimum_amount: 5900,
      quantity_limit: 50,
      estimated_delivery: "2027-05-01",
      ships: true,
      shipping: [
        { destination: "US", amount: 1000 },
        { destination: "ROW", amount: 2500 },
      ],
    });
    expect(found!.tiers[0]!.shipping).toEqual([]);
  });
});

function fixturesPublic() {
  // 4 open + ended-awaiting + 2 funded + unfunded + cancelled + 14 twins.
  return 4 + 1 + 2 + 1 + 1 + 14;
}
