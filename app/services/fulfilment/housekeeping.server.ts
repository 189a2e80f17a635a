import type { Db } from "../../../db/schema.js";
import { getConfig } from "../../config.server";
import { anonymiseExpiredAddresses } from "../../models/fulfilment.server";

/**
 * The background pass's fulfilment part: addresses whose reward was confirmed received more than
 * ADDRESS_RETENTION_DAYS ago are anonymised (fields blanked, country kept). Safe to run anywhere,
 * any number of times.
 */
export async function fulfilmentHousekeeping(db: Db, { now = new Date() }: { now?: Date } = {}) {
  return anonymiseExpiredAddresses(db, { retentionDays: getConfig().ADDRESS_RETENTION_DAYS, now });
}
