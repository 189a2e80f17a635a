import { randomUUID } from "node:crypto";
import { approvePayout, preparePayout, retryWaitingTransfers, planPayout } from "~/services/finance/payouts.server";
import { compareLedgerWithStripe } from "~/services/finance/reconciliation/compare.server";
import { refundPledge } from "~/services/finance/refunds.server";
import { buildStatement } from "~/services/finance/statement.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign, type SettledCampaign } from "../support/finance";
import { makeFundsAvailable, useTestEmulator } from "../support/stripe";
import { nextCode } from "../support/two-factor";

// The corners of a payout: a transfer Stripe makes wait (the funds are not available yet) or
// refuses, and refunds after the money went to the creator (taken back from the transfer, or
// owed and netted from the creator's next payout). The ledger and the statement are checked
// after each step.

const database = useTestDatabase();
// Stripe's own wait: a charge's funds are pending for two days.
const { stripe, emulator } = await useTestEmulator({ availableAfterSeconds: 2 * 24 * 60 * 60 });

const db = () => database().db;
const BPS = 500;

async function preparedAndApprove(c: SettledCampaign) {
  const preparer = await makeFinanceUser(db());
  const approver = await makeFinanceUser(db());
  const prepared = await preparePayout(db(), {
    campaignId: c.campaignId,
    actorId: preparer.id,
    reason: "Settlement closed",
    platformFeeBps: BPS,
  });
  expect(prepared).toMatchObject({ ok: true });
  const approve = async () =>
    approvePayout(db(), stripe, {
      campaignId: c.campaignId,
      actorId: approver.id,
      reason: "Statement reviewed",
      code: await nextCode(db(), approver.id),
    });
  return { preparer, approver, approve };
}

const payoutOf = (campaignId: string) =>
  db()
    .selectFrom("payouts")
    .selectAll()
    .where("campaign_id", "=", campaignId)
    .orderBy("sequence")
    .executeTakeFirstOrThrow();
const openAlerts = (kind: string) =>
  db()
    .selectFrom("finance_alerts")
    .select(["kind", "detail"])
    .where("kind", "=", kind)
    .where("resolved_at", "is", null)
    .execute();
const live = async (campaignId: string) => (await buildStatement(db(), { campaignId, live: true }))!.statement;

