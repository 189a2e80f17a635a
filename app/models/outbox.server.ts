import { sql } from "kysely";
import type { Db, EmailCategory } from "../../db/schema.js";
import type { Locale } from "../domain/locale";

// The email outbox: queued in the transaction that causes an email, drained by the delivery
// worker (app/services/email/delivery.server.ts). The protocol, per row:
//   claim   one short statement takes due rows with FOR UPDATE SKIP LOCKED, sets a lease
//           (claimed_until), counts the attempt and fixes the Message-ID (first claim only);
//   send    outside any transaction;
//   record  sent / retry later / failed / suppressed, only while the row is still pending.
// A worker that dies between send and record leaves the lease to lapse; the next claim resends
// the row with the SAME Message-ID, so the worst case is a duplicate a mail client recognises.

export interface OutgoingEmail {
  kind: string;
  toEmail: string;
  toUserId?: string | null;
  subject: string;
  bodyText: string;
  /** The HTML part (app/domain/email-render.tsx), from the same template as the text. */
  bodyHtml?: string | null;
  /** The language subject and body are written in (app/domain/emails.ts), recorded with the row. */
  locale: Locale;
  /** Transactional unless said otherwise: only the other categories can be turned off. */
  category?: EmailCategory;
  /** Queuing with a key already queued does nothing (retries and redeliveries stay single). */
  dedupeKey?: string;
  sendAfter?: Date;
}

/** Queues emails in the outbox, in the caller's transaction: they go out only if it commits. */
export async function queueEmails(db: Db, emails: OutgoingEmail[]) {
  if (emails.length === 0) return 0;
  const result = await db
    .insertInto("email_outbox")
    .values(
      emails.map((e) => ({
        kind: e.kind,
        to_email: e.toEmail,
        to_user_id: e.toUserId ?? null,
        subject: e.subject,
        body_text: e.bodyText,
        body_html: e.bodyHtml ?? null,
        locale: e.locale,
        category: e.category ?? "transactional",
        dedupe_key: e.dedupeKey ?? null,
        ...(e.sendAfter ? { send_after: e.sendAfter } : {}),
      })),
    )
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function listEmailsFor(db: Db, { toEmail, limit = 50 }: { toEmail?: string; limit?: number }) {
  let query = db.selectFrom("email_outbox").selectAll().orderBy("id", "desc").limit(limit);
  if (toEmail) query = query.where("to_email", "=", toEmail);
  return query.execute();
}

export interface ClaimedEmail {
  id: number;
  toEmail: string;
  toUserId: string | null;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  locale: string;
  category: EmailCategory;
  messageId: string;
  attempts: number;
}

/**
 * Claims up to `limit` due emails for `leaseMs`: pending, due, and not leased to a live worker.
 * One statement (its own short transaction); rows other workers hold are skipped, not waited on.
 */
export async function claimDueEmails(
  db: Db,
  { limit, leaseMs, now, messageHost }: { limit: number; leaseMs: number; now: Date; messageHost: string },
): Promise<ClaimedEmail[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const result = await sql<{
    id: number;
    to_email: string;
    to_user_id: string | null;
    subject: string;
    body_text: string;
    body_html: string | null;
    locale: string;
    category: EmailCategory;
    message_id: string;
    attempts: number;
  }>`
    update email_outbox o
       set claimed_until = ${leaseUntil},
           attempts = o.attempts + 1,
           message_id = coalesce(o.message_id, '<outbox-' || o.id || '@' || ${messageHost}::text || '>')
     where o.id in (
       select id from email_outbox
        where status = 'pending' and send_after <= ${now}
          and (claimed_until is null or claimed_until < ${now})
        order by send_after, id
        limit ${limit}
        for update skip locked)
    returning o.id, o.to_email, o.to_user_id, o.subject, o.body_text, o.body_html, o.locale, o.category,
              o.message_id, o.attempts`.execute(db);
  return result.rows
    .map((r) => ({
      id: Number(r.id),
      toEmail: r.to_email,
      toUserId: r.to_user_id,
      subject: r.subject,
      bodyText: r.body_text,
      bodyHtml: r.body_html,
      locale: r.locale,
      category: r.category,
      messageId: r.message_id,
      attempts: r.attempts,
    }))
    .sort((a, b) => a.id - b.id);
}

/** Records a claimed email's outcome; a row no longer pending (retried by staff, say) is left alone. */
export async function recordDelivery(
  db: Db,
  id: number,
  outcome:
    | { status: "sent"; at: Date }
    | { status: "retry"; sendAfter: Date; error: string }
    | { status: "failed"; at: Date; error: string }
    | { status: "suppressed" },
) {
  const base = db.updateTable("email_outbox").where("id", "=", id).where("status", "=", "pending");
  switch (outcome.status) {
    case "sent":
      return base.set({ status: "sent", sent_at: outcome.at, claimed_until: null, last_error: null }).execute();
    case "retry":
      return base.set({ send_after: outcome.sendAfter, claimed_until: null, last_error: outcome.error }).execute();
    case "failed":
      return base
        .set({ status: "failed", failed_at: outcome.at, claimed_until: null, last_error: outcome.error })
        .execute();
    case "suppressed":
      return base.set({ status: "suppressed", claimed_until: null }).execute();
  }
}

/**
 * What staff look at: failed emails, and stuck ones (pending long past their time, or leased
 * past the lease: a worker died or the queue is not being drained). Newest first.
 */
export async function listProblemEmails(
  db: Db,
  { now, stuckAfterMs, limit = 100 }: { now: Date; stuckAfterMs: number; limit?: number },
) {
  const stuckBefore = new Date(now.getTime() - stuckAfterMs);
  return db
    .selectFrom("email_outbox")
    .select([
      "id",
      "kind",
      "to_email",
      "subject",
      "status",
      "attempts",
      "last_error",
      "created_at",
      "send_after",
      "failed_at",
      "claimed_until",
      "message_id",
    ])
    .where((eb) =>
      eb.or([
        eb("status", "=", "failed"),
        eb.and([eb("status", "=", "pending"), eb("send_after", "<", stuckBefore)]),
        eb.and([eb("status", "=", "pending"), eb("claimed_until", "<", stuckBefore)]),
      ]),
    )
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Puts a failed or stuck email back in the queue, due now; false when there is nothing to retry. */
export async function requeueEmail(db: Db, { id, now }: { id: number; now: Date }) {
  const result = await db
    .updateTable("email_outbox")
    .set({ status: "pending", send_after: now, claimed_until: null, failed_at: null })
    .where("id", "=", id)
    .where("status", "in", ["failed", "pending"])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
