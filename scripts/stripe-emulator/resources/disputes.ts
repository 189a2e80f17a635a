// Disputes, opened automatically on charges made with 4000000000000259 / pm_card_createDispute
// a moment after they succeed (status needs_response, reason fraudulent). The disputed amount
// and Stripe's dispute fee leave the balance in one adjustment balance transaction.
//
// Their life, as Stripe test mode lives it:
//  - `POST /v1/disputes/:id` with `evidence[...]` stages evidence (`submit=false`) or submits it
//    (`submit` defaults to true): needs_response -> under_review, then, a moment later
//    (`asyncDelayMs`), the bank decides from `evidence[uncategorized_text]`: `winning_evidence`
//    -> won (the amount comes back in a `dispute_reversal` adjustment; funds_reinstated, then
//    closed), `losing_evidence` -> lost (closed); anything else stays under_review.
//  - No evidence submitted by `evidence_details.due_by` (emulator clock): lost (closed).
//  - `POST /v1/disputes/:id/close` accepts the dispute: lost.
//  - Evidence on a dispute that is closed, under review or past its due date is a 400.

import type Stripe from "stripe";
import type { Emulator } from "../emulator.js";
import { invalidRequest, stateError } from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId } from "../ids.js";
import { paginate } from "../list.js";
import type { Dispute } from "../types.js";
import { recordBalanceTransaction } from "./balance-transactions.js";

const EVIDENCE_WINDOW_SECONDS = 7 * 24 * 60 * 60;

/** The dispute as stored: Stripe's shape, with the evidence the merchant staged or submitted. */
type StoredDispute = Dispute & { evidence?: Stripe.Dispute.Evidence };

/** Evidence fields that hold text, with Stripe's maximum length (5000 where the docs name none). */
const TEXT_EVIDENCE: Record<string, number> = {
  access_activity_log: 20_000,
  billing_address: 5_000,
  cancellation_policy_disclosure: 20_000,
  cancellation_rebuttal: 20_000,
  customer_email_address: 5_000,
  customer_name: 5_000,
  customer_purchase_ip: 5_000,
  duplicate_charge_explanation: 20_000,
  duplicate_charge_id: 5_000,
  product_description: 20_000,
  refund_policy_disclosure: 20_000,
  refund_refusal_explanation: 20_000,
  service_date: 5_000,
  shipping_address: 5_000,
  shipping_carrier: 5_000,
  shipping_date: 5_000,
  shipping_tracking_number: 5_000,
  uncategorized_text: 20_000,
};
/** Evidence fields that take the id of an uploaded file (the emulator has no Files API). */
const FILE_EVIDENCE = [
  "cancellation_policy",
  "customer_communication",
  "customer_signature",
  "duplicate_charge_documentation",
  "receipt",
  "refund_policy",
  "service_documentation",
  "shipping_documentation",
  "uncategorized_file",
] as const;
/** Stripe's limit on all text evidence together. */
const MAX_EVIDENCE_CHARACTERS = 150_000;

const OPEN_STATUSES: readonly string[] = ["needs_response", "warning_needs_response"];
const CLOSED_STATUSES: readonly string[] = ["won", "lost", "warning_closed", "prevented"];

function emptyEvidence(): Stripe.Dispute.Evidence {
  const evidence: Record<string, null> = {};
  for (const key of [...Object.keys(TEXT_EVIDENCE), ...FILE_EVIDENCE].sort()) evidence[key] = null;
  return evidence as unknown as Stripe.Dispute.Evidence;
}

/**
 * The `dispute.create` job. Its ref is a charge id (open a dispute on it) or, for the dispute's
 * own later steps, `<dispute id>:decide` (the bank's decision after a submission) and
 * `<dispute id>:due` (the evidence deadline): one job kind keeps the scheduler's list of kinds
 * as it was.
 */
