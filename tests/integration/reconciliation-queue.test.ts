import { sql } from "kysely";
import type Stripe from "stripe";
import { translatorFor } from "~/i18n";
import { bookRefund } from "~/models/ledger.server";
import { listItemEvents } from "~/models/reconciliation-items.server";
import { openRun } from "~/models/reconciliation.server";
import { closeRun, runReconciliation, runScheduledReconciliation } from "~/services/finance/reconciliation.server";
import { compareLedgerWithStripe } from "~/services/finance/reconciliation/compare.server";
import { actOnItem } from "~/services/finance/reconciliation/queue.server";
import * as queueMigration from "../../db/migrations/2026_12_09_0027_reconciliation_queue";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign, type SettledCampaign } from "../support/finance";
import { useTestEmulator } from "../support/stripe";

// The reconciliation queue: each problem a run finds is one item, kept across runs (open, taken,
// resolved with a note, or resolved by a later run that no longer sees it, reopened when it comes
// back), with a finance alert while it is open and a history of who did what.

const database = useTestDatabase();
const { stripe } = await useTestEmulator();
const db = () => database().db;
const t = translatorFor("en");

const itemFor = (subject: string) =>
  db().selectFrom("reconciliation_items").selectAll().where("subject", "=", subject).execute();

const alertOf = (itemId: number) =>
  db().selectFrom("finance_alerts").selectAll().where("dedupe_key", "=", `reconciliation:${itemId}`).executeTakeFirst();

async function run(actorId: string | null = null) {
  const result = await runReconciliation(db(), stripe, { actorId });
  if (!result.ok) throw new Error(result.message);
  return result.runId;
}

/** A refund made straight in Stripe, behind the ledger's back: a `refund_not_booked` problem. */
async function refundBehindTheLedger(campaign: SettledCampaign, amount: number): Promise<Stripe.Refund> {
  return stripe.refunds.create({ charge: campaign.pledges[0]!.chargeId, amount });
}

