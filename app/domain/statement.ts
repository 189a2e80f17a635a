import type { CurrencyCode, JournalKind, LedgerAccount, PledgeState } from "../../db/schema.js";
import { percentOf } from "./money";

type JournalSums = Partial<Record<`${JournalKind}:${LedgerAccount}`, number>>;

export interface PledgeTally {
  state: PledgeState;
  count: number;
  amount: number;
}

export interface Statement {
  currency: CurrencyCode;
  pledgedAtDeadline: number;
  pledgesAtDeadline: number;
  collected: number;
  inGrace: { count: number; amount: number };
  dropped: { count: number; amount: number };
  released: { count: number; amount: number };
  refunded: number;
  disputed: number;
  stripeFees: number;
  platformFee: number;
  paidOut: number;
  /** What the creator is still owed: collected - fees - refunds - disputes - platform fee - paid out. */
  payoutDue: number;
  /** Stripe balance attributable to the campaign minus (payout due + platform fee): must be zero. */
  balanceCheck: number;
}

const sum = (sums: JournalSums, key: `${JournalKind}:${LedgerAccount}`) => sums[key] ?? 0;
const tally = (tallies: PledgeTally[], states: PledgeState[]) =>
  tallies
    .filter((t) => states.includes(t.state))
    .reduce((acc, t) => ({ count: acc.count + t.count, amount: acc.amount + t.amount }), { count: 0, amount: 0 });

/** A campaign's settlement statement, computed from its journal and pledge tallies only. */
export function computeStatement({
  currency,
  pledgedAtDeadline,
  pledgesAtDeadline,
  sums,
  tallies,
}: {
  currency: CurrencyCode;
  pledgedAtDeadline: number;
  pledgesAtDeadline: number;
  sums: JournalSums;
  tallies: PledgeTally[];
}): Statement {
  const collected = sum(sums, "charge:stripe_balance");
  const stripeFees = sum(sums, "stripe_fee:processing_fees");
  const refunded = sum(sums, "refund:refunds");
  const disputed = sum(sums, "dispute:disputes");
  // Revenue is booked as a credit; `|| 0` keeps an empty sum from becoming -0 ("-$0.00").
  const platformFee = -sum(sums, "platform_fee:platform_revenue") || 0;
  // Net of what was taken back from the creator's transfers (refunds after a payout).
  const paidOut = sum(sums, "payout:creator_payouts") + sum(sums, "payout_reversal:creator_payouts");
  const stripeBalance =
    sum(sums, "charge:stripe_balance") +
    sum(sums, "stripe_fee:stripe_balance") +
    sum(sums, "refund:stripe_balance") +
    sum(sums, "dispute:stripe_balance") +
    sum(sums, "payout:stripe_balance") +
    sum(sums, "payout_reversal:stripe_balance");
  const payoutDue = collected - stripeFees - refunded - disputed - platformFee - paidOut;
  return {
    currency,
    pledgedAtDeadline,
    pledgesAtDeadline,
    collected,
    inGrace: tally(tallies, ["errored", "collecting"]),
    dropped: tally(tallies, ["dropped"]),
    released: tally(tallies, ["released"]),
    refunded,
    disputed,
    stripeFees,
    platformFee,
    paidOut,
    payoutDue,
    balanceCheck: stripeBalance - (payoutDue + platformFee),
  };
}

/** The platform's share in basis points of what was collected net of refunds, rounded half up. */
export function platformFeeFor({
  collected,
  refunded,
  basisPoints,
}: {
  collected: number;
  refunded: number;
  basisPoints: number;
}): number {
  return percentOf(Math.max(0, collected - refunded), basisPoints);
}
