import type { Db } from "../../../../db/schema.js";
import { mismatchLabel } from "../../../domain/finance";
import type { Locale, Translate } from "../../../domain/locale";
import { formatMoney, isCurrency } from "../../../domain/money";
import { actionsFor, MISMATCH_KINDS, type QueueFilters } from "../../../domain/reconciliation-items";
import {
  countItemsByStatus,
  getQueueItem,
  listItemEvents,
  listQueueCampaigns,
  listQueueItems,
  type QueueItemRow,
} from "../../../models/reconciliation-items.server";
import { listRecentRuns } from "../../../models/reconciliation.server";

// What the reconciliation desk shows: the queue for the filters (rows mapped for the page and
// the CSV), the filter choices, the recent runs, and one item with its history.

/** How many rows the page lists; the CSV has them all (up to EXPORT_LIMIT). */
export const PAGE_LIMIT = 200;
export const EXPORT_LIMIT = 50_000;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function moneyIn(locale: Locale) {
  return (amount: number | null, currency: string | null) =>
    amount === null
      ? null
      : currency && isCurrency(currency)
        ? formatMoney(amount, currency, { locale })
        : String(amount);
}

/** One item as the page shows it. */
export function itemView(row: QueueItemRow, { t, locale }: { t: Translate; locale: Locale }) {
  const money = moneyIn(locale);
  return {
    id: row.id,
    kind: row.kind,
    label: mismatchLabel(t, row.kind),
    status: row.status,
    actions: actionsFor(row.status),
    detail: row.detail,
    campaignId: row.campaign_id,
    campaign: row.campaign_title,
    pledgeId: row.pledge_id,
    ledgerId: row.ledger_object_id,
    ledgerAmount: money(row.ledger_amount, row.currency),
    stripeId: row.stripe_object_id,
    stripeAmount: money(row.stripe_amount, row.currency),
    stripeStatus: row.stripe_status,
    firstSeenRun: row.first_seen_run,
    firstSeenAt: iso(row.first_seen_at)!,
    lastSeenRun: row.last_seen_run,
    lastSeenAt: iso(row.last_seen_at)!,
    assignee: row.assignee_name,
    assigneeId: row.assignee_id,
    note: row.note,
    resolvedBy: row.resolved_by_name,
    resolvedByRun: row.resolved_by_run,
    resolvedAt: iso(row.resolved_at),
  };
}

export type ItemView = ReturnType<typeof itemView>;

export async function queuePage(
  db: Db,
  { filters, userId, t, locale }: { filters: QueueFilters | null; userId: string; t: Translate; locale: Locale },
) {
  const [rows, counts, campaigns, runs] = await Promise.all([
    filters ? listQueueItems(db, { filters, userId, limit: PAGE_LIMIT + 1 }) : Promise.resolve([]),
    countItemsByStatus(db),
    listQueueCampaigns(db),
    listRecentRuns(db, { limit: 10 }),
  ]);
  return {
    counts,
    items: rows.slice(0, PAGE_LIMIT).map((r) => itemView(r, { t, locale })),
    truncated: rows.length > PAGE_LIMIT ? PAGE_LIMIT : null,
    kinds: MISMATCH_KINDS.map((kind) => ({ value: kind, label: mismatchLabel(t, kind) })),
    campaigns: campaigns.map((c) => ({ value: c.id, label: c.title })),
    runs: runs.map((r) => ({
      id: r.id,
      status: r.status,
      by:
        r.started_by_name ??
        (r.source === "cli"
          ? "npm run reconcile"
          : r.source === "schedule"
            ? t("finance:reconciliation.scheduled")
            : null),
      startedAt: r.started_at.toISOString(),
      checked: r.objects_checked,
      mismatchCount: r.mismatch_count,
      error: r.error,
    })),
  };
}

/** One item and its history, or undefined. */
export async function itemPage(db: Db, { id, t, locale }: { id: number; t: Translate; locale: Locale }) {
  const row = await getQueueItem(db, { id });
  if (!row) return undefined;
  const events = await listItemEvents(db, { itemId: id });
  return {
    item: itemView(row, { t, locale }),
    history: events.map((e) => ({
      id: e.id,
      at: e.created_at.toISOString(),
      who: e.actor_name ?? (e.run_id !== null ? t("reconciliation:item.byRun", { run: e.run_id }) : "—"),
      byRun: e.actor_id === null,
      runId: e.run_id,
      from: e.from_status,
      to: e.to_status,
      note: e.note,
    })),
  };
}

/** The queue for the filters as CSV rows (header first), amounts in minor units with the currency. */
export async function queueCsvRows(
  db: Db,
  { filters, userId, t }: { filters: QueueFilters; userId: string; t: Translate },
) {
  const rows = await listQueueItems(db, { filters, userId, limit: EXPORT_LIMIT });
  const h = (key: string) => t(`reconciliation:csv.headers.${key}`);
  return [
    [
      h("item"),
      h("status"),
      h("kind"),
      h("problem"),
      h("campaign"),
      h("campaignId"),
      h("pledgeId"),
      h("currency"),
      h("ledgerObject"),
      h("ledgerMinor"),
      h("stripeObject"),
      h("stripeMinor"),
      h("stripeStatus"),
      h("firstSeenRun"),
      h("firstSeenAt"),
      h("lastSeenRun"),
      h("lastSeenAt"),
      h("assignee"),
      h("note"),
      h("resolvedBy"),
      h("resolvedAt"),
      h("detail"),
    ],
    ...rows.map((r) => [
      r.id,
      t(`reconciliation:status.${r.status}`),
      r.kind,
      mismatchLabel(t, r.kind),
      r.campaign_title,
      r.campaign_id,
      r.pledge_id,
      r.currency?.toUpperCase() ?? null,
      r.ledger_object_id,
      r.ledger_amount,
      r.stripe_object_id,
      r.stripe_amount,
      r.stripe_status,
      r.first_seen_run,
      iso(r.first_seen_at),
      r.last_seen_run,
      iso(r.last_seen_at),
      r.assignee_name,
      r.note,
      r.resolved_by_name ??
        (r.resolved_by_run !== null ? t("reconciliation:item.byRun", { run: r.resolved_by_run }) : null),
      iso(r.resolved_at),
      r.detail,
    ]),
  ];
}
