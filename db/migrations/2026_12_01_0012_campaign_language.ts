import { sql, type Kysely, type RawBuilder } from "kysely";

// A campaign's language (the one its creator writes it in) and a search index in that language:
// Spanish campaigns are stemmed as Spanish with accents not mattering ("lampara" finds "lámpara",
// "nino" finds "niño"), English ones exactly as before. Decision 012.

const weighted = (vector: (field: RawBuilder<unknown>) => RawBuilder<unknown>) => sql`
    setweight(${vector(sql`coalesce(title, '')`)}, 'A') ||
    setweight(${vector(sql`coalesce(blurb, '')`)}, 'B') ||
    setweight(${vector(sql`coalesce(story_md, '')`)}, 'C')`;
const english = (field: RawBuilder<unknown>) => sql`to_tsvector('english', ${field})`;
const spanish = (field: RawBuilder<unknown>) => sql`spanish_search_vector(${field})`;

export async function up(db: Kysely<any>): Promise<void> {
  // unaccent is a trusted extension: the database owner may create it, no superuser needed. The
  // embedded database loads it from @electric-sql/pglite/contrib (db/pglite-extensions.ts).
  await sql`create extension if not exists unaccent`.execute(db);
  // Spanish with accents folded before stemming. Alone it would lose plurals that the stemmer
  // only knows accented ("ilustración" -> "ilustr", "ilustracion" -> "ilustracion"), so a Spanish
  // campaign's words are indexed both ways: as written, stemmed by `spanish` (what a query is
  // parsed with), plus the folded stems that differ. Queries use plain `spanish`.
  await sql`create text search configuration spanish_unaccent (copy = spanish)`.execute(db);
  await sql`
    alter text search configuration spanish_unaccent
    alter mapping for hword, hword_part, word with unaccent, spanish_stem`.execute(db);
  await sql`
    create function spanish_search_vector(words text) returns tsvector
    language sql immutable strict parallel safe
    -- Fixed, so the configuration is found whatever the caller's search_path (a restore runs with
    -- an empty one, and recomputes this column).
    set search_path from current as $$
      select to_tsvector('spanish', words) ||
        ts_delete(to_tsvector('spanish_unaccent', words), tsvector_to_array(to_tsvector('spanish', words)))
    $$`.execute(db);

  // Existing campaigns were all written in English; new ones get the creator's language from
  // the form.
  await db.schema
    .alterTable("campaigns")
    .addColumn("language", "text", (c) =>
      c
        .notNull()
        .defaultTo("en")
        .check(sql`language in ('en', 'es')`),
    )
    .execute();

  // A generated column's expression cannot be altered (before PostgreSQL 17): rebuilt.
  await sql`drop index campaigns_search_idx`.execute(db);
  await sql`alter table campaigns drop column search`.execute(db);
  await sql`
    alter table campaigns add column search tsvector generated always as (
      case when language = 'es' then ${weighted(spanish)} else ${weighted(english)} end
    ) stored`.execute(db);
  await sql`create index campaigns_search_idx on campaigns using gin (search)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index campaigns_search_idx`.execute(db);
  await sql`alter table campaigns drop column search`.execute(db);
  await db.schema.alterTable("campaigns").dropColumn("language").execute();
  await sql`alter table campaigns add column search tsvector generated always as (${weighted(english)}) stored`.execute(
    db,
  );
  await sql`create index campaigns_search_idx on campaigns using gin (search)`.execute(db);
  await sql`drop function spanish_search_vector(text)`.execute(db);
  await sql`drop text search configuration spanish_unaccent`.execute(db);
  // The unaccent extension stays: it may have been there before, and other objects may use it.
}
