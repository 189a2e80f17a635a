import { getConfig } from "~/config.server";
import { compareLedgerWithStripe } from "~/services/finance/reconciliation/compare.server";
import { refundPledge } from "~/services/finance/refunds.server";
import { sendDueRefunds } from "~/services/pledges/payment-refunds.server";
import { syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { cancelPledge, changePledge } from "~/services/pledges/management.server";
import { runDueSettlements } from "~/services/settlement/due.server";
import { buildStatement } from "~/services/finance/statement.server";
import { reconcileOpenRaises } from "~/services/pledges/up-front-changes.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { pledgeThroughCheckout } from "../support/pledges";
import { payHostedCheckout, useTestEmulator } from "../support/stripe";
import { enrolTwoFactor } from "../support/two-factor";

// Pledges paid up front (`immediate`): a raise pays only the difference through Checkout, a cut
// refunds the difference, and settlement keeps or refunds every payment the pledge is made of.

const database = useTestDatabase({ STRIPE_MAX_RPS: "500" });
const { emulator, stripe } = await useTestEmulator();
const appUrl = "http://colecta.test";

/** A live up-front campaign (tier minimum $25, and no-reward pledges) and a paid $25 pledge on it. */
async function paidPledge({
  goal = 100_000,
  fundingModel = "all_or_nothing" as const,
}: { goal?: number; fundingModel?: "all_or_nothing" | "flexible" } = {}) {
  const { db } = database();
  const creator = await makeUser(db, "Creator");
  const campaign = await makeLiveCampaign(db, {
    creatorId: creator.id,
    collection: "immediate",
    goal,
    fundingModel,
    tiers: [{ minimum: 2_500 }],
  });
  const backer = await makeUser(db, "Backer");
  const { pledgeId, outcome } = await pledgeThroughCheckout(db, stripe, {
    slug: campaign.slug,
    backer,
    form: { tier: campaign.tiers[0]!.id, amount: "25" },
    appUrl,
  });
  expect(outcome).toBe("activated");
  return { db, campaign, backer, pledgeId, tierId: campaign.tiers[0]!.id };
}

/** Raises the pledge to `amount` and pays the difference on the hosted page; returns the session id. */
async function raise(p: Awaited<ReturnType<typeof paidPledge>>, amount: string, { pay = true } = {}) {
  const result = await changePledge(p.db, stripe, {
    pledgeId: p.pledgeId,
    backerId: p.backer.id,
    form: { tier: p.tierId, amount },
    appUrl,
  });
  if (!result.ok || !result.checkoutUrl)
    throw new Error(`expected a checkout for the raise, got ${JSON.stringify(result)}`);
  const sessionId = new URL(result.checkoutUrl).pathname.split("/").pop()!;
  if (pay) expect((await payHostedCheckout(result.checkoutUrl)).status).toBe(303);
  return { sessionId, checkoutUrl: result.checkoutUrl };
}

const pledgeRow = (id: string) =>
  database().db.selectFrom("pledges").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const campaignTotal = async (id: string) =>
  (await database().db.selectFrom("campaigns").select("pledged_amount").where("id", "=", id).executeTakeFirstOrThrow())
    .pledged_amount;
const paymentsOf = (pledgeId: string) =>
  database()
    .db.selectFrom("pledge_payments")
    .select(["stripe_payment_intent_id", "amount", "purpose"])
    .where("pledge_id", "=", pledgeId)
    .orderBy("id")
    .execute();
const emailKinds = async (email: string) =>
  (
    await database().db.selectFrom("email_outbox").select("kind").where("to_email", "=", email).orderBy("id").execute()
  ).map((e) => e.kind);
/** What Stripe refunded on each of the pledge's payments. */
async function refundedInStripe(pledgeId: string) {
  const out: Record<string, number> = {};
  for (const p of await paymentsOf(pledgeId)) {
    const refunds = await stripe.refunds.list({ payment_intent: p.stripe_payment_intent_id, limit: 100 });
    out[p.purpose === "pledge" ? "first" : "topUp"] = refunds.data
      .filter((r) => r.status === "succeeded")
      .reduce((n, r) => n + r.amount, 0);
  }
  return out;
}

describe("changing a pledge that was paid up front", () => {
  it("a raise charges only the difference through Checkout and applies once, when paid", async () => {
    const p = await paidPledge();
    const { sessionId } = await raise(p, "40", { pay: false });
    // Nothing changes until the difference is paid.
    expect((await pledgeRow(p.pledgeId)).amount).toBe(2_500);
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 1_500,
      metadata: { purpose: "change", pledge_id: p.pledgeId },
    });

    await payHostedCheckout(session.url!);
    expect((await syncCheckoutSession(p.db, stripe, sessionId)).outcome).toBe("change_applied");
    // The webhook and the return URL may both arrive: applied exactly once.
    expect((await syncCheckoutSession(p.db, stripe, sessionId)).outcome).toBe("change_applied");

    expect(await pledgeRow(p.pledgeId)).toMatchObject({ amount: 4_000, base_amount: 4_000, state: "active" });
    expect(await campaignTotal(p.campaign.id)).toBe(4_000);
    const payments = await paymentsOf(p.pledgeId);
    expect(payments.map((x) => [x.purpose, x.amount])).toEqual([
      ["pledge", 2_500],
      ["top_up", 1_500],
    ]);
    const topUp = await stripe.paymentIntents.retrieve(payments[1]!.stripe_payment_intent_id);
    expect(topUp).toMatchObject({ amount: 1_500, status: "succeeded", customer: expect.stringMatching(/^cus_/) });
    expect(await emailKinds(p.backer.email)).toEqual(["pledge_confirmed", "pledge_changed"]);
    const history = await p.db
      .selectFrom("pledge_transitions")
      .select("reason")
      .where("pledge_id", "=", p.pledgeId)
      .orderBy("id")
      .execute();
    expect(history.at(-1)!.reason).toBe("Pledge raised: paid the $15.00 difference");
  });

  it("a cut refunds the difference, newest payment first; cancelling refunds the rest", async () => {
    const p = await paidPledge();
    await raise(p, "40");
    await reconcileOpenRaisesNow(p);
    expect((await pledgeRow(p.pledgeId)).amount).toBe(4_000);

    // $40 -> $5 without a reward: the $15 top-up back in full, then $20 of the first payment.
    const cut = await changePledge(p.db, stripe, {
      pledgeId: p.pledgeId,
      backerId: p.backer.id,
      form: { tier: "none", amount: "5" },
      appUrl,
    });
    expect(cut).toEqual({
      ok: true,
      refunded: 3_500,
      message: "Your pledge is now $5.00. The $35.00 difference is refunded to your card.",
    });
    expect(await refundedInStripe(p.pledgeId)).toEqual({ first: 2_000, topUp: 1_500 });
    expect(await campaignTotal(p.campaign.id)).toBe(500);
    const rows = await p.db
      .selectFrom("refunds")
      .select(["amount", "status", "purpose"])
      .where("pledge_id", "=", p.pledgeId)
      .orderBy("amount")
      .execute();
    expect(rows).toEqual([
      { amount: 1_500, status: "succeeded", purpose: "pledge_lowered" },
      { amount: 2_000, status: "succeeded", purpose: "pledge_lowered" },
    ]);

    const cancelled = await cancelPledge(p.db, stripe, { pledgeId: p.pledgeId, backerId: p.backer.id });
    expect(cancelled).toEqual({
      ok: true,
      message: "Your pledge is cancelled and the $5.00 you paid is refunded to your card.",
    });
    expect(await refundedInStripe(p.pledgeId)).toEqual({ first: 2_500, topUp: 1_500 });
    expect(await campaignTotal(p.campaign.id)).toBe(0);
    expect(await emailKinds(p.backer.email)).toEqual([
      "pledge_confirmed",
      "pledge_changed",
      "pledge_changed",
      "pledge_cancelled",
    ]);
  });

  it("a raise paid after the deadline is not applied: the payment is refunded in full", async () => {
    const p = await paidPledge();
    const { sessionId, checkoutUrl } = await raise(p, "60", { pay: false });
    await p.db
      .updateTable("campaigns")
      .set({ deadline: new Date(Date.now() - 60_000) })
      .where("id", "=", p.campaign.id)
      .execute();
    await payHostedCheckout(checkoutUrl);
    expect((await syncCheckoutSession(p.db, stripe, sessionId)).outcome).toBe("change_refused");
    expect((await syncCheckoutSession(p.db, stripe, sessionId)).outcome).toBe("change_refused");
    expect((await pledgeRow(p.pledgeId)).amount).toBe(2_500);
    expect(await paymentsOf(p.pledgeId)).toHaveLength(1);
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    const refunds = await stripe.refunds.list({ payment_intent: session.payment_intent as string });
    expect(refunds.data.map((r) => [r.amount, r.status])).toEqual([[3_500, "succeeded"]]);
    expect(await emailKinds(p.backer.email)).toEqual(["pledge_confirmed", "pledge_change_refunded"]);
    const change = await p.db
      .selectFrom("pledge_changes")
      .select(["status", "note"])
      .where("pledge_id", "=", p.pledgeId)
      .executeTakeFirstOrThrow();
    expect(change).toEqual({ status: "refused", note: "the campaign had already ended" });
  });

  it("a newer change replaces a raise still waiting for payment", async () => {
    const p = await paidPledge();
    const first = await raise(p, "50", { pay: false });
    await raise(p, "30");
    expect((await stripe.checkout.sessions.retrieve(first.sessionId)).status).toBe("expired");
    await reconcileOpenRaisesNow(p);
    expect((await pledgeRow(p.pledgeId)).amount).toBe(3_000);
    const changes = await p.db
      .selectFrom("pledge_changes")
      .select(["amount", "status"])
      .where("pledge_id", "=", p.pledgeId)
      .orderBy("created_at")
      .execute();
    expect(changes).toEqual([
      { amount: 5_000, status: "expired" },
      { amount: 3_000, status: "applied" },
    ]);
  });

  it("a refund Stripe cannot take right now stays pending and is sent once by the background pass", async () => {
    const p = await paidPledge();
    emulator.configure({ faults: { seed: 1, serverErrorRate: 1 } });
    let cut;
    try {
      cut = await changePledge(p.db, stripe, {
        pledgeId: p.pledgeId,
        backerId: p.backer.id,
        form: { tier: "none", amount: "10" },
        appUrl,
      });
    } finally {
      emulator.configure({ faults: { serverErrorRate: 0 } });
    }
    // The cut is made; its refund is durable and waits.
    expect(cut).toMatchObject({ ok: true, refunded: 1_500 });
    expect(
      await p.db.selectFrom("refunds").select(["status", "amount"]).where("pledge_id", "=", p.pledgeId).execute(),
    ).toEqual([{ status: "pending", amount: 1_500 }]);
    expect(await refundedInStripe(p.pledgeId)).toEqual({ first: 0 });

    const later = new Date(Date.now() + 60_000);
    expect((await sendDueRefunds(p.db, stripe, { now: later })).map((r) => r.status)).toEqual(["succeeded"]);
    expect(await sendDueRefunds(p.db, stripe, { now: later })).toEqual([]);
    expect(await refundedInStripe(p.pledgeId)).toEqual({ first: 1_500 });
  });
});