describe("the reconciliation queue", () => {
  it("opens one item (with an alert) per problem, refreshes it on the next run, and auto-resolves it and its alert once fixed", async () => {
    const campaign = await makeSettledCampaign(db(), stripe, { amounts: [6_000] });
    const refund = await refundBehindTheLedger(campaign, 700);

    const first = await run();
    const [item] = await itemFor(refund.id);
    expect(item).toMatchObject({
      kind: "refund_not_booked",
      status: "open",
      first_seen_run: first,
      last_seen_run: first,
      campaign_id: campaign.campaignId,
      pledge_id: campaign.pledges[0]!.id,
      currency: "usd",
      ledger_amount: null,
      stripe_object_id: refund.id,
      stripe_amount: 700,
      assignee_id: null,
    });
    const alert = await alertOf(item!.id);
    expect(alert).toMatchObject({
      kind: "reconciliation_mismatch",
      resolved_at: null,
      campaign_id: campaign.campaignId,
    });
    expect(alert!.detail).toMatchObject({
      message: `Stripe refund not in the ledger: ${refund.id} ($7.00)`,
      reference: refund.id,
      amount: 700,
      currency: "usd",
    });

    // Seen again: the same item, last seen moved on, no second alert.
    const second = await run();
    const again = await itemFor(refund.id);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: item!.id, status: "open", first_seen_run: first, last_seen_run: second });
    expect(again[0]!.last_seen_at.getTime()).toBeGreaterThan(item!.last_seen_at.getTime());
    expect(
      await db()
        .selectFrom("finance_alerts")
        .where("dedupe_key", "=", `reconciliation:${item!.id}`)
        .select("id")
        .execute(),
    ).toHaveLength(1);

    // Fixed: the refund is booked; the next run no longer sees it.
    await bookRefund(db(), {
      campaignId: campaign.campaignId,
      pledgeId: campaign.pledges[0]!.id,
      currency: "usd",
      amount: 700,
      refundId: refund.id,
    });
    const third = await run();
    const [gone] = await itemFor(refund.id);
    expect(gone).toMatchObject({ status: "auto_resolved", resolved_by_run: third, last_seen_run: second });
    expect(await alertOf(item!.id)).toMatchObject({
      resolved_by: null,
      resolution: `No longer seen by reconciliation run ${third}.`,
    });
    expect((await alertOf(item!.id))!.resolved_at).not.toBeNull();
    const events = await listItemEvents(db(), { itemId: item!.id });
    expect(events.map((e) => [e.from_status, e.to_status, e.run_id, e.actor_id])).toEqual([
      [null, "open", first, null],
      ["open", "auto_resolved", third, null],
    ]);
  });

  it("is taken, released and resolved by hand with history and audit; a stale action and an unknown item are refused; a resolved problem seen again reopens", async () => {
    const [fiona, sam] = [
      await makeFinanceUser(db(), { name: "Fiona Finance" }),
      await makeFinanceUser(db(), { name: "Sam Second" }),
    ];
    const campaign = await makeSettledCampaign(db(), stripe, { amounts: [4_000] });
    const refund = await refundBehindTheLedger(campaign, 1_200);
    const found = await run(fiona.id);
    const [item] = await itemFor(refund.id);
    const id = item!.id;
    const act = (actorId: string, input: Parameters<typeof actOnItem>[1]["input"]) =>
      actOnItem(db(), { itemId: id, input, actorId, t });

    expect(await act(fiona.id, { intent: "take", expected: "open" })).toMatchObject({ ok: true });
    expect((await itemFor(refund.id))[0]).toMatchObject({ status: "investigating", assignee_id: fiona.id });

    // Sam's page still showed it open: his Take is refused, naming who moved it.
    const stale = await act(sam.id, { intent: "take", expected: "open" });
    expect(stale).toMatchObject({
      ok: false,
      status: 409,
      formError: "Fiona Finance moved this item meanwhile: it is now investigating. Reload to see it as it is.",
    });
    // A move the table does not allow (reopening an item that is not closed) is refused too.
    expect(await act(sam.id, { intent: "reopen", expected: "investigating" })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(
      await actOnItem(db(), { itemId: 999_999, input: { intent: "take", expected: "open" }, actorId: sam.id, t }),
    ).toMatchObject({
      ok: false,
      status: 404,
    });

    expect(await act(fiona.id, { intent: "release", expected: "investigating" })).toMatchObject({ ok: true });
    expect((await itemFor(refund.id))[0]).toMatchObject({ status: "open", assignee_id: null });
    expect(await act(sam.id, { intent: "take", expected: "open" })).toMatchObject({ ok: true });
    const note = "Refunded by support in the Stripe dashboard; booking it tomorrow";
    expect(await act(sam.id, { intent: "resolve", expected: "investigating", note })).toMatchObject({ ok: true });
    const [resolved] = await itemFor(refund.id);
    expect(resolved).toMatchObject({ status: "resolved", note, resolved_by: sam.id, assignee_id: sam.id });
    expect(resolved!.resolved_at).not.toBeNull();
    expect(await alertOf(id)).toMatchObject({ resolved_by: sam.id, resolution: note });

    const history = await listItemEvents(db(), { itemId: id });
    expect(history.map((e) => [e.actor_name ?? `run ${e.run_id}`, e.from_status, e.to_status, e.note])).toEqual([
      [`run ${found}`, null, "open", null],
      ["Fiona Finance", "open", "investigating", null],
      ["Fiona Finance", "investigating", "open", null],
      ["Sam Second", "open", "investigating", null],
      ["Sam Second", "investigating", "resolved", note],
    ]);
    const audit = await db()
      .selectFrom("audit_log")
      .select(["actor_id", "action", "reason"])
      .where("subject_type", "=", "reconciliation_item")
      .where("subject_id", "=", String(id))
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { actor_id: fiona.id, action: "reconciliation.item_take", reason: null },
      { actor_id: fiona.id, action: "reconciliation.item_release", reason: null },
      { actor_id: sam.id, action: "reconciliation.item_take", reason: null },
      { actor_id: sam.id, action: "reconciliation.item_resolve", reason: note },
    ]);

    // The refund was never booked: the next run sees the problem again and reopens the item.
    const next = await run();
    const [reopened] = await itemFor(refund.id);
    expect(reopened).toMatchObject({
      id,
      status: "open",
      last_seen_run: next,
      assignee_id: null,
      note: null,
      resolved_by: null,
    });
    const last = (await listItemEvents(db(), { itemId: id })).at(-1);
    expect(last).toMatchObject({ run_id: next, actor_id: null, from_status: "resolved", to_status: "open" });
    expect(await alertOf(id)).toMatchObject({ resolved_at: null, resolution: null });

    // Reopened by hand after an auto-resolution works through the same table.
    await bookRefund(db(), {
      campaignId: campaign.campaignId,
      pledgeId: campaign.pledges[0]!.id,
      currency: "usd",
      amount: 1_200,
      refundId: refund.id,
    });
    await run();
    expect((await itemFor(refund.id))[0]!.status).toBe("auto_resolved");
    expect(
      await act(fiona.id, { intent: "reopen", expected: "auto_resolved", note: "Checking the booking" }),
    ).toMatchObject({ ok: true });
    expect((await itemFor(refund.id))[0]).toMatchObject({ status: "open", resolved_by_run: null, resolved_at: null });
  });

  it("refuses a person's moves without a second factor", async () => {
    const unenrolled = await makeFinanceUser(db(), { twoFactor: false });
    const [any] = await db()
      .selectFrom("reconciliation_items")
      .select("id")
      .where("status", "=", "open")
      .limit(1)
      .execute();
    expect(any).toBeDefined();
    const refused = await actOnItem(db(), {
      itemId: any!.id,
      input: { intent: "take", expected: "open" },
      actorId: unenrolled.id,
      t,
    });
    expect(refused).toMatchObject({ ok: false, status: 403 });
  });

  it("keeps one item per problem when runs finish at the same moment", async () => {
    const campaign = await makeSettledCampaign(db(), stripe, { amounts: [3_000, 2_000] });
    const refunds = [
      await refundBehindTheLedger(campaign, 100),
      await stripe.refunds.create({ charge: campaign.pledges[1]!.chargeId, amount: 200 }),
    ];
    const before = await db().selectFrom("finance_alerts").select("id").execute();

    // Six runs that compared the same world close at once.
    const { checked, mismatches } = await compareLedgerWithStripe(db(), stripe);
    const runIds: number[] = [];
    for (let i = 0; i < 6; i++) runIds.push(await openRun(db(), { actorId: null, source: "cli" }));
    await Promise.all(runIds.map((runId) => closeRun(db(), { runId, checked, mismatches })));

    for (const refund of refunds) {
      const items = await itemFor(refund.id);
      expect(items, refund.id).toHaveLength(1);
      expect(items[0]).toMatchObject({ status: "open", last_seen_run: Math.max(...runIds) });
      const events = await listItemEvents(db(), { itemId: items[0]!.id });
      expect(events.filter((e) => e.from_status === null)).toHaveLength(1);
    }
    const alerts = await db().selectFrom("finance_alerts").select("dedupe_key").execute();
    expect(alerts.length - before.length).toBe(2);
    // Every run stored its own mismatches.
    const stored = await db()
      .selectFrom("reconciliation_mismatches")
      .select((eb) => ["run_id", eb.fn.countAll<number>().as("n")])
      .where("run_id", "in", runIds)
      .groupBy("run_id")
      .execute();
    expect(stored.map((r) => Number(r.n))).toEqual(runIds.map(() => mismatches.length));

    // A desk run and two days' scheduled runs, each comparing and closing at once.
    const outcomes = await Promise.all([
      runReconciliation(db(), stripe, { actorId: null }),
      runScheduledReconciliation(db(), stripe, { now: new Date("2026-12-20T04:00:00Z"), atHour: 3 }),
      runScheduledReconciliation(db(), stripe, { now: new Date("2026-12-21T04:00:00Z"), atHour: 3 }),
    ]);
    expect(outcomes.filter((o) => o?.ok)).not.toHaveLength(0);
    for (const refund of refunds) expect(await itemFor(refund.id), refund.id).toHaveLength(1);
    const problems = await db()
      .selectFrom("reconciliation_items")
      .select((eb) => ["kind", "subject", eb.fn.countAll<number>().as("n")])
      .groupBy(["kind", "subject"])
      .having((eb) => eb.fn.countAll(), ">", 1)
      .execute();
    expect(problems).toEqual([]);
  });

  it("a run that started before a person resolved the item leaves it resolved; an older run never undoes a newer one", async () => {
    const fiona = await makeFinanceUser(db(), { name: "Fiona Late" });
    const campaign = await makeSettledCampaign(db(), stripe, { amounts: [2_500] });
    const refund = await refundBehindTheLedger(campaign, 300);
    const { checked, mismatches } = await compareLedgerWithStripe(db(), stripe);
    const cli = () => openRun(db(), { actorId: null, source: "cli" });
    await closeRun(db(), { runId: await cli(), checked, mismatches });
    const [item] = await itemFor(refund.id);

    // Resolved by hand while a run (started first) was still comparing: that run leaves it resolved.
    const during = await cli();
    expect(
      await actOnItem(db(), {
        itemId: item!.id,
        input: { intent: "resolve", expected: "open", note: "Booked by hand" },
        actorId: fiona.id,
        t,
      }),
    ).toMatchObject({ ok: true });
    await closeRun(db(), { runId: during, checked, mismatches });
    expect((await itemFor(refund.id))[0]).toMatchObject({ status: "resolved", last_seen_run: during });

    // A newer run sees it again and reopens it; an older run finishing later, which did not see
    // it, does not auto-resolve what the newer one saw.
    const older = await cli();
    const newer = await cli();
    await closeRun(db(), { runId: newer, checked, mismatches });
    expect((await itemFor(refund.id))[0]).toMatchObject({ status: "open", last_seen_run: newer });
    const withoutIt = mismatches.filter((m) => m.stripeObjectId !== refund.id);
    await closeRun(db(), { runId: older, checked, mismatches: withoutIt });
    expect((await itemFor(refund.id))[0]).toMatchObject({ status: "open", last_seen_run: newer });
  });

  it("backfills items from the runs stored before the queue existed", async () => {
    // Back to the day before the migration: runs and their mismatches, no queue.
    await queueMigration.down(db());
    await sql`delete from reconciliation_mismatches`.execute(db());
    const campaign = await makeSettledCampaign(db(), stripe, { amounts: [1_000] });
    const newRun = async (mismatches: Array<{ kind: string; stripe: string }>) => {
      const row = await db()
        .insertInto("reconciliation_runs")
        .values({ source: "cli", started_by: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (const m of mismatches)
        await db()
          .insertInto("reconciliation_mismatches")
          .values({
            run_id: row.id,
            kind: m.kind,
            campaign_id: campaign.campaignId,
            currency: "usd",
            stripe_object_id: m.stripe,
            stripe_amount: 500,
            detail: `about ${m.stripe}`,
          })
          .execute();
      await db()
        .updateTable("reconciliation_runs")
        .set({
          status: mismatches.length ? "mismatches" : "clean",
          finished_at: new Date(),
          mismatch_count: mismatches.length,
        })
        .where("id", "=", row.id)
        .execute();
      return row.id;
    };
    const a = await newRun([
      { kind: "refund_not_booked", stripe: "re_gone" },
      { kind: "refund_not_booked", stripe: "re_still" },
    ]);
    const b = await newRun([{ kind: "refund_not_booked", stripe: "re_still" }]);
    const c = await newRun([
      { kind: "refund_not_booked", stripe: "re_still" },
      { kind: "dispute_not_booked", stripe: "dp_new" },
    ]);
    await queueMigration.up(db());

    const items = await db().selectFrom("reconciliation_items").selectAll().orderBy("id").execute();
    expect(items.map((i) => [i.subject, i.status, i.first_seen_run, i.last_seen_run, i.resolved_by_run])).toEqual([
      ["re_gone", "auto_resolved", a, a, b],
      ["re_still", "open", a, c, null],
      ["dp_new", "open", c, c, null],
    ]);
    expect(items[1]).toMatchObject({
      campaign_id: campaign.campaignId,
      stripe_amount: 500,
      currency: "usd",
      detail: "about re_still",
    });
    const events = await db()
      .selectFrom("reconciliation_item_events")
      .select(["item_id", "from_status", "to_status", "run_id"])
      .orderBy("id")
      .execute();
    expect(events).toContainEqual({
      item_id: items[0]!.id,
      from_status: "open",
      to_status: "auto_resolved",
      run_id: b,
    });
    expect(events.filter((e) => e.from_status === null)).toHaveLength(3);

    // And the next real run carries on from there: the backfilled problems are no longer seen.
    const next = await run();
    const later = await db()
      .selectFrom("reconciliation_items")
      .select(["subject", "status"])
      .where("subject", "in", ["re_still", "dp_new"])
      .execute();
    expect(later.map((i) => i.status)).toEqual(["auto_resolved", "auto_resolved"]);
    expect(next).toBeGreaterThan(c);
  });
});
