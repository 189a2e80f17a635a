import type Stripe from "stripe";
import { getConfig } from "~/config.server";
import { chargeKey } from "~/domain/settlement";
import { listAuditForSubject } from "~/models/audit.server";
import { claimAttempts } from "~/services/settlement/attempts.server";
import { inflightAttempts, settlementContext } from "~/services/settlement/context.server";
import { decideCampaign } from "~/services/settlement/decide.server";
import { recordDispute } from "~/services/settlement/disputes.server";
import { runDueSettlements } from "~/services/settlement/due.server";
import { startFixPayment } from "~/services/settlement/fix-payment.server";
import { retryChargeNow } from "~/services/settlement/retry-now.server";
import { retryErroredCharge } from "~/services/finance/retry-charge.server";
import { buildStatement } from "~/services/finance/statement.server";
import { syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { useTestDatabase } from "../support/database";
import { addPledge, makeDueCampaign, moneyInvariants } from "../support/settlement-fixtures";
import { payHostedCheckout, useTestEmulator } from "../support/stripe";
import { enrolTwoFactor } from "../support/two-factor";

const database = useTestDatabase({ STRIPE_MAX_RPS: "500", SETTLEMENT_CONCURRENCY: "8", GRACE_DAYS: "7" });
const { emulator, stripe } = await useTestEmulator();

const DAY = 86_400_000;
/** One pass over this test's campaign only (other tests' campaigns may be due too). */
const settle = (
  campaign: { slug: string },
  now = new Date(),
  extra: Partial<Parameters<typeof runDueSettlements>[0]> = {},
) =>
  runDueSettlements({
    db: database().db,
    stripe,
    config: getConfig(),
    now,
    log: () => {},
    campaignSlug: campaign.slug,
    ...extra,
  });

const pledgeRow = (id: string) =>
  database().db.selectFrom("pledges").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const campaignRow = (id: string) =>
  database().db.selectFrom("campaigns").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const settlementRow = (id: string) =>
  database().db.selectFrom("settlements").selectAll().where("campaign_id", "=", id).executeTakeFirstOrThrow();
const emailsFor = (email: string) =>
  database()
    .db.selectFrom("email_outbox")
    .select(["kind", "subject", "body_text"])
    .where("to_email", "=", email)
    .orderBy("id")
    .execute();
const attemptsOf = (pledgeId: string) =>
  database()
    .db.selectFrom("charge_attempts")
    .selectAll()
    .where("pledge_id", "=", pledgeId)
    .orderBy("attempt")
    .execute();

/** A funded campaign whose one pledge's charge was declined at the deadline (now in grace). */
async function erroredPledge() {
  const { db } = database();
  const campaign = await makeDueCampaign(db, { goal: 1_000 });
  const p = await addPledge(db, stripe, {
    campaign,
    amount: 1_500,
    card: "pm_card_visa_chargeDeclinedInsufficientFunds",
  });
  await settle(campaign);
  expect((await pledgeRow(p.id)).state).toBe("errored");
  return { db, campaign, p };
}

async function expectBalancedLedger(campaignId: string) {
  const { db } = database();
  const m = await moneyInvariants(db, stripe, { campaignId });
  // Exactly one successful charge per collected pledge, none for the others.
  for (const p of m.pledges) {
    const wins = m.succeeded.get(p.id) ?? [];
    if (p.state === "collected" || p.state === "disputed") {
      expect(wins, `pledge ${p.id} (${p.state})`).toHaveLength(1);
      expect(p.collected_amount).toBe(p.amount);
      expect(p.stripe_payment_intent_id).toBe(wins[0]!.id);
    } else if (!["refunded"].includes(p.state)) {
      expect(wins, `pledge ${p.id} (${p.state})`).toHaveLength(0);
    }
  }
  expect(m.journal.charged).toBe(m.stripeSide.charged);
  expect(m.journal.fees).toBe(m.stripeSide.fees);
  const statement = await buildStatement(db, { campaignId });
  expect(statement?.statement.balanceCheck).toBe(0);
  return m;
}

describe("settling an all-or-nothing campaign that charges at the deadline", () => {
  it("charges each saved card once, emails every backer, retries failures through grace, then drops them and closes funded", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 10_000, tierLimit: 10 });
    const paid1 = await addPledge(db, stripe, { campaign, amount: 4_000, card: "pm_card_visa", name: "Ada" });
    const paid2 = await addPledge(db, stripe, { campaign, amount: 3_000, card: "pm_card_visa", name: "Bo" });
    const failing = await addPledge(db, stripe, {
      campaign,
      amount: 2_000,
      card: "pm_card_chargeCustomerFail",
      name: "Cy",
    });
    const broke = await addPledge(db, stripe, {
      campaign,
      amount: 1_500,
      card: "pm_card_visa_chargeDeclinedInsufficientFunds",
      name: "Di",
    });
    const sca = await addPledge(db, stripe, {
      campaign,
      amount: 1_000,
      card: "pm_card_authenticationRequired",
      name: "Ed",
    });
    const start = new Date();

    const first = await settle(campaign, start);
    expect(first.campaigns).toHaveLength(1);
    expect(first.campaigns[0]).toMatchObject({
      decision: "funded",
      decided: true,
      charged: 2,
      failed: 3,
      collectedAmount: 7_000,
      stage: "grace",
      closed: false,
    });
    expect(await settlementRow(campaign.id)).toMatchObject({
      decision: "funded",
      stage: "grace",
      pledged_at_deadline: 11_500,
      pledges_at_deadline: 5,
      currency: "usd",
    });
    expect((await settlementRow(campaign.id)).grace_ends_at?.getTime()).toBe(start.getTime() + 7 * DAY);
    expect((await campaignRow(campaign.id)).state).toBe("settling");

    for (const p of [paid1, paid2]) {
      expect(await pledgeRow(p.id)).toMatchObject({
        state: "collected",
        collected_amount: (await pledgeRow(p.id)).amount,
        last_charge_error: null,
      });
      const attempts = await attemptsOf(p.id);
      expect(attempts).toMatchObject([{ attempt: 1, status: "succeeded", idempotency_key: chargeKey(p.id, 1) }]);
      expect((await emailsFor(p.backer.email)).map((e) => e.kind)).toEqual(["settlement_funded"]);
    }
    expect(await pledgeRow(failing.id)).toMatchObject({
      state: "errored",
      last_charge_error: expect.stringMatching(/declined/i),
    });
    expect(await pledgeRow(broke.id)).toMatchObject({
      state: "errored",
      last_charge_error: expect.stringMatching(/insufficient funds/i),
    });
    expect(await pledgeRow(sca.id)).toMatchObject({ state: "errored" });
    expect((await attemptsOf(sca.id))[0]).toMatchObject({
      status: "requires_action",
      error_code: "authentication_required",
    });
    expect((await attemptsOf(broke.id))[0]).toMatchObject({
      status: "failed",
      error_code: "card_declined",
      decline_code: "insufficient_funds",
    });
    const failedMail = await emailsFor(failing.backer.email);
    expect(failedMail.map((e) => e.kind)).toEqual(["payment_failed"]);
    expect(failedMail[0]!.body_text).toContain(`${getConfig().appUrl}/pledges/${failing.id}/fix`);
    expect((await emailsFor(campaign.creator.email)).map((e) => e.kind)).toEqual(["creator_funded"]);
    // Retries are scheduled one day later.
    expect((await pledgeRow(failing.id)).next_charge_at?.getTime()).toBe(start.getTime() + DAY);
    await expectBalancedLedger(campaign.id);

    // Running again at the same moment does nothing: nothing is due.
    const again = await settle(campaign, start);
    expect(again.campaigns).toHaveLength(0);

    // A day later the three are retried with a NEW attempt number and key; they fail again.
    const dayLater = new Date(start.getTime() + DAY + 60_000);
    const retry = await settle(campaign, dayLater);
    expect(retry.campaigns[0]).toMatchObject({ charged: 0, failed: 3 });
    expect((await attemptsOf(failing.id)).map((a) => [a.attempt, a.idempotency_key, a.status])).toEqual([
      [1, chargeKey(failing.id, 1), "failed"],
      [2, chargeKey(failing.id, 2), "failed"],
    ]);
    expect((await emailsFor(failing.backer.email)).map((e) => e.kind)).toEqual(["payment_failed", "payment_failed"]);

    // The backer with the 3-D Secure card fixes it on the fix-payment page with another card.
    const fix = await startFixPayment(db, stripe, {
      pledgeId: sca.id,
      backerId: sca.backer.id,
      appUrl: getConfig().appUrl,
      now: dayLater,
    });
    if (!fix.ok) throw new Error(fix.formError);
    const reopened = await startFixPayment(db, stripe, {
      pledgeId: sca.id,
      backerId: sca.backer.id,
      appUrl: getConfig().appUrl,
      now: dayLater,
    });
    expect(reopened).toEqual(fix);
    const session = await stripe.checkout.sessions.retrieve(new URL(fix.url).pathname.split("/").pop()!);
    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 1_000,
      customer: sca.customerId,
      metadata: { pledge_id: sca.id, purpose: "fix_payment" },
    });
    // While the page is open, automatic retries leave the pledge alone.
    const whileOpen = await settle(campaign, new Date(start.getTime() + 4 * DAY + 60_000));
    expect((await attemptsOf(sca.id)).filter((a) => a.status === "pending")).toHaveLength(1);
    expect(whileOpen.campaigns[0]?.failed).toBe(2);
    const paid = await payHostedCheckout(fix.url, "4242424242424242");
    expect(paid.status).toBe(303);
    expect(await syncCheckoutSession(db, stripe, session.id)).toEqual({ outcome: "payment_fixed", pledgeId: sca.id });
    expect(await syncCheckoutSession(db, stripe, session.id)).toEqual({ outcome: "payment_fixed", pledgeId: sca.id });
    expect(await pledgeRow(sca.id)).toMatchObject({
      state: "collected",
      collected_amount: 1_000,
      card_last4: "4242",
      last_charge_error: null,
    });
    expect((await emailsFor(sca.backer.email)).map((e) => e.kind)).toContain("payment_fixed");

    // Grace ends: the two still failing are dropped, freeing their reward slots; the campaign is funded.
    const before = await campaignRow(campaign.id);
    const graceOver = new Date(start.getTime() + 7 * DAY + 60_000);
    const end = await settle(campaign, graceOver);
    expect(end.campaigns[0]).toMatchObject({ dropped: 2, closed: true, stage: "closed" });
    expect(await pledgeRow(failing.id)).toMatchObject({ state: "dropped" });
    expect(await pledgeRow(broke.id)).toMatchObject({ state: "dropped" });
    const after = await campaignRow(campaign.id);
    expect(after).toMatchObject({ state: "funded", pledged_amount: before.pledged_amount - 3_500, backer_count: 3 });
    expect(after.ended_at?.getTime()).toBe(graceOver.getTime());
    const tier = await db
      .selectFrom("tiers")
      .select("claimed_count")
      .where("id", "=", campaign.tierId)
      .executeTakeFirstOrThrow();
    expect(tier.claimed_count).toBe(3);
    expect(await settlementRow(campaign.id)).toMatchObject({ stage: "closed" });
    expect((await emailsFor(failing.backer.email)).map((e) => e.kind)).toContain("pledge_dropped");
    expect((await emailsFor(campaign.creator.email)).map((e) => e.kind)).toEqual(["creator_funded", "creator_settled"]);
    const m = await expectBalancedLedger(campaign.id);
    expect(m.journal.charged).toBe(8_000);
    const statement = await buildStatement(db, { campaignId: campaign.id });
    expect(statement?.statement).toMatchObject({
      collected: 8_000,
      dropped: { count: 2, amount: 3_500 },
      inGrace: { count: 0 },
    });
    // Closed: nothing more to do, ever.
    expect((await settle(campaign, new Date(graceOver.getTime() + 30 * DAY))).campaigns).toHaveLength(0);
  });

  it("closes at once when every card pays, and is decided exactly at the goal", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 5_000 });
    await addPledge(db, stripe, { campaign, amount: 2_500 });
    await addPledge(db, stripe, { campaign, amount: 2_500 });
    const result = await settle(campaign);
    expect(result.campaigns[0]).toMatchObject({ decision: "funded", charged: 2, closed: true });
    expect((await campaignRow(campaign.id)).state).toBe("funded");
    await expectBalancedLedger(campaign.id);
  });

  it("writes each recipient in their saved language (Spanish here, es-ES money), English otherwise", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 5_000, currency: "eur" });
    const lucia = await addPledge(db, stripe, { campaign, amount: 123_450, name: "Lucía" });
    const bea = await addPledge(db, stripe, { campaign, amount: 2_500, name: "Bea" });
    await db
      .updateTable("users")
      .set({ locale: "es" })
      .where("id", "in", [lucia.backer.id, campaign.creator.id])
      .execute();
    await settle(campaign);
    const outbox = (email: string) =>
      db
        .selectFrom("email_outbox")
        .select(["kind", "subject", "body_text", "locale"])
        .where("to_email", "=", email)
        .orderBy("id")
        .execute();
    const [funded] = await outbox(lucia.backer.email);
    expect(funded).toMatchObject({ kind: "settlement_funded", locale: "es" });
    expect(funded!.subject).toBe(`Campaign ${campaign.slug} se ha financiado`);
    expect(funded!.body_text).toContain("Hemos cargado 1.234,50\u00a0€ en tu tarjeta por tu aportación.");
    const [english] = await outbox(bea.backer.email);
    expect(english).toMatchObject({ kind: "settlement_funded", locale: "en" });
    expect(english!.body_text).toContain("Your card was charged €25.00 for your pledge.");
    const creatorMail = await outbox(campaign.creator.email);
    expect(creatorMail.map((m) => [m.kind, m.locale])).toEqual([
      ["creator_funded", "es"],
      ["creator_settled", "es"],
    ]);
    expect(creatorMail[1]!.body_text).toContain("se han cobrado 1.259,50\u00a0€ de 2 patrocinadores.");
  });

  it("charges JPY in whole yen", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 3_000, currency: "jpy" });
    const p = await addPledge(db, stripe, { campaign, amount: 3_500 });
    await settle(campaign);
    const pi = await stripe.paymentIntents.retrieve((await pledgeRow(p.id)).stripe_payment_intent_id!, {
      expand: ["latest_charge.balance_transaction"],
    });
    expect(pi).toMatchObject({ amount: 3_500, currency: "jpy", status: "succeeded" });
    await expectBalancedLedger(campaign.id);
  });
});

