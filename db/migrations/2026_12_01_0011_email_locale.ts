import type { Kysely } from "kysely";

// The language each queued email is written in (the recipient's, or the request's that caused
// it), so the outbox and the demo mailbox can say which words were sent. Rows queued before this
// were all English.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("email_outbox")
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("en"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("email_outbox").dropColumn("locale").execute();
}
