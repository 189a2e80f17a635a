import { z } from "zod";
import type { CurrencyCode, PledgeState, SettlementDecision, SettlementStage } from "../../db/schema.js";
import type { Locale, Translate } from "./locale";
import { parseAmount } from "./money";
import { refundLimitMessage } from "./refunds";

// The finance desk's pure rules: where a settled campaign stands, what each statement line
// means, and the forms finance staff submit (one zod schema each, run in the browser and on the
// server), each built with the reader's translate function so its words are in their language.

export type DeskStage = "settling" | "grace" | "awaiting_payout" | "paid_out" | "closed";

/** The desk's sections, in the order it shows them. */
export const DESK_STAGES: readonly DeskStage[] = ["awaiting_payout", "settling", "grace", "paid_out", "closed"];

/** Each section's heading and what it says when empty, in the reader's language. */
export function deskStageWords(t: Translate): Record<DeskStage, { title: string; empty: string }> {
  return {
    awaiting_payout: {
      title: t("finance:desk.stages.awaiting_payout.title"),
      empty: t("finance:desk.stages.awaiting_payout.empty"),
    },
    settling: { title: t("finance:desk.stages.settling.title"), empty: t("finance:desk.stages.settling.empty") },
    grace: { title: t("finance:desk.stages.grace.title"), empty: t("finance:desk.stages.grace.empty") },
    paid_out: { title: t("finance:desk.stages.paid_out.title"), empty: t("finance:desk.stages.paid_out.empty") },
    closed: { title: t("finance:desk.stages.closed.title"), empty: t("finance:desk.stages.closed.empty") },
  };
}

export type PayoutStatus = "prepared" | "approved" | "paid" | "failed";

/** The step a settled campaign waits for on the desk. */
export type DeskStep =
  | "charging"
  | "retrying"
  | "cancelled"
  | "notFunded"
  | "paid"
  | "awaitingApproval"
  | "transferIncomplete"
  | "noAccount"
  | "ready";

/**
 * Where a settled campaign stands on the desk, the next step it waits for (`step`) and that
 * step in the reader's words (`next`).
 */
export function deskStageOf(
  s: {
    stage: SettlementStage;
    decision: SettlementDecision;
    payoutStatus: PayoutStatus | null;
    payoutsEnabled: boolean;
  },
  t: Translate,
): { stage: DeskStage; step: DeskStep; next: string } {
  const words: Record<DeskStep, string> = {
    charging: t("finance:desk.next.charging"),
    retrying: t("finance:desk.next.retrying"),
    cancelled: t("finance:desk.next.cancelled"),
    notFunded: t("finance:desk.next.notFunded"),
    paid: t("finance:desk.next.paid"),
    awaitingApproval: t("finance:desk.next.awaitingApproval"),
    transferIncomplete: t("finance:desk.next.transferIncomplete"),
    noAccount: t("finance:desk.next.noAccount"),
    ready: t("finance:desk.next.ready"),
  };
  const at = (stage: DeskStage, step: DeskStep) => ({ stage, step, next: words[step] });
  if (s.stage === "collecting") return at("settling", "charging");
  if (s.stage === "grace") return at("grace", "retrying");
  if (s.decision !== "funded") return at("closed", s.decision === "cancelled" ? "cancelled" : "notFunded");
  if (s.payoutStatus === "paid") return at("paid_out", "paid");
  if (s.payoutStatus === "prepared") return at("awaiting_payout", "awaitingApproval");
  if (s.payoutStatus === "approved" || s.payoutStatus === "failed") return at("awaiting_payout", "transferIncomplete");
  if (!s.payoutsEnabled) return at("awaiting_payout", "noAccount");
  return at("awaiting_payout", "ready");
}

/** Statement lines that drill down to pledges, with the pledge states (or journal kinds) behind each. */
export const STATEMENT_LINES = {
  deadline: {
    states: [
      "collecting",
      "collected",
      "errored",
      "dropped",
      "released",
      "refunding",
      "refunded",
      "partially_refunded",
      "disputed",
    ],
  },
  collected: { journal: "charge" },
  grace: { states: ["errored", "collecting"] },
  dropped: { states: ["dropped"] },
  released: { states: ["released"] },
  refunded: { journal: "refund" },
  disputed: { journal: "dispute" },
  fees: { journal: "stripe_fee" },
} as const satisfies Record<string, { states?: readonly PledgeState[]; journal?: string }>;

