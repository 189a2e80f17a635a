import { sql, type Kysely } from "kysely";

// Money after a payout (issue 17).
// - A refund made after the payout that carried its pledge is recovered from the creator: a
//   `payout_recoveries` row, written with the refund's booking, asks Stripe to reverse that much of
//   the payout's transfer (its id is the reversal's idempotency key); what Stripe will not reverse
//   stays owed by the creator and is netted from their next payout in that currency. A recovery
//   whose refund Stripe then failed is cancelled.
// - Reversals are booked as their own journal kind, `payout_reversal`.
// - A payout's transfer can be refused (the payout fails, a person retries) or wait for funds
//   (retried by the worker after `retry_after`); each refused attempt gets a new idempotency key,
//   because Stripe replays a refused request's answer for its key.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table journal_transactions drop constraint journal_transactions_kind_check`.execute(db);
  await sql`alter table journal_transactions add constraint journal_transactions_kind_check check (kind in ('charge', 'stripe_fee', 'refund', 'dispute', 'platform_fee', 'payout', 'payout_reversal'))`.execute(
    db,
  );
  await db.schema
    .alterTable("payouts")
    .addColumn("transfer_attempt", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("retry_after", "timestamptz")
    .execute();
  await db.schema
    .createTable("payout_recoveries")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("refund_id", "uuid", (c) => c.notNull().unique().references("refunds.id"))
    .addColumn("payout_id", "uuid", (c) => c.notNull().references("payouts.id"))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("late", "boolean", (c) => c.notNull())
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount > 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'reversed', 'owed', 'netted', 'cancelled')`),
    )
    // What Stripe is asked to reverse, fixed at the first attempt (a retry asks the same).
    .addColumn("requested_amount", "bigint")
    .addColumn("reversed_amount", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("stripe_reversal_id", "text")
    .addColumn("failure", "text")
    .addColumn("netted_by_payout_id", "uuid", (c) => c.references("payouts.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .addCheckConstraint("payout_recoveries_reversed_within", sql`reversed_amount between 0 and amount`)
    .execute();
  await sql`create index payout_recoveries_open_idx on payout_recoveries (status) where status in ('pending', 'owed')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("payout_recoveries").execute();
  await db.schema.alterTable("payouts").dropColumn("transfer_attempt").dropColumn("retry_after").execute();
  await sql`delete from journal_lines where transaction_id in (select id from journal_transactions where kind = 'payout_reversal')`.execute(
    db,
  );
  await sql`delete from journal_transactions where kind = 'payout_reversal'`.execute(db);
  await sql`alter table journal_transactions drop constraint journal_transactions_kind_check`.execute(db);
  await sql`alter table journal_transactions add constraint journal_transactions_kind_check check (kind in ('charge', 'stripe_fee', 'refund', 'dispute', 'platform_fee', 'payout'))`.execute(
    db,
  );
}
