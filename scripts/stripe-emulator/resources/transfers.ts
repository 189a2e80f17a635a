// Transfers to connected accounts, created directly (payouts to creators) or by destination
// charges, and their reversals. As on Stripe:
//  - a transfer without `source_transaction` spends the platform's *available* balance and is
//    refused with `balance_insufficient` beyond it (nothing is created);
//  - with `source_transaction` (a charge) it is funded by that charge even while the charge's
//    funds are pending, up to what is left of the charge (less refunds and earlier transfers
//    from it); its balance transaction, and the funds on the connected account, become
//    available when the charge's do;
//  - a reversal (POST /v1/transfers/:id/reversals) gives back part or the rest of a transfer:
//    the platform is credited (a `transfer_refund` balance transaction; available at once, or
//    when the transfer's funds are if they were still pending) and the connected account
//    debited, which it must be able to cover (`balance_insufficient` once the money left for
//    its bank, see `POST /_emulator/accounts/:id/pay_out`).

import type { Emulator } from "../emulator.js";
import { parameterInvalid, resourceMissing, stateError, type StripeApiError } from "../http/errors.js";
import { applyMetadata, type Params } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId, randomToken } from "../ids.js";
import { paginate } from "../list.js";
import { formatAmount, normalizeCurrency } from "../money.js";
import type { Charge, Transfer, TransferReversal } from "../types.js";
import { connectedBalances, recordConnectedBalance, requireTransferCapability } from "./accounts.js";
import { availableBalance, platformBalanceInsufficient } from "./balance.js";
import { recordBalanceTransaction } from "./balance-transactions.js";
import { changedFields } from "./shared.js";

/** Stripe embeds the 10 most recent reversals in the transfer. */
const EMBEDDED_REVERSALS = 10;

export interface TransferInput {
  amount: number;
  currency: string;
  destination: string;
  sourceTransaction: string | null;
  transferGroup: string | null;
  description: string | null;
  metadata: Record<string, string>;
}

/** When the funds of a charge reach the available balance (now, if they already have). */
function chargeFundsAvailableOn(emu: Emulator, chargeId: string): number {
  const now = emu.unix();
  const charge = emu.store.charges.get(chargeId);
  const txnId = typeof charge?.balance_transaction === "string" ? charge.balance_transaction : null;
  const txn = txnId ? emu.store.balanceTransactions.get(txnId) : undefined;
  return Math.max(now, txn?.available_on ?? now);
}

export function recordTransfer(emu: Emulator, input: TransferInput): Transfer {
  const id = newId("tr");
  const availableOn = input.sourceTransaction ? chargeFundsAvailableOn(emu, input.sourceTransaction) : emu.unix();
  const txn = recordBalanceTransaction(emu, {
    amount: -input.amount,
    currency: input.currency,
    type: "transfer",
    reportingCategory: "transfer",
    source: id,
    description: input.description,
    availableOn,
  });
  const destinationPayment = newId("py");
  recordConnectedBalance(emu, input.destination, {
    type: "payment",
    amount: input.amount,
    currency: input.currency,
    available_on: availableOn,
    source: destinationPayment,
  });
  const transfer: Transfer = {
    id,
    object: "transfer",
    amount: input.amount,
    amount_reversed: 0,
    balance_transaction: txn.id,
    created: emu.unix(),
    currency: input.currency,
    description: input.description,
    destination: input.destination,
    destination_payment: destinationPayment,
    livemode: false,
    metadata: input.metadata,
    reversals: { object: "list", data: [], has_more: false, url: `/v1/transfers/${id}/reversals` },
    reversed: false,
    source_transaction: input.sourceTransaction,
    source_type: "card",
    transfer_group: input.transferGroup,
  };
  emu.store.transfers.insert(transfer);
  emu.emit("transfer.created", transfer);
  return transfer;
}

