import { sql } from "kysely";
import type { Db, ReconciliationItemStatus, Trx } from "../../db/schema.js";
import {
  ITEM_MOVES,
  mismatchSubject,
  statusesOf,
  type ItemAction,
  type QueueFilters,
} from "../domain/reconciliation-items";
import type { Mismatch } from "./reconciliation.server";

// The reconciliation queue's tables: one item per distinct problem (kind + subject) and its
// status events. Two writers, each in one transaction: a finished run (recordRunFindings: what it
// saw opens or refreshes its item, what it no longer sees is auto-resolved) and a finance user's
// move (moveItem: take, release, resolve, reopen, refused when the item moved meanwhile).
//
// A run acts only on what it could have seen: it changes an item's status only when that status
// was set before the run started (an item resolved by hand while a run was comparing is left for
// the next run), and never undoes what a newer run recorded (last_seen_run only grows).

const BATCH = 500;

/** An item a run opened (new, or seen again after being resolved) or auto-resolved. */
export interface QueueChange {
  id: number;
  kind: string;
  mismatch: Mismatch | null;
}

export interface RunFindings {
  /** New items and resolved ones seen again: open now. */
  opened: Array<QueueChange & { mismatch: Mismatch; reopened: boolean }>;
  /** Open or investigating items this run no longer saw. */
  autoResolved: QueueChange[];
  /** Items seen again that were already open or investigating. */
  refreshed: number;
}

const detailColumns = (m: Mismatch) => ({
  campaign_id: m.campaignId,
  pledge_id: m.pledgeId,
  currency: m.currency,
  ledger_object_id: m.ledgerObjectId,
  ledger_amount: m.ledgerAmount,
  stripe_object_id: m.stripeObjectId,
  stripe_amount: m.stripeAmount,
  stripe_status: m.stripeStatus,
  detail: m.detail,
});

const keyOf = (kind: string, subject: string) => `${kind}\u0000${subject}`;

/**
 * Applies a finished run's mismatches to the queue, in the caller's transaction (the one that
 * stores the run). Runs finishing at once are serialised by a transaction lock, and the unique
 * (kind, subject) with ON CONFLICT keeps one item per problem whatever happens.
 */