describe("a payout's transfer", () => {
  it("waits for funds Stripe has not made available, then the worker sends it once", async () => {
    const c = await makeSettledCampaign(db(), stripe, { amounts: [6_000] });
    const { approve } = await preparedAndApprove(c);
    const waiting = await approve();
    expect(waiting).toMatchObject({ ok: true, message: expect.stringMatching(/transfer waits/) });
    const before = await payoutOf(c.campaignId);
    expect(before).toMatchObject({ status: "approved", transfer_attempt: 2, stripe_transfer_id: null });
    expect(before.retry_after).not.toBeNull();
    expect(before.failure).toMatch(/insufficient available funds/i);
    expect((await openAlerts("payout_waiting_for_funds")).length).toBeGreaterThan(0);
    expect((await stripe.transfers.list({ transfer_group: c.campaignId })).data).toHaveLength(0);
    expect(await live(c.campaignId)).toMatchObject({ paidOut: 0, balanceCheck: 0 });

    // Not yet due: nothing is tried.
    expect(await retryWaitingTransfers(db(), stripe, { now: new Date() })).toBe(0);
    await makeFundsAvailable(emulator);
    const later = new Date(before.retry_after!.getTime() + 1000);
    expect(await retryWaitingTransfers(db(), stripe, { now: later })).toBeGreaterThanOrEqual(1);
    const paid = await payoutOf(c.campaignId);
    expect(paid).toMatchObject({ status: "paid", failure: null, retry_after: null });
    const transfers = (await stripe.transfers.list({ transfer_group: c.campaignId })).data;
    expect(transfers).toHaveLength(1);
    expect(transfers[0]!.amount).toBe(paid.amount);
    const built = (await buildStatement(db(), { campaignId: c.campaignId }))!;
    expect(built.frozen).toBe(true);
    expect(built.statement).toMatchObject({ paidOut: paid.amount, payoutDue: 0, balanceCheck: 0 });
    const alerts = await db()
      .selectFrom("finance_alerts")
      .select(["resolved_at"])
      .where("payout_id", "=", paid.id)
      .where("kind", "=", "payout_waiting_for_funds")
      .executeTakeFirstOrThrow();
    expect(alerts.resolved_at).not.toBeNull();
    // Claimed by one worker: a second pass finds nothing.
    expect(await retryWaitingTransfers(db(), stripe, { now: later })).toBe(0);
  });

  it("refused by Stripe: the payout fails with an alert, and a retry after the fix sends it with a new key", async () => {
    const c = await makeSettledCampaign(db(), stripe, { amounts: [4_000] });
    await makeFundsAvailable(emulator);
    const { approve } = await preparedAndApprove(c);
    // The account on the payout no longer exists at Stripe.
    await db()
      .updateTable("payouts")
      .set({ destination_account: "acct_gone" })
      .where("campaign_id", "=", c.campaignId)
      .execute();
    const refused = await approve();
    expect(refused).toMatchObject({
      ok: false,
      status: 502,
      formError: expect.stringMatching(/Stripe refused the transfer/),
    });
    expect(await payoutOf(c.campaignId)).toMatchObject({ status: "failed", transfer_attempt: 2 });
    const alert = (await openAlerts("transfer_failed")).find(
      (a) => (a.detail as { amount?: number }).amount !== undefined,
    );
    expect(alert).toBeDefined();
    const mail = await db()
      .selectFrom("email_outbox")
      .select(["subject"])
      .where("kind", "=", "finance_alert")
      .execute();
    expect(mail.some((m) => /Payout transfer refused/.test(m.subject))).toBe(true);
    expect(await live(c.campaignId)).toMatchObject({ paidOut: 0, balanceCheck: 0 });

    await db()
      .updateTable("payouts")
      .set({ destination_account: c.accountId })
      .where("campaign_id", "=", c.campaignId)
      .execute();
    const retried = await approve();
    expect(retried).toMatchObject({ ok: true, message: expect.stringMatching(/^Paid/) });
    expect(await payoutOf(c.campaignId)).toMatchObject({ status: "paid", failure: null });
    expect((await stripe.transfers.list({ transfer_group: c.campaignId })).data).toHaveLength(1);
    expect(await live(c.campaignId)).toMatchObject({ payoutDue: 0, balanceCheck: 0 });
  });
});

