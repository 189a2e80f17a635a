import { sql, type Kysely } from "kysely";

// The outbox learns delivery. A worker claims due rows for a short lease (claimed_until) with
// FOR UPDATE SKIP LOCKED, sends outside any transaction, then records the outcome; the
// Message-ID is fixed on first claim, so a resend after a crash is recognisably the same
// message. Categories say which mail a person can turn off (everything but transactional).
// Plus each person's notification preferences, and what the embedded SMTP catcher received.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("email_outbox")
    .addColumn("body_html", "text")
    .addColumn("category", "text", (c) =>
      c
        .notNull()
        .defaultTo("transactional")
        .check(sql`category in ('transactional', 'updates', 'comments', 'reminders')`),
    )
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'sent', 'failed', 'suppressed')`),
    )
    .addColumn("claimed_until", "timestamptz")
    .addColumn("message_id", "text")
    .addColumn("failed_at", "timestamptz")
    .execute();
  // Rows queued before delivery existed: what demo mode "sent" stays sent.
  await sql`update email_outbox set status = 'sent' where sent_at is not null`.execute(db);
  await sql`drop index email_outbox_pending_idx`.execute(db);
  await sql`create index email_outbox_due_idx on email_outbox (send_after, id) where status = 'pending'`.execute(db);
  await sql`create index email_outbox_failed_idx on email_outbox (failed_at desc) where status = 'failed'`.execute(db);

  await db.schema
    .createTable("notification_preferences")
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("category", "text", (c) => c.notNull().check(sql`category in ('updates', 'comments', 'reminders')`))
    .addColumn("enabled", "boolean", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("notification_preferences_pkey", ["user_id", "category"])
    .execute();

  // One row per recipient of each message the embedded catcher accepted (what /mailbox shows).
  await db.schema
    .createTable("caught_emails")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("to_email", "text", (c) => c.notNull())
    .addColumn("mail_from", "text")
    .addColumn("message_id", "text")
    .addColumn("subject", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("body_text", "text")
    .addColumn("body_html", "text")
    .addColumn("headers", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index caught_emails_recipient_idx on caught_emails (lower(to_email), id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("caught_emails").execute();
  await db.schema.dropTable("notification_preferences").execute();
  await sql`drop index email_outbox_failed_idx`.execute(db);
  await sql`drop index email_outbox_due_idx`.execute(db);
  await sql`create index email_outbox_pending_idx on email_outbox (send_after) where sent_at is null`.execute(db);
  await db.schema
    .alterTable("email_outbox")
    .dropColumn("body_html")
    .dropColumn("category")
    .dropColumn("status")
    .dropColumn("claimed_until")
    .dropColumn("message_id")
    .dropColumn("failed_at")
    .execute();
}
