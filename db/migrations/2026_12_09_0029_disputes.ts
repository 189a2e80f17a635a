import { sql, type Kysely } from "kysely";

// Disputes through their life (issue 17): one row per Stripe dispute, as the app last read it
// from Stripe (status, evidence deadline, outcome), and who submitted evidence from the desk.
// The money stays in the journal (kind 'dispute'); this row says where the dispute stands.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("disputes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("stripe_dispute_id", "text", (c) => c.notNull().unique())
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id"))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(
          sql`status in ('warning_needs_response', 'warning_under_review', 'warning_closed', 'needs_response', 'under_review', 'appeal_needs_response', 'appeal_under_review', 'won', 'lost', 'prevented')`,
        ),
    )
    .addColumn("evidence_due_by", "timestamptz")
    // Written before the Stripe call (its idempotency key is derived from it), so a double
    // submit, a retry or a crash mid-call submits once.
    .addColumn("evidence_request_key", "uuid")
    .addColumn("evidence_submitted_at", "timestamptz")
    .addColumn("evidence_submitted_by", "uuid", (c) => c.references("users.id"))
    .addColumn("outcome", "text", (c) => c.check(sql`outcome in ('won', 'lost')`))
    .addColumn("closed_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index disputes_pledge_idx on disputes (pledge_id)`.execute(db);
  await sql`create index disputes_open_due_idx on disputes (evidence_due_by) where outcome is null and evidence_submitted_at is null`.execute(
    db,
  );

  // Disputes booked before this table: the disputed amount is the pledge's charge (the booking
  // also holds Stripe's fee), capped by what was booked. Status and deadline come with the
  // dispute's next event, which re-reads it from Stripe.
  await sql`
    insert into disputes (stripe_dispute_id, pledge_id, campaign_id, amount, currency, status)
    select jt.stripe_object_id, jt.pledge_id, jt.campaign_id,
           least(
             booked.total,
             coalesce((
               select sum(cl.amount) from journal_lines cl
                 join journal_transactions ct on ct.id = cl.transaction_id
                where ct.kind = 'charge' and cl.account_code = 'stripe_balance' and ct.pledge_id = jt.pledge_id
             ), booked.total)
           ),
           booked.currency, 'needs_response'
      from journal_transactions jt
      join lateral (
        select sum(l.amount) as total, min(l.currency) as currency
          from journal_lines l
         where l.transaction_id = jt.id and l.account_code = 'disputes'
      ) booked on booked.total is not null
     where jt.kind = 'dispute' and jt.idempotency_key like 'dispute:%'
       and jt.pledge_id is not null and jt.stripe_object_id is not null
    on conflict (stripe_dispute_id) do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("disputes").execute();
}
