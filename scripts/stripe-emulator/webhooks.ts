// Webhook delivery as Stripe does it: the event JSON POSTed to every enabled endpoint whose
// `enabled_events` match, signed with `Stripe-Signature: t=<unix>,v1=<HMAC-SHA256(secret,
// "t.body")>`, never blocking the API response, retried with exponential backoff on a non-2xx
// answer or network error.
//
// Each endpoint gets its own serial queue, so without faults events arrive in the order they
// happened (Stripe does not promise that; the reorder fault takes the promise away on purpose).
// A failed attempt goes back to the queue with its next due time and does not hold up later
// events. Pending deliveries are part of the persisted state, with their attempt count and next
// due time: each attempt's outcome is journaled (a step, see emulator.ts), and a delivery is only
// sent once the event it carries is on disk. After a restart they resume where they were.
//
// The payload is the event rendered at the endpoint's `api_version` (the account's default when
// it has none): see api-version.ts.

import { createHmac } from "node:crypto";
import { renderEvent } from "./api-version.js";
import { randomToken } from "./ids.js";
import type { RuntimeConfig } from "./config.js";
import type { Stats } from "./stats.js";
import type { PendingDelivery, Store } from "./store.js";
import type { StripeEvent, WebhookEndpoint } from "./types.js";

const ATTEMPT_TIMEOUT_MS = 10_000;
const LOG_SIZE = 500;

export interface WebhookHost {
  store: Store;
  config: RuntimeConfig;
  stats: Stats;
  rng(): number;
  log(line: string): void;
  /** Runs a step that changes state (journaled when it returns). */
  mutate<T>(fn: () => T): T;
  /** Resolves once every change made so far is on disk. */
  durable(): Promise<void>;
}

export interface DeliveryAttempt {
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  attempt: number;
  status: number | null;
  error: string | null;
  at: string;
}

