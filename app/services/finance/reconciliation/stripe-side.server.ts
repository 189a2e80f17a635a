import Stripe from "stripe";

// Reconciliation's Stripe side: every PaymentIntent (with its charge and balance transaction),
// refund, transfer (with its reversals) and dispute, listed with pagination, and a read of one object the listing
// did not hold. Pure reading.

export interface StripeSide {
  intents: Stripe.PaymentIntent[];
  charges: Map<string, Stripe.Charge>;
  balanceTransactions: Map<string, Stripe.BalanceTransaction>;
  refunds: Map<string, Stripe.Refund>;
  transfers: Map<string, Stripe.Transfer>;
  /** Every reversal of those transfers (refunds after a payout taken back from the creator). */
  reversals: Map<string, Stripe.TransferReversal>;
  disputes: Map<string, Stripe.Dispute>;
}

export async function listStripeSide(stripe: Stripe): Promise<StripeSide> {
  const side: StripeSide = {
    intents: [],
    charges: new Map(),
    balanceTransactions: new Map(),
    refunds: new Map(),
    transfers: new Map(),
    reversals: new Map(),
    disputes: new Map(),
  };
  for await (const pi of stripe.paymentIntents.list({
    limit: 100,
    expand: ["data.latest_charge.balance_transaction"],
  })) {
    side.intents.push(pi);
    const charge = pi.latest_charge;
    if (charge && typeof charge === "object") keepCharge(side, charge);
  }
  for await (const r of stripe.refunds.list({ limit: 100 })) side.refunds.set(r.id, r);
  for await (const t of stripe.transfers.list({ limit: 100 })) {
    side.transfers.set(t.id, t);
    for (const r of t.reversals?.data ?? []) side.reversals.set(r.id, r);
    // The transfer carries its last ten reversals; more are listed.
    if (t.reversals?.has_more)
      for await (const r of stripe.transfers.listReversals(t.id, { limit: 100 })) side.reversals.set(r.id, r);
  }
  for await (const d of stripe.disputes.list({ limit: 100 })) side.disputes.set(d.id, d);
  return side;
}

function keepCharge(side: StripeSide, charge: Stripe.Charge) {
  side.charges.set(charge.id, charge);
  const bt = charge.balance_transaction;
  if (bt && typeof bt === "object") side.balanceTransactions.set(bt.id, bt);
}

/** Stripe's object, or null when Stripe has no such object (any other error is thrown). */
export async function retrieveOrNull<T>(fetch: () => Promise<T>): Promise<T | null> {
  try {
    return await fetch();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
    throw error;
  }
}

/** A booked charge: from the listing, else read (with its balance transaction, kept for the fee check). */
export async function findCharge(stripe: Stripe, side: StripeSide, id: string) {
  const listed = side.charges.get(id);
  if (listed) return listed;
  const charge = await retrieveOrNull(() => stripe.charges.retrieve(id, { expand: ["balance_transaction"] }));
  if (charge) keepCharge(side, charge);
  return charge;
}

/** The id of an expandable Stripe field, expanded or not. */
export const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);
