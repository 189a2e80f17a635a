import { beforeAll, describe, expect, it } from "vitest";
import { action as lateAction, loader as lateLoader } from "~/routes/creator.campaigns.$id.late-pledges";
import { action as pledgeAction, loader as pledgeLoader } from "~/routes/projects.$slug_.pledge";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { call, get, post, sessionCookie } from "../support/routes";

// Late pledges as the creator opens them and a late backer meets them: only the funded
// campaign's creator opens, changes and closes them; bad input (a past day, a price under the
// minimum, a limit without a price, nothing offered) gets its message at the field, a 4xx and
// changes nothing; the pledge page then offers the late tiers at their late price.

const database = useTestDatabase();
let funded: { id: string; slug: string; tiers: { id: string }[] };
let live: { id: string; slug: string };
const cookies: Record<"creator" | "other" | "backer", string> = {} as never;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const send = (cookie: string | undefined, fields: Record<string, string>, id = funded.id) =>
  call(lateAction, post(`/creator/campaigns/${id}/late-pledges`, fields, cookie), { id });
const errorAt = async (res: Response, field: string) => ((await res.json()).error?.[field] ?? [])[0] as string;
const tierState = () =>
  database()
    .db.selectFrom("tiers")
    .select(["late_price", "late_limit"])
    .where("campaign_id", "=", funded.id)
    .orderBy("position")
    .execute();

beforeAll(async () => {
  const { db } = database();
  const creator = await makeUser(db, "Carla Creator");
  const other = await makeUser(db, "Otto Other");
  const backer = await makeUser(db, "Bea Backer");
  funded = await makeLiveCampaign(db, {
    creatorId: creator.id,
    tiers: [
      { title: "Kit", minimum: 2_500 },
      { title: "Deluxe", minimum: 9_000, limit: 10 },
    ],
  });
  await db.updateTable("campaigns").set({ state: "funded" }).where("id", "=", funded.id).execute();
  live = await makeLiveCampaign(db, { creatorId: creator.id });
  cookies.creator = await sessionCookie(creator.id);
  cookies.other = await sessionCookie(other.id);
  cookies.backer = await sessionCookie(backer.id);
}, 60_000);

describe("opening late pledges", () => {
  it("is the funded campaign's creator's alone", async () => {
    const fields = { until: inDays(10), [`price_${funded.tiers[0]!.id}`]: "30" };
    expect((await send(undefined, fields)).status).toBe(302);
    for (const who of ["other", "backer"] as const) {
      expect((await send(cookies[who], fields)).status, who).toBe(404);
      const page = await call(lateLoader, get(`/creator/campaigns/${funded.id}/late-pledges`, cookies[who]), {
        id: funded.id,
      });
      expect(page.status, who).toBe(404);
    }
    // A campaign still live cannot open them.
    const early = await send(cookies.creator, { until: inDays(10), [`price_${funded.tiers[0]!.id}`]: "30" }, live.id);
    expect(early.status).toBe(409);
    expect(await tierState()).toEqual([
      { late_price: null, late_limit: null },
      { late_price: null, late_limit: null },
    ]);
  });

  it("refuses bad input at its field and writes nothing", async () => {
    const [kit, deluxe] = funded.tiers as [{ id: string }, { id: string }];
    const past = await send(cookies.creator, { until: "2020-01-01", [`price_${kit.id}`]: "30" });
    expect(past.status).toBe(400);
    expect(await errorAt(past, "until")).toBe("The last day must be in the future.");
    const low = await send(cookies.creator, { until: inDays(10), [`price_${kit.id}`]: "20" });
    expect(await errorAt(low, `price_${kit.id}`)).toBe("The late price must be at least the reward's minimum, $25.00.");
    const limitOnly = await send(cookies.creator, { until: inDays(10), [`limit_${deluxe.id}`]: "5" });
    expect(await errorAt(limitOnly, `price_${deluxe.id}`)).toMatch(/Set a late price/);
    const none = await send(cookies.creator, { until: inDays(10) });
    expect(none.status).toBe(400);
    expect(await errorAt(none, "")).toMatch(/at least one reward/);
    const tooFar = await send(cookies.creator, { until: inDays(400), [`price_${kit.id}`]: "30" });
    expect(await errorAt(tooFar, "until")).toMatch(/at most 180 days/);
    expect(await tierState()).toEqual([
      { late_price: null, late_limit: null },
      { late_price: null, late_limit: null },
    ]);
  });

  it("opens them, the pledge page offers the late tiers at their late price, and closing ends them", async () => {
    const [kit, deluxe] = funded.tiers as [{ id: string }, { id: string }];
    const saved = await send(cookies.creator, {
      until: inDays(14),
      [`price_${kit.id}`]: "30",
      [`price_${deluxe.id}`]: "",
    });
    expect(saved.status).toBe(303);
    expect(await tierState()).toEqual([
      { late_price: 3_000, late_limit: null },
      { late_price: null, late_limit: null },
    ]);
    const page = await call(pledgeLoader, get(`/projects/${funded.slug}/pledge`, cookies.backer), {
      slug: funded.slug,
    });
    const data = await page.json();
    expect(data.campaign).toMatchObject({ open: true, late: true });
    expect(data.tiers).toEqual([expect.objectContaining({ id: kit.id, minimum_amount: 3_000, left: null })]);
    expect(data.addOns).toEqual([]);
    // Under the late price: refused at the amount, nothing held.
    const low = await call(
      pledgeAction,
      post(`/projects/${funded.slug}/pledge`, { tier: kit.id, amount: "26" }, cookies.backer),
      { slug: funded.slug },
    );
    expect(low.status).toBe(400);
    expect(await errorAt(low, "amount")).toBe('"Kit" needs a pledge of at least $30.00.');

    const closed = await send(cookies.creator, { intent: "close" });
    expect(closed.status).toBe(303);
    const after = await (
      await call(pledgeLoader, get(`/projects/${funded.slug}/pledge`, cookies.backer), { slug: funded.slug })
    ).json();
    expect(after.campaign).toMatchObject({ open: false, late: false });
  });
});
