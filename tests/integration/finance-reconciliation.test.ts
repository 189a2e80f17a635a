import { randomUUID } from "node:crypto";
import { bookCharge } from "~/models/ledger.server";
import { listMismatches } from "~/models/reconciliation.server";
import { approvePayout, preparePayout } from "~/services/finance/payouts.server";
import { runReconciliation } from "~/services/finance/reconciliation.server";
import { refundPledge } from "~/services/finance/refunds.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign } from "../support/finance";
import { makeUser } from "../support/fixtures";
import { useTestEmulator } from "../support/stripe";
import { nextCode } from "../support/two-factor";

const database = useTestDatabase();
const { stripe } = await useTestEmulator();

const db = () => database().db;

describe("reconciliation against Stripe", () => {
  it("is clean after charges, a desk refund and a paid payout, then lists a refund made behind the ledger's back with both sides", async () => {
    const [preparer, approver] = [await makeFinanceUser(db()), await makeFinanceUser(db())];
    const paidOut = await makeSettledCampaign(db(), stripe, { amounts: [6_000, 3_000] });
    await refundPledge(db(), stripe, {
      pledgeId: paidOut.pledges[1]!.id,
      actorId: preparer.id,
      amount: 1_000,
      reason: "Partial",
      requestKey: randomUUID(),
    });
    await preparePayout(db(), {
      campaignId: paidOut.campaignId,
      actorId: preparer.id,
      reason: "Ready",
      platformFeeBps: 500,
    });
    expect(
      (
        await approvePayout(db(), stripe, {
          campaignId: paidOut.campaignId,
          actorId: approver.id,
          reason: "OK",
          code: await nextCode(db(), approver.id),
        })
      ).ok,
    ).toBe(true);
    const open = await makeSettledCampaign(db(), stripe, { amounts: [4_000] });

    const clean = await runReconciliation(db(), stripe, { actorId: preparer.id });
    // 3 charges + 3 fees + 1 refund + 1 transfer, each compared both ways.
    expect(clean).toEqual({ ok: true, runId: expect.any(Number), checked: 11, mismatches: 0 });
    const stored = await db()
      .selectFrom("reconciliation_runs")
      .selectAll()
      .where("id", "=", (clean as { runId: number }).runId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: "clean", objects_checked: 11, mismatch_count: 0, started_by: preparer.id });

    // Someone refunds straight through Stripe, and a charge is booked that Stripe never made.
    const sneaky = await stripe.refunds.create({ charge: open.pledges[0]!.chargeId, amount: 700 });
    await bookCharge(db(), {
      campaignId: open.campaignId,
      currency: "usd",
      amount: 999,
      fee: 59,
      paymentIntentId: "pi_ghost",
      chargeId: "ch_ghost",
      balanceTransactionId: "txn_ghost",
    });

    const dirty = await runReconciliation(db(), stripe, { actorId: null, source: "cli" });
    expect(dirty).toMatchObject({ ok: true, mismatches: 3 });
    const mismatches = await listMismatches(db(), { runId: (dirty as { runId: number }).runId });
    expect(mismatches.map((m) => m.kind).sort()).toEqual([
      "charge_missing_in_stripe",
      "fee_missing_in_stripe",
      "refund_not_booked",
    ]);
    expect(mismatches.find((m) => m.kind === "refund_not_booked")).toMatchObject({
      campaign_id: open.campaignId,
      pledge_id: open.pledges[0]!.id,
      ledger_object_id: null,
      ledger_amount: null,
      stripe_object_id: sneaky.id,
      stripe_amount: 700,
      stripe_status: "succeeded",
    });
    expect(mismatches.find((m) => m.kind === "charge_missing_in_stripe")).toMatchObject({
      ledger_object_id: "ch_ghost",
      ledger_amount: 999,
      stripe_object_id: null,
    });
  });

  it("lists a Stripe payment for a settled pledge that the ledger never booked, and an amount that differs", async () => {
    const c = await makeSettledCampaign(db(), stripe, { amounts: [2_000] });
    // A second successful payment for the same pledge that nobody booked.
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const unbooked = await stripe.paymentIntents.create({
      amount: 2_000,
      currency: "usd",
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
      metadata: { pledge_id: c.pledges[0]!.id },
    });
    const result = await runReconciliation(db(), stripe, { actorId: null });
    expect(result.ok).toBe(true);
    const mismatches = await listMismatches(db(), { runId: (result as { runId: number }).runId });
    expect(mismatches.find((m) => m.kind === "charge_not_booked")).toMatchObject({
      pledge_id: c.pledges[0]!.id,
      stripe_object_id: unbooked.id,
      stripe_amount: 2_000,
      stripe_status: "succeeded",
    });
  });

  it("does not flag an up-front payment that the backer cancelled and got back before the deadline", async () => {
    const c = await makeSettledCampaign(db(), stripe, { amounts: [2_000] });
    const backer = await makeUser(db(), "Changed Mind");
    const pledge = await db()
      .insertInto("pledges")
      .values({
        campaign_id: c.campaignId,
        backer_id: backer.id,
        currency: "usd",
        base_amount: 3_000,
        amount: 3_000,
        state: "cancelled",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const paid = await stripe.paymentIntents.create({
      amount: 3_000,
      currency: "usd",
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
      metadata: { pledge_id: pledge.id },
    });
    await stripe.refunds.create({ payment_intent: paid.id });
    const result = await runReconciliation(db(), stripe, { actorId: null });
    expect(result.ok).toBe(true);
    const mismatches = await listMismatches(db(), { runId: (result as { runId: number }).runId });
    expect(mismatches.filter((m) => m.pledge_id === pledge.id)).toEqual([]);
  });
});
