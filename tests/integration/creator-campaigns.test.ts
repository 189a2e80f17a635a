import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import type { CampaignDraftInput } from "~/domain/campaign-form";
import type { TierInput } from "~/domain/tier-rules";
import { listAuditForSubject } from "~/models/audit.server";
import {
  createDraft,
  getCampaignForCreator,
  listCreatorCampaigns,
  updateDraft,
  type CreatorActor,
} from "~/models/campaign.server";
import { backersPage, dailyPledgeTotals } from "~/models/campaign-dashboard.server";
import { cancelCampaign, deleteDraft, launchCampaign } from "~/models/campaign-lifecycle.server";
import { createTier, deleteTier, listTiers, moveTier, setTierHidden, updateTier } from "~/models/campaign-tiers.server";
import { listCampaignUpdates, postCampaignUpdate } from "~/models/campaign-update.server";
import { recordNewPledge } from "~/models/pledge-state.server";
import { createUser, grantRole } from "~/models/user.server";
import { useTestDatabase } from "../support/database";

const database = useTestDatabase();
const db = () => database().db as Kysely<Database>;

const draft = (overrides: Partial<CampaignDraftInput> = {}): CampaignDraftInput => ({
  title: "Solar Kettle",
  slug: `solar-kettle-${Math.random().toString(36).slice(2, 8)}`,
  blurb: "Tea anywhere the sun shines",
  storyMd: "We built a kettle that boils water with sunlight alone. ".repeat(5),
  category: "hardware",
  coverAlt: "A steel kettle beside a folding solar panel",
  goalAmount: 500_000,
  currency: "usd",
  durationDays: 30,
  endDate: null,
  fundingModel: "all_or_nothing",
  collection: "at_deadline",
  ...overrides,
});

const tier = (overrides: Partial<TierInput> = {}): TierInput => ({
  title: "Early bird",
  description: "One kettle",
  minimumAmount: 7_900,
  quantityLimit: null,
  estimatedDelivery: "2030-09-01",
  ships: false,
  shippingRates: [],
  ...overrides,
});

let seq = 0;
async function newUser(name = "Creator") {
  seq++;
  const user = await createUser(db(), {
    email: `user${seq}@example.com`,
    name: `${name} ${seq}`,
    passwordHash: "x",
    emailVerifiedAt: new Date(),
  });
  return { ...user, actor: { userId: user.id, staff: false, ip: "203.0.113.9" } satisfies CreatorActor };
}

