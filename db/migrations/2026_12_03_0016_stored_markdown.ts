import type { Kysely } from "kysely";

// Stories and updates stored rendered, so a page view reads HTML instead of running the Markdown
// renderer and sanitiser. Decision 019.
// - campaigns.story_html, story_summary (the plain text a share card uses when there is no
//   blurb) and campaign_updates.body_html: written with their source in the same statement.
// - markdown_version, per row: the renderer version that made the row's stored text. Existing
//   rows get 0 and empty text; the start-up backfill renders every row below the application's
//   version (so this migration stays frozen while the renderer changes), and readers render a
//   row the backfill has not reached yet.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("campaigns")
    .addColumn("story_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("story_summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("markdown_version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("campaign_updates")
    .addColumn("body_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("markdown_version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("campaign_updates").dropColumn("markdown_version").dropColumn("body_html").execute();
  await db.schema
    .alterTable("campaigns")
    .dropColumn("markdown_version")
    .dropColumn("story_summary")
    .dropColumn("story_html")
    .execute();
}
