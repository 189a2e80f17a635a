// Transfers to connected accounts: created directly (payouts to creators) or by destination
// charges. The platform balance is not enforced (see README: real test mode needs available
// funds or `source_transaction`).

import type { Emulator } from "../emulator.js";
import { parameterInvalid, stateError } from "../http/errors.js";
import { applyMetadata } from "../http/params.js";
import type { Route } from "../http/router.js";
import { newId } from "../ids.js";
import { paginate } from "../list.js";
import { normalizeCurrency } from "../money.js";
import type { Transfer } from "../types.js";
import { recordBalanceTransaction } from "./balance-transactions.js";
import { requireTransferCapability } from "./accounts.js";

export interface TransferInput {
  amount: number;
  currency: string;
  destination: string;
  sourceTransaction: string | null;
  transferGroup: string | null;
  description: string | null;
  metadata: Record<string, string>;
}

export function recordTransfer(emu: Emulator, input: TransferInput): Transfer {
  const id = newId("tr");
  const txn = recordBalanceTransaction(emu, {
    amount: -input.amount,
    currency: input.currency,
    type: "transfer",
    reportingCategory: "transfer",
    source: id,
    description: input.description,
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
    destination_payment: newId("py"),
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

export const transferRoutes: Route[] = [
  {
    method: "POST",
    path: "/v1/transfers",
    handler: (emu, req) => {
      const p = req.params;
      const amount = p.requireInt("amount", { min: 1 });
      const currency = normalizeCurrency(p.requireString("currency"));
      const destination = p.requireString("destination");
      requireTransferCapability(emu, destination, "destination");
      const sourceTransaction = p.string("source_transaction") || null;
      if (sourceTransaction) {
        const charge = emu.store.charges.require(sourceTransaction, "source_transaction");
        if (charge.status !== "succeeded") {
          throw stateError(`The source_transaction ${sourceTransaction} has not succeeded.`, {
            param: "source_transaction",
          });
        }
        if (charge.currency !== currency) {
          throw parameterInvalid(
            "currency",
            `The currency of source_transaction's balance transaction (${charge.currency}) must be the same as the transfer currency (${currency}).`,
          );
        }
        if (amount > charge.amount - charge.amount_refunded) {
          throw parameterInvalid(
            "amount",
            "Transfer amount exceeds the available amount of the source_transaction.",
            "amount_too_large",
          );
        }
      }
      return recordTransfer(emu, {
        amount,
        currency,
        destination,
        sourceTransaction,
        transferGroup: p.string("transfer_group") || null,
        description: p.string("description") || null,
        metadata: applyMetadata({}, p.metadata()),
      });
    },
  },
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
];
