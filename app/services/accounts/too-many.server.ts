import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";

/** A refusal because of too many attempts: the page answers 429 with a Retry-After header. */
export type RateLimited = Refusal & { status: 429; retryAfterSeconds: number };

export function rateLimited(retryAfterSeconds: number, message: string): RateLimited {
  return { ...refuse(429, message), status: 429, retryAfterSeconds };
}

/** "a minute", "12 minutes": the wait rounded up to whole minutes. */
export function describeWait(t: Translate, seconds: number) {
  return t("auth:refusal.wait", { count: Math.max(1, Math.ceil(seconds / 60)) });
}
