import { z } from "zod";
import type { Collection, CurrencyCode, FundingModel, PledgeState } from "../../db/schema.js";
import { formatMoney, maxAmount, parseAmount } from "./money";

// What a pledge costs and what a backer is told, computed the same way in the browser (preview)
// and on the server (the truth). The server never takes an amount from the form as given.

/** Checkout Sessions (a new pledge, or a raise's difference) last 30 minutes (Stripe's minimum expiry), plus a small margin. */
export const CHECKOUT_TTL_SECONDS = 30 * 60 + 15;

export const NO_REWARD = "none";

export const pledgeFormSchema = z.object({
  tier: z.union([z.literal(NO_REWARD), z.uuid({ error: "Choose a reward, or no reward." })], {
    error: "Choose a reward, or no reward.",
  }),
  amount: z
    .string({ error: "Enter your pledge amount." })
    .trim()
    .min(1, "Enter your pledge amount.")
    .max(20, "That amount is too long."),
  destination: z.string().trim().max(8).optional(),
});

export type PledgeForm = z.infer<typeof pledgeFormSchema>;

/** Smallest pledge without a reward, in minor units (1.00, or ¥100): above Stripe's minimum charge. */
const NO_REWARD_MINIMUM = 100;

export interface PricedTier {
  id: string;
  title: string;
  minimum_amount: number;
  ships: boolean;
  shipping: { destination: string; amount: number }[];
}

export type PledgePrice =
  | { ok: true; baseAmount: number; shippingAmount: number; amount: number; destination: string | null }
  | { ok: false; field: "amount" | "destination" | "tier"; message: string };

/** Base (tier minimum or more) + shipping for the destination; every limit checked here. */
export function pricePledge({
  currency,
  tier,
  amountInput,
  destination,
}: {
  currency: CurrencyCode;
  tier: PricedTier | null;
  amountInput: string;
  destination?: string | null;
}): PledgePrice {
  const parsed = parseAmount(amountInput, currency);
  if (!parsed.ok) return { ok: false, field: "amount", message: parsed.message };
  const minimum = tier ? tier.minimum_amount : NO_REWARD_MINIMUM;
  if (parsed.amount < minimum) {
    return {
      ok: false,
      field: "amount",
      message: tier
        ? `"${tier.title}" needs a pledge of at least ${formatMoney(minimum, currency)}.`
        : `Pledges without a reward start at ${formatMoney(minimum, currency)}.`,
    };
  }
  let shippingAmount = 0;
  let chosen: string | null = null;
  if (tier?.ships) {
    const rate = tier.shipping.find((r) => r.destination === destination);
    if (!destination || !rate)
      return { ok: false, field: "destination", message: "Choose where the reward should be shipped." };
    shippingAmount = rate.amount;
    chosen = rate.destination;
  }
  const amount = parsed.amount + shippingAmount;
  if (amount > maxAmount(currency)) {
    return {
      ok: false,
      field: "amount",
      message: `A single pledge can be at most ${formatMoney(maxAmount(currency), currency)}.`,
    };
  }
  return { ok: true, baseAmount: parsed.amount, shippingAmount, amount, destination: chosen };
}

const LAST_DAY_MS = 24 * 60 * 60 * 1000;

/**
 * In the last 24 hours a backer may not cut or cancel a pledge if that would drop a campaign
 * that has met its goal back under it (so a funded campaign can't be pulled away at the end).
 */
export function lastDayRuleBlocks({
  now,
  deadline,
  goal,
  pledged,
  reduction,
}: {
  now: Date;
  deadline: Date;
  goal: number;
  pledged: number;
  reduction: number;
}): boolean {
  const inLastDay = deadline.getTime() - now.getTime() <= LAST_DAY_MS;
  return inLastDay && reduction > 0 && pledged >= goal && pledged - reduction < goal;
}

export const PLEDGE_STATE_LABELS: Record<PledgeState, string> = {
  checkout: "Awaiting payment details",
  active: "Active",
  abandoned: "Not completed",
  cancelled: "Cancelled",
  collecting: "Being charged",
  collected: "Charged",
  errored: "Payment failed",
  dropped: "Dropped",
  released: "Released",
  refunding: "Being refunded",
  refunded: "Refunded",
  partially_refunded: "Partly refunded",
  disputed: "Disputed",
};

/** What happens next to a pledge, in one plain sentence for its backer. */
export function nextStep({
  state,
  collection,
  fundingModel,
  deadlineLabel,
}: {
  state: PledgeState;
  collection: Collection;
  fundingModel: FundingModel;
  deadlineLabel: string;
}): string {
  switch (state) {
    case "checkout":
      return "Finish entering your card details to confirm this pledge; unfinished checkouts lapse after 30 minutes.";
    case "active":
      if (collection === "immediate")
        return `You've paid. If the project misses its goal by ${deadlineLabel}, you'll be refunded automatically.`;
      return fundingModel === "all_or_nothing"
        ? `Nothing is charged yet. If the project reaches its goal by ${deadlineLabel}, your card is charged then.`
        : `Your card will be charged on ${deadlineLabel}.`;
    case "collecting":
      return "The campaign has ended and your card is being charged now.";
    case "collected":
      return "Your card was charged. The creator will keep you posted on delivery.";
    case "errored":
      return "Your payment didn't go through. Update your card so your pledge counts.";
    case "released":
      return "The project didn't reach its goal, so your card was never charged.";
    case "refunding":
    case "refunded":
    case "partially_refunded":
      return "Your payment has been refunded (it can take 5-10 days to appear).";
    case "cancelled":
      return "You cancelled this pledge. Nothing more will happen.";
    case "abandoned":
      return "This checkout wasn't completed, so no pledge was made.";
    case "dropped":
      return "Your payment could not be collected in time, so this pledge was dropped.";
    case "disputed":
      return "This payment is disputed with your bank.";
  }
}
