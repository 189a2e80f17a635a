import type { Db } from "../../db/schema.js";
import type { Locale } from "../domain/locale";

export interface OutgoingEmail {
  kind: string;
  toEmail: string;
  toUserId?: string | null;
  subject: string;
  bodyText: string;
  /** The language subject and body are written in (app/domain/emails.ts), recorded with the row. */
  locale: Locale;
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
        locale: e.locale,
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