export function signatureHeader(secret: string, payload: string, timestamp: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

function endpointWants(endpoint: WebhookEndpoint, type: string): boolean {
  if (endpoint.status !== "enabled") return false;
  return endpoint.enabled_events.some((e) => e === "*" || e === type);
}

export class WebhookDispatcher {
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly inflight = new Set<Promise<void>>();
  readonly recent: DeliveryAttempt[] = [];

  constructor(private readonly host: WebhookHost) {}

  private get queue(): PendingDelivery[] {
    return this.host.store.internal.deliveries;
  }

  /** Queues the event for every matching endpoint; returns how many endpoints will get it. */
  enqueue(event: StripeEvent): number {
    const { faults } = this.host.config;
    let endpoints = 0;
    for (const endpoint of this.host.store.webhookEndpoints.all()) {
      if (!endpointWants(endpoint, event.type)) continue;
      endpoints++;
      let dueAt = Date.now();
      if (faults.reorderWebhookRate > 0 && this.host.rng() < faults.reorderWebhookRate) {
        dueAt += faults.reorderDelayMs;
        this.host.stats.webhooks.reordered++;
      }
      this.queue.push({ id: randomToken(16), eventId: event.id, endpointId: endpoint.id, attempt: 1, dueAt });
      if (faults.duplicateWebhookRate > 0 && this.host.rng() < faults.duplicateWebhookRate) {
        this.queue.push({
          id: randomToken(16),
          eventId: event.id,
          endpointId: endpoint.id,
          attempt: 1,
          dueAt: dueAt + 1,
        });
        this.host.stats.webhooks.duplicated++;
      }
    }
    if (endpoints > 0) this.pumpSoon();
    return endpoints;
  }

  /** Drops queued deliveries of a deleted endpoint. */
  forgetEndpoint(endpointId: string): void {
    this.host.store.internal.deliveries = this.queue.filter((d) => d.endpointId !== endpointId);
  }

  /** Resolves true once nothing is queued or in flight, false on timeout. */
  async drain(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length > 0 || this.inflight.size > 0) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  /** Re-arms after a restart or reset. */
  resume(): void {
    this.pumpSoon();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inflight]);
  }

  private pumpSoon(): void {
    if (this.closed) return;
    setImmediate(() => this.pump());
  }

  /** Starts what is due, once everything queued so far is on disk. */
  private pump(): void {
    if (this.closed) return;
    void this.host.durable().then(() => this.pumpNow());
  }

  private pumpNow(): void {
    if (this.closed) return;
    const now = Date.now();
    let nextDue = Infinity;
    const started = new Set<string>();
    for (const delivery of this.queue) {
      if (this.busy.has(delivery.endpointId) || started.has(delivery.endpointId)) continue;
      if (delivery.dueAt > now) {
        nextDue = Math.min(nextDue, delivery.dueAt);
        continue;
      }
      started.add(delivery.endpointId);
      this.start(delivery);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (nextDue !== Infinity) {
      this.timer = setTimeout(() => this.pump(), Math.max(0, nextDue - Date.now()));
      this.timer.unref();
    }
  }

  private start(delivery: PendingDelivery): void {
    this.busy.add(delivery.endpointId);
    const p = this.attempt(delivery).finally(() => {
      this.busy.delete(delivery.endpointId);
      this.inflight.delete(p);
      this.pumpSoon();
    });
    this.inflight.add(p);
  }

  private async attempt(delivery: PendingDelivery): Promise<void> {
    const { store } = this.host;
    const endpoint = store.webhookEndpoints.get(delivery.endpointId);
    const event = store.events.get(delivery.eventId);
    const secret = store.internal.webhookSecrets[delivery.endpointId];
    if (!endpoint || !event || !secret) {
      this.host.mutate(() => this.remove(delivery));
      return;
    }
    const payload = JSON.stringify(renderEvent(event, endpoint.api_version), null, 2);
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    this.host.stats.webhooks.attempts++;
    try {
      const res = await fetch(endpoint.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "stripe-signature": signatureHeader(secret, payload, timestamp),
        },
        body: payload,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    this.record({
      eventId: event.id,
      eventType: event.type,
      endpointId: endpoint.id,
      url: endpoint.url,
      attempt: delivery.attempt,
      status,
      error,
      at: new Date().toISOString(),
    });
    this.host.mutate(() => this.settle(delivery, status));
  }

  /** An attempt's outcome, as one step: delivered, given up, or due again later. */
  private settle(delivery: PendingDelivery, status: number | null): void {
    // Gone meanwhile: its endpoint was deleted, or the state reset.
    if (!this.queue.includes(delivery)) return;
    const { store } = this.host;
    const event = store.events.get(delivery.eventId);
    const endpoint = store.webhookEndpoints.get(delivery.endpointId);
    if (!event || !endpoint) {
      this.remove(delivery);
      return;
    }
    if (status !== null && status >= 200 && status < 300) {
      this.host.stats.webhooks.delivered++;
      this.remove(delivery);
      event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      return;
    }
    this.host.stats.webhooks.failedAttempts++;
    const { baseMs, maxAttempts } = this.host.config.webhookRetry;
    if (delivery.attempt >= maxAttempts) {
      this.host.stats.webhooks.gaveUp++;
      this.host.log(
        `stripe-emulator: gave up delivering ${event.id} (${event.type}) to ${endpoint.url} after ${delivery.attempt} attempts`,
      );
      this.remove(delivery);
      return;
    }
    delivery.dueAt = Date.now() + baseMs * 2 ** (delivery.attempt - 1);
    delivery.attempt++;
  }

  private remove(delivery: PendingDelivery): void {
    const i = this.queue.indexOf(delivery);
    if (i !== -1) this.queue.splice(i, 1);
  }

  private record(attempt: DeliveryAttempt): void {
    this.recent.push(attempt);
    if (this.recent.length > LOG_SIZE) this.recent.splice(0, this.recent.length - LOG_SIZE);
  }
}
