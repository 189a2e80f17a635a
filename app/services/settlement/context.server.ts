import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import type { Config } from "../../config.server";
import { StripePacer, type RetryPolicy } from "./pacer.server";

/** What every settlement entry point takes. */
export interface SettlementOptions {
  db: Db;
  stripe: Stripe;
  config: Config;
  /** The settlement clock: deadlines, retry schedules and grace are judged against it (tests move it). */
  now?: Date;
  log?: (line: string) => void;
  /** Shared by a worker's passes so the rate limit holds across them; made from the config otherwise. */
  pacer?: StripePacer;
  /** Stops claiming new work; what is in flight finishes and is recorded. */
  signal?: AbortSignal;
  onProgress?: (progress: SettlementProgress) => void;
  /**
   * Hold a row lock on each charge attempt while its Stripe request runs, so a worker that finds
   * a pending attempt knows at once whether its owner is alive (PostgreSQL releases a dead
   * connection's locks). Default: on for PostgreSQL; off for embedded PGlite, which is one
   * session for one process, where an in-process registry does the same job.
   */
  holdLocksDuringCalls?: boolean;
  /** Pledges claimed per batch (default: 4 × SETTLEMENT_CONCURRENCY, at least 20). */
  batchSize?: number;
  /** Batches in flight at once per campaign (claim, call and record overlap). Default 2. */
  lanes?: number;
  retry?: Partial<RetryPolicy>;
}

export interface SettlementProgress {
  campaignId: string;
  slug: string;
  phase: "deciding" | "charging" | "keeping" | "releasing" | "refunding" | "retrying" | "dropping" | "closing";
  done: number;
  total: number;
}

/** How a step reports how far it got in a phase (the CLI draws it as a progress line). */
export type ReportProgress = (phase: SettlementProgress["phase"], done: number, total: number) => void;

export interface SettlementContext {
  db: Db;
  stripe: Stripe;
  config: Config;
  now: Date;
  log: (line: string) => void;
  pacer: StripePacer;
  signal: AbortSignal | undefined;
  onProgress: ((progress: SettlementProgress) => void) | undefined;
  holdLocks: boolean;
  batchSize: number;
  lanes: number;
  /** Attempts whose Stripe call ran out of tries in this pass: left pending for the next one. */
  deferred: Set<number>;
}

export function createSettlementPacer(config: Config, retry?: Partial<RetryPolicy>) {
  return new StripePacer({ ratePerSecond: config.STRIPE_MAX_RPS, concurrency: config.SETTLEMENT_CONCURRENCY, retry });
}

export function settlementContext(options: SettlementOptions): SettlementContext {
  const { config } = options;
  return {
    db: options.db,
    stripe: options.stripe,
    config,
    now: options.now ?? new Date(),
    log: options.log ?? ((line) => console.warn(line)),
    pacer: options.pacer ?? createSettlementPacer(config, options.retry),
    signal: options.signal,
    onProgress: options.onProgress,
    holdLocks: options.holdLocksDuringCalls ?? config.dbKind === "postgres",
    batchSize: options.batchSize ?? Math.max(20, config.SETTLEMENT_CONCURRENCY * 4),
    lanes: options.lanes ?? 2,
    deferred: new Set<number>(),
  };
}

/**
 * Charge attempts this process is working on right now. With PGlite (one process owns the
 * database) this is the whole truth about liveness: a pending attempt not in here was left by a
 * process that died. With PostgreSQL the row locks say it across processes.
 */
const KEY = Symbol.for("colecta.settlement.inflight");
const holder = globalThis as { [KEY]?: Set<number> };
export const inflightAttempts: Set<number> = (holder[KEY] ??= new Set<number>());
