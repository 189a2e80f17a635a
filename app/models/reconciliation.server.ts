import { sql } from "kysely";
import type { Db, JournalKind } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";

// Reconciliation's tables and the ledger side it compares: the runs and their mismatches (one
// writer, the run protocol in services/finance/reconciliation.server.ts), and the booked money
// events that have a Stripe counterpart.

/** One difference between the ledger and Stripe, as a run stores it. */
export interface Mismatch {
  kind: string;
  campaignId: string | null;
  pledgeId: string | null;
  currency: string | null;
  ledgerObjectId: string | null;
  ledgerAmount: number | null;
  stripeObjectId: string | null;
  stripeAmount: number | null;
  stripeStatus: string | null;
  detail: string;
}

/** A booked money event (charge, fee, refund, dispute, payout) and the Stripe object behind it. */
export interface LedgerEntry {
  kind: JournalKind;
  stripeObjectId: string | null;
  campaignId: string;
  pledgeId: string | null;
  currency: string;
  amount: number;
}

const PAGE = 2_000;
const BATCH = 500;

/** The ledger's money events that have a Stripe counterpart, read in keyset pages. */
export async function listLedgerEntries(db: Db): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom("journal_transactions as t")
      .innerJoin("journal_lines as l", "l.transaction_id", "t.id")
      .select([
        "t.id",
        "t.kind",
        "t.stripe_object_id",
        "t.campaign_id",
        "t.pledge_id",
        sql<string>`min(l.currency)`.as("currency"),
        // Each event's amount, signed, on its own account (charge: the balance; fee: fees; refund:
        // refunds...): a booking that undoes another (a refund Stripe failed, a dispute won) is negative.
        sql<number>`coalesce(sum(l.amount) filter (where l.account_code = case t.kind
          when 'charge' then 'stripe_balance' when 'stripe_fee' then 'processing_fees'
          when 'refund' then 'refunds' when 'dispute' then 'disputes'
          when 'payout' then 'creator_payouts' when 'payout_reversal' then 'stripe_balance' end), 0)::bigint`.as(
          "amount",
        ),
      ])
      .where("t.id", ">", after)
      .where("t.kind", "<>", "platform_fee")
      .groupBy("t.id")
      .orderBy("t.id")
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      entries.push({
        kind: r.kind,
        stripeObjectId: r.stripe_object_id,
        campaignId: r.campaign_id,
        pledgeId: r.pledge_id,
        currency: r.currency,
        amount: Number(r.amount),
      });
    }
    if (rows.length < PAGE) return entries;
    after = rows[rows.length - 1]!.id;
  }
}

export interface ReconciledPledge {
  campaign_id: string;
  currency: string;
  state: string;
  decision: string | null;
  stage: string | null;
}

/** The pledges (with their campaign's settlement) that Stripe payments name, by id. */
export async function pledgesByIds(db: Db, pledgeIds: readonly string[]): Promise<Map<string, ReconciledPledge>> {
  const pledges = new Map<string, ReconciledPledge>();
  for (let i = 0; i < pledgeIds.length; i += BATCH) {
    const rows = await db
      .selectFrom("pledges")
      .leftJoin("settlements", "settlements.campaign_id", "pledges.campaign_id")
      .select([
        "pledges.id",
        "pledges.campaign_id",
        "pledges.currency",
        "pledges.state",
        "settlements.decision",
        "settlements.stage",
      ])
      .where("pledges.id", "in", pledgeIds.slice(i, i + BATCH))
      .execute();
    for (const r of rows) pledges.set(r.id, r);
  }
  return pledges;
}

/** Refunds our desk started and has not finished recording (in flight, not missing). */
export async function pendingRefundIds(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom("refunds").select("id").where("status", "=", "pending").execute();
  return new Set(rows.map((r) => r.id));
}

/** Every payout Colecta prepared, by id (a Stripe transfer names its payout in its metadata). */
export async function payoutsById(db: Db) {
  const rows = await db.selectFrom("payouts").select(["id", "campaign_id", "currency"]).execute();
  return new Map(rows.map((p) => [p.id, p]));
}

// --- Runs ---------------------------------------------------------------------------------------

