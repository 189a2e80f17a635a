import type { Db } from "../../../db/schema.js";
import type { OptionalCategory } from "../../domain/email-delivery";
import { recordAudit } from "../../models/audit.server";
import { requeueEmail } from "../../models/outbox.server";
import { setNotificationPreferences } from "../../models/notification-preferences.server";
import { hitRateLimit, type RateLimitRule } from "../rate-limit.server";
import { readUnsubscribeToken } from "./unsubscribe.server";

// What the unsubscribe link, the preferences page and the staff retry button do.

/** Per IP: a mail client's one-click POSTs come from its servers, a handful at a time. */
export const UNSUBSCRIBE_LIMIT: RateLimitRule = { limit: 60, windowMs: 15 * 60_000 };

export type UnsubscribeOutcome =
  | { ok: true; category: OptionalCategory }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rateLimited"; retryAfterSeconds: number };

/** Turns off the category a signed unsubscribe token names; no sign-in needed. */
export async function unsubscribeWithToken(
  db: Db,
  { token, ip }: { token: string; ip: string },
): Promise<UnsubscribeOutcome> {
  const limit = await hitRateLimit(db, `unsubscribe:ip:${ip}`, UNSUBSCRIBE_LIMIT);
  if (!limit.allowed) return { ok: false, reason: "rateLimited", retryAfterSeconds: limit.retryAfterSeconds };
  const target = readUnsubscribeToken(token);
  if (!target) return { ok: false, reason: "invalid" };
  await setNotificationPreferences(db, target.userId, { [target.category]: false });
  return { ok: true, category: target.category };
}

/** Staff put a failed or stuck email back in the queue (audited). */
export async function retryEmailAsStaff(db: Db, { id, actorId, ip }: { id: number; actorId: string; ip: string }) {
  const requeued = await requeueEmail(db, { id, now: new Date() });
  if (requeued) {
    await recordAudit(db, { actorId, action: "email.retry", subjectType: "email_outbox", subjectId: String(id), ip });
  }
  return requeued;
}
