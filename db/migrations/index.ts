import type { Migration } from "kysely";
import * as accounts from "./2026_11_22_0001_accounts.js";
import * as stripeEvents from "./2026_11_22_0002_stripe_events.js";
import * as campaigns from "./2026_11_22_0003_campaigns.js";

/**
 * Every migration, by name. Listed explicitly (not read from the folder at run time) because the
 * server bundle has no migrations folder; a test checks that this list matches the folder.
 */
export const migrations: Record<string, Migration> = {
  "2026_11_22_0001_accounts": accounts,
  "2026_11_22_0002_stripe_events": stripeEvents,
  "2026_11_22_0003_campaigns": campaigns,
};
