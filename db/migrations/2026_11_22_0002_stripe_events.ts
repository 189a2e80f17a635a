import { sql, type Kysely } from "kysely";

// Stripe webhook events, stored once by their id: a redelivered event finds its row and does
// nothing. Handlers mark `processed_at`; failures keep the event for a retry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("stripe_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("livemode", "boolean", (c) => c.notNull())
    .addColumn("stripe_created_at", "timestamptz", (c) => c.notNull())
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("processed_at", "timestamptz")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .execute();
  await sql`create index stripe_events_unprocessed_idx on stripe_events (received_at) where processed_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("stripe_events").execute();
}
