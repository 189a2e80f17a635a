// Balance transactions: the ledger lines Stripe writes for charges (with the processing fee),
// refunds, refund failures, disputes (with the dispute fee), transfers and transfer reversals.
// A line is `pending` until the emulator clock reaches its `available_on` (card charges:
// `availableAfterSeconds` later, two days by default as in test mode; transfers funded by a `source_transaction`: when that charge's funds are), then
// `available` (store.ts flips it as it is read). GET /v1/balance adds them up (balance.ts).

import type Stripe from "stripe";
import type { Emulator } from "../emulator.js";
import type { Route } from "../http/router.js";
import { newId } from "../ids.js";
import { paginate } from "../list.js";
import type { BalanceTransaction } from "../types.js";

export interface BalanceEntry {
  amount: number;
  currency: string;
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  source: string;
  description?: string | null;
  fee?: { amount: number; description: string };
  /**
   * Unix seconds from which the line counts in the available balance. Default: two days after
   * creation for charges, at once for everything else.
   */
  availableOn?: number;
}

export function recordBalanceTransaction(emu: Emulator, entry: BalanceEntry): BalanceTransaction {
  const created = emu.unix();
  const fee = entry.fee?.amount ?? 0;
  const availableOn =
    entry.availableOn ?? (entry.type === "charge" ? created + emu.config.availableAfterSeconds : created);
  const txn: BalanceTransaction = {
    id: newId("txn"),
    object: "balance_transaction",
    amount: entry.amount,
    available_on: availableOn,
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
    status: availableOn <= created ? "available" : "pending",
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
