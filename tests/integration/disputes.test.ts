// Disputes through their life, against the real database and the Stripe emulator: opened
// (row, alert, money booked), evidence submitted from the desk, won (the money comes back once,
// whatever the order of Stripe's events), lost, lost by the deadline, and the evidence-due alert.

import type Stripe from "stripe";
import { getConfig } from "~/config.server";
import { buildStatement } from "~/services/finance/statement.server";
import { raiseDueDisputeAlerts, recordDispute, submitDisputeEvidence } from "~/services/settlement/disputes.server";
import { runDueSettlements } from "~/services/settlement/due.server";
import { resolveFinanceAlertById } from "~/models/finance-alerts.server";
import { bookDispute } from "~/models/ledger.server";
import * as disputesMigration from "../../db/migrations/2026_12_09_0029_disputes";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser } from "../support/finance";
import { addPledge, makeDueCampaign } from "../support/settlement-fixtures";
import { deliverStripeEvent, useTestEmulator } from "../support/stripe";

const database = useTestDatabase({ STRIPE_MAX_RPS: "500" });
const { emulator, stripe } = await useTestEmulator();
const DAY = 86_400_000;

async function eventually<T>(fn: () => Promise<T | null | undefined | false>, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A collected pledge on the dispute test card, and the dispute Stripe opens on it. */
async function disputedPledge(amount = 5_000) {
  const { db } = database();
  const campaign = await makeDueCampaign(db, { goal: 1_000 });
  const pledge = await addPledge(db, stripe, { campaign, amount, card: "pm_card_createDispute" });
  await runDueSettlements({
    db,
    stripe,
    config: getConfig(),
    now: new Date(),
    log: () => {},
    campaignSlug: campaign.slug,
  });
  const pi = (await pledgeRow(pledge.id)).stripe_payment_intent_id!;
  const dispute = await eventually(async () => (await stripe.disputes.list({ payment_intent: pi })).data[0]);
  return { campaign, pledge, dispute };
}

/** The dispute's events, oldest first. */
async function eventsOf(disputeId: string) {
  const list = await stripe.events.list({ type: "charge.dispute.*", limit: 100 });
  return list.data.filter((e) => (e.data.object as Stripe.Dispute).id === disputeId).reverse();
}

async function deliverAll(events: Stripe.Event[]) {
  for (const e of events) await deliverStripeEvent(database().db, stripe, e);
}

const pledgeRow = (id: string) =>
  database().db.selectFrom("pledges").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const disputeRow = (stripeId: string) =>
  database().db.selectFrom("disputes").selectAll().where("stripe_dispute_id", "=", stripeId).executeTakeFirst();
const alertsOf = (disputeId: string) =>
  database()
    .db.selectFrom("finance_alerts")
    .selectAll()
    .where("dedupe_key", "like", `%:${disputeId}`)
    .orderBy("raised_at")
    .execute();
const disputeJournal = (disputeId: string) =>
  database()
    .db.selectFrom("journal_transactions")
    .innerJoin("journal_lines", "journal_lines.transaction_id", "journal_transactions.id")
    .select(["journal_transactions.idempotency_key", "journal_lines.account_code", "journal_lines.amount"])
    .where("journal_transactions.kind", "=", "dispute")
    .where("journal_transactions.stripe_object_id", "=", disputeId)
    .orderBy("journal_lines.id")
    .execute();

async function statementOf(campaignId: string) {
  return (await buildStatement(database().db, { campaignId }))!.statement;
}

describe("a dispute opens", () => {
  it("records the dispute, books the amount and fee once, moves the pledge and alerts finance once", async () => {
    const { campaign, pledge, dispute } = await disputedPledge(5_000);
    const events = await eventually(async () => {
      const e = await eventsOf(dispute.id);
      return e.length >= 2 ? e : null;
    });
    await deliverAll(events);
    await deliverAll(events); // a duplicate delivery changes nothing
    expect(await recordDispute(database().db, stripe, dispute.id)).toEqual({ outcome: "already", pledgeId: pledge.id });

    expect(await disputeRow(dispute.id)).toMatchObject({
      pledge_id: pledge.id,
      campaign_id: campaign.id,
      amount: 5_000,
      currency: "usd",
      reason: "fraudulent",
      status: "needs_response",
      evidence_due_by: new Date(dispute.evidence_details.due_by! * 1000),
      outcome: null,
    });
    expect((await pledgeRow(pledge.id)).state).toBe("disputed");
    expect(await disputeJournal(dispute.id)).toEqual([
      { idempotency_key: `dispute:${dispute.id}`, account_code: "disputes", amount: 6_500 },
      { idempotency_key: `dispute:${dispute.id}`, account_code: "stripe_balance", amount: -6_500 },
    ]);
    const alerts = await alertsOf(dispute.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: "dispute_opened",
      dedupe_key: `dispute_opened:${dispute.id}`,
      pledge_id: pledge.id,
      resolved_at: null,
      detail: expect.objectContaining({
        amount: 5_000,
        currency: "usd",
        reference: dispute.id,
        until: new Date(dispute.evidence_details.due_by! * 1000).toISOString(),
      }),
    });
    expect(await statementOf(campaign.id)).toMatchObject({ disputed: 6_500, balanceCheck: 0 });
  });
});

