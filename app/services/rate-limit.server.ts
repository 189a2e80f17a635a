import { sql } from "kysely";
import type { Db } from "../../db/schema.js";

export interface RateLimitRule {
  /** Allowed hits per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitState {
  allowed: boolean;
  hits: number;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counter in PostgreSQL, so every web process sees the same count. One upsert:
 * a window that has ended restarts at 1, otherwise the counter increments.
 */
export async function hitRateLimit(db: Db, key: string, rule: RateLimitRule): Promise<RateLimitState> {
  const windowStart = new Date(Date.now() - rule.windowMs);
  const row = await db
    .insertInto("rate_limits")
    .values({ key, window_started_at: sql`now()`, hits: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        hits: sql`case when rate_limits.window_started_at <= ${windowStart} then 1 else rate_limits.hits + 1 end`,
        window_started_at: sql`case when rate_limits.window_started_at <= ${windowStart} then now() else rate_limits.window_started_at end`,
      }),
    )
    .returning(["hits", "window_started_at"])
    .executeTakeFirstOrThrow();
  return toState(row, rule);
}

/** Reads the counter without counting a hit. */
export async function peekRateLimit(db: Db, key: string, rule: RateLimitRule): Promise<RateLimitState> {
  const row = await db
    .selectFrom("rate_limits")
    .select(["hits", "window_started_at"])
    .where("key", "=", key)
    .where("window_started_at", ">", new Date(Date.now() - rule.windowMs))
    .executeTakeFirst();
  return row ? toState({ ...row, hits: row.hits + 1 }, rule) : { allowed: true, hits: 0, retryAfterSeconds: 0 };
}

export async function resetRateLimit(db: Db, key: string) {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

function toState(row: { hits: number; window_started_at: Date }, rule: RateLimitRule): RateLimitState {
  const endsAt = row.window_started_at.getTime() + rule.windowMs;
  return {
    allowed: row.hits <= rule.limit,
    hits: row.hits,
    retryAfterSeconds: Math.max(1, Math.ceil((endsAt - Date.now()) / 1000)),
  };
}
