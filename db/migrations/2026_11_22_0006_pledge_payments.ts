import { sql, type Kysely } from "kysely";

// What a pledge needs to go through Stripe Checkout: the backer's Stripe customer, the Checkout
// Session holding its slot, and the saved card (or payment) it ends with.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("stripe_customer_id", "text", (c) => c.unique())
    .execute();
  await db.schema
    .alterTable("pledges")
    .addColumn("checkout_session_id", "text", (c) => c.unique())
    .addColumn("checkout_url", "text")
    .addColumn("checkout_expires_at", "timestamptz")
    .addColumn("stripe_customer_id", "text")
    .addColumn("stripe_payment_method_id", "text")
    .addColumn("stripe_payment_intent_id", "text")
    .addColumn("card_brand", "text")
    .addColumn("card_last4", "text")
    // A pending "update my card" setup session, replaced when it completes.
    .addColumn("card_update_session_id", "text", (c) => c.unique())
    .execute();
  await sql`create index pledges_checkout_idx on pledges (checkout_expires_at) where state = 'checkout'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index pledges_checkout_idx`.execute(db);
  await db.schema
    .alterTable("pledges")
    .dropColumn("checkout_session_id")
    .dropColumn("checkout_url")
    .dropColumn("checkout_expires_at")
    .dropColumn("stripe_customer_id")
    .dropColumn("stripe_payment_method_id")
    .dropColumn("stripe_payment_intent_id")
    .dropColumn("card_brand")
    .dropColumn("card_last4")
    .dropColumn("card_update_session_id")
    .execute();
  await db.schema.alterTable("users").dropColumn("stripe_customer_id").execute();
}
