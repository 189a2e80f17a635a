import { sql } from "kysely";
import { platformFeeFor } from "~/domain/statement";
import { approvePayout, FOUR_EYES_MESSAGE, planPayout, preparePayout } from "~/services/finance/payouts.server";
import { buildStatement } from "~/services/finance/statement.server";
import { statementChecksum } from "~/models/ledger.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign } from "../support/finance";
import { useTestEmulator } from "../support/stripe";
import { nextCode } from "../support/two-factor";

const database = useTestDatabase();
const { stripe } = await useTestEmulator();

const db = () => database().db;
const BPS = 500;

describe("preparing a payout", () => {
  it("explains what it waits for: grace, a connected account", async () => {
    const inGrace = await makeSettledCampaign(db(), stripe, { stage: "grace", connected: false });
    const plan = await planPayout(db(), { campaignId: inGrace.campaignId, platformFeeBps: BPS });
    expect(plan.ready).toBe(false);
    expect(plan.waitingFor).toEqual([
      expect.stringMatching(/^Settlement is in its grace period for failed payments \(until .* UTC\)\.$/),
      "The creator has not connected a payout account.",
    ]);
    const finance = await makeFinanceUser(db());
    const refused = await preparePayout(db(), {
      campaignId: inGrace.campaignId,
      actorId: finance.id,
      reason: "Try",
      platformFeeBps: BPS,
    });
    expect(refused).toMatchObject({
      ok: false,
      status: 409,
      formError: expect.stringMatching(/^The payout can't be prepared yet: Settlement is in its grace period/),
    });
    expect(
      await db().selectFrom("payouts").select("id").where("campaign_id", "=", inGrace.campaignId).execute(),
    ).toHaveLength(0);
  });

  it("books the platform fee and writes the payout row once", async () => {
    const finance = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [10_000, 4_999] });
    const collected = 14_999;
    const fees = c.pledges.reduce((s, p) => s + p.fee, 0);
    const fee = platformFeeFor({ collected, refunded: 0, basisPoints: BPS });
    const prepared = await preparePayout(db(), {
      campaignId: c.campaignId,
      actorId: finance.id,
      reason: "Settlement closed",
      platformFeeBps: BPS,
    });
    expect(prepared).toMatchObject({
      ok: true,
      message: expect.stringMatching(/Another finance user must approve it/),
    });
    const payout = await db()
      .selectFrom("payouts")
      .selectAll()
      .where("campaign_id", "=", c.campaignId)
      .executeTakeFirstOrThrow();
    expect(payout).toMatchObject({
      amount: collected - fees - fee,
      currency: "usd",
      status: "prepared",
      prepared_by: finance.id,
      destination_account: c.accountId,
    });
    const statement = (await buildStatement(db(), { campaignId: c.campaignId }))!.statement;
    expect(statement).toMatchObject({ platformFee: fee, payoutDue: payout.amount, balanceCheck: 0 });
    const again = await preparePayout(db(), {
      campaignId: c.campaignId,
      actorId: finance.id,
      reason: "Again",
      platformFeeBps: BPS,
    });
    expect(again).toMatchObject({ ok: false, status: 409 });
    expect((await buildStatement(db(), { campaignId: c.campaignId }))!.statement.platformFee).toBe(fee);
  });
});

