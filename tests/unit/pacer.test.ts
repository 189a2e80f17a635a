import { backoffDelay, isRetryable, StripePacer, TokenBucket, type Clock } from "~/services/settlement/pacer.server";

/** A clock that only moves when someone sleeps: the test controls time exactly. */
function virtualClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

const error = (type: string, statusCode?: number, code?: string) =>
  Object.assign(new Error(type), { type, statusCode, code });

describe("the token bucket", () => {
  it("never lets more than burst + rate × elapsed through, however many callers wait", async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket(100, 10, clock);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 1_000 }, () => bucket.take().then(() => times.push(clock.now()))));
    expect(times).toHaveLength(1_000);
    for (let i = 0; i < times.length; i++) {
      // By time t, at most burst + rate × t requests may have started.
      expect(i + 1).toBeLessThanOrEqual(10 + Math.floor((times[i]! / 1000) * 100 + 1e-9));
    }
    // And it does not waste the budget: 1,000 requests at 100/s take about 9.9 s.
    expect(times.at(-1)!).toBeGreaterThan(9_800);
    expect(times.at(-1)!).toBeLessThan(10_000);
  });

  it("holds the rate over any one-second window in real time", async () => {
    const bucket = new TokenBucket(200, 5);
    const started = performance.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 150 }, () => bucket.take().then(() => times.push(performance.now() - started))),
    );
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(5 + 200);
    }
    expect(times.at(-1)!).toBeGreaterThan(((150 - 5) / 200) * 1000 - 20);
  });
});

describe("retries", () => {
  it("retries 429, 5xx, timeouts and 'key in use' with the same idempotency key, then succeeds", async () => {
    const clock = virtualClock();
    const pacer = new StripePacer({
      ratePerSecond: 1000,
      concurrency: 4,
      clock,
      random: () => 1,
      retry: { baseMs: 100, capMs: 1_000, maxTries: 8 },
    });
    const failures = [
      error("StripeRateLimitError", 429),
      error("StripeAPIError", 500),
      error("StripeConnectionError"),
      error("StripeIdempotencyError", 409, "idempotency_key_in_use"),
    ];
    const keys: (string | undefined)[] = [];
    const result = await pacer.call(
      async (options) => {
        keys.push(options.idempotencyKey);
        expect(options.maxNetworkRetries).toBe(0);
        const next = failures.shift();
        if (next) throw next;
        return "ok";
      },
      { idempotencyKey: "colecta-charge-p-1" },
    );
    expect(result).toBe("ok");
    expect(keys).toEqual(Array(5).fill("colecta-charge-p-1"));
    expect(pacer.stats).toMatchObject({
      requests: 5,
      retries: 4,
      rateLimited: 1,
      serverErrors: 1,
      networkErrors: 1,
      conflicts: 1,
    });
    // Exponential with full jitter (random() = 1 here: the ceiling): 100, 200, 400, 800 ms.
    expect(clock.t).toBeGreaterThanOrEqual(1_500);
  });

  it("does not retry card errors, invalid requests or a key reused with other parameters", async () => {
    for (const e of [
      error("StripeCardError", 402, "card_declined"),
      error("StripeInvalidRequestError", 400, "resource_missing"),
      error("StripeIdempotencyError", 400),
    ]) {
      expect(isRetryable(e)).toBe(false);
      const pacer = new StripePacer({ ratePerSecond: 1000, concurrency: 1, clock: virtualClock() });
      let calls = 0;
      await expect(
        pacer.call(
          async () => {
            calls++;
            throw e;
          },
          { idempotencyKey: "k" },
        ),
      ).rejects.toBe(e);
      expect(calls).toBe(1);
    }
  });

  it("gives up after maxTries, leaving the attempt for the next pass", async () => {
    const pacer = new StripePacer({
      ratePerSecond: 1000,
      concurrency: 1,
      clock: virtualClock(),
      retry: { maxTries: 3 },
    });
    let calls = 0;
    await expect(
      pacer.call(
        async () => {
          calls++;
          throw error("StripeAPIError", 503);
        },
        { idempotencyKey: "k" },
      ),
    ).rejects.toMatchObject({ statusCode: 503 });
    expect(calls).toBe(3);
  });

  it("draws each delay uniformly up to a capped exponential", () => {
    const policy = { baseMs: 250, capMs: 20_000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(249);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(1_000);
    expect(backoffDelay(20, policy, () => 0.999)).toBe(19_980);
    expect(backoffDelay(5, policy, () => 0)).toBe(0);
  });

  it("bounds concurrency", async () => {
    const pacer = new StripePacer({ ratePerSecond: 1000, concurrency: 3 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        pacer.call(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});
