import { sql, type Kysely } from "kysely";

// Monthly period close (issue 17, decision 029): a closed month keeps a frozen copy of its journal
// lines and statement rows (canonical JSON, exactly as hashed) with its SHA-256 checksum, who
// closed it, when and why. Once a month is closed, the journal refuses any transaction or line
// dated on or before that month's end, so the frozen copy can never fall behind the journal.
// Also indexes for the finance desk's audit log page (filter by action, by date) and for finding
// a month's journal transactions by date.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("period_closes")
    // The first day of the month (UTC).
    .addColumn("month", "date", (c) => c.primaryKey().check(sql`month = date_trunc('month', month)::date`))
    .addColumn("closed_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("closed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("reason", "text", (c) => c.notNull())
    // The canonical JSON text that was hashed (text, not jsonb, so the bytes stay as they were).
    .addColumn("document", "text", (c) => c.notNull())
    .addColumn("checksum", "text", (c) => c.notNull().check(sql`checksum ~ '^[0-9a-f]{64}$'`))
    .addColumn("line_count", "integer", (c) => c.notNull())
    .addColumn("totals", "jsonb", (c) => c.notNull())
    .execute();

  // A close is evidence, as the journal is: never edited or removed.
  await sql`
    create function period_closes_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'period_closes is append-only (% refused)', tg_op;
    end $$`.execute(db);
  await sql`
    create trigger period_closes_no_update_delete before update or delete on period_closes
    for each row execute function period_closes_append_only()`.execute(db);

  // The books are shut up to the end of the latest closed month: a backdated journal transaction,
  // or a line added to an old transaction, dated in that span is refused. Statement-level with the
  // inserted rows, so a settlement batch pays one check per statement, not one per line.
  await sql`
    create function journal_refuse_closed_period() returns trigger language plpgsql as $$
    declare
      shut_until timestamptz;
      dated timestamptz;
    begin
      select ((max(month) + interval '1 month')::timestamp at time zone 'UTC') into shut_until from period_closes;
      if shut_until is null then
        return null;
      end if;
      if tg_table_name = 'journal_transactions' then
        select min(created_at) into dated from inserted_rows;
      else
        select min(t.created_at) into dated
          from inserted_rows l join journal_transactions t on t.id = l.transaction_id;
      end if;
      if dated < shut_until then
        raise exception 'the journal is closed up to % (UTC): % dated % refused',
          to_char(shut_until at time zone 'UTC', 'YYYY-MM-DD'), tg_table_name, dated
          using errcode = 'check_violation';
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger journal_transactions_closed_period after insert on journal_transactions
    referencing new table as inserted_rows for each statement execute function journal_refuse_closed_period()`.execute(
    db,
  );
  await sql`
    create trigger journal_lines_closed_period after insert on journal_lines
    referencing new table as inserted_rows for each statement execute function journal_refuse_closed_period()`.execute(
    db,
  );

  await sql`create index journal_transactions_created_idx on journal_transactions (created_at)`.execute(db);
  await sql`create index audit_log_action_idx on audit_log (action, id)`.execute(db);
  await sql`create index audit_log_at_idx on audit_log (at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index audit_log_at_idx`.execute(db);
  await sql`drop index audit_log_action_idx`.execute(db);
  await sql`drop index journal_transactions_created_idx`.execute(db);
  await sql`drop trigger journal_lines_closed_period on journal_lines`.execute(db);
  await sql`drop trigger journal_transactions_closed_period on journal_transactions`.execute(db);
  await sql`drop function journal_refuse_closed_period()`.execute(db);
  await db.schema.dropTable("period_closes").execute();
  await sql`drop function period_closes_append_only()`.execute(db);
}
