import { sql, type Kysely } from "kysely";

// Finance alerts (issue 17): money that needs a person (a refund Stripe failed, a refused
// transfer, a dispute, a refund that could not be recovered from the creator). One row per
// problem, found again by its dedupe key, open until resolved (by the code when the problem goes
// away, or by a finance user with a note).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("finance_alerts")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("severity", "text", (c) =>
      c
        .notNull()
        .defaultTo("warning")
        .check(sql`severity in ('info', 'warning', 'critical')`),
    )
    .addColumn("dedupe_key", "text", (c) => c.notNull().unique())
    .addColumn("campaign_id", "uuid", (c) => c.references("campaigns.id").onDelete("set null"))
    .addColumn("pledge_id", "uuid", (c) => c.references("pledges.id").onDelete("set null"))
    .addColumn("payout_id", "uuid", (c) => c.references("payouts.id").onDelete("set null"))
    .addColumn("detail", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("raised_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("resolved_at", "timestamptz")
    .addColumn("resolved_by", "uuid", (c) => c.references("users.id"))
    .addColumn("resolution", "text")
    .execute();
  await sql`create index finance_alerts_open_idx on finance_alerts (raised_at desc) where resolved_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("finance_alerts").execute();
}