describe("settling pledges that were changed after paying up front", () => {
  const settle = (slug: string) =>
    runDueSettlements({
      db: database().db,
      stripe,
      config: getConfig(),
      now: new Date(),
      log: () => {},
      campaignSlug: slug,
    });
  const endNow = (campaignId: string) =>
    database()
      .db.updateTable("campaigns")
      .set({ deadline: new Date(Date.now() - 1_000) })
      .where("id", "=", campaignId)
      .execute();

  it("funded: keeps every payment, books both charges and the cut's refund, and reconciles cleanly", async () => {
    const p = await paidPledge({ goal: 1_000 });
    await raise(p, "40");
    await reconcileOpenRaisesNow(p);
    await changePledge(p.db, stripe, {
      pledgeId: p.pledgeId,
      backerId: p.backer.id,
      form: { tier: p.tierId, amount: "30" },
      appUrl,
    });
    const late = await raise(p, "50", { pay: false });
    await endNow(p.campaign.id);
    // A raise paid after the deadline is refunded, not kept (and not a reconciliation finding).
    await payHostedCheckout(late.checkoutUrl);
    expect((await syncCheckoutSession(p.db, stripe, late.sessionId)).outcome).toBe("change_refused");

    const result = await settle(p.campaign.slug);
    expect(result.campaigns[0]).toMatchObject({ decision: "funded", kept: 1, closed: true });
    expect(await pledgeRow(p.pledgeId)).toMatchObject({
      state: "collected",
      amount: 3_000,
      collected_amount: 4_000,
      refunded_amount: 1_000,
    });
    const statement = await buildStatement(p.db, { campaignId: p.campaign.id });
    expect(statement?.statement).toMatchObject({ collected: 4_000, refunded: 1_000, balanceCheck: 0 });
    const { mismatches } = await compareLedgerWithStripe(p.db, stripe);
    expect(mismatches.filter((m) => m.campaignId === p.campaign.id)).toEqual([]);

    // The finance desk refunds the rest: one refund goes against one of the two payments.
    const staff = await makeUser(p.db, "Finance");
    // Money actions need a second factor.
    await enrolTwoFactor(p.db, staff.id);
    const refund = (amount: number, requestKey: string) =>
      refundPledge(p.db, stripe, {
        pledgeId: p.pledgeId,
        actorId: staff.id,
        amount,
        reason: "Reward cancelled",
        requestKey,
      });
    expect(await refund(3_000, "a")).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { amount: expect.stringMatching(/paid in 2 payments; one refund can return at most \$25\.00/) },
    });
    expect(await refund(2_500, "b")).toMatchObject({ ok: true });
    expect(await refund(500, "c")).toMatchObject({ ok: true });
    expect(await refundedInStripe(p.pledgeId)).toEqual({ first: 2_500, topUp: 1_500 });
    expect(await pledgeRow(p.pledgeId)).toMatchObject({ state: "refunded", refunded_amount: 4_000 });
    const after = await compareLedgerWithStripe(p.db, stripe);
    expect(after.mismatches.filter((m) => m.campaignId === p.campaign.id)).toEqual([]);
  });

  it("not funded: refunds what is left of every payment, once", async () => {
    const p = await paidPledge({ goal: 1_000_000 });
    await raise(p, "40");
    await reconcileOpenRaisesNow(p);
    await changePledge(p.db, stripe, {
      pledgeId: p.pledgeId,
      backerId: p.backer.id,
      form: { tier: p.tierId, amount: "30" },
      appUrl,
    });
    await endNow(p.campaign.id);

    const result = await settle(p.campaign.slug);
    expect(result.campaigns[0]).toMatchObject({ decision: "unfunded", refunded: 1, closed: true });
    expect(await pledgeRow(p.pledgeId)).toMatchObject({ state: "refunded", refunded_amount: 4_000 });
    expect(await refundedInStripe(p.pledgeId)).toEqual({ first: 2_500, topUp: 1_500 });
    const statement = await buildStatement(p.db, { campaignId: p.campaign.id });
    expect(statement?.statement).toMatchObject({ collected: 4_000, refunded: 4_000, balanceCheck: 0 });
    expect((await settle(p.campaign.slug)).campaigns).toHaveLength(0);
    expect(await refundedInStripe(p.pledgeId)).toEqual({ first: 2_500, topUp: 1_500 });
  });
});

/** The raise was paid on the hosted page; apply it as the webhook (or the sweep) would. */
async function reconcileOpenRaisesNow(p: { db: Awaited<ReturnType<typeof paidPledge>>["db"]; pledgeId: string }) {
  const open = await p.db
    .selectFrom("pledge_changes")
    .select("checkout_session_id")
    .where("pledge_id", "=", p.pledgeId)
    .where("status", "=", "open")
    .execute();
  for (const c of open) await syncCheckoutSession(p.db, stripe, c.checkout_session_id!);
  // Nothing is left waiting once the expiry passes.
  await reconcileOpenRaises(p.db, stripe, { now: new Date(Date.now() + 3_600_000) });
}