describe("evidence from the desk", () => {
  it("winning evidence: under review, then won; the money comes back once, in any order of events", async () => {
    const { db } = database();
    const { campaign, pledge, dispute } = await disputedPledge(4_000);
    const fiona = await makeFinanceUser(db, { name: "Fiona" });
    await deliverAll(await eventsOf(dispute.id));

    const done = await submitDisputeEvidence(db, stripe, {
      pledgeId: pledge.id,
      disputeId: (await disputeRow(dispute.id))!.id,
      actorId: fiona.id,
      reason: "Backer received the kit",
      requestKey: crypto.randomUUID(),
      evidence: { product_description: "A ceramics kit", uncategorized_text: "winning_evidence" },
    });
    expect(done).toMatchObject({ ok: true, status: "under_review" });
    expect(await disputeRow(dispute.id)).toMatchObject({
      status: "under_review",
      evidence_submitted_by: fiona.id,
      evidence_submitted_at: expect.any(Date),
      outcome: null,
    });
    const audit = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "dispute.evidence_submitted")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: fiona.id, subject_id: pledge.id, reason: "Backer received the kit" });
    // The evidence text is not copied into the audit log, only which fields were sent.
    expect(JSON.stringify(audit[0]!.detail)).not.toContain("ceramics");

    const won = await eventually(async () => (await stripe.disputes.retrieve(dispute.id)).status === "won");
    expect(won).toBe(true);
    const events = await eventually(async () => {
      const e = await eventsOf(dispute.id);
      return e.some((x) => x.type === "charge.dispute.closed") ? e : null;
    });
    // Duplicated and out of order: the close before the reinstatement, then everything again.
    await deliverAll([...events].reverse());
    await deliverAll(events);

    expect(await disputeRow(dispute.id)).toMatchObject({ status: "won", outcome: "won", closed_at: expect.any(Date) });
    const journal = await disputeJournal(dispute.id);
    expect(journal.filter((l) => l.idempotency_key === `dispute_won:${dispute.id}`)).toEqual([
      { idempotency_key: `dispute_won:${dispute.id}`, account_code: "disputes", amount: -4_000 },
      { idempotency_key: `dispute_won:${dispute.id}`, account_code: "stripe_balance", amount: 4_000 },
    ]);
    const p = await pledgeRow(pledge.id);
    expect(p.state).toBe("collected");
    const history = await db
      .selectFrom("pledge_transitions")
      .select(["from_state", "to_state", "reason"])
      .where("pledge_id", "=", pledge.id)
      .orderBy("id")
      .execute();
    expect(history.at(-1)).toEqual({ from_state: "disputed", to_state: "collected", reason: "dispute won" });
    // A won dispute costs the campaign only Stripe's dispute fee, and the statement balances.
    expect(await statementOf(campaign.id)).toMatchObject({ disputed: 1_500, balanceCheck: 0 });
    const alerts = await alertsOf(dispute.id);
    expect(alerts.map((a) => [a.kind, a.resolved_at === null])).toEqual([
      ["dispute_opened", false],
      ["dispute_won", true],
    ]);
    expect(alerts[0]).toMatchObject({ resolved_by: null, resolution: "dispute won" });
    expect(alerts[1]!.detail).toMatchObject({ amount: 4_000, reference: dispute.id });
  });

  it("a dispute first seen when it is already won converges as well (events lost, then all at once, reversed)", async () => {
    const { db } = database();
    const { campaign, pledge, dispute } = await disputedPledge(2_500);
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "winning_evidence" } });
    await eventually(async () => (await stripe.disputes.retrieve(dispute.id)).status === "won");
    const events = await eventually(async () => {
      const e = await eventsOf(dispute.id);
      return e.some((x) => x.type === "charge.dispute.closed") ? e : null;
    });
    await Promise.all([...events].reverse().map((e) => deliverStripeEvent(db, stripe, e)));
    await deliverAll(events);
    expect(await disputeRow(dispute.id)).toMatchObject({ outcome: "won", evidence_submitted_at: expect.any(Date) });
    expect((await pledgeRow(pledge.id)).state).toBe("collected");
    expect(await statementOf(campaign.id)).toMatchObject({ disputed: 1_500, balanceCheck: 0 });
    // Never opened here, so nothing to resolve: one alert, the win.
    expect((await alertsOf(dispute.id)).map((a) => a.kind)).toEqual(["dispute_won"]);
    expect((await disputeJournal(dispute.id)).length).toBe(4);
  });

  it("losing evidence: lost and final; the pledge stays disputed and no money comes back", async () => {
    const { db } = database();
    const { campaign, pledge, dispute } = await disputedPledge(3_000);
    const fiona = await makeFinanceUser(db);
    await deliverAll(await eventsOf(dispute.id));
    const row = (await disputeRow(dispute.id))!;
    const sent = await submitDisputeEvidence(db, stripe, {
      pledgeId: pledge.id,
      disputeId: row.id,
      actorId: fiona.id,
      reason: "Trying anyway",
      requestKey: crypto.randomUUID(),
      evidence: { uncategorized_text: "losing_evidence" },
    });
    expect(sent.ok).toBe(true);
    await eventually(async () => (await stripe.disputes.retrieve(dispute.id)).status === "lost");
    const events = await eventually(async () => {
      const e = await eventsOf(dispute.id);
      return e.some((x) => x.type === "charge.dispute.closed") ? e : null;
    });
    await deliverAll([...events].reverse());
    await deliverAll(events);
    expect(await disputeRow(dispute.id)).toMatchObject({
      status: "lost",
      outcome: "lost",
      closed_at: expect.any(Date),
    });
    expect((await pledgeRow(pledge.id)).state).toBe("disputed");
    expect((await disputeJournal(dispute.id)).map((l) => l.idempotency_key)).toEqual([
      `dispute:${dispute.id}`,
      `dispute:${dispute.id}`,
    ]);
    expect(await statementOf(campaign.id)).toMatchObject({ disputed: 4_500, balanceCheck: 0 });
    const alerts = await alertsOf(dispute.id);
    expect(alerts.map((a) => [a.kind, a.resolved_at === null])).toEqual([
      ["dispute_opened", false],
      ["dispute_lost", true],
    ]);

    // Closed: the desk cannot send more, and nothing is sent or written.
    const auditBefore = await db.selectFrom("audit_log").select("id").execute();
    const again = await submitDisputeEvidence(db, stripe, {
      pledgeId: pledge.id,
      disputeId: row.id,
      actorId: fiona.id,
      reason: "One more try",
      requestKey: crypto.randomUUID(),
      evidence: { uncategorized_text: "winning_evidence" },
    });
    expect(again).toMatchObject({ ok: false, status: 409 });
    expect((await stripe.disputes.retrieve(dispute.id)).evidence.uncategorized_text).toBe("losing_evidence");
    expect(await db.selectFrom("audit_log").select("id").execute()).toHaveLength(auditBefore.length);
  });
});