export function openDispute(emu: Emulator, ref: string): void {
  const step = /^(dp_[A-Za-z0-9]+):(decide|due)$/.exec(ref);
  if (step) {
    const dispute = emu.store.disputes.get(step[1]!) as StoredDispute | undefined;
    if (!dispute) return;
    if (step[2] === "decide") decide(emu, dispute);
    else deadlinePassed(emu, dispute);
    return;
  }
  const charge = emu.store.charges.get(ref);
  if (!charge || charge.disputed) return;
  const id = newId("dp");
  const txn = recordBalanceTransaction(emu, {
    amount: -charge.amount,
    currency: charge.currency,
    type: "adjustment",
    reportingCategory: "dispute",
    source: id,
    description: `Chargeback withdrawal for ${charge.id}`,
    fee: { amount: emu.config.disputeFee, description: "Dispute fee" },
  });
  const created = emu.unix();
  const dueBy = created + EVIDENCE_WINDOW_SECONDS;
  const dispute: StoredDispute = {
    id,
    object: "dispute",
    amount: charge.amount,
    balance_transactions: [txn.id],
    charge: charge.id,
    created,
    currency: charge.currency,
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: dueBy,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: "fraudulent",
    status: "needs_response",
  };
  emu.store.disputes.insert(dispute);
  emu.scheduler.schedule("dispute.create", `${id}:due`, dueBy * 1000);
  const previous = { disputed: false };
  charge.disputed = true;
  emu.emit("charge.dispute.created", expandDispute(emu, dispute));
  emu.emit("charge.dispute.funds_withdrawn", expandDispute(emu, dispute));
  emu.emit("charge.updated", charge, previous);
}

/** The bank's decision on submitted evidence, as Stripe test mode makes it. */
function decide(emu: Emulator, dispute: StoredDispute): void {
  if (dispute.status !== "under_review") return;
  const text = dispute.evidence?.uncategorized_text?.trim();
  if (text === "winning_evidence") {
    const txn = recordBalanceTransaction(emu, {
      amount: dispute.amount,
      currency: dispute.currency,
      type: "adjustment",
      reportingCategory: "dispute_reversal",
      source: dispute.id,
      description: `Chargeback reversal for ${typeof dispute.charge === "string" ? dispute.charge : dispute.charge.id}`,
    });
    const previous = { status: dispute.status, balance_transactions: [...dispute.balance_transactions] };
    dispute.balance_transactions.push(txn.id);
    dispute.status = "won";
    emu.emit("charge.dispute.funds_reinstated", expandDispute(emu, dispute), previous);
    emu.emit("charge.dispute.closed", expandDispute(emu, dispute), { status: "under_review" });
  } else if (text === "losing_evidence") {
    dispute.status = "lost";
    emu.emit("charge.dispute.closed", expandDispute(emu, dispute), { status: "under_review" });
  }
  // Anything else stays under review: test mode's bank never answers it.
}

/** The evidence deadline passed: a dispute nobody answered is lost. */
function deadlinePassed(emu: Emulator, dispute: StoredDispute): void {
  if (!OPEN_STATUSES.includes(dispute.status) || dispute.evidence_details.submission_count > 0) return;
  const previous = { status: dispute.status };
  dispute.status = "lost";
  emu.emit("charge.dispute.closed", expandDispute(emu, dispute), previous);
}

/** Reads `evidence[...]` as Stripe validates it: known fields, text lengths, file ids. */
function readEvidence(params: Params): Partial<Record<string, string | null>> {
  const evidence = params.object("evidence");
  if (!evidence) return {};
  const out: Partial<Record<string, string | null>> = {};
  let characters = 0;
  for (const key of Object.keys(evidence.data)) {
    const name = evidence.name(key);
    const max = TEXT_EVIDENCE[key];
    const isFile = (FILE_EVIDENCE as readonly string[]).includes(key);
    if (max === undefined && !isFile) {
      throw invalidRequest(`Received unknown parameter: ${name}`, { param: name, code: "parameter_unknown" });
    }
    const value = evidence.nullableString(key);
    if (value && max !== undefined && value.length > max) {
      throw invalidRequest(`Invalid string: ${name} must be at most ${max} characters.`, {
        param: name,
        code: "string_too_long",
      });
    }
    if (value && isFile && !/^file_[A-Za-z0-9]+$/.test(value)) {
      throw invalidRequest(`No such file upload: '${value}'`, { param: name, code: "resource_missing" });
    }
    if (value && max !== undefined) characters += value.length;
    out[key] = value ?? null;
  }
  if (characters > MAX_EVIDENCE_CHARACTERS) {
    throw invalidRequest(
      `The combined character count of all evidence fields is limited to ${MAX_EVIDENCE_CHARACTERS}.`,
      { param: "evidence" },
    );
  }
  return out;
}