/** What is left of a charge to transfer: its amount less refunds and earlier transfers from it. */
function transferableFromCharge(emu: Emulator, charge: Charge): number {
  let transferred = 0;
  for (const t of emu.store.transfers.all()) {
    if (t.source_transaction === charge.id) transferred += t.amount;
  }
  return charge.amount - charge.amount_refunded - transferred;
}

function requireSourceCharge(emu: Emulator, chargeId: string, amount: number, currency: string): void {
  const charge = emu.store.charges.require(chargeId, "source_transaction");
  if (charge.status !== "succeeded") {
    throw stateError(`The source_transaction ${chargeId} has not succeeded.`, { param: "source_transaction" });
  }
  if (charge.currency !== currency) {
    throw parameterInvalid(
      "currency",
      `The currency of source_transaction's balance transaction (${charge.currency}) must be the same as the transfer currency (${currency}).`,
    );
  }
  if (amount > transferableFromCharge(emu, charge)) {
    throw stateError("Transfer amount exceeds the available amount of the source_transaction.", {
      param: "amount",
      code: "amount_too_large",
    });
  }
}

function createTransfer(emu: Emulator, p: Params): Transfer {
  const amount = p.requireInt("amount", { min: 1 });
  const currency = normalizeCurrency(p.requireString("currency"));
  const destination = p.requireString("destination");
  requireTransferCapability(emu, destination, "destination");
  const sourceTransaction = p.string("source_transaction") || null;
  if (sourceTransaction) requireSourceCharge(emu, sourceTransaction, amount, currency);
  else if (amount > availableBalance(emu, currency)) throw platformBalanceInsufficient();
  return recordTransfer(emu, {
    amount,
    currency,
    destination,
    sourceTransaction,
    transferGroup: p.string("transfer_group") || null,
    description: p.string("description") || null,
    metadata: applyMetadata({}, p.metadata()),
  });
}

/** `transfer.reversals`: the most recent reversals, newest first, as Stripe embeds them. */
function refreshEmbeddedReversals(emu: Emulator, transfer: Transfer): void {
  const mine = emu.store.transferReversals.all().filter((r) => r.transfer === transfer.id);
  mine.reverse();
  transfer.reversals = {
    object: "list",
    data: mine.slice(0, EMBEDDED_REVERSALS).map((r) => structuredClone(r)),
    has_more: mine.length > EMBEDDED_REVERSALS,
    url: `/v1/transfers/${transfer.id}/reversals`,
  };
}

function connectedAccountInsufficient(): StripeApiError {
  return stateError("Insufficient funds in the connected account to reverse this transfer.", {
    code: "balance_insufficient",
  });
}

export function createReversal(emu: Emulator, transfer: Transfer, p: Params): TransferReversal {
  const requested = p.int("amount", { min: 1 });
  const metadata = applyMetadata({}, p.metadata());
  // Accepted as Stripe accepts them: the reversal object has no description field, and the
  // emulator keeps no application fee objects to refund.
  p.nullableString("description");
  p.bool("refund_application_fee");

  const remaining = transfer.amount - transfer.amount_reversed;
  if (remaining <= 0) throw stateError(`The transfer ${transfer.id} is already fully reversed.`);
  const amount = requested ?? remaining;
  if (amount > remaining) {
    throw stateError(
      `Transfer reversal amount (${formatAmount(amount, transfer.currency)}) is greater than the amount left on the transfer (${formatAmount(remaining, transfer.currency)}).`,
      { param: "amount", code: "amount_too_large" },
    );
  }
  const destination = transfer.destination as string;
  const held = connectedBalances(emu, destination).get(transfer.currency);
  if (!held || amount > held.available + held.pending) throw connectedAccountInsufficient();

  // Money that was still pending (a transfer funded by a pending charge) comes back pending.
  const transferTxn = emu.store.balanceTransactions.get(transfer.balance_transaction as string);
  const availableOn = Math.max(emu.unix(), transferTxn?.available_on ?? 0);
  const id = `trr_${randomToken(24)}`;
  const txn = recordBalanceTransaction(emu, {
    amount,
    currency: transfer.currency,
    type: "transfer_refund",
    reportingCategory: "transfer_reversal",
    source: id,
    description: null,
    availableOn,
  });
  const destinationPaymentRefund = `pyr_${randomToken(24)}`;
  recordConnectedBalance(emu, destination, {
    type: "payment_refund",
    amount: -amount,
    currency: transfer.currency,
    available_on: availableOn,
    source: destinationPaymentRefund,
  });
  const reversal: TransferReversal = {
    id,
    object: "transfer_reversal",
    amount,
    balance_transaction: txn.id,
    created: emu.unix(),
    currency: transfer.currency,
    destination_payment_refund: destinationPaymentRefund,
    metadata,
    source_refund: null,
    transfer: transfer.id,
  };
  emu.store.transferReversals.insert(reversal);

  const before = structuredClone(transfer);
  transfer.amount_reversed += amount;
  transfer.reversed = transfer.amount_reversed === transfer.amount;
  refreshEmbeddedReversals(emu, transfer);
  emu.emit("transfer.reversed", transfer, changedFields(before, transfer) ?? undefined);
  return reversal;
}