export async function recordRunFindings(
  trx: Trx,
  { runId, mismatches }: { runId: number; mismatches: readonly Mismatch[] },
): Promise<RunFindings> {
  await sql`select pg_advisory_xact_lock(hashtext('colecta.reconciliation_items'))`.execute(trx);
  const run = await trx
    .selectFrom("reconciliation_runs")
    .select(["started_at"])
    .where("id", "=", runId)
    .executeTakeFirstOrThrow();
  const startedAt = run.started_at;

  // One entry per problem (a run may name the same object twice); sorted, so locks go in one order.
  const seen = new Map<string, { kind: string; subject: string; mismatch: Mismatch }>();
  for (const m of mismatches) {
    const subject = mismatchSubject(m);
    seen.set(keyOf(m.kind, subject), { kind: m.kind, subject, mismatch: m });
  }
  const problems = [...seen.values()].sort((a, b) =>
    a.kind === b.kind ? (a.subject < b.subject ? -1 : 1) : a.kind < b.kind ? -1 : 1,
  );

  const findings: RunFindings = { opened: [], autoResolved: [], refreshed: 0 };
  const events: Array<{
    item_id: number;
    run_id: number;
    from_status: ReconciliationItemStatus | null;
    to_status: ReconciliationItemStatus;
  }> = [];

  for (let i = 0; i < problems.length; i += BATCH) {
    const batch = problems.slice(i, i + BATCH);
    // New problems first: inserted, or (another run got there first) left to the update below.
    const inserted = await trx
      .insertInto("reconciliation_items")
      .values(
        batch.map((p) => ({
          kind: p.kind,
          subject: p.subject,
          status: "open" as const,
          first_seen_run: runId,
          last_seen_run: runId,
          first_seen_at: sql<Date>`now()`,
          last_seen_at: sql<Date>`now()`,
          status_changed_at: sql<Date>`now()`,
          ...detailColumns(p.mismatch),
        })),
      )
      .onConflict((oc) => oc.columns(["kind", "subject"]).doNothing())
      .returning(["id", "kind", "subject"])
      .execute();
    const insertedKeys = new Set<string>();
    for (const row of inserted) {
      const key = keyOf(row.kind, row.subject);
      insertedKeys.add(key);
      const p = seen.get(key)!;
      findings.opened.push({ id: row.id, kind: row.kind, mismatch: p.mismatch, reopened: false });
      events.push({ item_id: row.id, run_id: runId, from_status: null, to_status: "open" });
    }

    // Problems already in the queue: refreshed, and reopened when they had been resolved.
    const known = batch.filter((p) => !insertedKeys.has(keyOf(p.kind, p.subject)));
    if (known.length === 0) continue;
    const existing = await trx
      .selectFrom("reconciliation_items")
      .select(["id", "kind", "subject", "status", "status_changed_at", "last_seen_run"])
      .where((eb) =>
        eb(
          eb.refTuple("kind", "subject"),
          "in",
          known.map((p) => eb.tuple(p.kind, p.subject)),
        ),
      )
      .orderBy("id")
      .forUpdate()
      .execute();
    for (const item of existing) {
      // A newer run already recorded this problem: its view stands.
      if (item.last_seen_run >= runId) continue;
      const p = seen.get(keyOf(item.kind, item.subject))!;
      const closed = item.status === "resolved" || item.status === "auto_resolved";
      const reopen = closed && item.status_changed_at < startedAt;
      await trx
        .updateTable("reconciliation_items")
        .set({
          last_seen_run: runId,
          last_seen_at: sql<Date>`now()`,
          ...detailColumns(p.mismatch),
          ...(reopen
            ? {
                status: "open",
                status_changed_at: sql<Date>`now()`,
                assignee_id: null,
                note: null,
                resolved_by: null,
                resolved_by_run: null,
                resolved_at: null,
              }
            : {}),
        })
        .where("id", "=", item.id)
        .execute();
      if (reopen) {
        findings.opened.push({ id: item.id, kind: item.kind, mismatch: p.mismatch, reopened: true });
        events.push({ item_id: item.id, run_id: runId, from_status: item.status, to_status: "open" });
      } else if (!closed) findings.refreshed++;
    }
  }

  // Open problems this run did not see (runs compare the whole ledger and all of Stripe, so every
  // item is in a run's scope), unless a newer run saw them or their status is newer than the run.
  const gone = await trx
    .selectFrom("reconciliation_items")
    .select(["id", "kind", "status"])
    .where("status", "in", ["open", "investigating"])
    .where("last_seen_run", "<", runId)
    .where("status_changed_at", "<", startedAt)
    .orderBy("id")
    .forUpdate()
    .execute();
  for (let i = 0; i < gone.length; i += BATCH) {
    const ids = gone.slice(i, i + BATCH).map((g) => g.id);
    await trx
      .updateTable("reconciliation_items")
      .set({
        status: "auto_resolved",
        status_changed_at: sql<Date>`now()`,
        resolved_by_run: runId,
        resolved_at: sql<Date>`now()`,
      })
      .where("id", "in", ids)
      .execute();
  }
  for (const g of gone) {
    findings.autoResolved.push({ id: g.id, kind: g.kind, mismatch: null });
    events.push({ item_id: g.id, run_id: runId, from_status: g.status, to_status: "auto_resolved" });
  }

  for (let i = 0; i < events.length; i += BATCH) {
    await trx
      .insertInto("reconciliation_item_events")
      .values(events.slice(i, i + BATCH))
      .execute();
  }
  return findings;
}

// --- A person's move ----------------------------------------------------------------------------

export type MoveOutcome =
  | { ok: true; id: number; from: ReconciliationItemStatus; to: ReconciliationItemStatus; kind: string }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "stale" | "not_allowed"; status: ReconciliationItemStatus; by: string | null };

/**
 * Moves an item as a finance user asked, in the caller's transaction: refused when the item is
 * no longer in the status the user saw (`expected`), or the move is not one the table allows.
 */
