import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { translatorFor } from "../../i18n";
import type { Translate } from "../../domain/locale";
import {
  canonicalJson,
  comparePeriod,
  isMonth,
  monthHasEnded,
  monthOf,
  monthRange,
  periodDocument,
  periodStatementRows,
  type PeriodDiscrepancies,
  type PeriodDocument,
} from "../../domain/period-close";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { recordAudit } from "../../models/audit.server";
import {
  countLinesByMonth,
  getPeriodClose,
  insertPeriodClose,
  journalLinesOfMonth,
  journalSumsOfMonth,
  listJournalMonths,
  listPeriodCloses,
  type PeriodCloseRow,
} from "../../models/period-close.server";
import { refuseWithoutSecondFactor } from "../security/two-factor.server";

// Closing a month (decision 029), in one transaction:
//   1. lock period_closes (closes of any month queue one behind the other, so two finance users
//      closing at once make one close), then the journal's tables in SHARE mode: that waits for
//      every transaction already writing to the journal to finish and holds new writes until the
//      close commits, so no line dated in the month can slip in unseen, even across midnight;
//   2. check: the month has ended (UTC), is not closed, has journal lines, and no earlier month
//      with lines is still open;
//   3. freeze: the month's lines and statement rows as canonical JSON, its SHA-256, who and why,
//      and an audit row. From then on the journal's trigger refuses anything dated in or before it.

const english: Translate = translatorFor("en");

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const stamp = (at: Date) => at.toISOString().slice(0, 16).replace("T", " ");

export async function closePeriod(
  db: Db,
  {
    month,
    actorId,
    reason,
    ip,
    now = new Date(),
    t = english,
  }: { month: string; actorId: string; reason: string; ip?: string | null; now?: Date; t?: Translate },
): Promise<{ ok: true; month: string; checksum: string; lineCount: number; message: string } | Refusal> {
  const unguarded = await refuseWithoutSecondFactor(db, { actorId, t });
  if (unguarded) return unguarded;
  if (!isMonth(month)) return refuseField(400, "month", t("audit:refusal.month"));
  if (!monthHasEnded(month, now) || month >= monthOf(now)) return refuse(409, t("audit:refusal.notEnded", { month }));
  return inTransaction(db, async (trx) => {
    await sql`lock table period_closes in share row exclusive mode`.execute(trx);
    await sql`lock table journal_transactions, journal_lines in share mode`.execute(trx);
    // The database's clock dates journal rows: the month must have ended by it, an hour ago at
    // least, so a booking begun just before midnight (or an app clock running ahead) is never refused.
    const { ended } = await sql<{
      ended: boolean;
    }>`select now() >= ${monthRange(month).end.toISOString()}::timestamptz + interval '1 hour' as ended`
      .execute(trx)
      .then((r) => r.rows[0]!);
    if (!ended) return refuse(409, t("audit:refusal.notEnded", { month }));
    const existing = await getPeriodClose(trx, { month });
    if (existing) {
      return refuse(
        409,
        t("audit:refusal.alreadyClosed", { month, name: existing.closedByName ?? "—", at: stamp(existing.closedAt) }),
      );
    }
    const [months, closes] = await Promise.all([listJournalMonths(trx), listPeriodCloses(trx)]);
    if (!months.includes(month)) return refuse(409, t("audit:refusal.noLines", { month }));
    const closed = new Set(closes.map((c) => c.month));
    const earlier = months.find((m) => m < month && !closed.has(m));
    if (earlier) return refuse(409, t("audit:refusal.outOfOrder", { earlier }));

    const [lines, sums] = [await journalLinesOfMonth(trx, { month }), await journalSumsOfMonth(trx, { month })];
    const closedAt = new Date();
    const document = periodDocument({ month, closedBy: actorId, closedAt, lines, sums });
    const text = canonicalJson(document);
    const checksum = sha256(text);
    await insertPeriodClose(trx, {
      month,
      closedBy: actorId,
      closedAt,
      reason,
      document: text,
      checksum,
      lineCount: lines.length,
      totals: document.totals,
    });
    await recordAudit(trx, {
      actorId,
      action: "period.closed",
      subjectType: "period",
      subjectId: month,
      reason,
      detail: { checksum, lines: lines.length, transactions: document.totals.transactions },
      ip,
    });
    return {
      ok: true as const,
      month,
      checksum,
      lineCount: lines.length,
      message: t("audit:periods.closedNotice", { month, count: lines.length, checksum }),
    };
  });
}

