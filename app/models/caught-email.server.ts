import type { Db } from "../../db/schema.js";

// What the embedded SMTP catcher received (demo mode, no SMTP_URL): the demo mailbox.

export interface CaughtEmailInput {
  toEmail: string;
  mailFrom: string | null;
  messageId: string | null;
  subject: string;
  bodyText: string | null;
  bodyHtml: string | null;
  headers: Record<string, string>;
}

export async function storeCaughtEmails(db: Db, emails: CaughtEmailInput[]) {
  if (emails.length === 0) return;
  await db
    .insertInto("caught_emails")
    .values(
      emails.map((e) => ({
        to_email: e.toEmail,
        mail_from: e.mailFrom,
        message_id: e.messageId,
        subject: e.subject,
        body_text: e.bodyText,
        body_html: e.bodyHtml,
        headers: JSON.stringify(e.headers),
      })),
    )
    .execute();
}

/** A mailbox, newest first; the address is matched without regard to case. */
export async function listCaughtEmails(db: Db, { toEmail, limit = 100 }: { toEmail: string; limit?: number }) {
  return db
    .selectFrom("caught_emails")
    .select(["id", "subject", "body_text", "received_at", "message_id"])
    .where((eb) => eb(eb.fn("lower", ["to_email"]), "=", toEmail.toLowerCase()))
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** One received message's HTML, only from the given mailbox (ownership in the query). */
export async function getCaughtEmailHtml(db: Db, { id, toEmail }: { id: number; toEmail: string }) {
  return db
    .selectFrom("caught_emails")
    .select(["body_html", "body_text", "subject"])
    .where("id", "=", id)
    .where((eb) => eb(eb.fn("lower", ["to_email"]), "=", toEmail.toLowerCase()))
    .executeTakeFirst();
}
