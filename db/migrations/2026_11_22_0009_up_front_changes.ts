import { sql, type Kysely } from "kysely";

// Pledges paid up front (`immediate` collection) whose amount changes before the deadline:
// every payment a pledge is made of (the first one and each top-up for a raise), a raise waiting
// for its top-up Checkout Session, and refunds aimed at one payment (a pledge lowered or
// cancelled, a top-up that arrived too late), written before Stripe is called so a crash only
// delays them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("pledge_payments")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id"))
    .addColumn("stripe_payment_intent_id", "text", (c) => c.notNull().unique())
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount > 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('pledge', 'top_up')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index pledge_payments_pledge_idx on pledge_payments (pledge_id, id)`.execute(db);
  // Up-front pledges paid before this table existed: their one payment.
  await sql`
    insert into pledge_payments (pledge_id, stripe_payment_intent_id, amount, currency, purpose, created_at)
    select p.id, p.stripe_payment_intent_id, p.amount, p.currency, 'pledge', coalesce(p.activated_at, p.created_at)
      from pledges p join campaigns c on c.id = p.campaign_id
     where c.collection = 'immediate' and p.stripe_payment_intent_id is not null`.execute(db);

  await db.schema
    .createTable("pledge_changes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id"))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'applied', 'expired', 'refused')`),
    )
    // The pledge's amount when the raise was asked for: applied only if nothing changed since.
    .addColumn("from_amount", "bigint", (c) => c.notNull())
    .addColumn("tier_id", "uuid", (c) => c.references("tiers.id"))
    .addColumn("base_amount", "bigint", (c) => c.notNull())
    .addColumn("shipping_amount", "bigint", (c) => c.notNull())
    .addColumn("shipping_destination", "text")
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("difference", "bigint", (c) => c.notNull().check(sql`difference > 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("checkout_session_id", "text", (c) => c.unique())
    .addColumn("checkout_url", "text")
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .execute();
  await sql`create unique index pledge_changes_one_open on pledge_changes (pledge_id) where status = 'open'`.execute(
    db,
  );
  await sql`create index pledge_changes_open_idx on pledge_changes (expires_at) where status = 'open'`.execute(db);

  await db.schema
    .alterTable("refunds")
    .addColumn("purpose", "text", (c) =>
      c
        .notNull()
        .defaultTo("desk")
        .check(sql`purpose in ('desk', 'settlement', 'pledge_lowered', 'pledge_cancelled', 'change_refused')`),
    )
    // Refunds made before settlement name the payment they return money from.
    .addColumn("stripe_payment_intent_id", "text")
    // A desk refund names the charge it was sent against, so a retry repeats the same request.
    .addColumn("stripe_charge_id", "text")
    .execute();
  await sql`create index refunds_pending_idx on refunds (created_at) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index refunds_pending_idx`.execute(db);
  await db.schema
    .alterTable("refunds")
    .dropColumn("purpose")
    .dropColumn("stripe_payment_intent_id")
    .dropColumn("stripe_charge_id")
    .execute();
  await db.schema.dropTable("pledge_changes").execute();
  await db.schema.dropTable("pledge_payments").execute();
}
