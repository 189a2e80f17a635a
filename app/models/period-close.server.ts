import { sql } from "kysely";
import type { CurrencyCode, Db, JournalKind, LedgerAccount } from "../../db/schema.js";
import { monthRange, type FrozenLine, type PeriodSumsRow } from "../domain/period-close";

// The queries of the monthly period close: which months the journal has, a month's lines and
// sums, and the closes themselves. A month is a UTC calendar month, "YYYY-MM".

const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * Every month with at least one journal transaction, oldest first, by skipping through the
 * created_at index a month at a time (a probe per month, not a scan of the journal).
 */
export async function listJournalMonths(db: Db): Promise<string[]> {
  const { rows } = await sql<{ month: string }>`
    with recursive months(m) as (
      select date_trunc('month', min(created_at) at time zone 'UTC') from journal_transactions
      union all
      select (select date_trunc('month', min(t.created_at) at time zone 'UTC') from journal_transactions t
                where t.created_at >= ((months.m + interval '1 month') at time zone 'UTC'))
        from months where months.m is not null
    )
    select to_char(m, 'YYYY-MM') as month from months where m is not null order by m`.execute(db);
  return rows.map((r) => r.month);
}

/**
 * How many journal lines each month from `since` on has (months without lines are absent): the
 * open months; a closed month's count is stored with its close.
 */
export async function countLinesByMonth(db: Db, { since }: { since?: Date } = {}): Promise<Map<string, number>> {
  const { rows } = await sql<{ month: string; lines: number }>`
    select to_char(date_trunc('month', t.created_at at time zone 'UTC'), 'YYYY-MM') as month, count(*)::int as lines
      from journal_lines l join journal_transactions t on t.id = l.transaction_id
     where ${since ? sql`t.created_at >= ${ts(since)}` : sql`true`}
     group by 1`.execute(db);
  return new Map(rows.map((r) => [r.month, Number(r.lines)]));
}

/** The month's journal lines (every line whose transaction is dated in it), by line id. */
export async function journalLinesOfMonth(db: Db, { month }: { month: string }): Promise<FrozenLine[]> {
  const { start, end } = monthRange(month);
  const { rows } = await sql<{
    line: number;
    transaction: number;
    created_at: string;
    kind: JournalKind;
    campaign: string;
    pledge: string | null;
    account: LedgerAccount;
    amount: number;
    currency: CurrencyCode;
    late: boolean;
    stripe_object: string | null;
  }>`
    select l.id as line, l.transaction_id as transaction,
           to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at,
           t.kind, l.campaign_id as campaign, l.pledge_id as pledge, l.account_code as account, l.amount,
           l.currency, l.late, l.stripe_object_id as stripe_object
      from journal_lines l join journal_transactions t on t.id = l.transaction_id
     where t.created_at >= ${ts(start)} and t.created_at < ${ts(end)}
     order by l.id`.execute(db);
  return rows.map((r) => ({
    line: Number(r.line),
    transaction: Number(r.transaction),
    createdAt: r.created_at,
    kind: r.kind,
    campaign: r.campaign,
    pledge: r.pledge,
    account: r.account,
    amount: Number(r.amount),
    currency: r.currency,
    late: Boolean(r.late),
    stripeObject: r.stripe_object,
  }));
}

/**
 * For every campaign, segment and currency with lines in the month: the journal's sums by
 * (kind, account) in the month and up to its end.
 */
export async function journalSumsOfMonth(db: Db, { month }: { month: string }): Promise<PeriodSumsRow[]> {
  const { start, end } = monthRange(month);
  const { rows } = await sql<{
    campaign: string;
    late: boolean;
    currency: CurrencyCode;
    kind: JournalKind;
    account: LedgerAccount;
    in_month: number;
    at_month_end: number;
    lines_in_month: number;
  }>`
    with touched as (
      select distinct l.campaign_id, l.late, l.currency
        from journal_lines l join journal_transactions t on t.id = l.transaction_id
       where t.created_at >= ${ts(start)} and t.created_at < ${ts(end)}
    )
    select l.campaign_id as campaign, l.late, l.currency, t.kind, l.account_code as account,
           coalesce(sum(l.amount) filter (where t.created_at >= ${ts(start)}), 0)::bigint as in_month,
           sum(l.amount)::bigint as at_month_end,
           (count(*) filter (where t.created_at >= ${ts(start)}))::int as lines_in_month
      from journal_lines l
      join journal_transactions t on t.id = l.transaction_id
      join touched on touched.campaign_id = l.campaign_id and touched.late = l.late and touched.currency = l.currency
     where t.created_at < ${ts(end)}
     group by l.campaign_id, l.late, l.currency, t.kind, l.account_code
     order by 1, 2, 3, 4, 5`.execute(db);
  return rows.map((r) => ({
    campaign: r.campaign,
    late: Boolean(r.late),
    currency: r.currency,
    kind: r.kind,
    account: r.account,
    inMonth: Number(r.in_month),
    atMonthEnd: Number(r.at_month_end),
    linesInMonth: Number(r.lines_in_month),
  }));
}

export interface PeriodCloseRow {
  month: string;
  closedBy: string;
  closedByName: string | null;
  closedAt: Date;
  reason: string;
  checksum: string;
  lineCount: number;
}

const closeColumns = sql`to_char(pc.month, 'YYYY-MM') as month, pc.closed_by, u.name as closed_by_name,
  pc.closed_at, pc.reason, pc.checksum, pc.line_count`;

type CloseRecord = {
  month: string;
  closed_by: string;
  closed_by_name: string | null;
  closed_at: Date;
  reason: string;
  checksum: string;
  line_count: number;
};

const toClose = (r: CloseRecord): PeriodCloseRow => ({
  month: r.month,
  closedBy: r.closed_by,
  closedByName: r.closed_by_name,
  closedAt: new Date(r.closed_at),
  reason: r.reason,
  checksum: r.checksum,
  lineCount: Number(r.line_count),
});

export async function listPeriodCloses(db: Db): Promise<PeriodCloseRow[]> {
  const { rows } = await sql<CloseRecord>`
    select ${closeColumns} from period_closes pc left join users u on u.id = pc.closed_by order by pc.month`.execute(
    db,
  );
  return rows.map(toClose);
}

/** One close with its stored document text (exactly what was hashed). */
export async function getPeriodClose(db: Db, { month }: { month: string }) {
  const { rows } = await sql<CloseRecord & { document: string }>`
    select ${closeColumns}, pc.document from period_closes pc left join users u on u.id = pc.closed_by
     where pc.month = ${`${month}-01`}::date`.execute(db);
  const row = rows[0];
  return row ? { ...toClose(row), document: row.document } : undefined;
}

export async function insertPeriodClose(
  db: Db,
  row: {
    month: string;
    closedBy: string;
    closedAt: Date;
    reason: string;
    document: string;
    checksum: string;
    lineCount: number;
    totals: unknown;
  },
) {
  await db
    .insertInto("period_closes")
    .values({
      month: `${row.month}-01`,
      closed_by: row.closedBy,
      closed_at: row.closedAt,
      reason: row.reason,
      document: row.document,
      checksum: row.checksum,
      line_count: row.lineCount,
      totals: JSON.stringify(row.totals),
    })
    .execute();
}
