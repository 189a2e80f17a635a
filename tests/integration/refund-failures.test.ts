import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { getConfig } from "~/config.server";
import { translatorFor } from "~/i18n";
import { pledgeMoney } from "~/models/finance-pledge.server";
import { getFinanceCampaignPage } from "~/routes/finance.campaigns.$id._index/page.server";
import { getFinancePledgePage } from "~/routes/finance.pledges.$id/page.server";
import { compareLedgerWithStripe } from "~/services/finance/reconciliation/compare.server";
import { recordRefundFailure, retryRefusedSettlementRefund } from "~/services/finance/refund-failures.server";
import { refundPledge, resumeRefund } from "~/services/finance/refunds.server";
import { buildLateStatement, buildStatement } from "~/services/finance/statement.server";
import { syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { runDueSettlements } from "~/services/settlement/due.server";
import { saveLatePledges } from "~/models/late-pledges.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign } from "../support/finance";
import { makeUser } from "../support/fixtures";
import { addPledge, makeDueCampaign, type TestCard } from "../support/settlement-fixtures";
import { deliverStripeEvent, payHostedCheckout, useTestEmulator } from "../support/stripe";

// Refunds Stripe fails after accepting them, and settlement refunds it refuses: no money is left
// in limbo. Against the emulator (pm_card_refundFail: refunds succeed, then fail a moment later;
// pm_card_createDispute: the charge is disputed, so Stripe refuses to refund it) and the database.

const database = useTestDatabase({ STRIPE_MAX_RPS: "500" });
const { emulator, stripe } = await useTestEmulator();
const t = translatorFor("en");
const db = () => database().db;
const REFUND_FAILS = "pm_card_refundFail" as TestCard;

const settle = (campaign: { slug: string }) =>
  runDueSettlements({
    db: db(),
    stripe,
    config: getConfig(),
    now: new Date(),
    log: () => {},
    campaignSlug: campaign.slug,
  });

const pledgeRow = (id: string) => db().selectFrom("pledges").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const refundRows = (pledgeId: string) =>
  db().selectFrom("refunds").selectAll().where("pledge_id", "=", pledgeId).orderBy("created_at").execute();
const refundEntries = (pledgeId: string) =>
  db()
    .selectFrom("journal_lines")
    .innerJoin("journal_transactions", "journal_transactions.id", "journal_lines.transaction_id")
    .select([
      "journal_transactions.idempotency_key",
      "journal_lines.account_code",
      "journal_lines.amount",
      "journal_lines.late",
    ])
    .where("journal_lines.pledge_id", "=", pledgeId)
    .where("journal_transactions.kind", "=", "refund")
    .orderBy("journal_lines.id")
    .execute();
const alertsFor = (pledgeId: string) =>
  db()
    .selectFrom("finance_alerts")
    .select(["kind", "dedupe_key", "detail", "resolved_at"])
    .where("pledge_id", "=", pledgeId)
    .orderBy("raised_at")
    .execute();
const emailsTo = (email: string) =>
  db()
    .selectFrom("email_outbox")
    .select(["kind", "subject", "body_text"])
    .where("to_email", "=", email)
    .orderBy("id")
    .execute();
const auditOf = (pledgeId: string) =>
  db()
    .selectFrom("audit_log")
    .select(["actor_id", "action", "reason", "detail"])
    .where("subject_id", "=", pledgeId)
    .orderBy("id")
    .execute();

/** Stripe fails the refund a moment after accepting it (the emulator's clock runs the job). */
async function waitUntilFailed(refundId: string) {
  for (let i = 0; i < 100; i++) {
    const refund = await stripe.refunds.retrieve(refundId);
    if (refund.status === "failed") return refund;
    emulator.advanceClock(1);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Refund ${refundId} never failed`);
}

/** The emulator's events of one type about one object, as its webhook would deliver them. */
async function eventsAbout(objectId: string, type: string): Promise<Stripe.Event[]> {
  const list = await stripe.events.list({ type, limit: 100 });
  return list.data.filter((e) => (e.data.object as { id: string }).id === objectId);
}

/** A funded campaign settled through the real settlement, its one pledge collected from a card whose refunds fail. */
async function collectedPledge(amount = 5_000) {
  const campaign = await makeDueCampaign(db(), { goal: 1_000 });
  const pledge = await addPledge(db(), stripe, { campaign, amount, card: REFUND_FAILS });
  const result = await settle(campaign);
  expect(result.campaigns[0]).toMatchObject({ decision: "funded", charged: 1, closed: true });
  return { campaign, pledge };
}

describe("a finance refund Stripe fails later", () => {
  it("is booked back once, the pledge collected and refundable again, finance alerted, the backer told", async () => {
    const finance = await makeFinanceUser(db());
    const { campaign, pledge } = await collectedPledge(5_000);
    const refunded = await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 5_000,
      reason: "Reward cannot ship",
      requestKey: randomUUID(),
    });
    expect(refunded.ok).toBe(true);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "refunded", refunded_amount: 5_000 });
    const [row] = await refundRows(pledge.id);
    const failed = await waitUntilFailed(row!.stripe_refund_id!);
    expect(failed.failure_reason).toBe("expired_or_canceled_card");

    // refund.failed, delivered twice, then charge.refund.updated about the same refund.
    const [event] = await eventsAbout(failed.id, "refund.failed");
    await deliverStripeEvent(db(), stripe, event!);
    await deliverStripeEvent(db(), stripe, event!);
    const [updated] = await eventsAbout(failed.id, "charge.refund.updated");
    await deliverStripeEvent(db(), stripe, updated!);
    expect(await recordRefundFailure(db(), stripe, failed.id)).toMatchObject({ outcome: "already" });
    const stored = await db()
      .selectFrom("stripe_events")
      .select(["processed_at", "last_error"])
      .where("id", "in", [event!.id, updated!.id])
      .execute();
    expect(stored.every((e) => e.processed_at !== null && e.last_error === null)).toBe(true);

    expect(await refundRows(pledge.id)).toEqual([
      expect.objectContaining({
        status: "failed",
        failure_reason: "expired_or_canceled_card",
        stripe_refund_id: failed.id,
      }),
    ]);
    expect(await refundEntries(pledge.id)).toEqual([
      { idempotency_key: `refund:${failed.id}`, account_code: "refunds", amount: 5_000, late: false },
      { idempotency_key: `refund:${failed.id}`, account_code: "stripe_balance", amount: -5_000, late: false },
      { idempotency_key: `refund_failed:${failed.id}`, account_code: "refunds", amount: -5_000, late: false },
      { idempotency_key: `refund_failed:${failed.id}`, account_code: "stripe_balance", amount: 5_000, late: false },
    ]);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "collected", refunded_amount: 0 });
    const transitions = await db()
      .selectFrom("pledge_transitions")
      .select(["from_state", "to_state", "reason", "actor_id"])
      .where("pledge_id", "=", pledge.id)
      .orderBy("id")
      .execute();
    expect(transitions.at(-1)).toEqual({
      from_state: "refunded",
      to_state: "collected",
      reason: "refund failed at Stripe",
      actor_id: null,
    });
    expect(await pledgeMoney(db(), { pledgeId: pledge.id })).toMatchObject({
      collected: 5_000,
      refunded: 0,
      refundable: 5_000,
    });
    // The pledge page offers the refund again, up to the whole pledge.
    const page = await getFinancePledgePage(db(), { pledgeId: pledge.id, t, locale: "en" });
    expect(page).toMatchObject({ canRefund: true, money: { refundableRaw: 5_000, refundable: "$50.00" } });

    expect(await alertsFor(pledge.id)).toEqual([
      {
        kind: "refund_failed",
        dedupe_key: `refund_failed:${failed.id}`,
        detail: { amount: 5_000, currency: "usd", reference: failed.id, message: "expired_or_canceled_card" },
        resolved_at: null,
      },
    ]);
    const emails = await emailsTo(pledge.backer.email);
    expect(emails.filter((e) => e.kind === "refund_failed")).toEqual([
      expect.objectContaining({
        subject: expect.stringContaining("Your refund of $50.00"),
        body_text: expect.stringContaining("we will contact you"),
      }),
    ]);
    expect(await auditOf(pledge.id)).toContainEqual(
      expect.objectContaining({
        actor_id: null,
        action: "pledge.refund_reversed",
        detail: expect.objectContaining({ stripe_refund_id: failed.id, amount: 5_000, pledge_state: "collected" }),
      }),
    );
    const statement = (await buildStatement(db(), { campaignId: campaign.id }))!.statement;
    expect(statement).toMatchObject({ collected: 5_000, refunded: 0, balanceCheck: 0 });

    // Reconciliation: the journal agrees with Stripe on the money (refunded, then returned).
    const { mismatches } = await compareLedgerWithStripe(db(), stripe);
    const ours = mismatches.filter((m) => m.pledgeId === pledge.id);
    // Left to reconciliation's owner: the compare still flags the failed refund's two entries
    // by status (refund_not_succeeded) although they net to zero. Nothing else differs.
    expect(ours.filter((m) => m.kind !== "refund_not_succeeded")).toEqual([]);

    // Refunding again works and sends a new refund.
    const again = await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 5_000,
      reason: "Second try",
      requestKey: randomUUID(),
    });
    expect(again.ok).toBe(true);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "refunded", refunded_amount: 5_000 });
  });

  it("books the reversal once when refund.failed and charge.refund.updated are handled at the same time", async () => {
    const finance = await makeFinanceUser(db());
    const { pledge } = await collectedPledge(2_500);
    await refundPledge(db(), stripe, {
      pledgeId: pledge.id,
      actorId: finance.id,
      amount: 2_500,
      reason: "Backer asked",
      requestKey: randomUUID(),
    });
    const [row] = await refundRows(pledge.id);
    const failed = await waitUntilFailed(row!.stripe_refund_id!);
    const events = [
      ...(await eventsAbout(failed.id, "refund.failed")),
      ...(await eventsAbout(failed.id, "charge.refund.updated")),
    ];
    expect(events).toHaveLength(2);
    await Promise.all([
      ...events.map((e) => deliverStripeEvent(db(), stripe, e)),
      recordRefundFailure(db(), stripe, failed.id),
    ]);
    const entries = await refundEntries(pledge.id);
    expect(entries.map((e) => e.amount)).toEqual([2_500, -2_500, -2_500, 2_500]);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "collected", refunded_amount: 0 });
    expect(await alertsFor(pledge.id)).toHaveLength(1);
    expect((await emailsTo(pledge.backer.email)).filter((e) => e.kind === "refund_failed")).toHaveLength(1);
  });

  it("moves a refunded pledge back to partially refunded, then collected, as each of its refunds fails", async () => {
    const finance = await makeFinanceUser(db());
    const { pledge } = await collectedPledge(5_000);
    for (const amount of [1_000, 4_000])
      expect(
        (
          await refundPledge(db(), stripe, {
            pledgeId: pledge.id,
            actorId: finance.id,
            amount,
            reason: "Refund in two parts",
            requestKey: randomUUID(),
          })
        ).ok,
      ).toBe(true);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "refunded", refunded_amount: 5_000 });
    const [small, large] = await refundRows(pledge.id);
    await waitUntilFailed(large!.stripe_refund_id!);
    await waitUntilFailed(small!.stripe_refund_id!);

    await recordRefundFailure(db(), stripe, large!.stripe_refund_id!);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "partially_refunded", refunded_amount: 1_000 });
    expect((await pledgeMoney(db(), { pledgeId: pledge.id })).refundable).toBe(4_000);
    await recordRefundFailure(db(), stripe, small!.stripe_refund_id!);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "collected", refunded_amount: 0 });
    expect((await pledgeMoney(db(), { pledgeId: pledge.id })).refundable).toBe(5_000);
    expect((await alertsFor(pledge.id)).map((a) => a.kind)).toEqual(["refund_failed", "refund_failed"]);
  });

  it("arriving before our record of the refund's success: the row fails, nothing is booked, the answer later changes nothing", async () => {
    const finance = await makeFinanceUser(db());
    const { campaign, pledge } = await collectedPledge(3_000);
    // As refundPledge leaves it when the call is made: the row (and its key) written first.
    const row = await db()
      .insertInto("refunds")
      .values({
        pledge_id: pledge.id,
        amount: 3_000,
        currency: "usd",
        reason: "Backer asked",
        requested_by: finance.id,
        idempotency_key: `colecta-refund-${randomUUID()}`,
        created_at: new Date(Date.now() - 120_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const intent = await stripe.paymentIntents.retrieve(
      pledge.paymentIntentId ?? (await pledgeRow(pledge.id)).stripe_payment_intent_id!,
    );
    const refund = await stripe.refunds.create(
      { charge: intent.latest_charge as string, amount: 3_000, metadata: { pledge_id: pledge.id, refund_id: row.id } },
      { idempotencyKey: row.idempotency_key },
    );
    await waitUntilFailed(refund.id);
    const [event] = await eventsAbout(refund.id, "refund.failed");
    await deliverStripeEvent(db(), stripe, event!);

    expect(await refundRows(pledge.id)).toEqual([
      expect.objectContaining({
        status: "failed",
        stripe_refund_id: refund.id,
        failure_reason: "expired_or_canceled_card",
      }),
    ]);
    expect(await refundEntries(pledge.id)).toEqual([]);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "collected", refunded_amount: 0 });
    // Finance finishing the request now: the row is failed, nothing is booked.
    expect(await resumeRefund(db(), stripe, { refundId: row.id, actorId: finance.id })).toMatchObject({
      ok: true,
      duplicate: true,
    });
    expect(await refundEntries(pledge.id)).toEqual([]);
    expect((await alertsFor(pledge.id)).map((a) => a.kind)).toEqual(["refund_failed"]);
    // The backer was never told of a refund, so no "could not be completed" email either.
    expect((await emailsTo(pledge.backer.email)).filter((e) => e.kind.startsWith("refund"))).toEqual([]);
    expect((await buildStatement(db(), { campaignId: campaign.id }))!.statement).toMatchObject({
      refunded: 0,
      balanceCheck: 0,
    });
  });

  it("books a late pledge's failed refund back in the late segment", async () => {
    const finance = await makeFinanceUser(db());
    const c = await makeSettledCampaign(db(), stripe, { amounts: [6_000] });
    const tier = await db()
      .selectFrom("tiers")
      .select("id")
      .where("campaign_id", "=", c.campaignId)
      .executeTakeFirstOrThrow();
    expect(
      await saveLatePledges(db(), {
        campaignId: c.campaignId,
        actor: { userId: c.creator.id, staff: false },
        settings: {
          until: new Date(Date.now() + 14 * 86_400_000),
          tiers: [{ tierId: tier.id, latePrice: 3_000, lateLimit: null }],
        },
      }),
    ).toEqual({ ok: true });
    const backer = await makeUser(db(), "Lena Late");
    const started = await startPledgeCheckout(db(), stripe, {
      slug: c.slug,
      backer,
      form: { tier: tier.id, amount: "30" },
      appUrl: "http://colecta.test",
    });
    if (!started.ok) throw new Error(started.message);
    await payHostedCheckout(started.checkoutUrl, "4000000000005126");
    const { checkout_session_id } = await pledgeRow(started.pledgeId);
    await syncCheckoutSession(db(), stripe, checkout_session_id!);
    expect(await pledgeRow(started.pledgeId)).toMatchObject({ late: true, state: "collected" });
    const before = (await buildStatement(db(), { campaignId: c.campaignId }))!.statement;

    expect(
      (
        await refundPledge(db(), stripe, {
          pledgeId: started.pledgeId,
          actorId: finance.id,
          amount: 3_000,
          reason: "Late backer changed their mind",
          requestKey: randomUUID(),
        })
      ).ok,
    ).toBe(true);
    const [row] = await refundRows(started.pledgeId);
    await waitUntilFailed(row!.stripe_refund_id!);
    await recordRefundFailure(db(), stripe, row!.stripe_refund_id!);

    const entries = await refundEntries(started.pledgeId);
    expect(entries).toHaveLength(4);
    expect(entries.every((e) => e.late)).toBe(true);
    expect(await pledgeRow(started.pledgeId)).toMatchObject({ state: "collected", refunded_amount: 0 });
    const late = (await buildLateStatement(db(), { campaignId: c.campaignId }))!.statement;
    expect(late).toMatchObject({ collected: 3_000, refunded: 0, balanceCheck: 0 });
    // The settlement's statement never saw it.
    expect((await buildStatement(db(), { campaignId: c.campaignId }))!.statement).toEqual(before);
  });
});

describe("a settlement refund Stripe refuses", () => {
  it("is parked with an alert; the campaign closes with everything else done; a retry Stripe refuses again keeps it parked", async () => {
    const finance = await makeFinanceUser(db());
    const campaign = await makeDueCampaign(db(), { goal: 100_000, collection: "immediate" });
    const fine = await addPledge(db(), stripe, { campaign, amount: 3_000 });
    const disputed = await addPledge(db(), stripe, { campaign, amount: 4_000, card: "pm_card_createDispute" });
    // The bank opens the dispute a moment after the payment.
    const chargeId = (await stripe.paymentIntents.retrieve(disputed.paymentIntentId!)).latest_charge as string;
    for (let i = 0; i < 50 && !(await stripe.charges.retrieve(chargeId)).disputed; i++) {
      emulator.advanceClock(1);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await stripe.charges.retrieve(chargeId)).disputed).toBe(true);

    const result = await settle(campaign);
    expect(result.campaigns[0]).toMatchObject({ decision: "unfunded", refunded: 1, closed: true });
    expect(
      (await db().selectFrom("campaigns").select("state").where("id", "=", campaign.id).executeTakeFirstOrThrow())
        .state,
    ).toBe("unfunded");
    expect(await pledgeRow(fine.id)).toMatchObject({ state: "refunded" });
    expect(await pledgeRow(disputed.id)).toMatchObject({ state: "refunding" });
    const attempts = await db()
      .selectFrom("charge_attempts")
      .select(["attempt", "kind", "status", "error_code", "error_message"])
      .where("pledge_id", "=", disputed.id)
      .execute();
    expect(attempts).toEqual([
      expect.objectContaining({ attempt: 1, kind: "refund", status: "failed", error_code: "charge_disputed" }),
    ]);
    const [alert] = await alertsFor(disputed.id);
    expect(alert).toMatchObject({
      kind: "settlement_refund_refused",
      dedupe_key: `settlement_refund_refused:${disputed.id}`,
      detail: { currency: "usd", message: expect.stringContaining("charged back") },
      resolved_at: null,
    });
    // The money Stripe still holds is in the journal (charged, not refunded) and the statement balances.
    const statement = (await buildStatement(db(), { campaignId: campaign.id }))!;
    expect(statement.statement).toMatchObject({ collected: 7_000, refunded: 3_000, balanceCheck: 0 });
    // Not frozen while a refund is owed.
    expect(statement.frozen).toBe(false);
    // The desk lists it as an open item.
    const page = await getFinanceCampaignPage(db(), {
      campaignId: campaign.id,
      userId: finance.id,
      platformFeeBps: 500,
      t,
      locale: "en",
    });
    expect(page!.openItems).toEqual([
      { pledgeId: disputed.id, held: "$40.00", message: expect.stringContaining("charged back") },
    ]);
    // Settling again does nothing more.
    expect((await settle(campaign)).campaigns).toHaveLength(0);

    const retried = await retryRefusedSettlementRefund(db(), stripe, getConfig(), {
      pledgeId: disputed.id,
      actorId: finance.id,
      reason: "The bank says try again",
    });
    expect(retried).toMatchObject({
      ok: false,
      status: 502,
      formError: expect.stringContaining("refused the refund again"),
    });
    expect(await pledgeRow(disputed.id)).toMatchObject({ state: "refunding" });
    expect(
      await db()
        .selectFrom("charge_attempts")
        .select(["attempt", "status"])
        .where("pledge_id", "=", disputed.id)
        .orderBy("attempt")
        .execute(),
    ).toEqual([
      { attempt: 1, status: "failed" },
      { attempt: 2, status: "failed" },
    ]);
    expect((await alertsFor(disputed.id)).map((a) => a.resolved_at)).toEqual([null]);
    expect(await auditOf(disputed.id)).toContainEqual(
      expect.objectContaining({
        actor_id: finance.id,
        action: "pledge.retry_settlement_refund",
        reason: "The bank says try again",
      }),
    );
  });

  it("refused at the call, then retried by finance: refunded, booked as the settlement would have, alert resolved, statement frozen", async () => {
    const finance = await makeFinanceUser(db());
    const campaign = await makeDueCampaign(db(), { goal: 100_000, collection: "immediate" });
    const pledge = await addPledge(db(), stripe, { campaign, amount: 4_000 });
    // Stripe refuses this payment's refund once (as it does for a charge under review).
    const refusing = refusingRefundsOnce(stripe, pledge.paymentIntentId!);
    const result = await runDueSettlements({
      db: db(),
      stripe: refusing,
      config: getConfig(),
      now: new Date(),
      log: () => {},
      campaignSlug: campaign.slug,
    });
    expect(result.campaigns[0]).toMatchObject({ decision: "unfunded", closed: true });
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "refunding" });
    expect((await alertsFor(pledge.id)).map((a) => [a.kind, a.resolved_at])).toEqual([
      ["settlement_refund_refused", null],
    ]);
    expect((await buildStatement(db(), { campaignId: campaign.id }))!).toMatchObject({
      frozen: false,
      statement: { collected: 4_000, refunded: 0, balanceCheck: 0 },
    });

    // Two finance users retry at the same moment: one refund is sent, the other is told it is under way.
    const second = await makeFinanceUser(db());
    const answers = await Promise.all(
      [finance, second].map((user) =>
        retryRefusedSettlementRefund(db(), stripe, getConfig(), {
          pledgeId: pledge.id,
          actorId: user.id,
          reason: "Stripe cleared the charge",
        }),
      ),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok)).toEqual([expect.objectContaining({ ok: false, status: 409 })]);
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "refunded", refunded_amount: 4_000 });
    const refunds = await stripe.refunds.list({ payment_intent: pledge.paymentIntentId! });
    expect(refunds.data).toHaveLength(1);
    expect(await refundEntries(pledge.id)).toEqual([
      expect.objectContaining({
        idempotency_key: `refund:${refunds.data[0]!.id}`,
        account_code: "refunds",
        amount: 4_000,
      }),
      expect.objectContaining({ account_code: "stripe_balance", amount: -4_000 }),
    ]);
    expect((await alertsFor(pledge.id)).map((a) => a.resolved_at !== null)).toEqual([true]);
    expect((await emailsTo(pledge.backer.email)).map((e) => e.kind)).toEqual(["refund_issued"]);
    expect((await buildStatement(db(), { campaignId: campaign.id }))!).toMatchObject({
      frozen: true,
      statement: { collected: 4_000, refunded: 4_000, balanceCheck: 0 },
    });
    // A second retry finds nothing to do.
    expect(
      await retryRefusedSettlementRefund(db(), stripe, getConfig(), {
        pledgeId: pledge.id,
        actorId: finance.id,
        reason: "Again",
      }),
    ).toMatchObject({ ok: false, status: 409 });
  });

  it("failing later (refund.failed): parked for the same retry, which refunds it", async () => {
    const finance = await makeFinanceUser(db());
    const campaign = await makeDueCampaign(db(), { goal: 100_000, collection: "immediate" });
    const other = await addPledge(db(), stripe, { campaign, amount: 2_000 });
    const pledge = await addPledge(db(), stripe, { campaign, amount: 5_000, card: REFUND_FAILS });
    expect((await settle(campaign)).campaigns[0]).toMatchObject({ decision: "unfunded", refunded: 2, closed: true });
    expect((await buildStatement(db(), { campaignId: campaign.id }))!.frozen).toBe(true);
    const [row] = await refundRows(pledge.id);
    const failed = await waitUntilFailed(row!.stripe_refund_id!);
    const [event] = await eventsAbout(failed.id, "refund.failed");
    await deliverStripeEvent(db(), stripe, event!);
    await deliverStripeEvent(db(), stripe, event!);

    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "refunding", refunded_amount: 0 });
    expect(await pledgeRow(other.id)).toMatchObject({ state: "refunded" });
    expect(
      await db()
        .selectFrom("charge_attempts")
        .select(["status", "error_code"])
        .where("pledge_id", "=", pledge.id)
        .execute(),
    ).toEqual([{ status: "failed", error_code: "refund_failed" }]);
    expect(await alertsFor(pledge.id)).toEqual([
      expect.objectContaining({
        kind: "settlement_refund_refused",
        detail: { amount: 5_000, currency: "usd", reference: failed.id, message: "expired_or_canceled_card" },
        resolved_at: null,
      }),
    ]);
    expect((await emailsTo(pledge.backer.email)).map((e) => e.kind)).toEqual(["refund_issued", "refund_failed"]);
    // The money is held again: the statement reopens and still balances.
    expect((await buildStatement(db(), { campaignId: campaign.id }))!).toMatchObject({
      frozen: false,
      statement: { collected: 7_000, refunded: 2_000, balanceCheck: 0 },
    });
    const page = await getFinancePledgePage(db(), { pledgeId: pledge.id, t, locale: "en" });
    expect(page!.settlementRefund).toEqual({
      held: "$50.00",
      message: expect.stringContaining("expired_or_canceled_card"),
    });

    const retried = await retryRefusedSettlementRefund(db(), stripe, getConfig(), {
      pledgeId: pledge.id,
      actorId: finance.id,
      reason: "Backer has a new card on the same account",
    });
    expect(retried).toMatchObject({ ok: true });
    expect(await pledgeRow(pledge.id)).toMatchObject({ state: "refunded", refunded_amount: 5_000 });
    expect((await alertsFor(pledge.id)).every((a) => a.resolved_at !== null)).toBe(true);
    expect((await emailsTo(pledge.backer.email)).map((e) => e.kind)).toEqual([
      "refund_issued",
      "refund_failed",
      "refund_issued",
    ]);
    expect((await buildStatement(db(), { campaignId: campaign.id }))!).toMatchObject({
      frozen: true,
      statement: { collected: 7_000, refunded: 7_000, balanceCheck: 0 },
    });
  });
});

/**
 * The SDK client with Stripe refusing one payment's first refund as it refuses a disputed or
 * reviewed charge (a 400 invalid_request_error); every other call goes to the emulator.
 */
function refusingRefundsOnce(client: Stripe, paymentIntentId: string): Stripe {
  let refused = false;
  const refunds = new Proxy(client.refunds, {
    get(target, prop, receiver) {
      if (prop !== "create") return Reflect.get(target, prop, receiver);
      return (params: Stripe.RefundCreateParams, options?: Stripe.RequestOptions) => {
        if (!refused && params.payment_intent === paymentIntentId) {
          refused = true;
          return Promise.reject(
            new (client.errors.StripeInvalidRequestError as unknown as new (raw: object) => Error)({
              type: "invalid_request_error",
              code: "charge_disputed",
              message: `This charge is under review; it cannot be refunded now.`,
            }),
          );
        }
        return target.create(params, options);
      };
    },
  });
  return new Proxy(client, {
    get: (target, prop, receiver) => (prop === "refunds" ? refunds : Reflect.get(target, prop, receiver)),
  });
}
