import { unaccent } from "@electric-sql/pglite/contrib/unaccent";

/**
 * The PostgreSQL extensions the migrations create, as PGlite bundles. Every PGlite that opens
 * Colecta's database must load them (a migrated data dir uses unaccent in its Spanish search
 * configuration), so every `PGlite.create` for it passes `extensions: PGLITE_EXTENSIONS`.
 */
export const PGLITE_EXTENSIONS = { unaccent };
