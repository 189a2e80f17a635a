import { sql, type Kysely } from "kysely";

// Account security: when an address was proven (email verification), when an account was
// deleted (its personal data anonymised, the row kept for the ledger), and the one-time tokens
// emailed for a password reset, an address check or an email change. A token's secret travels
// only in the link; the table keeps its SHA-256, so a database leak hands out no live link.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("email_verified_at", "timestamptz")
    .addColumn("deleted_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("account_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) =>
      c.notNull().check(sql`purpose in ('reset_password', 'verify_email', 'change_email')`),
    )
    // The address being proven (verify_email, change_email): a link proves only the address it
    // was sent to, so an address changed since then makes the link worthless.
    .addColumn("email", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();
  await db.schema.createIndex("account_tokens_user_idx").on("account_tokens").columns(["user_id", "purpose"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("account_tokens").execute();
  await db.schema.alterTable("users").dropColumn("deleted_at").dropColumn("email_verified_at").execute();
}
