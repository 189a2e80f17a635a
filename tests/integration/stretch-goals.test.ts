import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import type { Database, PledgeState } from "../../db/schema";
import { transitionCampaign } from "~/models/campaign-state.server";
import { recordNewPledge, transitionPledge } from "~/models/pledge-state.server";
import { createStretchGoal, listStretchGoals, updateStretchGoal } from "~/models/stretch-goals.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";

// Whether a stretch goal is reached follows the campaign's total however it moves, because the
// database keeps it (a trigger on campaigns.pledged_amount): pledges here move through the real
// state writers (recordNewPledge, transitionPledge), never through our own SQL.

const database = useTestDatabase();

async function pledge(
  db: Kysely<Database>,
  campaign: { id: string; tiers: { id: string }[] },
  amount: number,
  state: PledgeState = "active",
) {
  const backer = await makeUser(db, "Backer");
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("pledges")
      .values({
        campaign_id: campaign.id,
        backer_id: backer.id,
        tier_id: campaign.tiers[0]!.id,
        currency: "usd",
        base_amount: amount,
        amount,
        state,
        activated_at: state === "active" ? new Date() : null,
      })
      .returning(["id", "campaign_id", "tier_id", "amount", "state"])
      .executeTakeFirstOrThrow();
    await recordNewPledge(trx, row, backer.id);
    return row;
  });
}

const move = (db: Kysely<Database>, pledgeId: string, to: PledgeState) =>
  db.transaction().execute((trx) => transitionPledge(trx, { pledgeId, to, actorId: null }));

async function ladder(db: Kysely<Database>, campaignId: string) {
  const goals = await listStretchGoals(db, { campaignId });
  return Object.fromEntries(goals.map((g) => [g.title, g.reachedAt !== null]));
}

describe("a stretch goal's reached mark", () => {
  it("follows the total as pledges activate and are cancelled, while the campaign is live", async () => {
    const { db } = database();
    const creator = await makeUser(db, "Creator");
    const campaign = await makeLiveCampaign(db, { creatorId: creator.id, goal: 100_000 });
    const actor = { userId: creator.id, staff: false };
    for (const [title, amount] of [
      ["Upgrade", 150_000],
      ["Second colour", 200_000],
    ] as const) {
      const made = await createStretchGoal(db, {
        campaignId: campaign.id,
        actor,
        input: { title, description: "", amount },
      });
      expect(made.ok).toBe(true);
    }
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: false, "Second colour": false });

    // A pledge at checkout counts for nothing yet; once its card is saved it covers the first goal.
    const big = await pledge(db, campaign, 160_000, "checkout");
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: false, "Second colour": false });
    await move(db, big.id, "active");
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: true, "Second colour": false });
    const reachedAt = (await listStretchGoals(db, { campaignId: campaign.id }))[0]!.reachedAt!;

    // Another pledge that does not reach the next goal leaves the first one's moment alone.
    await pledge(db, campaign, 20_000);
    expect((await listStretchGoals(db, { campaignId: campaign.id }))[0]!.reachedAt).toEqual(reachedAt);

    // The big pledge cancelled: 200 left, under the first goal: it is no longer reached.
    await move(db, big.id, "cancelled");
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: false, "Second colour": false });

    // A new pledge takes the total to 2,000.00: both goals, at once.
    const third = await pledge(db, campaign, 180_000);
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: true, "Second colour": true });

    // The third backer cancels too (total 200.00): both goals go back.
    await move(db, third.id, "cancelled");
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: false, "Second colour": false });
    const { pledged_amount } = await db
      .selectFrom("campaigns")
      .select("pledged_amount")
      .where("id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    expect(pledged_amount).toBe(20_000);
  });

  it("is set when a goal is written under a total that already covers it", async () => {
    const { db } = database();
    const creator = await makeUser(db, "Creator");
    const campaign = await makeLiveCampaign(db, { creatorId: creator.id, goal: 100_000 });
    const actor = { userId: creator.id, staff: false };
    await pledge(db, campaign, 130_000);
    const covered = await createStretchGoal(db, {
      campaignId: campaign.id,
      actor,
      input: { title: "Covered", description: "", amount: 120_000 },
    });
    const above = await createStretchGoal(db, {
      campaignId: campaign.id,
      actor,
      input: { title: "Above", description: "", amount: 140_000 },
    });
    expect(covered.ok && above.ok).toBe(true);
    expect(await ladder(db, campaign.id)).toEqual({ Covered: true, Above: false });
    // Lowered under the total, the second is reached too.
    if (!above.ok) throw new Error("unreachable");
    const lowered = await updateStretchGoal(db, {
      campaignId: campaign.id,
      goalId: above.goalId,
      actor,
      input: { title: "Above", description: "", amount: 125_000 },
    });
    expect(lowered.ok).toBe(true);
    expect(await ladder(db, campaign.id)).toEqual({ Covered: true, Above: true });
  });

  it("stays once the deadline has passed, when settlement drops a pledge, and a late rise still reaches", async () => {
    const { db } = database();
    const creator = await makeUser(db, "Creator");
    const campaign = await makeLiveCampaign(db, { creatorId: creator.id, goal: 100_000 });
    const actor = { userId: creator.id, staff: false };
    await createStretchGoal(db, {
      campaignId: campaign.id,
      actor,
      input: { title: "Upgrade", description: "", amount: 150_000 },
    });
    await createStretchGoal(db, {
      campaignId: campaign.id,
      actor,
      input: { title: "Second colour", description: "", amount: 200_000 },
    });
    const kept = await pledge(db, campaign, 140_000);
    const declined = await pledge(db, campaign, 30_000);
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: true, "Second colour": false });

    await transitionCampaign(db, {
      campaignId: campaign.id,
      to: "settling",
      actorId: null,
      reason: "Deadline reached",
    });
    for (const to of ["collecting", "errored", "dropped"] as const) await move(db, declined.id, to);
    await move(db, kept.id, "collecting");
    await move(db, kept.id, "collected");
    // The total fell to 1,400.00 after the deadline: what the campaign reached by then stays reached.
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: true, "Second colour": false });

    // A pledge counted after the deadline (a late pledge) that lifts the total still reaches.
    await pledge(db, campaign, 70_000);
    expect(await ladder(db, campaign.id)).toEqual({ Upgrade: true, "Second colour": true });
  });
});