describe("campaigns that are not funded, and cancelled ones", () => {
  it("releases saved cards without charging when an all-or-nothing campaign misses its goal", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 100_000 });
    const a = await addPledge(db, stripe, { campaign, amount: 5_000 });
    const b = await addPledge(db, stripe, { campaign, amount: 5_000, card: "pm_card_chargeCustomerFail" });
    const result = await settle(campaign);
    expect(result.campaigns[0]).toMatchObject({ decision: "unfunded", released: 2, charged: 0, closed: true });
    for (const p of [a, b]) {
      expect((await pledgeRow(p.id)).state).toBe("released");
      expect((await emailsFor(p.backer.email)).map((e) => e.kind)).toEqual(["settlement_unfunded"]);
    }
    expect(await campaignRow(campaign.id)).toMatchObject({ state: "unfunded", pledged_amount: 0, backer_count: 0 });
    const m = await expectBalancedLedger(campaign.id);
    expect(m.intents).toHaveLength(0);
    const settlement = await settlementRow(campaign.id);
    expect(settlement).toMatchObject({ decision: "unfunded", stage: "closed", pledged_at_deadline: 10_000 });
    expect(settlement.statement_checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(settlement.statement).toMatchObject({
      collected: 0,
      payoutDue: 0,
      balanceCheck: 0,
      released: { count: 2, amount: 10_000 },
    });
  });

  it("refunds every up-front payment exactly once when an immediate campaign misses its goal", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 100_000, collection: "immediate" });
    const a = await addPledge(db, stripe, { campaign, amount: 3_000 });
    const b = await addPledge(db, stripe, { campaign, amount: 4_000 });
    const result = await settle(campaign);
    expect(result.campaigns[0]).toMatchObject({ decision: "unfunded", refunded: 2, closed: true });
    for (const p of [a, b]) {
      const row = await pledgeRow(p.id);
      expect(row).toMatchObject({ state: "refunded", refunded_amount: row.amount });
      expect((await emailsFor(p.backer.email)).map((e) => e.kind)).toEqual(["refund_issued"]);
      const refunds = await stripe.refunds.list({ payment_intent: p.paymentIntentId! });
      expect(refunds.data).toHaveLength(1);
      expect(refunds.data[0]).toMatchObject({ amount: row.amount, status: "succeeded" });
    }
    expect(
      await db
        .selectFrom("refunds")
        .select(["status", "amount"])
        .where("pledge_id", "in", [a.id, b.id])
        .orderBy("amount")
        .execute(),
    ).toEqual([
      { status: "succeeded", amount: 3_000 },
      { status: "succeeded", amount: 4_000 },
    ]);
    expect((await campaignRow(campaign.id)).state).toBe("unfunded");
    const settlement = await settlementRow(campaign.id);
    expect(settlement.statement).toMatchObject({ collected: 7_000, refunded: 7_000, balanceCheck: 0 });
    // Settling again refunds nothing more.
    expect((await settle(campaign)).campaigns).toHaveLength(0);
    expect((await stripe.refunds.list({ payment_intent: a.paymentIntentId! })).data).toHaveLength(1);
  });

  it("keeps up-front payments of a funded immediate campaign and books them with Stripe's fee", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 1_000_000, fundingModel: "flexible", collection: "immediate" });
    const a = await addPledge(db, stripe, { campaign, amount: 2_000 });
    const result = await settle(campaign);
    expect(result.campaigns[0]).toMatchObject({ decision: "funded", kept: 1, closed: true });
    expect(await pledgeRow(a.id)).toMatchObject({
      state: "collected",
      collected_amount: 2_000,
      stripe_payment_intent_id: a.paymentIntentId,
    });
    expect((await emailsFor(a.backer.email)).map((e) => e.kind)).toEqual(["settlement_funded"]);
    const m = await expectBalancedLedger(campaign.id);
    expect(m.journal).toEqual({ charged: 2_000, fees: Math.round(2_000 * 0.029) + 30 });
  });

  it("settles a flexible campaign with no pledges as not funded", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { fundingModel: "flexible" });
    const result = await settle(campaign);
    expect(result.campaigns[0]).toMatchObject({ decision: "unfunded", closed: true });
    expect(await settlementRow(campaign.id)).toMatchObject({
      pledged_at_deadline: 0,
      pledges_at_deadline: 0,
      stage: "closed",
    });
  });

  it("releases a cancelled campaign's pledges; the campaign stays cancelled", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 1_000, deadline: new Date(Date.now() + 5 * DAY) });
    const a = await addPledge(db, stripe, { campaign, amount: 5_000 });
    await db.updateTable("campaigns").set({ state: "cancelled" }).where("id", "=", campaign.id).execute();
    const result = await settle(campaign);
    expect(result.campaigns[0]).toMatchObject({ decision: "cancelled", released: 1, closed: true });
    expect((await pledgeRow(a.id)).state).toBe("released");
    expect((await emailsFor(a.backer.email)).map((e) => e.kind)).toEqual(["campaign_cancelled"]);
    expect((await campaignRow(campaign.id)).state).toBe("cancelled");
    expect(await settlementRow(campaign.id)).toMatchObject({ decision: "cancelled", stage: "closed" });
  });
});

