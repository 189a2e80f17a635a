import { type Kysely } from "kysely";

// Refunds Stripe fails after accepting them (issue 17): the refund row keeps Stripe's
// failure_reason beside its failed status, so the desk and the audit say why the money came back.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("refunds").addColumn("failure_reason", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("refunds").dropColumn("failure_reason").execute();
}
