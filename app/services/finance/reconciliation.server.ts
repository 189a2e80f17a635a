import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import type { Translate } from "../../domain/locale";
import { translatorFor } from "../../i18n";
import {
  claimScheduledRun,
  failRun,
  findRunningRun,
  finishRun,
  hasScheduledRun,
  openRun,
  type Mismatch,
} from "../../models/reconciliation.server";
import { inTransaction } from "../../../db/transaction.js";
import { compareLedgerWithStripe } from "./reconciliation/compare.server";
import { queueRunFindings } from "./reconciliation/queue.server";

// A reconciliation run: refuse while another is running, open the run, compare the ledger with
// Stripe (reconciliation/compare.server.ts), store the mismatches, close the run and bring the
// queue up to date (reconciliation/queue.server.ts) in one transaction, or mark the run failed
// with why (a failed run changes no item). The desk shows the queue and the last runs.

/** A run is considered abandoned (a crashed process) after this long. */
const STALE_RUN_MS = 15 * 60_000;

export type RunOutcome =
  | { ok: true; runId: number; checked: number; mismatches: number }
  | { ok: false; status: 409 | 503; message: string; runId?: number };

export async function runReconciliation(
  db: Db,
  stripe: Stripe,
  {
    actorId,
    source = "desk",
    t = translatorFor("en"),
  }: { actorId: string | null; source?: "desk" | "cli"; t?: Translate },
): Promise<RunOutcome> {
  const running = await findRunningRun(db, { since: new Date(Date.now() - STALE_RUN_MS) });
  if (running)
    return {
      ok: false,
      status: 409,
      message: t("finance:reconciliation.inProgress"),
    };
  const runId = await openRun(db, { actorId, source });
  return compareInto(db, stripe, { runId, t });
}

/**
 * Stores a run's mismatches, closes it and brings the queue (and its alerts) up to date, in one
 * transaction: the queue never shows a run half-applied.
 */
export async function closeRun(
  db: Db,
  { runId, checked, mismatches }: { runId: number; checked: number; mismatches: readonly Mismatch[] },
) {
  return inTransaction(db, async (trx) => {
    await finishRun(trx, { runId, checked, mismatches });
    return queueRunFindings(trx, { runId, mismatches });
  });
}

/** Compares the ledger with Stripe into an open run, then closes it (or marks it failed with why). */
async function compareInto(db: Db, stripe: Stripe, { runId, t }: { runId: number; t: Translate }): Promise<RunOutcome> {
  try {
    const { checked, mismatches } = await compareLedgerWithStripe(db, stripe);
    await closeRun(db, { runId, checked, mismatches });
    return { ok: true, runId, checked, mismatches: mismatches.length };
  } catch (error) {
    const message = (error as Error).message;
    await failRun(db, { runId, error: message });
    console.warn(`[reconciliation ${runId}] failed: ${message}`);
    return { ok: false, status: 503, runId, message: t("finance:reconciliation.runFailed", { message }) };
  }
}

/**
 * The daily run the workers start themselves: once per UTC day, from `atHour` (UTC) on. Any
 * number of workers may call it on every pass; the first to claim the day runs it, the others
 * (and later passes) do nothing. Null when there was nothing to do.
 */
export async function runScheduledReconciliation(
  db: Db,
  stripe: Stripe,
  { now = new Date(), atHour }: { now?: Date; atHour: number },
): Promise<RunOutcome | null> {
  if (now.getUTCHours() < atHour) return null;
  const day = now.toISOString().slice(0, 10);
  if (await hasScheduledRun(db, { day })) return null;
  const runId = await claimScheduledRun(db, { day });
  if (runId === undefined) return null;
  return compareInto(db, stripe, { runId, t: translatorFor("en") });
}
