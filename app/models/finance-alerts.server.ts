import { sql } from "kysely";
import type { Db } from "../../db/schema.js";
import { action, blocks, recipientLocale, type EmailContent } from "../domain/emails";
import {
  alertText,
  FINANCE_ALERT_KINDS,
  UNMAILED_ALERT_KINDS,
  type FinanceAlertDetail,
  type FinanceAlertKind,
} from "../domain/finance-alerts";
import type { Locale, Translate } from "../domain/locale";
import { getConfig } from "../config.server";
import { renderEmail } from "../domain/email-render";
import { translatorFor } from "../i18n";
import { queueEmails } from "./outbox.server";

// Finance alerts: one row per problem, found again by its dedupe key (raising twice is one
// alert), open until the code that raised it sees the problem gone or a finance user resolves
// it with a note. Raised in the caller's transaction, with an email to every finance user (in
// their language) queued in the same transaction, so an alert exists exactly when its cause
// committed.

export interface RaiseAlert {
  kind: FinanceAlertKind;
  /** One alert per problem: e.g. `refund_failed:<refund id>`. */
  dedupeKey: string;
  campaignId?: string | null;
  pledgeId?: string | null;
  payoutId?: string | null;
  detail?: FinanceAlertDetail;
  /** Emailed to every finance user unless the kind is unmailed (UNMAILED_ALERT_KINDS). */
  email?: boolean;
}

/**
 * Raises an alert once per dedupe key; a resolved alert whose problem comes back is reopened
 * (with the new detail). Returns true when the alert is new or reopened.
 */
export async function raiseFinanceAlert(db: Db, alert: RaiseAlert): Promise<boolean> {
  const severity = FINANCE_ALERT_KINDS[alert.kind];
  const detail = JSON.stringify(alert.detail ?? {});
  const row = await db
    .insertInto("finance_alerts")
    .values({
      kind: alert.kind,
      severity,
      dedupe_key: alert.dedupeKey,
      campaign_id: alert.campaignId ?? null,
      pledge_id: alert.pledgeId ?? null,
      payout_id: alert.payoutId ?? null,
      detail,
    })
    .onConflict((oc) =>
      oc
        .column("dedupe_key")
        .doUpdateSet({
          detail,
          raised_at: sql`now()`,
          resolved_at: null,
          resolved_by: null,
          resolution: null,
        } as never)
        .where("finance_alerts.resolved_at", "is not", null),
    )
    .returning(["id"])
    .executeTakeFirst();
  if (!row) return false;
  if (alert.email ?? !UNMAILED_ALERT_KINDS.has(alert.kind))
    await emailFinanceStaff(db, { id: row.id, kind: alert.kind, detail: alert.detail ?? {} });
  return true;
}

async function emailFinanceStaff(db: Db, alert: { id: string; kind: FinanceAlertKind; detail: FinanceAlertDetail }) {
  const staff = await db
    .selectFrom("users")
    .innerJoin("user_roles", "user_roles.user_id", "users.id")
    .select(["users.id", "users.email", "users.locale"])
    .where("user_roles.role", "=", "finance")
    .where("users.deleted_at", "is", null)
    .execute();
  await queueEmails(
    db,
    staff.map((s) => ({
      kind: "finance_alert",
      toEmail: s.email,
      toUserId: s.id,
      ...written(recipientLocale(s.locale), alert),
      // Reopened alerts mail again: the key names the raising, not only the alert.
      dedupeKey: `finance_alert:${alert.id}:${s.id}:${Date.now()}`,
    })),
  );
}

const written = (locale: Locale, alert: { kind: string; detail: FinanceAlertDetail }) =>
  renderEmail(financeAlertEmail(translatorFor(locale), locale, alert), getConfig().appUrl);

/** The email finance staff get for a new alert. */
export function financeAlertEmail(
  t: Translate,
  locale: Locale,
  alert: { kind: string; detail: FinanceAlertDetail },
): EmailContent {
  const text = alertText(t, locale, alert);
  return {
    locale,
    subject: t("alerts:email.subject", { title: text.title }),
    blocks: blocks(
      t("alerts:email.intro"),
      `${text.title}. ${text.body}`,
      action(t("alerts:email.action"), "/finance/alerts"),
    ),
  };
}

/**
 * Resolves the open alerts with these dedupe keys (the code saw the problem go away, or a
 * finance user fixed it). `by` null is the system. Returns how many were resolved.
 */
export async function resolveFinanceAlerts(
  db: Db,
  { dedupeKeys, by = null, note }: { dedupeKeys: string[]; by?: string | null; note: string },
): Promise<number> {
  if (dedupeKeys.length === 0) return 0;
  const result = await db
    .updateTable("finance_alerts")
    .set({ resolved_at: new Date(), resolved_by: by, resolution: note })
    .where("dedupe_key", "in", dedupeKeys)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Resolves one open alert by id, as a finance user with a note; false if it is not open. */
export async function resolveFinanceAlertById(
  db: Db,
  { id, by, note }: { id: string; by: string; note: string },
): Promise<boolean> {
  const result = await db
    .updateTable("finance_alerts")
    .set({ resolved_at: new Date(), resolved_by: by, resolution: note })
    .where("id", "=", id)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Open alerts, newest first (the desk's list), with the campaign's title. */
export function listOpenAlerts(db: Db, { limit = 100 }: { limit?: number } = {}) {
  return db
    .selectFrom("finance_alerts")
    .leftJoin("campaigns", "campaigns.id", "finance_alerts.campaign_id")
    .select([
      "finance_alerts.id",
      "finance_alerts.kind",
      "finance_alerts.severity",
      "finance_alerts.detail",
      "finance_alerts.raised_at",
      "finance_alerts.campaign_id",
      "finance_alerts.pledge_id",
      "finance_alerts.payout_id",
      "campaigns.title as campaign_title",
    ])
    .where("finance_alerts.resolved_at", "is", null)
    .orderBy("finance_alerts.raised_at", "desc")
    .limit(limit)
    .execute();
}

/** Alerts resolved recently, newest first, with who resolved them. */
export function listResolvedAlerts(db: Db, { limit = 20 }: { limit?: number } = {}) {
  return db
    .selectFrom("finance_alerts")
    .leftJoin("campaigns", "campaigns.id", "finance_alerts.campaign_id")
    .leftJoin("users", "users.id", "finance_alerts.resolved_by")
    .select([
      "finance_alerts.id",
      "finance_alerts.kind",
      "finance_alerts.severity",
      "finance_alerts.detail",
      "finance_alerts.raised_at",
      "finance_alerts.resolved_at",
      "finance_alerts.resolution",
      "finance_alerts.campaign_id",
      "finance_alerts.pledge_id",
      "campaigns.title as campaign_title",
      "users.name as resolved_by_name",
    ])
    .where("finance_alerts.resolved_at", "is not", null)
    .orderBy("finance_alerts.resolved_at", "desc")
    .limit(limit)
    .execute();
}

/** How many alerts are open (the desk's counter). */
export async function countOpenAlerts(db: Db): Promise<number> {
  const row = await db
    .selectFrom("finance_alerts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("resolved_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