export type StatementLine = keyof typeof STATEMENT_LINES;
export const STATEMENT_LINE_KEYS = Object.keys(STATEMENT_LINES) as StatementLine[];

/** Each statement line's name, in the reader's language. */
export function statementLineLabels(t: Translate): Record<StatementLine, string> {
  return {
    deadline: t("finance:statement.lines.deadline"),
    collected: t("finance:statement.lines.collected"),
    grace: t("finance:statement.lines.grace"),
    dropped: t("finance:statement.lines.dropped"),
    released: t("finance:statement.lines.released"),
    refunded: t("finance:statement.lines.refunded"),
    disputed: t("finance:statement.lines.disputed"),
    fees: t("finance:statement.lines.fees"),
  };
}

export function drillDownSchema(t: Translate) {
  return z.object({
    line: z.enum(STATEMENT_LINE_KEYS as [StatementLine, ...StatementLine[]], {
      error: t("finance:validation.unknownLine"),
    }),
    page: z.coerce
      .number({ error: t("finance:validation.pageNumber") })
      .int(t("finance:validation.pageWhole"))
      .min(1, t("finance:validation.pageMin"))
      .max(100_000)
      .default(1),
  });
}

// Conform reads an empty field as missing: one message covers both.
const reason = (t: Translate) =>
  z
    .string({ error: t("finance:validation.reasonTooShort") })
    .trim()
    .min(3, t("finance:validation.reasonTooShort"))
    .max(500, t("finance:validation.reasonTooLong"));

/**
 * A finance refund: amount in major units, typed as the reader writes numbers (`locale`: "25,50"
 * in Spanish), at most what is still refundable.
 */
export function refundFormSchema(
  t: Translate,
  locale: Locale,
  { currency, refundable }: { currency: CurrencyCode; refundable: number },
) {
  return z.object({
    amount: z
      .string({ error: t("common:amount.required") })
      .max(40, t("common:amount.format"))
      .transform((value, ctx) => {
        const parsed = parseAmount(value, currency, { locale, t });
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: parsed.message });
          return z.NEVER;
        }
        if (parsed.amount > refundable) {
          ctx.addIssue({ code: "custom", message: refundLimitMessage(refundable, currency, { t, locale }) });
          return z.NEVER;
        }
        return parsed.amount;
      }),
    reason: reason(t),
    // One per rendered form: a double submit carries the same key and refunds once.
    requestKey: z.uuid({ error: t("finance:validation.formExpired") }),
  });
}

export function actionReasonSchema(t: Translate) {
  return z.object({ reason: reason(t) });
}

/** Retrying a refund Stripe did not confirm: which one (it must be this pledge's). */
export function resumeRefundSchema(t: Translate) {
  return z.object({
    refundId: z.uuid({ error: t("finance:validation.refundNotOnPledge") }),
  });
}

export function payoutStatusLabels(t: Translate): Record<PayoutStatus, string> {
  return {
    prepared: t("finance:payout.statusLabels.prepared"),
    approved: t("finance:payout.statusLabels.approved"),
    paid: t("finance:payout.statusLabels.paid"),
    failed: t("finance:payout.statusLabels.failed"),
  };
}

/** A pledge's state as the finance desk names it (the backer's pages word their own). */
export function pledgeStateLabels(t: Translate): Record<PledgeState, string> {
  return {
    checkout: t("finance:pledgeState.checkout"),
    active: t("finance:pledgeState.active"),
    abandoned: t("finance:pledgeState.abandoned"),
    cancelled: t("finance:pledgeState.cancelled"),
    collecting: t("finance:pledgeState.collecting"),
    collected: t("finance:pledgeState.collected"),
    errored: t("finance:pledgeState.errored"),
    dropped: t("finance:pledgeState.dropped"),
    released: t("finance:pledgeState.released"),
    refunding: t("finance:pledgeState.refunding"),
    refunded: t("finance:pledgeState.refunded"),
    partially_refunded: t("finance:pledgeState.partially_refunded"),
    disputed: t("finance:pledgeState.disputed"),
  };
}

/**
 * A status word (a pledge's, an attempt's, a refund's, a payout's, a run's, a settlement's) as
 * the desk shows it in a badge: lower case, in the reader's language. An unknown word is shown
 * as it is, underscores as spaces.
 */