/** Stripe always returns `balance_transactions` as full objects. */
function expandDispute(emu: Emulator, dispute: Dispute): unknown {
  return {
    ...dispute,
    balance_transactions: dispute.balance_transactions.map((id) => emu.store.balanceTransactions.get(id)),
  };
}

export const disputeRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/disputes/:id",
    handler: (emu, req) => emu.store.disputes.require(req.pathParams.id!, "dispute"),
  },
  {
    method: "POST",
    path: "/v1/disputes/:id",
    handler: (emu, req) => {
      const dispute = emu.store.disputes.require(req.pathParams.id!, "dispute") as StoredDispute;
      const metadata = req.params.metadata();
      const evidence = readEvidence(req.params);
      const submit = req.params.bool("submit") ?? true;
      // Metadata alone may change at any time; evidence (or a submission) only while Stripe
      // still waits for a response.
      const answering = Object.keys(evidence).length > 0 || req.params.has("submit");
      if (answering) {
        if (CLOSED_STATUSES.includes(dispute.status))
          throw stateError(
            `This dispute is already closed (status ${dispute.status}); evidence can no longer be submitted.`,
          );
        if (!OPEN_STATUSES.includes(dispute.status))
          throw stateError(`Evidence for this dispute was already submitted (status ${dispute.status}).`);
        const dueBy = dispute.evidence_details.due_by;
        if (dueBy !== null && dueBy > 0 && emu.unix() >= dueBy)
          throw stateError("The deadline for submitting evidence for this dispute has passed.", { param: "evidence" });
      }
      const previous: Record<string, unknown> = {};
      if (metadata !== undefined) {
        previous.metadata = dispute.metadata;
        dispute.metadata = applyMetadata(dispute.metadata, metadata);
      }
      if (answering) {
        const current = dispute.evidence ?? emptyEvidence();
        previous.evidence = { ...current };
        dispute.evidence = { ...current, ...evidence } as Stripe.Dispute.Evidence;
        const hasEvidence = Object.values(dispute.evidence).some((v) => v !== null && v !== "");
        previous.evidence_details = { ...dispute.evidence_details };
        dispute.evidence_details = { ...dispute.evidence_details, has_evidence: hasEvidence };
        if (submit) {
          previous.status = dispute.status;
          dispute.status = dispute.status === "warning_needs_response" ? "warning_under_review" : "under_review";
          dispute.evidence_details = {
            ...dispute.evidence_details,
            submission_count: dispute.evidence_details.submission_count + 1,
            submission_method: "manual",
          };
          emu.scheduler.cancel("dispute.create", `${dispute.id}:due`);
          emu.scheduler.schedule("dispute.create", `${dispute.id}:decide`, emu.now() + emu.config.asyncDelayMs);
        }
      }
      emu.emit("charge.dispute.updated", expandDispute(emu, dispute), previous);
      return dispute;
    },
  },
  {
    method: "POST",
    path: "/v1/disputes/:id/close",
    handler: (emu, req) => {
      const dispute = emu.store.disputes.require(req.pathParams.id!, "dispute");
      if (!OPEN_STATUSES.includes(dispute.status)) {
        throw stateError(`This dispute is already closed (status ${dispute.status}).`);
      }
      const previous = { status: dispute.status };
      dispute.status = "lost";
      emu.scheduler.cancel("dispute.create", `${dispute.id}:due`);
      emu.emit("charge.dispute.closed", expandDispute(emu, dispute), previous);
      return dispute;
    },
  },
  {
    method: "GET",
    path: "/v1/disputes",
    handler: (emu, req) => {
      const charge = req.params.string("charge");
      const pi = req.params.string("payment_intent");
      return paginate(
        emu.store.disputes,
        req.params,
        req.path,
        (d) => (charge === undefined || d.charge === charge) && (pi === undefined || d.payment_intent === pi),
      );
    },
  },
];
