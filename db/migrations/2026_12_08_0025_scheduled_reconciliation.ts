import { sql, type Kysely } from "kysely";

// Reconciliation scheduled daily (issue 17): a run the worker starts itself has source
// 'schedule' and names its UTC day; the unique index lets exactly one worker claim each day,
// however many run.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table reconciliation_runs drop constraint reconciliation_runs_source_check`.execute(db);
  await sql`alter table reconciliation_runs add constraint reconciliation_runs_source_check check (source in ('desk', 'cli', 'schedule'))`.execute(
    db,
  );
  await db.schema.alterTable("reconciliation_runs").addColumn("scheduled_day", "date").execute();
  await sql`create unique index reconciliation_runs_one_per_day on reconciliation_runs (scheduled_day) where scheduled_day is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index reconciliation_runs_one_per_day`.execute(db);
  await db.schema.alterTable("reconciliation_runs").dropColumn("scheduled_day").execute();
  await sql`delete from reconciliation_runs where source = 'schedule'`.execute(db);
  await sql`alter table reconciliation_runs drop constraint reconciliation_runs_source_check`.execute(db);
  await sql`alter table reconciliation_runs add constraint reconciliation_runs_source_check check (source in ('desk', 'cli'))`.execute(
    db,
  );
}