/** A run still marked running and started after `since` (older ones belong to a crashed process). */
export async function findRunningRun(db: Db, { since }: { since: Date }) {
  return db
    .selectFrom("reconciliation_runs")
    .select("id")
    .where("status", "=", "running")
    .where("started_at", ">", since)
    .executeTakeFirst();
}

/**
 * Claims the scheduled run of a UTC day (YYYY-MM-DD): its id, or undefined when a worker has
 * claimed that day already (the unique index decides between workers).
 */
export async function claimScheduledRun(db: Db, { day }: { day: string }) {
  const run = await db
    .insertInto("reconciliation_runs")
    .values({ started_by: null, source: "schedule", scheduled_day: day })
    .onConflict((oc) => oc.column("scheduled_day").where("scheduled_day", "is not", null).doNothing())
    .returning("id")
    .executeTakeFirst();
  return run?.id;
}

/** Whether the scheduled run of a UTC day was claimed. */
export async function hasScheduledRun(db: Db, { day }: { day: string }) {
  const run = await db
    .selectFrom("reconciliation_runs")
    .select("id")
    .where("scheduled_day", "=", sql<Date>`${day}::date`)
    .executeTakeFirst();
  return Boolean(run);
}

export async function openRun(db: Db, { actorId, source }: { actorId: string | null; source: "desk" | "cli" }) {
  const run = await db
    .insertInto("reconciliation_runs")
    .values({ started_by: actorId, source })
    .returning("id")
    .executeTakeFirstOrThrow();
  return run.id;
}

/** Stores a finished run's mismatches and closes it as clean or with mismatches, in one transaction. */
export async function finishRun(
  db: Db,
  { runId, checked, mismatches }: { runId: number; checked: number; mismatches: readonly Mismatch[] },
) {
  await inTransaction(db, async (trx) => {
    for (let i = 0; i < mismatches.length; i += BATCH) {
      await trx
        .insertInto("reconciliation_mismatches")
        .values(
          mismatches.slice(i, i + BATCH).map((m) => ({
            run_id: runId,
            kind: m.kind,
            campaign_id: m.campaignId,
            pledge_id: m.pledgeId,
            currency: m.currency,
            ledger_object_id: m.ledgerObjectId,
            ledger_amount: m.ledgerAmount,
            stripe_object_id: m.stripeObjectId,
            stripe_amount: m.stripeAmount,
            stripe_status: m.stripeStatus,
            detail: m.detail,
          })),
        )
        .execute();
    }
    await trx
      .updateTable("reconciliation_runs")
      .set({
        status: mismatches.length ? "mismatches" : "clean",
        finished_at: new Date(),
        objects_checked: checked,
        mismatch_count: mismatches.length,
      })
      .where("id", "=", runId)
      .execute();
  });
}

export async function failRun(db: Db, { runId, error }: { runId: number; error: string }) {
  await db
    .updateTable("reconciliation_runs")
    .set({ status: "failed", finished_at: new Date(), error: error.slice(0, 1000) })
    .where("id", "=", runId)
    .execute();
}

/** The latest run, for the desk. */
export async function getLastReconciliationRun(db: Db) {
  return db.selectFrom("reconciliation_runs").selectAll().orderBy("id", "desc").limit(1).executeTakeFirst();
}

/** A run's mismatches (bounded), with the campaign's title. */
export async function listMismatches(db: Db, { runId, limit = 500 }: { runId: number; limit?: number }) {
  return db
    .selectFrom("reconciliation_mismatches")
    .leftJoin("campaigns", "campaigns.id", "reconciliation_mismatches.campaign_id")
    .selectAll("reconciliation_mismatches")
    .select("campaigns.title as campaign_title")
    .where("run_id", "=", runId)
    .orderBy("reconciliation_mismatches.id")
    .limit(limit)
    .execute();
}

/** The latest runs (the desk's list), with who started them. */
export function listRecentRuns(db: Db, { limit = 10 }: { limit?: number } = {}) {
  return db
    .selectFrom("reconciliation_runs")
    .leftJoin("users", "users.id", "reconciliation_runs.started_by")
    .selectAll("reconciliation_runs")
    .select("users.name as started_by_name")
    .orderBy("reconciliation_runs.id", "desc")
    .limit(limit)
    .execute();
}
