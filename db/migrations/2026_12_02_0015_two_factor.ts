import { sql, type Kysely } from "kysely";

// Two-factor sign-in (TOTP) with recovery codes. Decision 015.
// - user_two_factor: one authenticator per user. The secret is encrypted by the application
//   (AES-256-GCM, key derived from the session secret), so a database dump alone cannot mint
//   codes. `confirmed_at` null: enrolment started, not yet proven with a code. `last_used_step`:
//   the TOTP time step of the last accepted code, so no code is ever accepted twice.
// - two_factor_recovery_codes: only hashes, each usable once (`used_at`).
// - sessions.two_factor_verified_at: when this session passed the second factor (null: never).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("user_two_factor")
    .addColumn("user_id", "uuid", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("secret_encrypted", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("confirmed_at", "timestamptz")
    .addColumn("last_used_step", "bigint")
    .execute();

  await db.schema
    .createTable("two_factor_recovery_codes")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("used_at", "timestamptz")
    .addUniqueConstraint("two_factor_recovery_codes_user_hash_key", ["user_id", "code_hash"])
    .execute();

  await db.schema.alterTable("sessions").addColumn("two_factor_verified_at", "timestamptz").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("two_factor_verified_at").execute();
  await db.schema.dropTable("two_factor_recovery_codes").execute();
  await db.schema.dropTable("user_two_factor").execute();
}