describe("refusals change nothing", () => {
  it("without a second factor, or for a dispute of another pledge, nothing is sent", async () => {
    const { db } = database();
    const { pledge, dispute } = await disputedPledge(2_000);
    const other = await disputedPledge(2_100);
    await deliverAll([...(await eventsOf(dispute.id)), ...(await eventsOf(other.dispute.id))]);
    const row = (await disputeRow(dispute.id))!;
    const noFactor = await makeFinanceUser(db, { twoFactor: false });
    const withFactor = await makeFinanceUser(db);
    const attempt = (actorId: string, disputeId = row.id) =>
      submitDisputeEvidence(db, stripe, {
        pledgeId: pledge.id,
        disputeId,
        actorId,
        reason: "Evidence",
        requestKey: crypto.randomUUID(),
        evidence: { uncategorized_text: "winning_evidence" },
      });
    expect(await attempt(noFactor.id)).toMatchObject({ ok: false, status: 403 });
    expect(await attempt(withFactor.id, (await disputeRow(other.dispute.id))!.id)).toMatchObject({
      ok: false,
      status: 404,
    });
    expect((await stripe.disputes.retrieve(dispute.id)).evidence_details.has_evidence).toBe(false);
    expect((await stripe.disputes.retrieve(other.dispute.id)).evidence_details.has_evidence).toBe(false);
    expect(await disputeRow(dispute.id)).toMatchObject({ evidence_request_key: null, evidence_submitted_at: null });
  });

  it("a double submit of one form sends the evidence once", async () => {
    const { db } = database();
    const { pledge, dispute } = await disputedPledge(2_200);
    await deliverAll(await eventsOf(dispute.id));
    const fiona = await makeFinanceUser(db);
    const row = (await disputeRow(dispute.id))!;
    const requestKey = crypto.randomUUID();
    const send = () =>
      submitDisputeEvidence(db, stripe, {
        pledgeId: pledge.id,
        disputeId: row.id,
        actorId: fiona.id,
        reason: "Evidence",
        requestKey,
        evidence: { uncategorized_text: "The backer got the kit" },
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect(await send()).toMatchObject({ ok: true, message: "This evidence was already sent to the bank." });
    expect((await stripe.disputes.retrieve(dispute.id)).evidence_details.submission_count).toBe(1);
    const audit = await db
      .selectFrom("audit_log")
      .select("id")
      .where("action", "=", "dispute.evidence_submitted")
      .where("subject_id", "=", pledge.id)
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe("the evidence deadline", () => {
  it("raises dispute_evidence_due once, within three days of the deadline, for disputes still waiting", async () => {
    const { db } = database();
    const { dispute } = await disputedPledge(1_800);
    await deliverAll(await eventsOf(dispute.id));
    const due = new Date(dispute.evidence_details.due_by! * 1000);
    const mine = async () => (await alertsOf(dispute.id)).filter((a) => a.kind === "dispute_evidence_due");
    await raiseDueDisputeAlerts(db, new Date(due.getTime() - 4 * DAY));
    expect(await mine()).toHaveLength(0);
    await raiseDueDisputeAlerts(db, new Date(due.getTime() - 2 * DAY));
    await raiseDueDisputeAlerts(db, new Date(due.getTime() - 1 * DAY));
    const alerts = await mine();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.detail).toMatchObject({ reference: dispute.id, until: due.toISOString(), amount: 1_800 });
    // A finance user resolved it: the next passes do not raise it again.
    const fiona = await makeFinanceUser(db);
    expect(await resolveFinanceAlertById(db, { id: alerts[0]!.id, by: fiona.id, note: "Working on it" })).toBe(true);
    await raiseDueDisputeAlerts(db, new Date(due.getTime() - 1 * DAY));
    expect((await mine()).map((a) => a.resolved_at !== null)).toEqual([true]);
  });

  it("no evidence by the deadline: Stripe closes it as lost, and the app follows (runs last: moves the clock)", async () => {
    const { db } = database();
    const { pledge, dispute } = await disputedPledge(1_900);
    await deliverAll(await eventsOf(dispute.id));
    emulator.advanceClock(7 * 24 * 3600 + 60);
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe("lost");
    await deliverAll(await eventsOf(dispute.id));
    expect(await disputeRow(dispute.id)).toMatchObject({ status: "lost", outcome: "lost" });
    expect((await pledgeRow(pledge.id)).state).toBe("disputed");
    expect((await alertsOf(dispute.id)).find((a) => a.kind === "dispute_lost")).toBeTruthy();
    // Past its deadline, nothing is alerted as due.
    expect(await raiseDueDisputeAlerts(db, new Date())).toBe(0);
  });
});

describe("disputes booked before the disputes table", () => {
  it("the migration backfills them from the journal; the next event brings Stripe's status (runs last: rebuilds the table)", async () => {
    const { db } = database();
    const { campaign, pledge, dispute } = await disputedPledge(5_500);
    // As the old handler left it: booked (amount and fee), pledge disputed, no dispute row.
    await bookDispute(db, {
      campaignId: campaign.id,
      pledgeId: pledge.id,
      currency: "usd",
      amount: 5_500,
      fee: 1_500,
      disputeId: dispute.id,
    });
    await disputesMigration.down(db);
    await disputesMigration.up(db);
    expect(await disputeRow(dispute.id)).toMatchObject({
      pledge_id: pledge.id,
      campaign_id: campaign.id,
      amount: 5_500,
      currency: "usd",
      status: "needs_response",
      evidence_due_by: null,
      outcome: null,
    });
    await deliverAll(await eventsOf(dispute.id));
    expect(await disputeRow(dispute.id)).toMatchObject({
      evidence_due_by: new Date(dispute.evidence_details.due_by! * 1000),
      reason: "fraudulent",
    });
    expect((await disputeJournal(dispute.id)).length).toBe(2);
  });
});
