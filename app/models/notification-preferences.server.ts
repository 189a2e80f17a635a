import type { Db, EmailCategory } from "../../db/schema.js";
import { OPTIONAL_CATEGORIES, type OptionalCategory } from "../domain/email-delivery";

// Which optional mail (updates, comments, reminders) a person receives. No row means on: a
// person opts out, never in. Transactional mail has no preference: it is always sent.

export type NotificationPreferences = Record<OptionalCategory, boolean>;

export async function getNotificationPreferences(db: Db, userId: string): Promise<NotificationPreferences> {
  const rows = await db
    .selectFrom("notification_preferences")
    .select(["category", "enabled"])
    .where("user_id", "=", userId)
    .execute();
  const prefs = Object.fromEntries(OPTIONAL_CATEGORIES.map((c) => [c, true])) as NotificationPreferences;
  for (const r of rows) prefs[r.category] = r.enabled;
  return prefs;
}

export async function setNotificationPreferences(db: Db, userId: string, prefs: Partial<NotificationPreferences>) {
  const values = Object.entries(prefs).map(([category, enabled]) => ({
    user_id: userId,
    category: category as OptionalCategory,
    enabled: Boolean(enabled),
    updated_at: new Date(),
  }));
  if (values.length === 0) return;
  await db
    .insertInto("notification_preferences")
    .values(values)
    .onConflict((oc) =>
      oc.columns(["user_id", "category"]).doUpdateSet((eb) => ({
        enabled: eb.ref("excluded.enabled"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

/** Of these (user, category) pairs, the ones the user turned off, as `userId:category`. */
export async function mutedAmong(db: Db, pairs: Array<{ userId: string; category: EmailCategory }>) {
  const optional = pairs.filter((p) => p.category !== "transactional");
  if (optional.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom("notification_preferences")
    .select(["user_id", "category"])
    .where("enabled", "=", false)
    .where(
      "user_id",
      "in",
      optional.map((p) => p.userId),
    )
    .execute();
  return new Set(rows.map((r) => `${r.user_id}:${r.category}`));
}
