import { sql, type Kysely } from "kysely";

// The finance desk's reconciliation runs (ledger compared with Stripe) and the mismatches each
// run found, with both sides, so the desk always shows the last run and its findings.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("reconciliation_runs")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .addColumn("started_by", "uuid", (c) => c.references("users.id"))
    .addColumn("source", "text", (c) =>
      c
        .notNull()
        .defaultTo("desk")
        .check(sql`source in ('desk', 'cli')`),
    )
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("running")
        .check(sql`status in ('running', 'clean', 'mismatches', 'failed')`),
    )
    .addColumn("objects_checked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("mismatch_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .execute();
  await sql`create index reconciliation_runs_recent_idx on reconciliation_runs (id desc)`.execute(db);

  await db.schema
    .createTable("reconciliation_mismatches")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("run_id", "bigint", (c) => c.notNull().references("reconciliation_runs.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("campaign_id", "uuid", (c) => c.references("campaigns.id"))
    .addColumn("pledge_id", "uuid", (c) => c.references("pledges.id"))
    .addColumn("currency", "text")
    .addColumn("ledger_object_id", "text")
    .addColumn("ledger_amount", "bigint")
    .addColumn("stripe_object_id", "text")
    .addColumn("stripe_amount", "bigint")
    .addColumn("stripe_status", "text")
    .addColumn("detail", "text", (c) => c.notNull())
    .execute();
  await sql`create index reconciliation_mismatches_run_idx on reconciliation_mismatches (run_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("reconciliation_mismatches").execute();
  await db.schema.dropTable("reconciliation_runs").execute();
}
