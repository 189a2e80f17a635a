// Charges: the record of each attempt to move money for a PaymentIntent. Successful ones get a
// balance transaction with Stripe's processing fee; destination charges also transfer the
// amount minus the application fee to the connected account.

import type { Emulator } from "../emulator.js";
import type { Route } from "../http/router.js";
import { newId } from "../ids.js";
import { paginate } from "../list.js";
import { processingFee } from "../money.js";
import type { Charge, PaymentIntent, PaymentMethod } from "../types.js";
import { recordBalanceTransaction } from "./balance-transactions.js";
import { recordTransfer } from "./transfers.js";

export type ChargeOutcome =
  { kind: "succeeded" } | { kind: "failed"; code: string; declineCode: string; message: string };

function baseCharge(emu: Emulator, pi: PaymentIntent, pm: PaymentMethod): Charge {
  const card = pm.card!;
  return {
    id: newId("ch"),
    object: "charge",
    amount: pi.amount,
    amount_captured: 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: pi.application_fee_amount,
    balance_transaction: null,
    billing_details: structuredClone(pm.billing_details),
    calculated_statement_descriptor: emu.config.merchantName.toUpperCase().slice(0, 22),
    captured: false,
    created: emu.unix(),
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: null,
    paid: false,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: {
      type: "card",
      card: {
        amount_authorized: pi.amount,
        authorization_code: null,
        brand: card.brand,
        checks: card.checks,
        country: card.country,
        electronic_commerce_indicator: null,
        transaction_link_id: null,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        fingerprint: card.fingerprint,
        funding: card.funding,
        installments: null,
        last4: card.last4,
        mandate: null,
        network: card.brand,
        network_token: { used: false },
        network_transaction_id: null,
        regulated_status: "unregulated",
        three_d_secure: null,
        wallet: null,
      },
    },
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source_transfer: null,
    statement_descriptor: pi.statement_descriptor,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    status: "pending",
    transfer_data: pi.transfer_data
      ? { amount: pi.transfer_data.amount ?? null, destination: pi.transfer_data.destination as string }
      : null,
    transfer_group: pi.transfer_group,
  };
}

/** Creates the charge for one confirmation attempt and emits `charge.succeeded`/`charge.failed`. */
export function recordCharge(emu: Emulator, pi: PaymentIntent, pm: PaymentMethod, outcome: ChargeOutcome): Charge {
  const charge = baseCharge(emu, pi, pm);
  if (outcome.kind === "failed") {
    charge.status = "failed";
    charge.failure_code = outcome.code;
    charge.failure_message = outcome.message;
    charge.outcome = {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "declined_by_network",
      reason: outcome.declineCode,
      risk_level: "normal",
      risk_score: 20,
      seller_message: "The bank did not return any further details with this decline.",
      type: "issuer_declined",
    };
    emu.store.charges.insert(charge);
    emu.emit("charge.failed", charge);
    return charge;
  }
  charge.status = "succeeded";
  charge.paid = true;
  charge.captured = true;
  charge.amount_captured = pi.amount;
  charge.outcome = {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: "approved_by_network",
    reason: null,
    risk_level: "normal",
    risk_score: 20,
    seller_message: "Payment complete.",
    type: "authorized",
  };
  const txn = recordBalanceTransaction(emu, {
    amount: pi.amount,
    currency: pi.currency,
    type: "charge",
    reportingCategory: "charge",
    source: charge.id,
    description: pi.description,
    fee: { amount: processingFee(pi.amount, emu.config.fees), description: "Stripe processing fees" },
  });
  charge.balance_transaction = txn.id;
  emu.store.charges.insert(charge);
  if (charge.transfer_data) {
    const transferAmount = charge.transfer_data.amount ?? pi.amount - (pi.application_fee_amount ?? 0);
    const transfer = recordTransfer(emu, {
      amount: transferAmount,
      currency: pi.currency,
      destination: charge.transfer_data.destination as string,
      sourceTransaction: charge.id,
      transferGroup: pi.transfer_group ?? `group_${pi.id}`,
      description: null,
      metadata: {},
    });
    charge.transfer = transfer.id;
  }
  emu.emit("charge.succeeded", charge);
  return charge;
}

export const chargeRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/charges/:id",
    handler: (emu, req) => emu.store.charges.require(req.pathParams.id!, "id"),
  },
  {
    method: "GET",
    path: "/v1/charges",
    handler: (emu, req) => {
      const pi = req.params.string("payment_intent");
      const customer = req.params.string("customer");
      return paginate(
        emu.store.charges,
        req.params,
        req.path,
        (c) => (pi === undefined || c.payment_intent === pi) && (customer === undefined || c.customer === customer),
      );
    },
  },
];
