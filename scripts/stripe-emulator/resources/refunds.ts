// Refunds, full or partial, of a PaymentIntent's charge. Each refund writes a negative balance
// transaction and moves the charge's `amount_refunded`. Refunds of pm_card_refundFail start as
// succeeded and fail later (refund.failed): the money comes back to the balance and the charge.

import type { Emulator } from "../emulator.js";
import { invalidRequest, parameterMissing, stateError } from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId } from "../ids.js";
import { paginate } from "../list.js";
import { formatAmount } from "../money.js";
import type { Charge, Refund } from "../types.js";
import { recordBalanceTransaction } from "./balance-transactions.js";

const REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;

function chargeToRefund(emu: Emulator, params: Params): Charge {
  const chargeId = params.string("charge");
  const piId = params.string("payment_intent");
  if (!chargeId && !piId) throw parameterMissing("payment_intent");
  if (chargeId && piId) {
    throw invalidRequest("You can only pass one of `charge` or `payment_intent`.", { param: "payment_intent" });
  }
  if (chargeId) return emu.store.charges.require(chargeId, "charge");
  const pi = emu.store.paymentIntents.require(piId!, "payment_intent");
  const charge = pi.latest_charge ? emu.store.charges.get(pi.latest_charge as string) : undefined;
  if (pi.status !== "succeeded" || !charge || charge.status !== "succeeded") {
    throw stateError(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, {
      param: "payment_intent",
      code: "charge_not_refundable",
    });
  }
  return charge;
}

function createRefund(emu: Emulator, params: Params): Refund {
  const charge = chargeToRefund(emu, params);
  const requested = params.int("amount", { min: 1 });
  const reason = params.oneOf("reason", REASONS) ?? null;
  const metadata = applyMetadata({}, params.metadata());
  if (charge.disputed) {
    throw stateError(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: "charge_disputed" });
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw stateError(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
  }
  const amount = requested ?? remaining;
  if (amount > remaining) {
    throw stateError(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { param: "amount", code: "amount_too_large" },
    );
  }

  const id = newId("re");
  const txn = recordBalanceTransaction(emu, {
    amount: -amount,
    currency: charge.currency,
    type: "refund",
    reportingCategory: "refund",
    source: id,
    description: "REFUND FOR CHARGE",
  });
  const refund: Refund = {
    id,
    object: "refund",
    amount,
    balance_transaction: txn.id,
    charge: charge.id,
    created: emu.unix(),
    currency: charge.currency,
    customer: charge.customer,
    metadata,
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  emu.store.refunds.insert(refund);
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  emu.emit("charge.refunded", charge, previous);
  emu.emit("refund.created", refund);
  if (emu.store.internal.cards[charge.payment_method ?? ""]?.behaviour === "refund_fails") {
    emu.scheduler.schedule("refund.fail", refund.id, emu.now() + emu.config.asyncDelayMs);
  }
  return refund;
}

/** pm_card_refundFail: the refund bounces back some time after it was created. */
export function failRefund(emu: Emulator, refundId: string): void {
  const refund = emu.store.refunds.get(refundId);
  if (!refund || refund.status !== "succeeded") return;
  const charge = emu.store.charges.require(refund.charge as string);
  const txn = recordBalanceTransaction(emu, {
    amount: refund.amount,
    currency: refund.currency,
    type: "refund_failure",
    reportingCategory: "refund_failure",
    source: refund.id,
    description: "REFUND FAILURE",
  });
  const previous = { status: refund.status };
  refund.status = "failed";
  refund.failure_reason = "expired_or_canceled_card";
  refund.failure_balance_transaction = txn.id;
  charge.amount_refunded -= refund.amount;
  charge.refunded = false;
  emu.emit("charge.refund.updated", refund, previous);
  emu.emit("refund.updated", refund, previous);
  emu.emit("refund.failed", refund, previous);
}

export const refundRoutes: Route[] = [
  { method: "POST", path: "/v1/refunds", handler: (emu, req) => createRefund(emu, req.params) },
  {
    method: "GET",
    path: "/v1/refunds/:id",
    handler: (emu, req) => emu.store.refunds.require(req.pathParams.id!, "refund"),
  },
  {
    method: "POST",
    path: "/v1/refunds/:id",
    handler: (emu, req) => {
      const refund = emu.store.refunds.require(req.pathParams.id!, "refund");
      refund.metadata = applyMetadata(refund.metadata ?? {}, req.params.metadata());
      emu.emit("refund.updated", refund);
      return refund;
    },
  },
  {
    method: "GET",
    path: "/v1/refunds",
    handler: (emu, req) => {
      const charge = req.params.string("charge");
      const pi = req.params.string("payment_intent");
      return paginate(
        emu.store.refunds,
        req.params,
        req.path,
        (r) => (charge === undefined || r.charge === charge) && (pi === undefined || r.payment_intent === pi),
      );
    },
  },
];
