// Stripe's idempotency layer for POST requests carrying an `Idempotency-Key`:
//  - same key, same method/path/parameters -> the first response is replayed byte for byte
//    (status and body) with `Idempotent-Replayed: true`;
//  - same key, different request -> 400 idempotency_error;
//  - same key while the first request is still executing -> 409 (the SDK retries those);
//  - keys are forgotten after 24 hours.
// Only results of requests that reached the endpoint are kept (see StripeApiError
// .idempotentResult): a validation error or an injected 500 leaves the key free to retry.
//
// The record and its response are stored in the same step as the request's effects, so they are
// journaled together (persistence.ts): after a crash a retried request either finds nothing (it
// never happened) or replays the first response (it happened), never runs twice. The 409 while a
// slow response is held back is in memory only.

import { StripeApiError } from "./http/errors.js";
import type { IdempotencyRecord } from "./store.js";

const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;
const PRUNE_EVERY = 1000;

export type IdempotencyOutcome =
  { kind: "execute"; record: IdempotencyRecord } | { kind: "replay"; status: number; body: string };

export class IdempotencyLayer {
  private sincePrune = 0;
  /** Keys whose (stored) first response has not been sent yet. */
  private readonly sending = new Set<string>();

  constructor(
    private readonly records: () => Record<string, IdempotencyRecord>,
    private readonly now: () => number,
  ) {}

  begin(key: string, method: string, path: string, fingerprint: string): IdempotencyOutcome {
    if (key.length > MAX_KEY_LENGTH) {
      throw new StripeApiError(
        400,
        {
          type: "invalid_request_error",
          message: `Invalid Idempotency-Key: keys must be at most ${MAX_KEY_LENGTH} characters long.`,
        },
        { idempotentResult: false },
      );
    }
    const records = this.records();
    const existing = records[key];
    if (existing && this.now() - existing.createdAt < TTL_MS) {
      if (existing.method !== method || existing.path !== path || existing.fingerprint !== fingerprint) {
        throw new StripeApiError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      if (!existing.response || this.sending.has(key)) {
        throw new StripeApiError(409, {
          type: "idempotency_error",
          code: "idempotency_key_in_use",
          message:
            "There is currently another in-progress request using this Idempotency Key (that probably means you submitted twice, and the other request is still going through). Please try again later.",
        });
      }
      return { kind: "replay", status: existing.response.status, body: existing.response.body };
    }
    const record: IdempotencyRecord = { key, method, path, fingerprint, createdAt: this.now() };
    records[key] = record;
    return { kind: "execute", record };
  }

  /** Stores the first response (inside the request's step); the key answers 409 until `sent`. */
  complete(record: IdempotencyRecord, status: number, body: string): void {
    record.response = { status, body };
    this.sending.add(record.key);
  }

  /** The first response went out: later uses of the key replay it. */
  sent(record: IdempotencyRecord): void {
    this.sending.delete(record.key);
  }

  /** Every 1000 keyed requests, forgets old keys (called outside a step: reads are not journaled). */
  maybePrune(): void {
    if (++this.sincePrune >= PRUNE_EVERY) this.prune();
  }

  /** The request failed before the endpoint ran: free the key. */
  release(record: IdempotencyRecord): void {
    const records = this.records();
    if (records[record.key] === record) delete records[record.key];
  }

  /** Forgets keys older than 24 h and drops in-flight locks (used after a restart). */
  prune(dropInFlight = false): void {
    this.sincePrune = 0;
    const records = this.records();
    const cutoff = this.now() - TTL_MS;
    for (const [key, r] of Object.entries(records)) {
      if (r.createdAt < cutoff || (dropInFlight && !r.response)) delete records[key];
    }
  }
}