describe("safety", () => {
  it("a dry run reports the decision and plan and changes nothing", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 1_000 });
    await addPledge(db, stripe, { campaign, amount: 1_500 });
    await addPledge(db, stripe, { campaign, amount: 2_500, card: "pm_card_chargeCustomerFail" });
    const snapshot = async () => ({
      pledges: await db
        .selectFrom("pledges")
        .select(["id", "state"])
        .where("campaign_id", "=", campaign.id)
        .orderBy("id")
        .execute(),
      campaign: (await campaignRow(campaign.id)).state,
      settlements: await db
        .selectFrom("settlements")
        .select("campaign_id")
        .where("campaign_id", "=", campaign.id)
        .execute(),
      attempts: (await db.selectFrom("charge_attempts").select("id").execute()).length,
      emails: (await db.selectFrom("email_outbox").select("id").execute()).length,
      requests: (emulator.stats() as { requests: number }).requests,
    });
    const before = await snapshot();
    const dry = await settle(campaign, new Date(), { dryRun: true, campaignSlug: campaign.slug });
    expect(dry.dryRun).toBe(true);
    expect(dry.campaigns[0]!.plan).toMatchObject({
      decision: "funded",
      pledgedAtDeadline: 4_000,
      pledgesAtDeadline: 2,
      actions: { charge: { count: 2, amount: 4_000 } },
    });
    expect(await snapshot()).toEqual(before);
  });

  it("resumes an unfinished attempt with the same key, whether or not Stripe saw the first request", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 1_000 });
    const sent = await addPledge(db, stripe, { campaign, amount: 1_200 });
    const unsent = await addPledge(db, stripe, { campaign, amount: 1_300 });
    // Decide, then simulate a worker that claimed both, sent one request, and died.
    const config = getConfig();
    expect(await decideCampaign({ db, stripe, config, log: () => {} }, campaign.id)).toBe("decided");
    const ctx = settlementContext({ db, stripe, config, log: () => {} });
    const c = await db
      .selectFrom("campaigns")
      .select(["id", "slug", "title", "currency", "collection", "creator_id"])
      .where("id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    const jobs = await claimAttempts(
      ctx,
      {
        ...c,
        creatorId: c.creator_id,
        decision: "funded",
        stage: "collecting",
        graceEndsAt: new Date(Date.now() + 7 * DAY),
      },
      "charge",
      "active",
      10,
    );
    expect(jobs).toHaveLength(2);
    for (const j of jobs) inflightAttempts.delete(j.attemptId); // the process that owned them is gone
    const job = jobs.find((j) => j.pledgeId === sent.id)!;
    const original = await stripe.paymentIntents.create(
      {
        amount: job.amount,
        currency: job.currency,
        customer: job.customerId!,
        payment_method: job.paymentMethodId!,
        confirm: true,
        off_session: true,
        description: `Pledge to ${c.title}`,
        metadata: { pledge_id: job.pledgeId, campaign_id: c.id, attempt: "1" },
        expand: ["latest_charge.balance_transaction"],
      },
      { idempotencyKey: job.key },
    );
    expect(original.status).toBe("succeeded");
    const replaysBefore = (emulator.stats() as { idempotentReplays: number }).idempotentReplays;
    const resumed = await settle(campaign);
    expect(resumed.campaigns[0]).toMatchObject({ charged: 2, closed: true });
    expect((emulator.stats() as { idempotentReplays: number }).idempotentReplays).toBe(replaysBefore + 1);
    expect(await pledgeRow(sent.id)).toMatchObject({ state: "collected", stripe_payment_intent_id: original.id });
    expect((await attemptsOf(sent.id)).map((a) => a.attempt)).toEqual([1]);
    expect((await pledgeRow(unsent.id)).state).toBe("collected");
    await expectBalancedLedger(campaign.id);
  });

  it("two passes at once never charge a pledge twice", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 1_000 });
    for (let i = 0; i < 12; i++) await addPledge(db, stripe, { campaign, amount: 1_000 + i });
    const [a, b] = await Promise.all([
      settle(campaign, new Date(), { batchSize: 3 }),
      settle(campaign, new Date(), { batchSize: 3 }),
    ]);
    expect((a.campaigns[0]?.charged ?? 0) + (b.campaigns[0]?.charged ?? 0)).toBe(12);
    expect((await campaignRow(campaign.id)).state).toBe("funded");
    await expectBalancedLedger(campaign.id);
  });

  it("finance can retry a failed charge now, after the backer changed cards; it is audited", async () => {
    const { db, campaign, p } = await erroredPledge();
    const finance = await db
      .selectFrom("users")
      .select("id")
      .where("id", "=", campaign.creator.id)
      .executeTakeFirstOrThrow();
    const again = await retryChargeNow({
      db,
      stripe,
      config: getConfig(),
      pledgeId: p.id,
      actorId: finance.id,
      log: () => {},
    });
    expect(again).toMatchObject({ ok: true, outcome: "errored" });
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: p.customerId });
    await db.updateTable("pledges").set({ stripe_payment_method_id: pm.id }).where("id", "=", p.id).execute();
    const fixed = await retryChargeNow({
      db,
      stripe,
      config: getConfig(),
      pledgeId: p.id,
      actorId: finance.id,
      log: () => {},
    });
    expect(fixed).toEqual({ ok: true, outcome: "collected", message: "The charge went through." });
    expect((await attemptsOf(p.id)).map((a) => [a.attempt, a.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "succeeded"],
    ]);
    expect((await listAuditForSubject(db, { subjectType: "pledge", subjectId: p.id })).map((e) => e.action)).toEqual([
      "pledge.retry_charge",
      "pledge.retry_charge",
    ]);
    expect(
      await retryChargeNow({ db, stripe, config: getConfig(), pledgeId: p.id, actorId: finance.id, log: () => {} }),
    ).toMatchObject({ ok: false, status: 409 });
    expect((await settle(campaign)).campaigns[0]).toMatchObject({ closed: true });
    expect((await campaignRow(campaign.id)).state).toBe("funded");
    await expectBalancedLedger(campaign.id);
  });

  it("a retry from the finance desk writes one audit entry: who asked, why, and the attempt", async () => {
    const { db, campaign, p } = await erroredPledge();
    // Money actions from the desk need a second factor.
    await enrolTwoFactor(db, campaign.creator.id);
    const result = await retryErroredCharge(db, stripe, getConfig(), {
      pledgeId: p.id,
      actorId: campaign.creator.id,
      reason: "Backer asked us to try again",
      ip: "10.0.0.7",
    });
    expect(result).toMatchObject({ ok: false, status: 502 });
    const audit = await listAuditForSubject(db, { subjectType: "pledge", subjectId: p.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "pledge.retry_charge",
      actor_id: campaign.creator.id,
      reason: "Backer asked us to try again",
      ip: "10.0.0.7",
      detail: expect.objectContaining({ attempt: 2, result: "errored" }),
    });
  });

  it("a dispute moves the pledge to disputed and books amount and fee once", async () => {
    const { db } = database();
    const campaign = await makeDueCampaign(db, { goal: 1_000 });
    const p = await addPledge(db, stripe, { campaign, amount: 5_000, card: "pm_card_createDispute" });
    await settle(campaign);
    const pi = (await pledgeRow(p.id)).stripe_payment_intent_id!;
    let disputes: Stripe.Dispute[] = [];
    for (let i = 0; i < 50 && disputes.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      disputes = (await stripe.disputes.list({ payment_intent: pi })).data;
    }
    expect(disputes).toHaveLength(1);
    expect(await recordDispute(db, stripe, disputes[0]!.id)).toEqual({ outcome: "disputed", pledgeId: p.id });
    expect(await recordDispute(db, stripe, disputes[0]!.id)).toEqual({ outcome: "already", pledgeId: p.id });
    expect((await pledgeRow(p.id)).state).toBe("disputed");
    const statement = await buildStatement(db, { campaignId: campaign.id });
    expect(statement?.statement).toMatchObject({ disputed: 5_000 + 1_500, balanceCheck: 0 });
  });
});
