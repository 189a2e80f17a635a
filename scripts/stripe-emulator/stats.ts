// Counters served by `GET /_emulator/stats`, for tests and for eyeballing a chaos run.

export class Stats {
  requests = 0;
  byStatus: Record<string, number> = {};
  rateLimited = 0;
  injectedServerErrors = 0;
  slowResponses = 0;
  idempotentReplays = 0;
  idempotencyConflicts = 0;
  webhooks = {
    attempts: 0,
    delivered: 0,
    failedAttempts: 0,
    gaveUp: 0,
    duplicated: 0,
    reordered: 0,
  };

  countResponse(status: number): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  reset(): void {
    Object.assign(this, new Stats());
  }

  toJSON(): Record<string, unknown> {
    return {
      requests: this.requests,
      byStatus: this.byStatus,
      rateLimited: this.rateLimited,
      injectedServerErrors: this.injectedServerErrors,
      slowResponses: this.slowResponses,
      idempotentReplays: this.idempotentReplays,
      idempotencyConflicts: this.idempotencyConflicts,
      webhooks: this.webhooks,
    };
  }
}