export async function moveItem(
  trx: Trx,
  {
    id,
    action,
    expected,
    actorId,
    note,
  }: { id: number; action: ItemAction; expected: ReconciliationItemStatus; actorId: string; note: string | null },
): Promise<MoveOutcome> {
  const item = await trx
    .selectFrom("reconciliation_items")
    .select(["id", "kind", "status", "assignee_id", "resolved_by"])
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!item) return { ok: false, reason: "not_found" };
  const move = ITEM_MOVES[action];
  if (item.status !== expected || !move.from.includes(item.status)) {
    // Who moved it last, for the message.
    const last = await trx
      .selectFrom("reconciliation_item_events")
      .leftJoin("users", "users.id", "reconciliation_item_events.actor_id")
      .select(["users.name"])
      .where("item_id", "=", id)
      .orderBy("reconciliation_item_events.id", "desc")
      .limit(1)
      .executeTakeFirst();
    return {
      ok: false,
      reason: item.status !== expected ? "stale" : "not_allowed",
      status: item.status,
      by: last?.name ?? null,
    };
  }
  const to = move.to;
  const changes =
    action === "take"
      ? { assignee_id: actorId }
      : action === "release"
        ? { assignee_id: null }
        : action === "resolve"
          ? { note, resolved_by: actorId, resolved_at: sql<Date>`now()`, resolved_by_run: null }
          : { assignee_id: null, note: null, resolved_by: null, resolved_by_run: null, resolved_at: null };
  await trx
    .updateTable("reconciliation_items")
    .set({ status: to, status_changed_at: sql<Date>`now()`, ...changes })
    .where("id", "=", id)
    .execute();
  await trx
    .insertInto("reconciliation_item_events")
    .values({ item_id: id, actor_id: actorId, from_status: item.status, to_status: to, note })
    .execute();
  return { ok: true, id, from: item.status, to, kind: item.kind };
}

// --- Reading --------------------------------------------------------------------------------------

/** The queue's rows for the filters, newest problems first (bounded), with names for the page. */
export function listQueueItems(
  db: Db,
  { filters, userId, limit = 500 }: { filters: QueueFilters; userId: string; limit?: number },
) {
  let query = db
    .selectFrom("reconciliation_items as i")
    .leftJoin("campaigns", "campaigns.id", "i.campaign_id")
    .leftJoin("users as assignee", "assignee.id", "i.assignee_id")
    .leftJoin("users as resolver", "resolver.id", "i.resolved_by")
    .selectAll("i")
    .select([
      "campaigns.title as campaign_title",
      "assignee.name as assignee_name",
      "resolver.name as resolved_by_name",
    ])
    .where("i.status", "in", statusesOf(filters.status));
  if (filters.kind) query = query.where("i.kind", "=", filters.kind);
  if (filters.campaign) query = query.where("i.campaign_id", "=", filters.campaign);
  if (filters.assignee === "mine") query = query.where("i.assignee_id", "=", userId);
  if (filters.assignee === "unassigned") query = query.where("i.assignee_id", "is", null);
  return query.orderBy("i.last_seen_at", "desc").orderBy("i.id", "desc").limit(limit).execute();
}

export type QueueItemRow = Awaited<ReturnType<typeof listQueueItems>>[number];

/** How many items are in each status (the page's counters). */
export async function countItemsByStatus(db: Db): Promise<Record<ReconciliationItemStatus, number>> {
  const rows = await db
    .selectFrom("reconciliation_items")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("status")
    .execute();
  const counts = { open: 0, investigating: 0, resolved: 0, auto_resolved: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** The campaigns that have items (the campaign filter's choices). */
export function listQueueCampaigns(db: Db) {
  return db
    .selectFrom("reconciliation_items")
    .innerJoin("campaigns", "campaigns.id", "reconciliation_items.campaign_id")
    .select(["campaigns.id", "campaigns.title"])
    .distinct()
    .orderBy("campaigns.title")
    .execute();
}

/** One item with the names the page shows. */
export function getQueueItem(db: Db, { id }: { id: number }) {
  return db
    .selectFrom("reconciliation_items as i")
    .leftJoin("campaigns", "campaigns.id", "i.campaign_id")
    .leftJoin("users as assignee", "assignee.id", "i.assignee_id")
    .leftJoin("users as resolver", "resolver.id", "i.resolved_by")
    .selectAll("i")
    .select([
      "campaigns.title as campaign_title",
      "assignee.name as assignee_name",
      "resolver.name as resolved_by_name",
    ])
    .where("i.id", "=", id)
    .executeTakeFirst();
}

/** An item's status history, oldest first, with who moved it. */
export function listItemEvents(db: Db, { itemId }: { itemId: number }) {
  return db
    .selectFrom("reconciliation_item_events as e")
    .leftJoin("users", "users.id", "e.actor_id")
    .select([
      "e.id",
      "e.actor_id",
      "e.run_id",
      "e.from_status",
      "e.to_status",
      "e.note",
      "e.created_at",
      "users.name as actor_name",
    ])
    .where("e.item_id", "=", itemId)
    .orderBy("e.id")
    .execute();
}
