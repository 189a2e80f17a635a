// The emulated Stripe account: state, clock, configuration and the side effects every
// resource shares (events, webhooks, deferred jobs, persistence). Resources are plain
// functions that receive this object; the HTTP layer lives in server.ts.
//
// Every change of state happens inside `mutate()` (an API request, a hosted page's form post, a
// job, a webhook attempt's outcome): with a data dir its changes are journaled right after it,
// and whoever answers for it waits for `durable()` first (persistence.ts, decision 028).

import { join } from "node:path";
import {
  applyConfigPatch,
  initialConfig,
  type EmulatorOptions,
  type RuntimeConfig,
  type RuntimeConfigPatch,
} from "./config.js";
import { newId } from "./ids.js";
import { API_VERSION } from "./api-version.js";
import { DurableState } from "./persistence.js";
import { mulberry32 } from "./random.js";
import { TokenBucket } from "./rate-limit.js";
import { Scheduler, type JobHandler } from "./scheduler.js";
import { Stats } from "./stats.js";
import { Store, type Job } from "./store.js";
import type { StripeEvent } from "./types.js";
import { WebhookDispatcher } from "./webhooks.js";

export { API_VERSION } from "./api-version.js";

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
  readonly persistence: DurableState | null;
  config: RuntimeConfig;
  rng: () => number;
  publicUrl = "";
  /**
   * The API request being executed. Handlers run synchronously, so this is never shared by two
   * requests; events created meanwhile record it in `event.request` like Stripe does.
   */
  currentRequest: RequestInfo | null = null;
  /** The `Stripe-Version` of the API request being executed (null: the account's default). */
  requestApiVersion: string | null = null;
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
      (step) => this.mutate(step),
      {
        "checkout_session.expire": (ref) => this.runJob("checkout_session.expire", ref),
        "dispute.create": (ref) => this.runJob("dispute.create", ref),
        "refund.fail": (ref) => this.runJob("refund.fail", ref),
      },
      (job, err) => this.log(`stripe-emulator: job ${job.kind} ${job.ref} failed: ${String(err)}`),
    );
    this.persistence = opts.dataDir
      ? new DurableState(join(opts.dataDir, "stripe-emulator"), this.store, this.log)
      : null;
    this.persistence?.load();
  }

  /**
   * Runs one step that changes state (its changes are one journal batch, appended before this
   * returns). Nested calls join the outer step.
   */
  mutate<T>(fn: () => T): T {
    return this.persistence ? this.persistence.mutate(fn) : fn();
  }

  /** Resolves once every change made so far is on disk (at once without a data dir). */
  durable(): Promise<void> {
    return this.persistence ? this.persistence.durable() : Promise.resolve();
  }

  /** Resources register what a deferred job does (keeps the scheduler free of domain code). */
  onJob(kind: Job["kind"], handler: JobHandler): void {
    this.jobHandlers[kind] = handler;
  }

  private runJob(kind: Job["kind"], ref: string): void {
    this.jobHandlers[kind]?.(ref);
  }

  /** Emulator clock in milliseconds: wall time plus whatever `advanceClock` added. */
  now(): number {
    return Date.now() + this.store.internal.clockOffsetMs;
  }

  /** Emulator clock in unix seconds, Stripe's `created`. */
  unix(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Changes are tracked as they happen; outside a step this journals what is pending (a change
   * inside a step is journaled with the step).
   */
  changed(): void {
    if (this.persistence && !this.persistence.inStep) this.persistence.commit();
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
    this.mutate(() => {
      this.store.internal.clockOffsetMs += Math.round(seconds * 1000);
    });
    return this.scheduler.runDue();
  }

  reset(): void {
    this.store.reset();
    this.persistence?.afterReset();
    this.stats.reset();
    this.rng = mulberry32(this.config.faults.seed);
    this.scheduler.arm();
  }

  /** After loading (and start-up registrations): runs overdue jobs and resumes pending deliveries. */
  start(): void {
    this.changed();
    this.scheduler.runDue();
    this.webhooks.resume();
  }

  async close(): Promise<void> {
    this.scheduler.close();
    await this.webhooks.close();
    await this.persistence?.close();
  }
}
