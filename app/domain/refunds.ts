import type { CurrencyCode, PledgeState } from "../../db/schema.js";
import { statusWord, type PayoutStatus } from "./finance";
import type { Locale, Translate } from "./locale";
import { formatMoney } from "./money";

// Who may be refunded by the finance desk, and how much at most. The pledge page reads it to
// offer the refund form (and its limit); the refund service reads it again, under the pledge's
// lock, to refuse. One rule, so the page never offers what the service would refuse.

/** A pledge whose money was charged and not yet fully returned. */
export const REFUNDABLE_STATES = ["collected", "partially_refunded"] as const satisfies readonly PledgeState[];

export function isRefundableState(state: PledgeState): boolean {
  return (REFUNDABLE_STATES as readonly PledgeState[]).includes(state);
}

/** Why a refund is not possible: the pledge, the campaign's payout, or the money says no. */
export type RefundBlock = "state" | "payout_prepared" | "no_charge" | "nothing_left" | "over_limit";

export type RefundEligibility =
  | {
      ok: true;
      max: number;
      /** The money was paid out: a refund is recovered from the creator. */ afterPayout: boolean;
    }
  | { ok: false; block: RefundBlock; message: string };

/** What the ledger says about a pledge's money (see `pledgeMoney`). */
export interface RefundMoney {
  collected: number;
  /** Collected minus booked refunds minus refunds in flight. */
  refundable: number;
  pending: number;
  chargeId: string | null;
}

/** The reader's translate function and language, for the messages (money is formatted in it). */
export interface Wording {
  t: Translate;
  locale: Locale;
}

/**
 * May this pledge be refunded, and up to how much? Only a charged pledge; not while the payout
 * carrying it is prepared, approved or transferring (its figures are being acted on); after it
 * is paid, yes (`afterPayout`: the refund is recovered from the creator); never more than
 * was collected minus what was refunded or is being refunded. With `amount`, also whether that
 * amount fits.
 */
export function refundEligibility({
  state,
  payoutStatus,
  currency,
  money,
  amount,
  wording,
}: {
  state: PledgeState;
  payoutStatus: PayoutStatus | null;
  currency: CurrencyCode;
  money: RefundMoney;
  amount?: number;
  wording: Wording;
}): RefundEligibility {
  const { t } = wording;
  if (!isRefundableState(state))
    return {
      ok: false,
      block: "state",
      message: t("finance:refund.notCharged", { state: statusWord(t, state) }),
    };
  // Paid out: allowed (with the reason every refund takes); the money is recovered from the
  // creator. Prepared, approved or transferring: the payout's figures are being acted on.
  if (payoutStatus && payoutStatus !== "paid")
    return {
      ok: false,
      block: "payout_prepared",
      message: t("finance:refund.payoutPrepared"),
    };
  if (!money.chargeId || money.collected === 0)
    return {
      ok: false,
      block: "no_charge",
      message: t("finance:refund.noCharge"),
    };
  if (money.refundable === 0)
    return { ok: false, block: "nothing_left", message: refundLimitMessage(0, currency, wording) };
  if (amount !== undefined && amount > money.refundable)
    return {
      ok: false,
      block: "over_limit",
      message: refundLimitMessage(money.refundable, currency, wording, money.pending),
    };
  return { ok: true, max: money.refundable, afterPayout: payoutStatus === "paid" };
}

/** The message for an amount above what can still be refunded, in the reader's language. */
export function refundLimitMessage(max: number, currency: CurrencyCode, { t, locale }: Wording, pending = 0): string {
  if (max === 0) return t("finance:refund.nothingLeft");
  const values = { max: formatMoney(max, currency, { locale }) };
  return pending ? t("finance:refund.limitPending", values) : t("finance:refund.limit", values);
}
