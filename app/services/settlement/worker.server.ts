import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import type { Config } from "../../config.server";
import { formatMoney } from "../../domain/money";
import { retryWaitingTransfers } from "../finance/payouts.server";
import { retryPendingRecoveries } from "../finance/recoveries.server";
import { runScheduledReconciliation } from "../finance/reconciliation.server";
import { createSettlementPacer } from "./context.server";
import { raiseDueDisputeAlerts } from "./disputes.server";
import { runDueSettlements, type SettlementRunSummary } from "./due.server";

export interface SettlementWorker {
  /** Stops claiming work, lets the batch in flight finish and record, then resolves. */
  stop(): Promise<void>;
}

/**
 * The long-running settlement loop (inside `npm start` when RUN_WORKER, or `npm run worker`).
 * Each pass settles whatever is due; a pass that did something is followed at once by another,
 * an idle one by WORKER_POLL_MS of sleep. Any number of workers, in any number of processes,
 * share the work through row locks. One pacer per worker keeps it under STRIPE_MAX_RPS.
 */
export function startSettlementWorker({
  db,
  stripe,
  config,
  log = (line) => console.log(line),
  now = () => new Date(),
}: {
  db: Db;
  stripe: Stripe;
  config: Config;
  log?: (line: string) => void;
  /** The settlement clock (tests). */
  now?: () => Date;
}): SettlementWorker {
  const pacer = createSettlementPacer(config);
  const controller = new AbortController();
  let wake: (() => void) | undefined;
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    let failures = 0;
    while (!controller.signal.aborted) {
      let worked = false;
      try {
        const summary = await runDueSettlements({
          db,
          stripe,
          config,
          pacer,
          signal: controller.signal,
          now: now(),
          log,
        });
        worked = summary.worked;
        failures = 0;
        for (const line of describePass(summary)) log(line);
        // The day's reconciliation, once across all workers (the first to claim the day runs it),
        // on an idle pass, so charges this worker is making are not compared half-booked.
        if (!worked && config.RECONCILE_DAILY_AT_HOUR !== "off") {
          const run = await runScheduledReconciliation(db, stripe, {
            now: now(),
            atHour: config.RECONCILE_DAILY_AT_HOUR,
          });
          if (run) log(`[reconciliation] daily run: ${run.ok ? `${run.mismatches} mismatches` : run.message}`);
        }
        // Money waiting on Stripe: transfers waiting for funds, recoveries left pending.
        if (!worked) {
          const transfers = await retryWaitingTransfers(db, stripe, { now: now() });
          const recoveries = await retryPendingRecoveries(db, stripe);
          if (transfers || recoveries) log(`[payouts] retried ${transfers} transfers, ${recoveries} recoveries`);
        }
        if (!worked) await raiseDueDisputeAlerts(db, now());
      } catch (error) {
        failures++;
        log(`[settlement] pass failed (will retry): ${(error as Error).message}`);
      }
      if (controller.signal.aborted) break;
      // Back off on repeated failures (database down) up to ten polls.
      if (!worked) await idle(config.WORKER_POLL_MS * Math.min(10, 2 ** Math.max(0, failures - 1)));
    }
  })();

  return {
    stop: async () => {
      controller.abort();
      wake?.();
      await loop;
    },
  };
}

/** One log line per campaign that changed in a pass. */
export function describePass(summary: SettlementRunSummary): string[] {
  const lines: string[] = [];
  for (const c of summary.campaigns) {
    const parts: string[] = [];
    if (c.decided) parts.push(`decided ${c.decision}`);
    if (c.charged) parts.push(`${c.charged} charged (${formatMoney(c.collectedAmount, c.currency)})`);
    if (c.failed) parts.push(`${c.failed} failed`);
    if (c.kept) parts.push(`${c.kept} kept`);
    if (c.released) parts.push(`${c.released} released`);
    if (c.refunded) parts.push(`${c.refunded} refunded`);
    if (c.dropped) parts.push(`${c.dropped} dropped`);
    if (c.unfinished) parts.push(`${c.unfinished} left for the next pass`);
    if (c.closed) parts.push("closed");
    if (parts.length) lines.push(`[settlement] ${c.slug}: ${parts.join(", ")}`);
  }
  return lines;
}
