// Balance transactions: the ledger lines Stripe writes for charges (with the processing fee),
// refunds, refund failures, disputes (with the dispute fee) and transfers.

import type Stripe from "stripe";
import type { Emulator } from "../emulator.js";
import type { Route } from "../http/router.js";
import { newId } from "../ids.js";
import { paginate } from "../list.js";
import type { BalanceTransaction } from "../types.js";

/** Card funds settle two days later in test mode. */
const AVAILABLE_AFTER_SECONDS = 2 * 24 * 60 * 60;

export interface BalanceEntry {
  amount: number;
  currency: string;
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  source: string;
  description?: string | null;
  fee?: { amount: number; description: string };
}

export function recordBalanceTransaction(emu: Emulator, entry: BalanceEntry): BalanceTransaction {
  const created = emu.unix();
  const fee = entry.fee?.amount ?? 0;
  const txn: BalanceTransaction = {
    id: newId("txn"),
    object: "balance_transaction",
    amount: entry.amount,
    available_on: entry.type === "charge" ? created + AVAILABLE_AFTER_SECONDS : created,
    balance_type: "payments",
    created,
    currency: entry.currency,
    description: entry.description ?? null,
    exchange_rate: null,
    fee,
    fee_details: entry.fee
      ? [
          {
            amount: fee,
            application: null,
            currency: entry.currency,
            description: entry.fee.description,
            type: "stripe_fee",
          },
        ]
      : [],
    net: entry.amount - fee,
    reporting_category: entry.reportingCategory,
    source: entry.source,
    status: entry.type === "charge" ? "pending" : "available",
    type: entry.type,
  };
  return emu.store.balanceTransactions.insert(txn);
}

export const balanceTransactionRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/balance_transactions/:id",
    handler: (emu, req) => emu.store.balanceTransactions.require(req.pathParams.id!, "id"),
  },
  {
    method: "GET",
    path: "/v1/balance_transactions",
    handler: (emu, req) => {
      const type = req.params.string("type");
      const source = req.params.string("source");
      const currency = req.params.string("currency");
      return paginate(
        emu.store.balanceTransactions,
        req.params,
        req.path,
        (t) =>
          (type === undefined || t.type === type) &&
          (source === undefined || t.source === source) &&
          (currency === undefined || t.currency === currency),
      );
    },
  },
];
