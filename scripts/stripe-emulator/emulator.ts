// The emulated Stripe account: state, clock, configuration and the side effects every
// resource shares (events, webhooks, deferred jobs, persistence). Resources are plain
// functions that receive this object; the HTTP layer lives in server.ts.

import { join } from "node:path";
import {
  applyConfigPatch,
  initialConfig,
  type EmulatorOptions,
  type RuntimeConfig,
  type RuntimeConfigPatch,
} from "./config.js";
import { newId } from "./ids.js";
import { SnapshotFile } from "./persistence.js";
import { mulberry32 } from "./random.js";
import { TokenBucket } from "./rate-limit.js";
import { Scheduler, type JobHandler } from "./scheduler.js";
import { Stats } from "./stats.js";
import { Store, type Job } from "./store.js";
import type { StripeEvent } from "./types.js";
import { WebhookDispatcher } from "./webhooks.js";

/** The API version stamped on events; the SDK 23.1.0 default. */
export const API_VERSION = "2026-10-28.endive";

export interface RequestInfo {
  id: string;
  idempotency_key: string | null;
}

export class Emulator {
  readonly store = new Store();
  readonly stats = new Stats();
  readonly limiter: TokenBucket;
  readonly webhooks: WebhookDispatcher;
  readonly scheduler: Scheduler;
  readonly persistence: SnapshotFile | null;
  config: RuntimeConfig;
  rng: () => number;
  publicUrl = "";
  /**
   * The API request being executed. Handlers run synchronously, so this is never shared by two
   * requests; events created meanwhile record it in `event.request` like Stripe does.
   */
  currentRequest: RequestInfo | null = null;
  readonly log: (line: string) => void;
  private readonly jobHandlers: Partial<Record<Job["kind"], JobHandler>> = {};

  constructor(opts: EmulatorOptions) {
    this.log = opts.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.config = initialConfig(opts);
    this.rng = mulberry32(this.config.faults.seed);
    this.limiter = new TokenBucket(this.config.rateLimitPerSecond);
    this.webhooks = new WebhookDispatcher(this);
    this.scheduler = new Scheduler(
      () => this.store.internal.jobs,
      (jobs) => {
        this.store.internal.jobs = jobs;
      },
      () => this.now(),
      {
        "checkout_session.expire": (ref) => this.runJob("checkout_session.expire", ref),
        "dispute.create": (ref) => this.runJob("dispute.create", ref),
        "refund.fail": (ref) => this.runJob("refund.fail", ref),
      },
      (job, err) => this.log(`stripe-emulator: job ${job.kind} ${job.ref} failed: ${String(err)}`),
    );
    this.persistence = opts.dataDir
      ? new SnapshotFile(join(opts.dataDir, "stripe-emulator"), () => this.store.snapshot(), this.log)
      : null;
    const saved = this.persistence?.load();
    if (saved) this.store.restore(saved);
  }

  /** Resources register what a deferred job does (keeps the scheduler free of domain code). */
  onJob(kind: Job["kind"], handler: JobHandler): void {
    this.jobHandlers[kind] = handler;
  }

  private runJob(kind: Job["kind"], ref: string): void {
    this.jobHandlers[kind]?.(ref);
    this.changed();
  }

  /** Emulator clock in milliseconds: wall time plus whatever `advanceClock` added. */
  now(): number {
    return Date.now() + this.store.internal.clockOffsetMs;
  }

  /** Emulator clock in unix seconds, Stripe's `created`. */
  unix(): number {
    return Math.floor(this.now() / 1000);
  }

  changed(): void {
    this.persistence?.markDirty();
  }

  /**
   * Records an event with a snapshot of `object` and queues its webhook deliveries.
   * `previous` holds the changed fields' old values (`data.previous_attributes`).
   */
  emit(type: StripeEvent["type"], object: unknown, previous?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: newId("evt"),
      object: "event",
      api_version: API_VERSION,
      created: this.unix(),
      data: {
        object: structuredClone(object),
        ...(previous ? { previous_attributes: structuredClone(previous) } : {}),
      },
      livemode: false,
      pending_webhooks: 0,
      request: this.currentRequest ? { ...this.currentRequest } : { id: null, idempotency_key: null },
      type,
    };
    this.store.events.insert(event);
    event.pending_webhooks = this.webhooks.enqueue(event);
    this.changed();
    return event;
  }

  configure(patch: RuntimeConfigPatch): RuntimeConfig {
    const next = applyConfigPatch(this.config, patch);
    if (patch.faults?.seed !== undefined) this.rng = mulberry32(next.faults.seed);
    if (next.rateLimitPerSecond !== this.config.rateLimitPerSecond) this.limiter.setRate(next.rateLimitPerSecond);
    this.config = next;
    return next;
  }

  /** Moves the emulator clock forward and runs whatever became due (e.g. session expiry). */
  advanceClock(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error("seconds must be a non-negative number");
    this.store.internal.clockOffsetMs += Math.round(seconds * 1000);
    this.changed();
    return this.scheduler.runDue();
  }

  reset(): void {
    this.store.reset();
    this.stats.reset();
    this.rng = mulberry32(this.config.faults.seed);
    this.scheduler.arm();
    this.changed();
  }

  start(): void {
    this.scheduler.runDue();
    this.webhooks.resume();
  }

  async close(): Promise<void> {
    this.scheduler.close();
    await this.webhooks.close();
    await this.persistence?.flush();
  }
}