export function statusWord(t: Translate, status: string): string {
  const words: Record<string, string> = {
    checkout: t("finance:status.checkout"),
    active: t("finance:status.active"),
    abandoned: t("finance:status.abandoned"),
    cancelled: t("finance:status.cancelled"),
    collecting: t("finance:status.collecting"),
    collected: t("finance:status.collected"),
    errored: t("finance:status.errored"),
    dropped: t("finance:status.dropped"),
    released: t("finance:status.released"),
    refunding: t("finance:status.refunding"),
    refunded: t("finance:status.refunded"),
    partially_refunded: t("finance:status.partially_refunded"),
    disputed: t("finance:status.disputed"),
    succeeded: t("finance:status.succeeded"),
    pending: t("finance:status.pending"),
    failed: t("finance:status.failed"),
    requires_action: t("finance:status.requires_action"),
    canceled: t("finance:status.canceled"),
    prepared: t("finance:status.prepared"),
    approved: t("finance:status.approved"),
    paid: t("finance:status.paid"),
    clean: t("finance:status.clean"),
    mismatches: t("finance:status.mismatches"),
    running: t("finance:status.running"),
    funded: t("finance:status.funded"),
    unfunded: t("finance:status.unfunded"),
    grace: t("finance:status.grace"),
    closed: t("finance:status.closed"),
  };
  return Object.hasOwn(words, status) ? words[status]! : status.replace(/_/g, " ");
}

/** A journal entry's kind ("stripe_fee") in the reader's words; an unknown one as it is. */
export function journalKindWord(t: Translate, kind: string): string {
  const words: Record<string, string> = {
    charge: t("finance:journalKind.charge"),
    refund: t("finance:journalKind.refund"),
    dispute: t("finance:journalKind.dispute"),
    stripe_fee: t("finance:journalKind.stripe_fee"),
    platform_fee: t("finance:journalKind.platform_fee"),
    payout: t("finance:journalKind.payout"),
    payout_reversal: t("finance:journalKind.payout_reversal"),
  };
  return Object.hasOwn(words, kind) ? words[kind]! : kind.replace(/_/g, " ");
}

/** What a reconciliation mismatch of this kind means; an unknown kind as it is. */
export function mismatchLabel(t: Translate, kind: string): string {
  const labels: Record<string, string> = {
    charge_missing_in_stripe: t("finance:reconciliation.kinds.charge_missing_in_stripe"),
    charge_not_succeeded: t("finance:reconciliation.kinds.charge_not_succeeded"),
    charge_amount_differs: t("finance:reconciliation.kinds.charge_amount_differs"),
    fee_amount_differs: t("finance:reconciliation.kinds.fee_amount_differs"),
    fee_missing_in_stripe: t("finance:reconciliation.kinds.fee_missing_in_stripe"),
    charge_not_booked: t("finance:reconciliation.kinds.charge_not_booked"),
    refund_missing_in_stripe: t("finance:reconciliation.kinds.refund_missing_in_stripe"),
    refund_not_succeeded: t("finance:reconciliation.kinds.refund_not_succeeded"),
    refund_amount_differs: t("finance:reconciliation.kinds.refund_amount_differs"),
    refund_not_booked: t("finance:reconciliation.kinds.refund_not_booked"),
    payout_missing_in_stripe: t("finance:reconciliation.kinds.payout_missing_in_stripe"),
    payout_amount_differs: t("finance:reconciliation.kinds.payout_amount_differs"),
    transfer_not_booked: t("finance:reconciliation.kinds.transfer_not_booked"),
    dispute_missing_in_stripe: t("finance:reconciliation.kinds.dispute_missing_in_stripe"),
    dispute_amount_differs: t("finance:reconciliation.kinds.dispute_amount_differs"),
    dispute_not_booked: t("finance:reconciliation.kinds.dispute_not_booked"),
    reversal_missing_in_stripe: t("finance:reconciliation.kinds.reversal_missing_in_stripe"),
    reversal_amount_differs: t("finance:reconciliation.kinds.reversal_amount_differs"),
    reversal_not_booked: t("finance:reconciliation.kinds.reversal_not_booked"),
  };
  return Object.hasOwn(labels, kind) ? labels[kind]! : kind;
}