describe("approving a payout", () => {
  it("refuses the user who prepared it, and so does the database", async () => {
    const preparer = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe);
    await preparePayout(db(), { campaignId: c.campaignId, actorId: preparer.id, reason: "Ready", platformFeeBps: BPS });
    const refused = await approvePayout(db(), stripe, {
      campaignId: c.campaignId,
      actorId: preparer.id,
      reason: "Looks right",
      code: await nextCode(db(), preparer.id),
    });
    expect(refused).toEqual({ ok: false, status: 403, fieldErrors: {}, formError: FOUR_EYES_MESSAGE });
    expect(
      await db()
        .selectFrom("payouts")
        .select(["status", "approved_by"])
        .where("campaign_id", "=", c.campaignId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: "prepared", approved_by: null });
    await expect(
      sql`update payouts set approved_by = prepared_by where campaign_id = ${c.campaignId}`.execute(db()),
    ).rejects.toThrow(/payouts_four_eyes/);
    expect((await stripe.transfers.list({ transfer_group: c.campaignId })).data).toHaveLength(0);
  });

  it("transfers exactly once to the connected account, books it and freezes a balanced statement", async () => {
    const preparer = await makeFinanceUser(db(), { name: "Pat Preparer" });
    const approver = await makeFinanceUser(db(), { name: "Alex Approver" });
    const c = await makeSettledCampaign(db(), stripe, { amounts: [8_000, 2_000, 1_234] });
    await preparePayout(db(), { campaignId: c.campaignId, actorId: preparer.id, reason: "Ready", platformFeeBps: BPS });
    const payout = await db()
      .selectFrom("payouts")
      .selectAll()
      .where("campaign_id", "=", c.campaignId)
      .executeTakeFirstOrThrow();

    // A double click sends the same code twice: one request transfers; the other is refused (the
    // code was used) or told the transfer is in progress (or already paid).
    const code = await nextCode(db(), approver.id);
    const [first, second] = await Promise.all([
      approvePayout(db(), stripe, {
        campaignId: c.campaignId,
        actorId: approver.id,
        reason: "Checked against Stripe",
        code,
      }),
      approvePayout(db(), stripe, { campaignId: c.campaignId, actorId: approver.id, reason: "Double click", code }),
    ]);
    expect([first, second].filter((r) => r.ok && r.message.startsWith("Paid"))).toHaveLength(1);
    const transfers = (await stripe.transfers.list({ transfer_group: c.campaignId })).data;
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({
      amount: payout.amount,
      currency: "usd",
      destination: c.accountId,
      metadata: { payout_id: payout.id, campaign_id: c.campaignId },
    });

    const paid = await db().selectFrom("payouts").selectAll().where("id", "=", payout.id).executeTakeFirstOrThrow();
    expect(paid).toMatchObject({ status: "paid", approved_by: approver.id, stripe_transfer_id: transfers[0]!.id });
    const booked = await db()
      .selectFrom("journal_transactions")
      .select(["stripe_object_id"])
      .where("campaign_id", "=", c.campaignId)
      .where("kind", "=", "payout")
      .execute();
    expect(booked).toEqual([{ stripe_object_id: transfers[0]!.id }]);

    const built = (await buildStatement(db(), { campaignId: c.campaignId }))!;
    expect(built.frozen).toBe(true);
    expect(built.statement).toMatchObject({ paidOut: payout.amount, payoutDue: 0, balanceCheck: 0 });
    expect(built.checksum).toBe(statementChecksum(built.statement));
    const audit = await db()
      .selectFrom("audit_log")
      .select(["action", "actor_id", "reason"])
      .where("subject_id", "=", c.campaignId)
      .orderBy("id")
      .execute();
    expect(audit).toContainEqual({ action: "payout.prepared", actor_id: preparer.id, reason: "Ready" });
    expect(audit.filter((a) => a.action === "payout.approved")).toHaveLength(1);

    const later = await approvePayout(db(), stripe, {
      campaignId: c.campaignId,
      actorId: approver.id,
      reason: "Again",
      code: await nextCode(db(), approver.id),
    });
    expect(later).toMatchObject({ ok: true, message: "This payout was already paid; nothing more was transferred." });
    expect((await stripe.transfers.list({ transfer_group: c.campaignId })).data).toHaveLength(1);
  });

  it("resumes a payout approved before a crash with the same idempotency key (one transfer)", async () => {
    const preparer = await makeFinanceUser(db());
    const approver = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [3_000] });
    await preparePayout(db(), { campaignId: c.campaignId, actorId: preparer.id, reason: "Ready", platformFeeBps: BPS });
    const payout = await db()
      .selectFrom("payouts")
      .selectAll()
      .where("campaign_id", "=", c.campaignId)
      .executeTakeFirstOrThrow();
    // The crash: approved and transferred, but the process died before booking.
    await db()
      .updateTable("payouts")
      .set({ status: "approved", approved_by: approver.id, approved_at: new Date(Date.now() - 5 * 60_000) })
      .where("id", "=", payout.id)
      .execute();
    await stripe.transfers.create(
      {
        amount: payout.amount,
        currency: "usd",
        destination: c.accountId!,
        transfer_group: c.campaignId,
        metadata: { payout_id: payout.id, campaign_id: c.campaignId },
      },
      { idempotencyKey: `colecta-payout-${payout.id}` },
    );
    const resumed = await approvePayout(db(), stripe, {
      campaignId: c.campaignId,
      actorId: preparer.id,
      reason: "Finish the transfer",
      code: await nextCode(db(), preparer.id),
    });
    expect(resumed.ok).toBe(true);
    expect((await stripe.transfers.list({ transfer_group: c.campaignId })).data).toHaveLength(1);
    expect((await buildStatement(db(), { campaignId: c.campaignId }))!.statement).toMatchObject({
      payoutDue: 0,
      balanceCheck: 0,
    });
  });
});