async function coverImage(ownerId: string) {
  const row = await db()
    .insertInto("images")
    .values({
      owner_id: ownerId,
      content_type: "image/png",
      byte_size: 100,
      width: 16,
      height: 9,
      sha256: "0".repeat(64),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function readyDraft(actor: CreatorActor, overrides: Partial<CampaignDraftInput> = {}) {
  const created = await createDraft(db(), {
    actor,
    input: draft(overrides),
    coverImageId: await coverImage(actor.userId),
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  const t = await createTier(db(), { campaignId: created.campaignId, actor, input: tier() });
  if (!t.ok) throw new Error(JSON.stringify(t));
  return { campaignId: created.campaignId, tierId: t.tierId };
}

async function pledge({
  campaignId,
  tierId,
  backerId,
  amount,
  state = "active",
  activatedAt = new Date(),
  destination = null,
}: {
  campaignId: string;
  tierId: string | null;
  backerId: string;
  amount: number;
  state?: "active" | "checkout" | "cancelled";
  activatedAt?: Date;
  destination?: string | null;
}) {
  await db()
    .transaction()
    .execute(async (trx) => {
      const p = await trx
        .insertInto("pledges")
        .values({
          campaign_id: campaignId,
          backer_id: backerId,
          tier_id: tierId,
          currency: "usd",
          base_amount: amount,
          amount,
          state,
          shipping_destination: destination,
          activated_at: state === "active" ? activatedAt : null,
        })
        .returning(["id", "campaign_id", "tier_id", "amount", "state"])
        .executeTakeFirstOrThrow();
      await recordNewPledge(trx, { ...p, amount: Number(p.amount) }, backerId);
    });
}

describe("drafts", () => {
  it("creates a draft owned by its creator, records it, and lists it", async () => {
    const { actor } = await newUser();
    const created = await createDraft(db(), { actor, input: draft({ slug: "tea-anywhere" }) });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const campaign = await getCampaignForCreator(db(), {
      campaignId: created.campaignId,
      userId: actor.userId,
      staff: false,
    });
    expect(campaign).toMatchObject({
      state: "draft",
      slug: "tea-anywhere",
      goal_amount: 500_000,
      duration_days: 30,
      deadline: null,
      launched_at: null,
    });
    expect((await listCreatorCampaigns(db(), { userId: actor.userId })).map((c) => c.id)).toEqual([created.campaignId]);
    expect(
      (await listAuditForSubject(db(), { subjectType: "campaign", subjectId: created.campaignId })).map(
        (a) => a.action,
      ),
    ).toEqual(["campaign.create"]);
  });

  it("answers a duplicate slug at the slug field, also when two drafts race for it", async () => {
    const { actor } = await newUser();
    expect((await createDraft(db(), { actor, input: draft({ slug: "taken-slug" }) })).ok).toBe(true);
    const again = await createDraft(db(), { actor, input: draft({ slug: "taken-slug" }) });
    expect(again).toMatchObject({ ok: false, status: 400, fieldErrors: { slug: expect.stringMatching(/is taken/) } });

    const race = await Promise.all([
      createDraft(db(), { actor, input: draft({ slug: "raced-slug" }) }),
      createDraft(db(), { actor, input: draft({ slug: "raced-slug" }) }),
    ]);
    expect(race.filter((r) => r.ok)).toHaveLength(1);
    expect(race.find((r) => !r.ok)).toMatchObject({ fieldErrors: { slug: expect.stringMatching(/is taken/) } });
  });

  it("keeps an end date as the draft's deadline until launch", async () => {
    const { actor } = await newUser();
    const created = await createDraft(db(), { actor, input: draft({ durationDays: null, endDate: "2030-01-15" }) });
    if (!created.ok) throw new Error("not created");
    const campaign = await getCampaignForCreator(db(), {
      campaignId: created.campaignId,
      userId: actor.userId,
      staff: false,
    });
    expect(campaign?.duration_days).toBeNull();
    expect(campaign?.deadline?.toISOString()).toBe("2030-01-15T23:59:59.000Z");
  });

  it("refuses a currency change once rewards are priced", async () => {
    const { actor } = await newUser();
    const { campaignId } = await readyDraft(actor);
    const result = await updateDraft(db(), {
      campaignId,
      actor,
      input: draft({ currency: "jpy", goalAmount: 100_000 }),
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { currency: expect.stringMatching(/priced in the current currency/) },
    });
    expect((await getCampaignForCreator(db(), { campaignId, userId: actor.userId, staff: false }))?.currency).toBe(
      "usd",
    );
  });

  it("deletes a draft and frees its address", async () => {
    const { actor } = await newUser();
    const created = await createDraft(db(), { actor, input: draft({ slug: "short-lived" }) });
    if (!created.ok) throw new Error("not created");
    expect(await deleteDraft(db(), { campaignId: created.campaignId, actor })).toEqual({ ok: true });
    expect(
      await getCampaignForCreator(db(), { campaignId: created.campaignId, userId: actor.userId, staff: false }),
    ).toBeUndefined();
    expect((await createDraft(db(), { actor, input: draft({ slug: "short-lived" }) })).ok).toBe(true);
  });
});

describe("ownership is part of every query", () => {
  it("hides a campaign from everyone but its creator and staff, for reads and writes", async () => {
    const owner = await newUser("Owner");
    const other = await newUser("Other");
    const { campaignId, tierId } = await readyDraft(owner.actor);
    expect(await getCampaignForCreator(db(), { campaignId, userId: other.id, staff: false })).toBeUndefined();
    for (const attempt of [
      updateDraft(db(), { campaignId, actor: other.actor, input: draft() }),
      createTier(db(), { campaignId, actor: other.actor, input: tier() }),
      updateTier(db(), { campaignId, tierId, actor: other.actor, input: tier() }),
      deleteTier(db(), { campaignId, tierId, actor: other.actor }),
      launchCampaign(db(), { campaignId, actor: other.actor }),
      deleteDraft(db(), { campaignId, actor: other.actor }),
    ]) {
      expect(await attempt).toMatchObject({ ok: false, status: 404 });
    }
    expect(await listTiers(db(), { campaignId })).toHaveLength(1);

    await grantRole(db(), { email: other.email, role: "finance" });
    expect(await getCampaignForCreator(db(), { campaignId, userId: other.id, staff: true })).toMatchObject({
      id: campaignId,
    });
  });
});

describe("launching", () => {
  it("refuses an incomplete draft with the checklist", async () => {
    const { actor } = await newUser();
    const created = await createDraft(db(), { actor, input: draft({ storyMd: "Too short", coverAlt: "" }) });
    if (!created.ok) throw new Error("not created");
    const result = await launchCampaign(db(), { campaignId: created.campaignId, actor });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.checklist?.filter((i) => !i.done).map((i) => i.key)).toEqual(["story", "tier", "cover", "coverAlt"]);
  });

  it("moves draft -> live, fixes the deadline from the duration and records who and when", async () => {
    const { actor } = await newUser();
    const { campaignId } = await readyDraft(actor);
    const now = new Date("2030-05-01T10:00:00Z");
    expect(await launchCampaign(db(), { campaignId, actor, now })).toEqual({
      ok: true,
      deadline: new Date("2030-05-31T10:00:00Z"),
    });
    const campaign = await getCampaignForCreator(db(), { campaignId, userId: actor.userId, staff: false });
    expect(campaign).toMatchObject({ state: "live", launched_at: now, deadline: new Date("2030-05-31T10:00:00Z") });
    const transitions = await db()
      .selectFrom("campaign_transitions")
      .selectAll()
      .where("campaign_id", "=", campaignId)
      .orderBy("id")
      .execute();
    expect(transitions.map((t) => [t.from_state, t.to_state, t.actor_id])).toEqual([
      [null, "draft", actor.userId],
      ["draft", "live", actor.userId],
    ]);
    const audit = await listAuditForSubject(db(), { subjectType: "campaign", subjectId: campaignId });
    expect(audit.map((a) => a.action)).toContain("campaign.launch");
    expect(await launchCampaign(db(), { campaignId, actor })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/already launched/),
    });
  });

  it("uses the chosen end date, and refuses one that is now out of range", async () => {
    const { actor } = await newUser();
    const { campaignId } = await readyDraft(actor, { durationDays: null, endDate: "2030-06-15" });
    const tooEarly = await launchCampaign(db(), { campaignId, actor, now: new Date("2030-01-01T00:00:00Z") });
    expect(tooEarly.ok).toBe(false);
    const launched = await launchCampaign(db(), { campaignId, actor, now: new Date("2030-06-01T00:00:00Z") });
    expect(launched).toEqual({ ok: true, deadline: new Date("2030-06-15T23:59:59Z") });
  });

  it("cancels a live campaign with its reason, and only a live one", async () => {
    const { actor } = await newUser();
    const { campaignId } = await readyDraft(actor);
    expect(await cancelCampaign(db(), { campaignId, actor, reason: "Supplier went bust" })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/delete the draft/),
    });
    await launchCampaign(db(), { campaignId, actor });
    expect(await cancelCampaign(db(), { campaignId, actor, reason: "Supplier went bust" })).toEqual({ ok: true });
    const campaign = await getCampaignForCreator(db(), { campaignId, userId: actor.userId, staff: false });
    expect(campaign?.state).toBe("cancelled");
    expect(campaign?.ended_at).toBeInstanceOf(Date);
    const last = await db()
      .selectFrom("campaign_transitions")
      .selectAll()
      .where("campaign_id", "=", campaignId)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({
      from_state: "live",
      to_state: "cancelled",
      reason: "Supplier went bust",
      actor_id: actor.userId,
    });
  });
});

