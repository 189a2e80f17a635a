import { z } from "zod";
import type { Collection, FundingModel, PledgeState } from "../../db/schema.js";
import type { Translate } from "./locale";
import { NO_REWARD } from "./pledge-rules";

// What the backer's own pages say about a pledge, in the reader's language: its state, what
// happens next, and the change form's rules (the same fields as the pledge form).

/** The change form of the backer's pledge page, with messages in the reader's language. */
export function pledgeChangeSchema(t: Translate) {
  return z.object({
    tier: z.union([z.literal(NO_REWARD), z.uuid({ error: t("backer:validation.tier") })], {
      error: t("backer:validation.tier"),
    }),
    amount: z
      .string({ error: t("backer:validation.amountRequired") })
      .trim()
      .min(1, t("backer:validation.amountRequired"))
      .max(20, t("backer:validation.amountTooLong")),
    destination: z.string().trim().max(8).optional(),
    addOns: z.record(z.string(), z.string().max(8).optional()).optional(),
  });
}

/** A pledge state's name, as its backer reads it. */
export function pledgeStateLabel(t: Translate, state: PledgeState): string {
  switch (state) {
    case "checkout":
      return t("backer:state.checkout");
    case "active":
      return t("backer:state.active");
    case "abandoned":
      return t("backer:state.abandoned");
    case "cancelled":
      return t("backer:state.cancelled");
    case "collecting":
      return t("backer:state.collecting");
    case "collected":
      return t("backer:state.collected");
    case "errored":
      return t("backer:state.errored");
    case "dropped":
      return t("backer:state.dropped");
    case "released":
      return t("backer:state.released");
    case "refunding":
      return t("backer:state.refunding");
    case "refunded":
      return t("backer:state.refunded");
    case "partially_refunded":
      return t("backer:state.partially_refunded");
    case "disputed":
      return t("backer:state.disputed");
  }
}

/** What happens next to a pledge, in one plain sentence for its backer. */
export function pledgeNextStep(
  t: Translate,
  {
    state,
    collection,
    fundingModel,
    deadlineLabel,
  }: { state: PledgeState; collection: Collection; fundingModel: FundingModel; deadlineLabel: string },
): string {
  const deadline = deadlineLabel;
  switch (state) {
    case "checkout":
      return t("backer:next.checkout");
    case "active":
      if (collection === "immediate") return t("backer:next.activeImmediate", { deadline });
      return fundingModel === "all_or_nothing"
        ? t("backer:next.activeAllOrNothing", { deadline })
        : t("backer:next.activeKeepItAll", { deadline });
    case "collecting":
      return t("backer:next.collecting");
    case "collected":
      return t("backer:next.collected");
    case "errored":
      return t("backer:next.errored");
    case "released":
      return t("backer:next.released");
    case "refunding":
    case "refunded":
    case "partially_refunded":
      return t("backer:next.refunded");
    case "cancelled":
      return t("backer:next.cancelled");
    case "abandoned":
      return t("backer:next.abandoned");
    case "dropped":
      return t("backer:next.dropped");
    case "disputed":
      return t("backer:next.disputed");
  }
}

/**
 * The reasons the system itself writes into a pledge's history (stored in English, as data),
 * each with its catalogue key. Reasons a person typed (a refund's reason) are shown as written.
 */
export const SYSTEM_REASONS: Record<string, string> = {
  "Paid through Stripe Checkout": "paidThroughCheckout",
  "Card saved through Stripe Checkout": "cardSaved",
  "Checkout session expired": "checkoutExpired",
  "Checkout could not be started": "checkoutNotStarted",
  "Cancelled by the backer": "cancelledByBacker",
  "Pledge changed": "pledgeChanged",
  "Pledge lowered by the backer": "pledgeLowered",
  "Paid on the fix-payment page": "paidOnFixPage",
  "Settlement closed": "settlementClosed",
  "Campaign cancelled": "campaignCancelled",
  "Campaign not funded": "campaignNotFunded",
  "Campaign cancelled: nothing charged": "campaignCancelledNothingCharged",
  "Campaign not funded: nothing charged": "campaignNotFundedNothingCharged",
  "Payment not completed before the end of the grace period": "graceEnded",
  "Refunding the up-front payment": "refundingUpFront",
  "Confirming the payment made at pledge time": "confirmingUpFront",
  "Charging the saved card at the deadline": "chargingAtDeadline",
};

/** A history row's reason in the reader's language when the system wrote it; as stored otherwise. */
export function historyReason(t: Translate, reason: string): string {
  const key = SYSTEM_REASONS[reason];
  if (key) return t(`backer:historyReason.${key}`);
  const retry = /^Retrying the charge \(attempt (\d+)\)$/.exec(reason);
  if (retry) return t("backer:historyReason.retrying", { attempt: retry[1] });
  return reason;
}

/**
 * Whether money can have moved on this pledge (a payment or a refund to list). A pledge on a
 * campaign that collects at the deadline is charged only when it moves to `collecting`; before
 * that, and if it never gets there, nothing was paid.
 */
export function mayHaveMoneyMovements(state: PledgeState, collection: Collection) {
  if (collection === "immediate") return state !== "checkout" && state !== "abandoned";
  return !["checkout", "active", "abandoned", "cancelled", "released"].includes(state);
}
