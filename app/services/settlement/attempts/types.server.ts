import type { Collection, CurrencyCode, SettlementDecision, SettlementStage } from "../../../../db/schema.js";
import type { NoticePledge } from "../notices.server";

// The words the three steps of the attempt protocol (../attempts.server.ts) pass between them.

export type JobKind = "charge" | "keep" | "refund";

/** A campaign being settled, as every step of its settlement reads it. */
export interface SettlingCampaign {
  id: string;
  slug: string;
  title: string;
  currency: CurrencyCode;
  collection: Collection;
  creatorId: string;
  decision: SettlementDecision;
  stage: SettlementStage;
  graceEndsAt: Date | null;
}

/** One claimed attempt: what the call needs, and the email the record step sends. */
export interface AttemptJob {
  kind: JobKind;
  attemptId: number;
  attempt: number;
  key: string;
  pledgeId: string;
  amount: number;
  currency: CurrencyCode;
  customerId: string | null;
  paymentMethodId: string | null;
  paymentIntentId: string | null;
  notice: NoticePledge;
}

/** One payment Stripe took, with the fee from its balance transaction. */
export interface Paid {
  paymentIntentId: string;
  chargeId: string;
  balanceTransactionId: string;
  fee: number;
  amount: number;
}

/** One refund settlement made, on one of the pledge's payments. */
export interface SettlementRefund {
  refundId: string;
  amount: number;
  key: string;
  paymentIntentId: string;
}

export type JobOutcome =
  // `payments`: every payment of the pledge (one for a charge; the first payment and any top-ups
  // when keeping a pledge paid up front); the spread fields are the first one's.
  | ({ job: AttemptJob; kind: "paid"; payments: Paid[] } & Paid)
  | { job: AttemptJob; kind: "refunded"; refunds: SettlementRefund[]; refundAmount: number; originals: Paid[] }
  | {
      job: AttemptJob;
      kind: "failed";
      status: "failed" | "requires_action";
      code: string;
      declineCode: string | null;
      message: string;
      stripeObjectId: string | null;
      /** A refund Stripe refused: the payments read and the refunds made before the refusal. */
      originals?: Paid[];
      refunds?: SettlementRefund[];
    }
  | { job: AttemptJob; kind: "unfinished"; error: string };

export interface BatchResult {
  recorded: number;
  paid: number;
  failed: number;
  refunded: number;
  unfinished: number;
  /** Amount collected (paid) in this batch, minor units. */
  collectedAmount: number;
}

export const emptyResult = (): BatchResult => ({
  recorded: 0,
  paid: 0,
  failed: 0,
  refunded: 0,
  unfinished: 0,
  collectedAmount: 0,
});

export function addResults(into: BatchResult, more: BatchResult) {
  into.recorded += more.recorded;
  into.paid += more.paid;
  into.failed += more.failed;
  into.refunded += more.refunded;
  into.unfinished += more.unfinished;
  into.collectedAmount += more.collectedAmount;
}
