import type { CurrencyCode, JournalKind, LedgerAccount } from "../../db/schema.js";
import { computeStatement, type Statement } from "./statement";

// The monthly period close (issue 17, decision 029): what a closed month freezes, in one canonical
// document whose SHA-256 is its checksum. Months are UTC calendar months named "YYYY-MM". Pure:
// the queries that feed it and the hashing live in services/finance/period-close.server.ts.

export const PERIOD_DOCUMENT_FORMAT = "colecta.period-close/1";

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: unknown): value is string {
  return typeof value === "string" && MONTH.test(value);
}

/** [start, end) of a month in UTC. */
export function monthRange(month: string): { start: Date; end: Date } {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`Not a month: ${month}`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { start: new Date(Date.UTC(year, index, 1)), end: new Date(Date.UTC(year, index + 1, 1)) };
}

/** The UTC month a moment falls in. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** Whether the month is over at `now` (UTC): only such a month may be closed. */
export function monthHasEnded(month: string, now: Date): boolean {
  return monthRange(month).end.getTime() <= now.getTime();
}

/** One journal line as frozen: the line, its transaction's date and kind, and where it belongs. */
export interface FrozenLine {
  line: number;
  transaction: number;
  /** The transaction's created_at in UTC, to the microsecond, as PostgreSQL stores it. */
  createdAt: string;
  kind: JournalKind;
  campaign: string;
  pledge: string | null;
  account: LedgerAccount;
  amount: number;
  currency: CurrencyCode;
  late: boolean;
  stripeObject: string | null;
}

/** Journal sums of one campaign, segment and currency, by (kind, account): in the month and up to its end. */
export interface PeriodSumsRow {
  campaign: string;
  late: boolean;
  currency: CurrencyCode;
  kind: JournalKind;
  account: LedgerAccount;
  inMonth: number;
  atMonthEnd: number;
  linesInMonth: number;
}

/** The statement's money figures (every number computeStatement derives from the journal). */
export type StatementFigures = Record<string, number>;

export interface PeriodStatementRow {
  campaign: string;
  segment: "settlement" | "late";
  currency: CurrencyCode;
  linesInMonth: number;
  /** The month's movement: sums by "kind:account", and the statement figures of the month alone. */
  sums: Record<string, number>;
  inMonth: StatementFigures;
  /** The running statement at the month's end (everything booked before it ended). */
  atMonthEnd: StatementFigures;
}

export interface PeriodTotals {
  lines: number;
  transactions: number;
  /** Per currency: debits (positive lines) and credits (negative lines); they cancel out. */
  byCurrency: Record<string, { debits: number; credits: number }>;
}

export interface PeriodDocument {
  format: typeof PERIOD_DOCUMENT_FORMAT;
  month: string;
  from: string;
  until: string;
  closedBy: string;
  closedAt: string;
  lines: FrozenLine[];
  statements: PeriodStatementRow[];
  totals: PeriodTotals;
}

// Pledge tallies and the deadline's pledged figures are not journal figures (and not as of the
// month's end): a period's statement row keeps only what the journal decides.
const NOT_FROM_THE_JOURNAL = new Set(["pledgedAtDeadline", "pledgesAtDeadline"]);

export function statementFigures(statement: Statement): StatementFigures {
  const figures: StatementFigures = {};
  for (const [key, value] of Object.entries(statement)) {
    if (typeof value === "number" && !NOT_FROM_THE_JOURNAL.has(key)) figures[key] = value;
  }
  return figures;
}

function figuresOf(currency: CurrencyCode, sums: Record<string, number>) {
  return statementFigures(
    computeStatement({ currency, pledgedAtDeadline: 0, pledgesAtDeadline: 0, sums: sums as never, tallies: [] }),
  );
}

/** The statement rows of a month from its sums, one per campaign, segment and currency, in a fixed order. */
export function periodStatementRows(sums: PeriodSumsRow[]): PeriodStatementRow[] {
  const groups = new Map<string, PeriodSumsRow[]>();
  for (const row of sums) {
    const key = `${row.campaign}|${row.late ? "late" : "settlement"}|${row.currency}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.keys()].sort().map((key) => {
    const rows = groups.get(key)!;
    const { campaign, late, currency } = rows[0]!;
    const inMonth: Record<string, number> = {};
    const atEnd: Record<string, number> = {};
    for (const r of rows) {
      if (r.inMonth !== 0) inMonth[`${r.kind}:${r.account}`] = r.inMonth;
      atEnd[`${r.kind}:${r.account}`] = r.atMonthEnd;
    }
    return {
      campaign,
      segment: late ? "late" : "settlement",
      currency,
      linesInMonth: rows.reduce((n, r) => n + r.linesInMonth, 0),
      sums: inMonth,
      inMonth: figuresOf(currency, inMonth),
      atMonthEnd: figuresOf(currency, atEnd),
    };
  });
}

export function periodTotals(lines: FrozenLine[]): PeriodTotals {
  const byCurrency: PeriodTotals["byCurrency"] = {};
  const transactions = new Set<number>();
  for (const l of lines) {
    transactions.add(l.transaction);
    const c = (byCurrency[l.currency] ??= { debits: 0, credits: 0 });
    if (l.amount > 0) c.debits += l.amount;
    else c.credits += l.amount;
  }
  return { lines: lines.length, transactions: transactions.size, byCurrency };
}

export function periodDocument({
  month,
  closedBy,
  closedAt,
  lines,
  sums,
}: {
  month: string;
  closedBy: string;
  closedAt: Date;
  lines: FrozenLine[];
  sums: PeriodSumsRow[];
}): PeriodDocument {
  const { start, end } = monthRange(month);
  return {
    format: PERIOD_DOCUMENT_FORMAT,
    month,
    from: start.toISOString(),
    until: end.toISOString(),
    closedBy,
    closedAt: closedAt.toISOString(),
    lines: [...lines].sort((a, b) => a.line - b.line),
    statements: periodStatementRows(sums),
    totals: periodTotals(lines),
  };
}

/**
 * JSON with every object's keys in code-point order and no spaces, so the same document always
 * gives the same text (and so the same checksum), whoever builds it.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}

export interface PeriodDiscrepancies {
  /** Lines in the journal, dated in the month, that the close did not freeze. */
  added: FrozenLine[];
  /** Frozen lines the journal no longer has. */
  missing: FrozenLine[];
  /** Lines whose content differs from what was frozen. */
  changed: FrozenLine[];
  /** Whether the statement rows computed now differ from the frozen ones. */
  statementsDiffer: boolean;
}

/** What differs between the frozen document and the same month rebuilt from the journal now. */
export function comparePeriod(
  frozen: PeriodDocument,
  now: Pick<PeriodDocument, "lines" | "statements">,
): PeriodDiscrepancies {
  const was = new Map(frozen.lines.map((l) => [l.line, l]));
  const is = new Map(now.lines.map((l) => [l.line, l]));
  const added = now.lines.filter((l) => !was.has(l.line));
  const missing = frozen.lines.filter((l) => !is.has(l.line));
  const changed = now.lines.filter((l) => was.has(l.line) && canonicalJson(was.get(l.line)) !== canonicalJson(l));
  return {
    added,
    missing,
    changed,
    statementsDiffer: canonicalJson(frozen.statements) !== canonicalJson(now.statements),
  };
}

export function hasDiscrepancies(d: PeriodDiscrepancies) {
  return d.added.length + d.missing.length + d.changed.length > 0 || d.statementsDiffer;
}
