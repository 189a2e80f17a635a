import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getConfig } from "~/config.server";
import { DEMO_AWAITING_SETTLEMENT, DEMO_SETTLED_HISTORY } from "../../scripts/demo/payments";
import { seedDemoData } from "../../scripts/demo/seed";
import { DEMO_FULFILMENT_CAMPAIGN } from "../../scripts/demo/fulfilment";
import { buildLateStatement, buildStatement } from "~/services/finance/statement.server";
import { useTestDatabase } from "../support/database";
import { useTestEmulator } from "../support/stripe";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "colecta-demo-settled-"));
const database = useTestDatabase({ DATA_DIR: dataDir });
const { stripe } = await useTestEmulator();

beforeAll(async () => {
  expect(await seedDemoData(database().db, { stripe, config: getConfig() })).toBe(true);
}, 180_000);
afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the demo, seeded with real payments", () => {
  it("settles the historical campaigns for real: statements balance and match Stripe", async () => {
    const { db } = database();
    for (const slug of DEMO_SETTLED_HISTORY) {
      const campaign = await db
        .selectFrom("campaigns")
        .select(["id", "state"])
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow();
      expect(["funded", "unfunded"], slug).toContain(campaign.state);
      const built = await buildStatement(db, { campaignId: campaign.id });
      expect(built?.statement.balanceCheck, slug).toBe(0);
      if (campaign.state === "funded") {
        const collected = await db
          .selectFrom("pledges")
          .select(["stripe_payment_intent_id", "amount"])
          .where("campaign_id", "=", campaign.id)
          .where("state", "=", "collected")
          // Late pledges have their own statement.
          .where("late", "=", false)
          .execute();
        expect(collected.length, slug).toBeGreaterThan(0);
        expect(built!.statement.collected).toBe(collected.reduce((sum, p) => sum + p.amount, 0));
      }
    }
  });

  it("takes late pledges on the Kintsugi kit after its first payout, for the finance desk to pay out", async () => {
    const { db } = database();
    const campaign = await db
      .selectFrom("campaigns")
      .select(["id", "late_pledges_until"])
      .where("slug", "=", "kintsugi-repair-kit")
      .executeTakeFirstOrThrow();
    expect(campaign.late_pledges_until!.getTime()).toBeGreaterThan(Date.now());
    const payouts = await db
      .selectFrom("payouts")
      .innerJoin("users as p", "p.id", "payouts.prepared_by")
      .innerJoin("users as a", "a.id", "payouts.approved_by")
      .select(["payouts.sequence", "payouts.status", "p.email as preparer", "a.email as approver"])
      .where("payouts.campaign_id", "=", campaign.id)
      .execute();
    expect(payouts).toEqual([
      { sequence: 1, status: "paid", preparer: "finance@example.com", approver: "finance2@example.com" },
    ]);
    const late = await db
      .selectFrom("pledges")
      .select(["state", "amount", "stripe_payment_intent_id"])
      .where("campaign_id", "=", campaign.id)
      .where("late", "=", true)
      .execute();
    expect(late.map((p) => p.state)).toEqual(["collected", "collected"]);
    const statement = await buildLateStatement(db, { campaignId: campaign.id });
    expect(statement!.statement).toMatchObject({
      collected: late.reduce((n, p) => n + p.amount, 0),
      paidOut: 0,
      balanceCheck: 0,
    });
    expect(statement!.statement.payoutDue).toBeGreaterThan(0);
  });

  it("charged the Kintsugi kit's add-ons with their pledges: each charge is the whole pledge", async () => {
    const { db } = database();
    const pledges = await db
      .selectFrom("pledges")
      .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
      .select(["pledges.stripe_payment_intent_id", "pledges.amount", "pledges.add_ons_amount"])
      .where("campaigns.slug", "=", "kintsugi-repair-kit")
      .where("pledges.state", "=", "collected")
      .where("pledges.add_ons_amount", ">", 0)
      .execute();
    expect(pledges.length).toBeGreaterThanOrEqual(2);
    for (const p of pledges) {
      const intent = await stripe.paymentIntents.retrieve(p.stripe_payment_intent_id!);
      expect(intent).toMatchObject({ amount: p.amount, currency: "jpy", status: "succeeded" });
    }
  });

  it("leaves one campaign past its deadline for the worker, with saved cards on every active pledge", async () => {
    const { db } = database();
    const waiting = await db
      .selectFrom("campaigns")
      .select(["id", "state", "deadline"])
      .where("slug", "=", DEMO_AWAITING_SETTLEMENT)
      .executeTakeFirstOrThrow();
    expect(waiting.state).toBe("live");
    expect(waiting.deadline!.getTime()).toBeLessThan(Date.now());
    const withoutCard = await db
      .selectFrom("pledges")
      .select("id")
      .where("state", "=", "active")
      .where("stripe_payment_method_id", "is", null)
      .execute();
    expect(withoutCard).toHaveLength(0);
  });

  it("gives the demo backer active, collected and released pledges", async () => {
    const { db } = database();
    const states = await db
      .selectFrom("pledges")
      .innerJoin("users", "users.id", "pledges.backer_id")
      .select("pledges.state")
      .where("users.email", "=", "backer@example.com")
      .execute();
    expect(new Set(states.map((s) => s.state))).toEqual(new Set(["active", "collected", "released"]));
  });

  it("shows rewards after funding: a sent survey most backers answered, and rewards in every state", async () => {
    const { db } = database();
    const campaign = await db
      .selectFrom("campaigns")
      .select(["id", "state"])
      .where("slug", "=", DEMO_FULFILMENT_CAMPAIGN)
      .executeTakeFirstOrThrow();
    expect(campaign.state).toBe("funded");
    const survey = await db
      .selectFrom("surveys")
      .select(["id", "state", "lock_at"])
      .where("campaign_id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    expect(survey.state).toBe("sent");
    expect(survey.lock_at!.getTime()).toBeGreaterThan(Date.now());
    const statuses = await db
      .selectFrom("fulfilments")
      .select("status")
      .distinct()
      .where("campaign_id", "=", campaign.id)
      .execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(
      ["awaiting_survey", "delivered", "problem", "ready", "received", "shipped"].sort(),
    );
    // Every collected pledge owes a reward and has its row; the demo backer has not answered yet.
    const rows = await db
      .selectFrom("pledges")
      .innerJoin("users", "users.id", "pledges.backer_id")
      .leftJoin("fulfilments", "fulfilments.pledge_id", "pledges.id")
      .leftJoin("survey_responses", "survey_responses.pledge_id", "pledges.id")
      .select(["users.email", "fulfilments.status", "survey_responses.submitted_at"])
      .where("pledges.campaign_id", "=", campaign.id)
      .where("pledges.state", "=", "collected")
      .execute();
    expect(rows.every((r) => r.status !== null)).toBe(true);
    // The demo backer has not answered: her reward waits if her tier ships (the address is
    // required), and is ready otherwise (her only question is optional).
    const bea = rows.find((r) => r.email === "backer@example.com");
    expect(bea?.submitted_at).toBeNull();
    expect(["awaiting_survey", "ready"]).toContain(bea?.status);
    expect(rows.filter((r) => r.submitted_at).length).toBeGreaterThan(rows.length / 2);
    // No option taken beyond its stock, and the counts are the answers.
    const options = await db
      .selectFrom("survey_options")
      .leftJoin("survey_answer_choices", "survey_answer_choices.option_id", "survey_options.id")
      .select(["survey_options.stock_limit", "survey_options.taken_count"])
      .select((eb) => eb.fn.count<string>("survey_answer_choices.pledge_id").as("answers"))
      .groupBy(["survey_options.id", "survey_options.stock_limit", "survey_options.taken_count"])
      .execute();
    for (const o of options) {
      expect(o.taken_count).toBe(Number(o.answers));
      if (o.stock_limit !== null) expect(o.taken_count).toBeLessThanOrEqual(o.stock_limit);
    }
  });
});
