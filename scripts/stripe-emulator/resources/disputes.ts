// Disputes, opened automatically on charges made with 4000000000000259 / pm_card_createDispute
// a moment after they succeed (status needs_response, reason fraudulent). The disputed amount
// and Stripe's dispute fee leave the balance in one adjustment balance transaction.

import type { Emulator } from "../emulator.js";
import { stateError } from "../http/errors.js";
import { applyMetadata } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId } from "../ids.js";
import { paginate } from "../list.js";
import type { Dispute } from "../types.js";
import { recordBalanceTransaction } from "./balance-transactions.js";

const EVIDENCE_WINDOW_SECONDS = 7 * 24 * 60 * 60;

export function openDispute(emu: Emulator, chargeId: string): void {
  const charge = emu.store.charges.get(chargeId);
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
  const dispute: Dispute = {
    id,
    object: "dispute",
    amount: charge.amount,
    balance_transactions: [txn.id],
    charge: charge.id,
    created,
    currency: charge.currency,
    evidence_details: {
      due_by: created + EVIDENCE_WINDOW_SECONDS,
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
  const previous = { disputed: false };
  charge.disputed = true;
  emu.emit("charge.dispute.created", expandDispute(emu, dispute));
  emu.emit("charge.dispute.funds_withdrawn", expandDispute(emu, dispute));
  emu.emit("charge.updated", charge, previous);
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
      const dispute = emu.store.disputes.require(req.pathParams.id!, "dispute");
      dispute.metadata = applyMetadata(dispute.metadata, req.params.metadata());
      emu.emit("charge.dispute.updated", expandDispute(emu, dispute));
      return dispute;
    },
  },
  {
    method: "POST",
    path: "/v1/disputes/:id/close",
    handler: (emu, req) => {
      const dispute = emu.store.disputes.require(req.pathParams.id!, "dispute");
      if (dispute.status !== "needs_response" && dispute.status !== "warning_needs_response") {
        throw stateError(`This dispute is already closed (status ${dispute.status}).`);
      }
      const previous = { status: dispute.status };
      dispute.status = "lost";
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