describe("a refund after the payout", () => {
  async function paidOut(opts: Parameters<typeof makeSettledCampaign>[2] = {}) {
    const c = await makeSettledCampaign(db(), stripe, opts);
    await makeFundsAvailable(emulator);
    const { approve } = await preparedAndApprove(c);
    expect(await approve()).toMatchObject({ ok: true, message: expect.stringMatching(/^Paid/) });
    return { c, payout: await payoutOf(c.campaignId) };
  }
  const refund = async (pledgeId: string, amount: number) =>
    refundPledge(db(), stripe, {
      pledgeId,
      actorId: (await makeFinanceUser(db())).id,
      amount,
      reason: "Reward never arrived",
      requestKey: randomUUID(),
    });

  it("is taken back from the creator's transfer, booked, and the statement still balances", async () => {
    const { c, payout } = await paidOut({ amounts: [5_000, 3_000] });
    const result = await refund(c.pledges[1]!.id, 3_000);
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/taken back from the creator's transfer/),
    });
    const recovery = await db()
      .selectFrom("payout_recoveries")
      .selectAll()
      .where("campaign_id", "=", c.campaignId)
      .executeTakeFirstOrThrow();
    expect(recovery).toMatchObject({ status: "reversed", amount: 3_000, reversed_amount: 3_000, payout_id: payout.id });
    const transfer = await stripe.transfers.retrieve(payout.stripe_transfer_id!);
    expect(transfer.amount_reversed).toBe(3_000);
    const s = await live(c.campaignId);
    expect(s).toMatchObject({ refunded: 3_000, paidOut: payout.amount - 3_000, payoutDue: 0, balanceCheck: 0 });
    // The frozen statement of the payout is as it was.
    expect((await buildStatement(db(), { campaignId: c.campaignId }))!.statement.refunded).toBe(0);
  });

  it("refunds more than is left on the transfer: the rest is owed, alerted, and netted from the creator's next payout", async () => {
    const first = await paidOut({ amounts: [5_000] });
    // The creator's account already paid everything out to their bank: Stripe cannot reverse.
    const res = await fetch(`${emulator.url}/_emulator/accounts/${first.c.accountId}/pay_out`, { method: "POST" });
    expect(res.ok).toBe(true);
    const result = await refund(first.c.pledges[0]!.id, 5_000);
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/the creator owes it/) });
    const owed = await db()
      .selectFrom("payout_recoveries")
      .selectAll()
      .where("campaign_id", "=", first.c.campaignId)
      .executeTakeFirstOrThrow();
    expect(owed).toMatchObject({ status: "owed", reversed_amount: 0 });
    expect((await openAlerts("recovery_failed")).some((a) => (a.detail as { amount?: number }).amount === 5_000)).toBe(
      true,
    );
    expect(await live(first.c.campaignId)).toMatchObject({ payoutDue: -5_000, balanceCheck: 0 });

    // The same creator's next campaign pays out 5,000 less.
    const second = await makeSettledCampaign(db(), stripe, { amounts: [20_000], creator: first.c.creator });
    await makeFundsAvailable(emulator);
    const plan = await planPayout(db(), { campaignId: second.campaignId, platformFeeBps: BPS });
    const before = (await buildStatement(db(), { campaignId: second.campaignId }))!.statement;
    const fee = 1_000; // 5% of 20,000
    expect(plan).toMatchObject({ ready: true, netted: 5_000, amount: before.payoutDue - fee - 5_000 });
    const { approve } = await preparedAndApprove(second);
    expect(await approve()).toMatchObject({ ok: true });
    const payout = await payoutOf(second.campaignId);
    expect(payout.amount).toBe(before.payoutDue - fee - 5_000);
    const transfer = await stripe.transfers.retrieve(payout.stripe_transfer_id!);
    expect(transfer.amount).toBe(payout.amount);
    expect(await live(second.campaignId)).toMatchObject({
      payoutDue: 0,
      balanceCheck: 0,
      paidOut: payout.amount + 5_000,
    });
    expect(await live(first.c.campaignId)).toMatchObject({ payoutDue: 0, balanceCheck: 0 });
    expect(
      await db()
        .selectFrom("payout_recoveries")
        .select(["status", "netted_by_payout_id"])
        .where("id", "=", owed.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: "netted", netted_by_payout_id: payout.id });
    // Reconciliation agrees with Stripe: the transfers, the reversal of the first test, the refunds.
    expect((await compareLedgerWithStripe(db(), stripe)).mismatches).toEqual([]);
    // Nothing is owed any more: a third campaign nets nothing.
    const third = await makeSettledCampaign(db(), stripe, { amounts: [2_000], creator: first.c.creator });
    expect(await planPayout(db(), { campaignId: third.campaignId, platformFeeBps: BPS })).toMatchObject({ netted: 0 });
  });

  it("is refused while the payout is prepared, and allowed again once it is paid", async () => {
    const c = await makeSettledCampaign(db(), stripe, { amounts: [2_500] });
    await makeFundsAvailable(emulator);
    const { approve } = await preparedAndApprove(c);
    expect(await refund(c.pledges[0]!.id, 1_000)).toMatchObject({ ok: false, status: 409 });
    await approve();
    expect(await refund(c.pledges[0]!.id, 1_000)).toMatchObject({ ok: true });
    expect(await live(c.campaignId)).toMatchObject({ payoutDue: 0, balanceCheck: 0, refunded: 1_000 });
  });
});