function requireReversal(emu: Emulator, transfer: Transfer, reversalId: string): TransferReversal {
  const reversal = emu.store.transferReversals.get(reversalId);
  if (!reversal || reversal.transfer !== transfer.id) throw resourceMissing("transfer reversal", reversalId, "id");
  return reversal;
}

export const transferRoutes: Route[] = [
  { method: "POST", path: "/v1/transfers", handler: (emu, req) => createTransfer(emu, req.params) },
  {
    method: "GET",
    path: "/v1/transfers/:id",
    handler: (emu, req) => emu.store.transfers.require(req.pathParams.id!, "id"),
  },
  {
    method: "POST",
    path: "/v1/transfers/:id",
    handler: (emu, req) => {
      const transfer = emu.store.transfers.require(req.pathParams.id!, "id");
      transfer.metadata = applyMetadata(transfer.metadata, req.params.metadata());
      const description = req.params.nullableString("description");
      if (description !== undefined) transfer.description = description;
      emu.emit("transfer.updated", transfer);
      return transfer;
    },
  },
  {
    method: "GET",
    path: "/v1/transfers",
    handler: (emu, req) => {
      const destination = req.params.string("destination");
      const group = req.params.string("transfer_group");
      return paginate(
        emu.store.transfers,
        req.params,
        req.path,
        (t) =>
          (destination === undefined || t.destination === destination) &&
          (group === undefined || t.transfer_group === group),
      );
    },
  },
  {
    method: "POST",
    path: "/v1/transfers/:id/reversals",
    handler: (emu, req) => createReversal(emu, emu.store.transfers.require(req.pathParams.id!, "id"), req.params),
  },
  {
    method: "GET",
    path: "/v1/transfers/:id/reversals",
    handler: (emu, req) => {
      const transfer = emu.store.transfers.require(req.pathParams.id!, "id");
      return paginate(emu.store.transferReversals, req.params, req.path, (r) => r.transfer === transfer.id);
    },
  },
  {
    method: "GET",
    path: "/v1/transfers/:id/reversals/:reversal",
    handler: (emu, req) =>
      requireReversal(emu, emu.store.transfers.require(req.pathParams.id!, "id"), req.pathParams.reversal!),
  },
  {
    method: "POST",
    path: "/v1/transfers/:id/reversals/:reversal",
    handler: (emu, req) => {
      const transfer = emu.store.transfers.require(req.pathParams.id!, "id");
      const reversal = requireReversal(emu, transfer, req.pathParams.reversal!);
      reversal.metadata = applyMetadata(reversal.metadata ?? {}, req.params.metadata());
      refreshEmbeddedReversals(emu, transfer);
      return reversal;
    },
  },
];