describe("reward tiers", () => {
  it("stores shipping per destination and reorders with move up/down", async () => {
    const { actor } = await newUser();
    const { campaignId, tierId: first } = await readyDraft(actor);
    const second = await createTier(db(), {
      campaignId,
      actor,
      input: tier({
        title: "Kettle + panel",
        minimumAmount: 14_900,
        ships: true,
        shippingRates: [
          { destination: "US", amount: 1_000 },
          { destination: "ROW", amount: 2_500 },
        ],
      }),
    });
    if (!second.ok) throw new Error("no tier");
    let tiers = await listTiers(db(), { campaignId });
    expect(tiers.map((t) => t.title)).toEqual(["Early bird", "Kettle + panel"]);
    expect(tiers[1]!.shippingRates).toEqual(
      expect.arrayContaining([
        { destination: "US", amount: 1_000 },
        { destination: "ROW", amount: 2_500 },
      ]),
    );

    await moveTier(db(), { campaignId, tierId: second.tierId, actor, direction: "up" });
    tiers = await listTiers(db(), { campaignId });
    expect(tiers.map((t) => t.id)).toEqual([second.tierId, first]);
    await moveTier(db(), { campaignId, tierId: second.tierId, actor, direction: "up" }); // already first: stays
    expect((await listTiers(db(), { campaignId })).map((t) => t.id)).toEqual([second.tierId, first]);
  });

  it("after launch: minimum not lowered below pledges, limit not under claimed, hidden not deleted", async () => {
    const { actor } = await newUser();
    const { campaignId, tierId } = await readyDraft(actor);
    await updateTier(db(), { campaignId, tierId, actor, input: tier({ quantityLimit: 5 }) });
    await launchCampaign(db(), { campaignId, actor });
    const backers = [await newUser("Backer"), await newUser("Backer"), await newUser("Backer")];
    for (const b of backers) await pledge({ campaignId, tierId, backerId: b.id, amount: 7_900 });

    const lower = await updateTier(db(), {
      campaignId,
      tierId,
      actor,
      input: tier({ minimumAmount: 5_000, quantityLimit: 5 }),
    });
    expect(lower).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { minimum: expect.stringMatching(/can't be lowered/) },
    });
    const underClaimed = await updateTier(db(), { campaignId, tierId, actor, input: tier({ quantityLimit: 2 }) });
    expect(underClaimed).toMatchObject({
      ok: false,
      fieldErrors: { quantityLimit: expect.stringMatching(/3 backers have already claimed/) },
    });

    expect(
      await updateTier(db(), {
        campaignId,
        tierId,
        actor,
        input: tier({ title: "Early bird (sold fast)", minimumAmount: 8_900, quantityLimit: 3 }),
      }),
    ).toEqual({ ok: true });
    expect(await deleteTier(db(), { campaignId, tierId, actor })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/Hide it instead/),
    });
    expect(await setTierHidden(db(), { campaignId, tierId, actor, hidden: true })).toEqual({ ok: true });
    const [saved] = await listTiers(db(), { campaignId });
    expect(saved).toMatchObject({
      title: "Early bird (sold fast)",
      minimum_amount: 8_900,
      quantity_limit: 3,
      claimed_count: 3,
      hidden: true,
      pledgeCount: 3,
    });
  });

  it("deletes a tier without pledges while draft", async () => {
    const { actor } = await newUser();
    const { campaignId, tierId } = await readyDraft(actor);
    expect(await deleteTier(db(), { campaignId, tierId, actor })).toEqual({ ok: true });
    expect(await listTiers(db(), { campaignId })).toEqual([]);
  });
});

