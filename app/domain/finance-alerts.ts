import type { CurrencyCode, FinanceAlertSeverity } from "../../db/schema.js";
import type { Locale, Translate } from "./locale";
import { formatMoney } from "./money";

// Finance alerts: money that needs a person. Each kind has a severity and its words (the
// `alerts` namespace); the facts an alert shows are in its `detail` (amounts in minor units with
// their currency, Stripe references, Stripe's message), never a backer's personal data.

export const FINANCE_ALERT_KINDS = {
  /** Stripe failed a refund it had accepted: booked back, the pledge refundable again. */
  refund_failed: "critical",
  /** Stripe refused a refund the settlement owes a backer: waiting for a retry. */
  settlement_refund_refused: "critical",
  /** Stripe refused a payout's transfer: the payout is failed until retried. */
  transfer_failed: "critical",
  /** A payout's transfer waits for the campaign's funds to become available at Stripe. */
  payout_waiting_for_funds: "info",
  /** A refund after a payout could not be recovered from the creator's transfer: they owe it. */
  recovery_failed: "warning",
  /** A backer's bank disputed a charge: evidence is due by a date. */
  dispute_opened: "critical",
  /** A dispute's evidence is due soon and none was submitted. */
  dispute_evidence_due: "critical",
  /** A dispute was won: the funds came back. */
  dispute_won: "info",
  /** A dispute was lost: the money is gone for good. */
  dispute_lost: "warning",
  /** Reconciliation found a difference between the ledger and Stripe. */
  reconciliation_mismatch: "warning",
} as const satisfies Record<string, FinanceAlertSeverity>;

export type FinanceAlertKind = keyof typeof FINANCE_ALERT_KINDS;

/**
 * Kinds shown on the desk but not emailed: a payout waiting for funds needs nobody; a
 * reconciliation run can find many differences at once, and the queue is where they are worked.
 */
export const UNMAILED_ALERT_KINDS: ReadonlySet<FinanceAlertKind> = new Set([
  "payout_waiting_for_funds",
  "reconciliation_mismatch",
]);

export function isFinanceAlertKind(kind: string): kind is FinanceAlertKind {
  return Object.hasOwn(FINANCE_ALERT_KINDS, kind);
}

/** What an alert may carry; every field optional, none personal. */
export interface FinanceAlertDetail {
  amount?: number;
  currency?: CurrencyCode;
  /** A Stripe id (re_..., tr_..., dp_...) or a run id. */
  reference?: string;
  /** Stripe's own message, when it refused. */
  message?: string;
  /** A date the alert names (an evidence deadline, when funds become available), ISO. */
  until?: string;
  campaignTitle?: string;
  [key: string]: unknown;
}

/** An alert's heading and sentence in the reader's language. */
export function alertText(
  t: Translate,
  locale: Locale,
  alert: { kind: string; detail: FinanceAlertDetail },
): { title: string; body: string } {
  const d = alert.detail;
  const values = {
    amount: d.amount !== undefined && d.currency ? formatMoney(d.amount, d.currency, { locale }) : "",
    reference: d.reference ?? "",
    message: d.message ?? "",
    until: d.until ? new Date(d.until).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "",
    campaign: d.campaignTitle ?? "",
  };
  if (!isFinanceAlertKind(alert.kind)) return { title: alert.kind.replace(/_/g, " "), body: values.message };
  return { title: t(`alerts:kinds.${alert.kind}.title`, values), body: t(`alerts:kinds.${alert.kind}.body`, values) };
}
