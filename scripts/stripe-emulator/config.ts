// Options given at start-up and the subset that can change at run time (`configure()` and
// `POST /_emulator/config`).

import type { FeeSchedule } from "./money.js";

export interface FaultOptions {
  /** Seed of the PRNG deciding which requests/deliveries are hit; same seed, same run. */
  seed?: number;
  /** Share (0..1) of API requests answered with a 500 api_error before doing anything. */
  serverErrorRate?: number;
  /** Share (0..1) of API requests whose response is held back for `slowMs` after the work is done. */
  slowRate?: number;
  slowMs?: number;
  /** Share (0..1) of webhook deliveries sent twice. */
  duplicateWebhookRate?: number;
  /** Share (0..1) of webhook deliveries held back by `reorderDelayMs` so later events overtake them. */
  reorderWebhookRate?: number;
  reorderDelayMs?: number;
}

export interface WebhookRetryOptions {
  /** First retry delay; each further retry doubles it. */
  baseMs: number;
  /** Attempts in total, the first one included. */
  maxAttempts: number;
}

export interface PreconfiguredWebhook {
  url: string;
  /** Fixed `whsec_...` secret so the app can verify without calling the API first. */
  secret?: string;
  enabledEvents?: string[];
}

export interface EmulatorOptions {
  /** 0 = random free port; default 12111. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** State persists in `<dataDir>/stripe-emulator/`; null = memory only (tests). */
  dataDir?: string | null;
  /** Base URL used in hosted page urls; default http://host:port. */
  publicUrl?: string;
  /** Shown on the hosted pages; default "Colecta". */
  merchantName?: string;
  /** Stripe processing fee; default 290 bps + 30 minor units. */
  fees?: FeeSchedule;
  /** Fee Stripe charges on a dispute, in minor units; default 1500. */
  disputeFee?: number;
  /** API requests per second (token bucket); null/0 = unlimited (default). */
  rateLimitPerSecond?: number | null;
  faults?: FaultOptions;
  /** Default 1000 ms doubling, 8 attempts. */
  webhookRetry?: WebhookRetryOptions;
  /** Webhook endpoints registered at start (idempotent by url). */
  webhooks?: PreconfiguredWebhook[];
  /** Delay before asynchronous test-card outcomes (disputes, failed refunds); default 1000 ms. */
  asyncDelayMs?: number;
  /** How long a card charge's funds stay pending before they are available; default two days, as Stripe. */
  availableAfterSeconds?: number;
  log?: (line: string) => void;
}

/** The part of the configuration that `configure()` / `POST /_emulator/config` can change. */
export interface RuntimeConfig {
  merchantName: string;
  fees: FeeSchedule;
  disputeFee: number;
  rateLimitPerSecond: number | null;
  faults: Required<FaultOptions>;
  webhookRetry: WebhookRetryOptions;
  asyncDelayMs: number;
  availableAfterSeconds: number;
}

export type RuntimeConfigPatch = Partial<Omit<RuntimeConfig, "faults" | "fees" | "webhookRetry">> & {
  faults?: FaultOptions;
  fees?: Partial<FeeSchedule>;
  webhookRetry?: Partial<WebhookRetryOptions>;
};

const DEFAULT_FAULTS: Required<FaultOptions> = {
  seed: 1,
  serverErrorRate: 0,
  slowRate: 0,
  slowMs: 30_000,
  duplicateWebhookRate: 0,
  reorderWebhookRate: 0,
  reorderDelayMs: 500,
};

export function initialConfig(opts: EmulatorOptions): RuntimeConfig {
  return applyConfigPatch(
    {
      merchantName: "Colecta",
      fees: { percentBps: 290, fixed: 30 },
      disputeFee: 1500,
      rateLimitPerSecond: null,
      faults: { ...DEFAULT_FAULTS },
      webhookRetry: { baseMs: 1000, maxAttempts: 8 },
      asyncDelayMs: 1000,
      availableAfterSeconds: 2 * 24 * 60 * 60,
    },
    {
      merchantName: opts.merchantName,
      fees: opts.fees,
      disputeFee: opts.disputeFee,
      rateLimitPerSecond: opts.rateLimitPerSecond,
      faults: opts.faults,
      webhookRetry: opts.webhookRetry,
      asyncDelayMs: opts.asyncDelayMs,
      availableAfterSeconds: opts.availableAfterSeconds,
    },
  );
}

function rate(name: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new Error(`${name} must be a number between 0 and 1`);
  return v;
}

function nonNegative(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
}

/** Validates and merges a patch; throws an Error with a readable message on bad input. */
export function applyConfigPatch(current: RuntimeConfig, patch: RuntimeConfigPatch): RuntimeConfig {
  const next: RuntimeConfig = structuredClone(current);
  if (patch.merchantName !== undefined) {
    if (typeof patch.merchantName !== "string" || patch.merchantName.trim() === "")
      throw new Error("merchantName must be a non-empty string");
    next.merchantName = patch.merchantName;
  }
  if (patch.fees) {
    if (patch.fees.percentBps !== undefined)
      next.fees.percentBps = nonNegative("fees.percentBps", patch.fees.percentBps);
    if (patch.fees.fixed !== undefined) next.fees.fixed = nonNegative("fees.fixed", patch.fees.fixed);
  }
  if (patch.disputeFee !== undefined) next.disputeFee = nonNegative("disputeFee", patch.disputeFee);
  if (patch.rateLimitPerSecond !== undefined) {
    const r = patch.rateLimitPerSecond;
    next.rateLimitPerSecond = r === null || r === 0 ? null : nonNegative("rateLimitPerSecond", r);
  }
  if (patch.asyncDelayMs !== undefined) next.asyncDelayMs = nonNegative("asyncDelayMs", patch.asyncDelayMs);
  if (patch.availableAfterSeconds !== undefined)
    next.availableAfterSeconds = Math.floor(nonNegative("availableAfterSeconds", patch.availableAfterSeconds));
  if (patch.faults) {
    const f = patch.faults;
    if (f.seed !== undefined) next.faults.seed = Math.floor(nonNegative("faults.seed", f.seed));
    if (f.serverErrorRate !== undefined)
      next.faults.serverErrorRate = rate("faults.serverErrorRate", f.serverErrorRate);
    if (f.slowRate !== undefined) next.faults.slowRate = rate("faults.slowRate", f.slowRate);
    if (f.slowMs !== undefined) next.faults.slowMs = nonNegative("faults.slowMs", f.slowMs);
    if (f.duplicateWebhookRate !== undefined)
      next.faults.duplicateWebhookRate = rate("faults.duplicateWebhookRate", f.duplicateWebhookRate);
    if (f.reorderWebhookRate !== undefined)
      next.faults.reorderWebhookRate = rate("faults.reorderWebhookRate", f.reorderWebhookRate);
    if (f.reorderDelayMs !== undefined)
      next.faults.reorderDelayMs = nonNegative("faults.reorderDelayMs", f.reorderDelayMs);
  }
  if (patch.webhookRetry) {
    if (patch.webhookRetry.baseMs !== undefined)
      next.webhookRetry.baseMs = nonNegative("webhookRetry.baseMs", patch.webhookRetry.baseMs);
    if (patch.webhookRetry.maxAttempts !== undefined) {
      next.webhookRetry.maxAttempts = Math.max(
        1,
        Math.floor(nonNegative("webhookRetry.maxAttempts", patch.webhookRetry.maxAttempts)),
      );
    }
  }
  return next;
}
