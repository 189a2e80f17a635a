// The platform's balance (GET /v1/balance), added up from its balance transactions as Stripe
// does: each line's `net` (amount less fees) counts as `pending` until its `available_on`, then
// as `available`. Charges arrive pending; refunds, disputes, transfers without a
// `source_transaction` and reversals move the available balance at once (it may go negative,
// as test mode lets it). Transfers (transfers.ts) may only spend what is available.

import type { Emulator } from "../emulator.js";
import { StripeApiError } from "../http/errors.js";
import type { Route } from "../http/router.js";
import type { Balance } from "../types.js";

/** A platform account with no activity still shows its default currency at zero. */
const DEFAULT_CURRENCY = "usd";

export interface CurrencyBalance {
  available: number;
  pending: number;
}

/** Available and pending amounts per currency, from lines `{net, currency, pending}`. */
export function sumBalance(lines: Iterable<{ net: number; currency: string; pending: boolean }>) {
  const out = new Map<string, CurrencyBalance>();
  for (const line of lines) {
    let b = out.get(line.currency);
    if (!b) {
      b = { available: 0, pending: 0 };
      out.set(line.currency, b);
    }
    if (line.pending) b.pending += line.net;
    else b.available += line.net;
  }
  return out;
}

export function platformBalances(emu: Emulator): Map<string, CurrencyBalance> {
  // `all()` settles every line whose available_on has come (store.ts).
  return sumBalance(
    emu.store.balanceTransactions
      .all()
      .map((t) => ({ net: t.net, currency: t.currency, pending: t.status === "pending" })),
  );
}

/** What a transfer without `source_transaction` may spend, in one currency. */
export function availableBalance(emu: Emulator, currency: string): number {
  return platformBalances(emu).get(currency)?.available ?? 0;
}

/** Stripe's Balance object for the amounts given (currencies in alphabetical order). */
export function balanceObject(balances: Map<string, CurrencyBalance>): Balance {
  const currencies = [...balances.keys()].sort();
  if (currencies.length === 0) currencies.push(DEFAULT_CURRENCY);
  const row = (currency: string, amount: number) => ({ amount, currency, source_types: { card: amount } });
  return {
    object: "balance",
    available: currencies.map((c) => row(c, balances.get(c)?.available ?? 0)),
    livemode: false,
    pending: currencies.map((c) => row(c, balances.get(c)?.pending ?? 0)),
  };
}

/** Stripe's refusal of a transfer the available balance cannot cover (test mode wording). */
export function platformBalanceInsufficient(): StripeApiError {
  return new StripeApiError(
    400,
    {
      type: "invalid_request_error",
      code: "balance_insufficient",
      message:
        "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance",
    },
    // The endpoint ran: the refusal is stored under the Idempotency-Key and replayed, as on Stripe.
    { idempotentResult: true },
  );
}

export const balanceRoutes: Route[] = [
  { method: "GET", path: "/v1/balance", handler: (emu) => balanceObject(platformBalances(emu)) },
];
