import type { Kysely } from "kysely";

// A signed-in user's chosen language, so the site speaks it on every device. Null until they
// choose; the application decides which values it accepts, so a third language needs no migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("locale", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("locale").execute();
}
