import type Stripe from "stripe";

// Pacing and retrying Stripe calls for settlement: a token bucket keeps every request under the
// configured rate (STRIPE_MAX_RPS), a semaphore bounds concurrency, and transient failures are
// retried with exponential backoff and full jitter, always with the SAME request options, so the
// idempotency key never changes between tries.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Refills `ratePerSecond` tokens a second up to `burst`. `take()` waits for a token; waiters are
 * served first come, first served, and each reserves its slot before sleeping, so N concurrent
 * callers never exceed burst + rate × elapsed.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number = Math.max(1, Math.floor(ratePerSecond / 10)),
    private readonly clock: Clock = realClock,
  ) {
    if (!(ratePerSecond > 0)) throw new Error("TokenBucket: ratePerSecond must be positive");
    this.tokens = this.burst;
    this.last = clock.now();
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.wait());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async wait() {
    this.refill();
    if (this.tokens < 1) {
      await this.clock.sleep(((1 - this.tokens) / this.ratePerSecond) * 1000);
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill() {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }
}

/** At most `limit` tasks at once. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

export interface RetryPolicy {
  /** Tries in total, the first included. When they run out the error is thrown (the caller leaves the attempt pending). */
  maxTries: number;
  baseMs: number;
  capMs: number;
  /** Client-side timeout of one request. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxTries: 8, baseMs: 250, capMs: 20_000, timeoutMs: 20_000 };

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base × 2^n)]. */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, "baseMs" | "capMs">,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** retry));
}

/**
 * Worth another try with the same idempotency key: rate limited (429), Stripe-side errors (5xx),
 * timeouts and network errors, and 409 "a request with this key is still in progress".
 * Card errors, invalid requests and a key reused with other parameters are final.
 */
export function isRetryable(error: unknown): boolean {
  const e = error as { type?: string; statusCode?: number; code?: string };
  if (!e || typeof e !== "object") return false;
  switch (e.type) {
    case "StripeRateLimitError":
    case "StripeConnectionError":
    case "StripeAPIError":
      return true;
    case "StripeIdempotencyError":
      return e.statusCode === 409;
    case "StripeCardError":
    case "StripeInvalidRequestError":
    case "StripeAuthenticationError":
    case "StripePermissionError":
      return e.code === "lock_timeout" || e.statusCode === 409 || e.statusCode === 429;
    default:
      return (e.statusCode ?? 0) >= 500 || e.statusCode === 429;
  }
}

export interface PacerStats {
  requests: number;
  retries: number;
  rateLimited: number;
  serverErrors: number;
  networkErrors: number;
  conflicts: number;
}

/**
 * One per worker process: every settlement request to Stripe goes through `call`, which waits
 * for a token and a concurrency slot, then retries transient failures with backoff and jitter.
 */
export class StripePacer {
  readonly bucket: TokenBucket;
  readonly slots: Semaphore;
  readonly stats: PacerStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    serverErrors: 0,
    networkErrors: 0,
    conflicts: 0,
  };

  constructor({
    ratePerSecond,
    concurrency,
    burst,
    retry = {},
    random = Math.random,
    clock = realClock,
  }: {
    ratePerSecond: number;
    concurrency: number;
    burst?: number;
    retry?: Partial<RetryPolicy>;
    random?: () => number;
    clock?: Clock;
  }) {
    this.bucket = new TokenBucket(ratePerSecond, burst, clock);
    this.slots = new Semaphore(concurrency);
    this.retry = { ...DEFAULT_RETRY, ...retry };
    this.random = random;
    this.clock = clock;
  }

  readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly clock: Clock;

  /**
   * Runs `request(options)` until it succeeds, fails for good, or runs out of tries. The same
   * `options` object (idempotency key included) is passed on every try; the SDK's own retries
   * are off so this loop is the only one.
   */
  async call<T>(
    request: (options: Stripe.RequestOptions) => Promise<T>,
    { idempotencyKey }: { idempotencyKey?: string } = {},
  ): Promise<T> {
    const options: Stripe.RequestOptions = Object.freeze({
      ...(idempotencyKey ? { idempotencyKey } : {}),
      maxNetworkRetries: 0,
      timeout: this.retry.timeoutMs,
    });
    for (let tryNumber = 0; ; tryNumber++) {
      const result = await this.slots.run(async () => {
        await this.bucket.take();
        this.stats.requests++;
        try {
          return { ok: true as const, value: await request(options) };
        } catch (error) {
          return { ok: false as const, error };
        }
      });
      if (result.ok) return result.value;
      const error = result.error as { type?: string; statusCode?: number };
      if (!isRetryable(error) || tryNumber + 1 >= this.retry.maxTries) throw error;
      this.stats.retries++;
      if (error.statusCode === 429) this.stats.rateLimited++;
      else if (error.statusCode === 409) this.stats.conflicts++;
      else if ((error.statusCode ?? 0) >= 500) this.stats.serverErrors++;
      else this.stats.networkErrors++;
      await this.clock.sleep(backoffDelay(tryNumber, this.retry, this.random));
    }
  }
}
