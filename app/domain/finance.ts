import { z } from "zod";
import type { CurrencyCode, PledgeState, SettlementDecision, SettlementStage } from "../../db/schema.js";
import { parseAmount } from "./money";
import { refundLimitMessage } from "./refunds";

// The finance desk's pure rules: where a settled campaign stands, what each statement line
// means, and the forms finance staff submit (one zod schema each, run in the browser and on the
// server).

export type DeskStage = "settling" | "grace" | "awaiting_payout" | "paid_out" | "closed";

export const DESK_STAGES: ReadonlyArray<{ stage: DeskStage; title: string; empty: string }> = [
  { stage: "awaiting_payout", title: "Awaiting payout", empty: "No funded campaign is waiting for a payout." },
  { stage: "settling", title: "Settling", empty: "No campaign is being charged right now." },
  { stage: "grace", title: "In grace", empty: "No campaign is in its grace period." },
  { stage: "paid_out", title: "Paid out", empty: "No campaign has been paid out yet." },
  { stage: "closed", title: "Closed (unfunded or cancelled)", empty: "No unfunded or cancelled campaign." },
];

export type PayoutStatus = "prepared" | "approved" | "paid" | "failed";

/** Where a settled campaign stands on the desk, and the next step it waits for. */
export function deskStageOf(s: {
  stage: SettlementStage;
  decision: SettlementDecision;
  payoutStatus: PayoutStatus | null;
  payoutsEnabled: boolean;
}): { stage: DeskStage; next: string } {
  if (s.stage === "collecting") return { stage: "settling", next: "Charging" };
  if (s.stage === "grace") return { stage: "grace", next: "Retrying failed payments" };
  if (s.decision !== "funded")
    return { stage: "closed", next: s.decision === "cancelled" ? "Cancelled" : "Not funded" };
  if (s.payoutStatus === "paid") return { stage: "paid_out", next: "Paid" };
  if (s.payoutStatus === "prepared") return { stage: "awaiting_payout", next: "Awaiting approval" };
  if (s.payoutStatus === "approved" || s.payoutStatus === "failed")
    return { stage: "awaiting_payout", next: "Transfer incomplete" };
  if (!s.payoutsEnabled) return { stage: "awaiting_payout", next: "No payout account" };
  return { stage: "awaiting_payout", next: "Ready to prepare" };
}

/** Statement lines that drill down to pledges, with the pledge states (or journal kinds) behind each. */
export const STATEMENT_LINES = {
  deadline: {
    label: "Pledged at deadline",
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
  collected: { label: "Collected", journal: "charge" },
  grace: { label: "In grace (payment failed, retrying)", states: ["errored", "collecting"] },
  dropped: { label: "Dropped at end of grace", states: ["dropped"] },
  released: { label: "Released (nothing charged)", states: ["released"] },
  refunded: { label: "Refunded", journal: "refund" },
  disputed: { label: "Disputed", journal: "dispute" },
  fees: { label: "Stripe fees", journal: "stripe_fee" },
} as const satisfies Record<string, { label: string; states?: readonly PledgeState[]; journal?: string }>;

export type StatementLine = keyof typeof STATEMENT_LINES;
export const STATEMENT_LINE_KEYS = Object.keys(STATEMENT_LINES) as StatementLine[];

export const drillDownSchema = z.object({
  line: z.enum(STATEMENT_LINE_KEYS as [StatementLine, ...StatementLine[]], { error: "Unknown statement line." }),
  page: z.coerce
    .number({ error: "Page must be a number." })
    .int("Page must be a whole number.")
    .min(1, "Page starts at 1.")
    .max(100_000)
    .default(1),
});

const REASON_TOO_SHORT = "Give a reason (at least 3 characters); it goes in the audit log.";

// Conform reads an empty field as missing: one message covers both.
const reason = z
  .string({ error: REASON_TOO_SHORT })
  .trim()
  .min(3, REASON_TOO_SHORT)
  .max(500, "Keep the reason under 500 characters.");

/** A finance refund: amount in major units, at most what is still refundable. */
export function refundFormSchema({ currency, refundable }: { currency: CurrencyCode; refundable: number }) {
  return z.object({
    amount: z
      .string({ error: "Enter an amount." })
      .max(40, "Enter the amount as a number, like 25 or 25.50.")
      .transform((value, ctx) => {
        const parsed = parseAmount(value, currency);
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: parsed.message });
          return z.NEVER;
        }
        if (parsed.amount > refundable) {
          ctx.addIssue({ code: "custom", message: refundLimitMessage(refundable, currency) });
          return z.NEVER;
        }
        return parsed.amount;
      }),
    reason,
    // One per rendered form: a double submit carries the same key and refunds once.
    requestKey: z.uuid({ error: "The form expired. Reload the page and try again." }),
  });
}

export const actionReasonSchema = z.object({ reason });

/** Retrying a refund Stripe did not confirm: which one (it must be this pledge's). */
export const resumeRefundSchema = z.object({
  refundId: z.uuid({ error: "That refund is not on this pledge." }),
});

export const PAYOUT_STATUS_LABELS: Record<PayoutStatus, string> = {
  prepared: "Prepared, awaiting approval",
  approved: "Approved, transfer pending",
  paid: "Paid",
  failed: "Transfer failed",
};

export const MISMATCH_LABELS: Record<string, string> = {
  charge_missing_in_stripe: "Booked charge not found in Stripe",
  charge_not_succeeded: "Booked charge did not succeed in Stripe",
  charge_amount_differs: "Charge amount differs",
  fee_amount_differs: "Stripe fee differs",
  fee_missing_in_stripe: "Booked fee's balance transaction not found",
  charge_not_booked: "Stripe payment not in the ledger",
  refund_missing_in_stripe: "Booked refund not found in Stripe",
  refund_not_succeeded: "Booked refund did not succeed in Stripe",
  refund_amount_differs: "Refund amount differs",
  refund_not_booked: "Stripe refund not in the ledger",
  payout_missing_in_stripe: "Booked payout transfer not found in Stripe",
  payout_amount_differs: "Payout transfer amount differs",
  transfer_not_booked: "Stripe transfer not in the ledger",
  dispute_missing_in_stripe: "Booked dispute not found in Stripe",
  dispute_amount_differs: "Dispute amount differs",
  dispute_not_booked: "Stripe dispute not in the ledger",
};
