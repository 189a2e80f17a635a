import { randomUUID } from "node:crypto";
import { refundPledge } from "~/services/finance/refunds.server";
import { preparePayout } from "~/services/finance/payouts.server";
import { buildStatement } from "~/services/finance/statement.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign } from "../support/finance";
import { useTestEmulator } from "../support/stripe";

const database = useTestDatabase();
const { stripe } = await useTestEmulator();

const db = () => database().db;
const pledgeRow = (id: string) =>
  db().selectFrom("pledges").select(["state", "refunded_amount"]).where("id", "=", id).executeTakeFirstOrThrow();
const stripeRefunds = async (chargeId: string) => (await stripe.refunds.list({ charge: chargeId, limit: 100 })).data;
const bookedRefunds = (pledgeId: string) =>
  db()
    .selectFrom("journal_transactions")
    .select(["stripe_object_id"])
    .where("pledge_id", "=", pledgeId)
    .where("kind", "=", "refund")
    .execute();

describe("refunding a collected pledge", () => {
  it("refunds in full: one Stripe refund, booked, pledge refunded, backer emailed, audit says who and why", async () => {
    const finance = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [5_000] });
    const pledge = c.pledges[0]!;
    const result = await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 5_000,
      reason: "Reward cannot ship",
      requestKey: randomUUID(),
    });
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/Refunded \$50\.00 \(the whole pledge\)/),
    });
    expect(await pledgeRow(pledge.id)).toEqual({ state: "refunded", refunded_amount: 5_000 });
    const refunds = await stripeRefunds(pledge.chargeId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 5_000, status: "succeeded", metadata: { pledge_id: pledge.id } });
    expect((await bookedRefunds(pledge.id)).map((r) => r.stripe_object_id)).toEqual([refunds[0]!.id]);
    const row = await db()
      .selectFrom("refunds")
      .selectAll()
      .where("pledge_id", "=", pledge.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "succeeded",
      stripe_refund_id: refunds[0]!.id,
      requested_by: finance.id,
      reason: "Reward cannot ship",
    });
    const email = await db()
      .selectFrom("email_outbox")
      .select(["kind", "subject"])
      .where("to_email", "=", pledge.backerEmail)
      .executeTakeFirstOrThrow();
    expect(email).toEqual({ kind: "refund_issued", subject: expect.stringContaining("Refund issued: $50.00") });
    const audit = await db()
      .selectFrom("audit_log")
      .select(["actor_id", "action", "reason"])
      .where("subject_id", "=", pledge.id)
      .execute();
    expect(audit).toContainEqual({ actor_id: finance.id, action: "pledge.refunded", reason: "Reward cannot ship" });
    const statement = (await buildStatement(db(), { campaignId: c.campaignId }))!.statement;
    expect(statement).toMatchObject({ refunded: 5_000, balanceCheck: 0 });
  });

  it("refunds in part, then the rest, then refuses a third", async () => {
    const finance = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [5_000] });
    const pledge = c.pledges[0]!;
    const first = await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 1_250,
      reason: "Shipping overcharged",
      requestKey: randomUUID(),
    });
    expect(first.ok).toBe(true);
    expect(await pledgeRow(pledge.id)).toEqual({ state: "partially_refunded", refunded_amount: 1_250 });
    const tooMuch = await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 3_751,
      reason: "More",
      requestKey: randomUUID(),
    });
    expect(tooMuch).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { amount: "At most $37.50 can be refunded (collected minus what was already refunded)." },
    });
    const rest = await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 3_750,
      reason: "Cancelled reward",
      requestKey: randomUUID(),
    });
    expect(rest.ok).toBe(true);
    expect(await pledgeRow(pledge.id)).toEqual({ state: "refunded", refunded_amount: 5_000 });
    const third = await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 1,
      reason: "Again",
      requestKey: randomUUID(),
    });
    expect(third).toMatchObject({
      ok: false,
      status: 409,
      formError: expect.stringMatching(/Only a charged pledge can be refunded/),
    });
    expect((await stripeRefunds(pledge.chargeId)).map((r) => r.amount).sort()).toEqual([1_250, 3_750]);
    const transitions = await db()
      .selectFrom("pledge_transitions")
      .select(["from_state", "to_state", "actor_id"])
      .where("pledge_id", "=", pledge.id)
      .orderBy("id")
      .execute();
    expect(transitions.slice(1)).toEqual([
      { from_state: "collected", to_state: "partially_refunded", actor_id: finance.id },
      { from_state: "partially_refunded", to_state: "refunded", actor_id: finance.id },
    ]);
  });

  it("a double submit (the same form twice, concurrently) refunds once", async () => {
    const finance = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [4_000] });
    const pledge = c.pledges[0]!;
    const requestKey = randomUUID();
    const submit = () =>
      refundPledge(db(), stripe, {
        pledgeId: pledge.id,
        actorId: finance.id,
        amount: 1_000,
        reason: "Late delivery",
        requestKey,
      });
    const results = await Promise.all([submit(), submit()]);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    const again = await submit();
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(await stripeRefunds(pledge.chargeId)).toHaveLength(1);
    expect(await bookedRefunds(pledge.id)).toHaveLength(1);
    expect(await pledgeRow(pledge.id)).toEqual({ state: "partially_refunded", refunded_amount: 1_000 });
  });

  it("two different refunds at once can never add up to more than was collected", async () => {
    const finance = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [3_000] });
    const pledge = c.pledges[0]!;
    const full = () =>
      refundPledge(db(), stripe, {
        pledgeId: pledge.id,
        actorId: finance.id,
        amount: 3_000,
        reason: "Full refund",
        requestKey: randomUUID(),
      });
    const results = await Promise.all([full(), full(), full()]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const refused of results.filter((r) => !r.ok))
      expect(refused).toMatchObject({ ok: false, status: expect.any(Number) });
    expect((await stripeRefunds(pledge.chargeId)).reduce((sum, r) => sum + r.amount, 0)).toBe(3_000);
    expect(await pledgeRow(pledge.id)).toEqual({ state: "refunded", refunded_amount: 3_000 });
  });

  it("refuses more than was collected, leaving nothing behind", async () => {
    const finance = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [2_000] });
    const pledge = c.pledges[0]!;
    const result = await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 2_001,
      reason: "Too much",
      requestKey: randomUUID(),
    });
    expect(result).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { amount: expect.stringMatching(/At most \$20\.00/) },
    });
    expect(await db().selectFrom("refunds").select("id").where("pledge_id", "=", pledge.id).execute()).toHaveLength(0);
    expect(await stripeRefunds(pledge.chargeId)).toHaveLength(0);
    expect(await pledgeRow(pledge.id)).toEqual({ state: "collected", refunded_amount: 0 });
  });

  it("closes refunds once a payout is prepared (the statement is locked)", async () => {
    const [preparer] = [await makeFinanceUser(db())];
    const c = await makeSettledCampaign(db(), stripe, { amounts: [2_000] });
    expect(
      (
        await preparePayout(db(), {
          campaignId: c.campaignId,
          actorId: preparer.id,
          reason: "Ready",
          platformFeeBps: 500,
        })
      ).ok,
    ).toBe(true);
    const result = await refundPledge(db(), stripe, {
      pledgeId: c.pledges[0]!.id,
      actorId: preparer.id,
      amount: 100,
      reason: "After payout",
      requestKey: randomUUID(),
    });
    expect(result).toMatchObject({ ok: false, status: 409, formError: expect.stringMatching(/payout .* prepared/) });
  });
});
