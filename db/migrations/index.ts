import type { Migration } from "kysely";
import * as accounts from "./2026_11_22_0001_accounts.js";

/**
 * Every migration, by name. Listed explicitly (not read from the folder at run time) because the
 * server bundle has no migrations folder; a test checks that this list matches the folder.
 */
export const migrations: Record<string, Migration> = {
  "2026_11_22_0001_accounts": accounts,
};