export interface PeriodCheck {
  /** The stored text still hashes to the stored checksum. */
  documentMatches: boolean;
  /** What the journal says now against the frozen copy. */
  discrepancies: PeriodDiscrepancies;
  /** Whether the journal still matches: no line added, missing or changed, same statement rows. */
  journalMatches: boolean;
}

/** Re-checks a closed month: its document against its checksum, and the journal against the document. */
export async function checkPeriod(
  db: Db,
  close: { month: string; document: string; checksum: string },
): Promise<PeriodCheck> {
  const documentMatches = sha256(close.document) === close.checksum;
  let frozen: PeriodDocument;
  try {
    frozen = JSON.parse(close.document) as PeriodDocument;
  } catch {
    frozen = { lines: [], statements: [] } as unknown as PeriodDocument;
  }
  const lines = await journalLinesOfMonth(db, { month: close.month });
  const statements = periodStatementRows(await journalSumsOfMonth(db, { month: close.month }));
  const discrepancies = comparePeriod(
    { ...frozen, lines: frozen.lines ?? [], statements: frozen.statements ?? [] },
    { lines, statements },
  );
  const journalMatches =
    discrepancies.added.length + discrepancies.missing.length + discrepancies.changed.length === 0 &&
    !discrepancies.statementsDiffer;
  return { documentMatches, discrepancies, journalMatches };
}

export type PeriodStatus = "closed" | "open" | "current";

export interface PeriodListing {
  month: string;
  status: PeriodStatus;
  lines: number;
  close: (PeriodCloseRow & { check: PeriodCheck }) | null;
  /** Open and ended: the month that must close before this one, or null when this one may close now. */
  waitsFor: string | null;
}

/** Every month with journal lines (and every closed month), oldest first, each closed one re-checked. */
export async function listPeriods(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<PeriodListing[]> {
  const [months, closes] = await Promise.all([listJournalMonths(db), listPeriodCloses(db)]);
  const latest = closes.at(-1);
  const counts = await countLinesByMonth(db, { since: latest ? monthRange(latest.month).end : undefined });
  const byMonth = new Map(closes.map((c) => [c.month, c]));
  const all = [...new Set([...months, ...closes.map((c) => c.month)])].sort();
  const current = monthOf(now);
  let firstOpen: string | null = null;
  const out: PeriodListing[] = [];
  for (const month of all) {
    const close = byMonth.get(month);
    if (close) {
      const stored = await getPeriodClose(db, { month });
      out.push({
        month,
        status: "closed",
        lines: close.lineCount,
        close: {
          ...close,
          check: await checkPeriod(db, { month, document: stored!.document, checksum: close.checksum }),
        },
        waitsFor: null,
      });
      continue;
    }
    const status: PeriodStatus = month >= current ? "current" : "open";
    out.push({
      month,
      status,
      lines: counts.get(month) ?? 0,
      close: null,
      waitsFor: status === "open" ? firstOpen : null,
    });
    if (status === "open" && firstOpen === null) firstOpen = month;
  }
  return out;
}

/** A closed month's frozen document, parsed, with the stored text (for the downloads). */
export async function frozenPeriod(db: Db, { month }: { month: string }) {
  if (!isMonth(month)) return undefined;
  const close = await getPeriodClose(db, { month });
  if (!close) return undefined;
  return { close, document: JSON.parse(close.document) as PeriodDocument };
}
