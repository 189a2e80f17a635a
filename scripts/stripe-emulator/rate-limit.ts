// Token bucket: refills `ratePerSecond` tokens a second, holds at most one second's worth, so a
// burst of N requests passes only if N <= rate. Mirrors how Stripe's per-account limiter feels
// from the client (25 read+write operations/s in test mode).

export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(private ratePerSecond: number | null) {
    this.tokens = ratePerSecond ?? 0;
  }

  setRate(ratePerSecond: number | null): void {
    this.ratePerSecond = ratePerSecond;
    this.tokens = ratePerSecond ?? 0;
    this.last = performance.now();
  }

  /** True if the request may proceed. Always true when unlimited. */
  take(): boolean {
    const rate = this.ratePerSecond;
    if (!rate) return true;
    const now = performance.now();
    this.tokens = Math.min(rate, this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