describe("dashboard data, export and updates", () => {
  it("groups pledges by day, exports backers in pages, and emails updates to backers once", async () => {
    const { actor } = await newUser();
    const { campaignId, tierId } = await readyDraft(actor);
    await launchCampaign(db(), { campaignId, actor });
    const ada = await newUser("Ada");
    const bob = await newUser("Bob");
    const cy = await newUser("Cy");
    await pledge({
      campaignId,
      tierId,
      backerId: ada.id,
      amount: 7_900,
      activatedAt: new Date("2030-05-01T10:00:00Z"),
      destination: "GB",
    });
    await pledge({
      campaignId,
      tierId,
      backerId: bob.id,
      amount: 10_000,
      activatedAt: new Date("2030-05-01T23:00:00Z"),
    });
    await pledge({ campaignId, tierId: null, backerId: cy.id, amount: 500, state: "checkout" });

    expect(await dailyPledgeTotals(db(), { campaignId })).toEqual([{ day: "2030-05-01", amount: 17_900, pledges: 2 }]);
    const campaign = await getCampaignForCreator(db(), { campaignId, userId: actor.userId, staff: false });
    expect(campaign).toMatchObject({ pledged_amount: 17_900, backer_count: 2 });

    const page1 = await backersPage(db(), { campaignId, limit: 1 });
    const page2 = await backersPage(db(), {
      campaignId,
      limit: 1,
      after: { cursor: page1[0]!.cursor, id: page1[0]!.id },
    });
    const page3 = await backersPage(db(), {
      campaignId,
      limit: 1,
      after: { cursor: page2[0]!.cursor, id: page2[0]!.id },
    });
    expect([...page1, ...page2].map((p) => p.name)).toEqual([ada.name, bob.name]);
    expect(page3).toEqual([]);

    const post = () =>
      postCampaignUpdate(db(), {
        campaignId,
        authorId: actor.userId,
        title: "Tooling is done",
        bodyMd: "The **molds** arrived.",
        visibility: "backers",
        campaignTitle: "Solar Kettle",
        campaignUrl: "http://localhost/projects/x",
      });
    const first = await post();
    expect(first.emailsQueued).toBe(2);
    const emails = await db()
      .selectFrom("email_outbox")
      .select(["to_email", "subject", "dedupe_key", "body_text", "body_html", "category"])
      .where("kind", "=", "campaign_update")
      .execute();
    expect(emails.map((e) => e.to_email).sort()).toEqual([ada.email, bob.email].sort());
    expect(emails[0]!.body_text).toContain("The molds arrived.");
    // Updates are optional mail (a backer can turn them off), written as text and HTML.
    expect(emails.every((e) => e.category === "updates")).toBe(true);
    expect(emails[0]!.body_html).toContain("The molds arrived.");
    expect(emails[0]!.dedupe_key).toMatch(new RegExp(`^campaign_update:${first.id}:`));

    const asStranger = await listCampaignUpdates(db(), { campaignId, viewerIsBacker: false });
    expect(asStranger).toEqual([expect.objectContaining({ title: "Tooling is done", locked: true, html: "" })]);
    const asBacker = await listCampaignUpdates(db(), { campaignId, viewerIsBacker: true });
    expect(asBacker[0]).toMatchObject({
      locked: false,
      html: "<p>The <strong>molds</strong> arrived.</p>\n",
      authorName: actor.userId ? expect.any(String) : "",
    });
  });
});
