import { z } from "zod";
import type { Collection, CurrencyCode, FundingModel, PledgeState } from "../../db/schema.js";
import type { Locale, Translate } from "./locale";
import { formatMoney, maxAmount, parseAmount } from "./money";

// What a pledge costs and what a backer is told, computed the same way in the browser (preview)
// and on the server (the truth). The server never takes an amount from the form as given.

/** Checkout Sessions (a new pledge, or a raise's difference) last 30 minutes (Stripe's minimum expiry), plus a small margin. */
export const CHECKOUT_TTL_SECONDS = 30 * 60 + 15;

export const NO_REWARD = "none";

/** The pledge form's own messages in English, for callers that pass no translate function. */
const ENGLISH = {
  tier: () => "Choose a reward, or no reward.",
  amountRequired: () => "Enter your pledge amount.",
  amountTooLong: () => "That amount is too long.",
  tierMinimum: (v: { tier: string; amount: string }) => `"${v.tier}" needs a pledge of at least ${v.amount}.`,
  noRewardMinimum: (v: { amount: string }) => `Pledges without a reward start at ${v.amount}.`,
  destination: () => "Choose where the reward should be shipped.",
  max: (v: { amount: string }) => `A single pledge can be at most ${v.amount}.`,
};

/** The messages in the reader's language when `t` is given (`public:pledge.validation.*`). */
function messages(t: Translate | undefined): typeof ENGLISH {
  if (!t) return ENGLISH;
  return {
    tier: () => t("public:pledge.validation.tier"),
    amountRequired: () => t("public:pledge.validation.amountRequired"),
    amountTooLong: () => t("public:pledge.validation.amountTooLong"),
    tierMinimum: (v) => t("public:pledge.validation.tierMinimum", v),
    noRewardMinimum: (v) => t("public:pledge.validation.noRewardMinimum", v),
    destination: () => t("public:pledge.validation.destination"),
    max: (v) => t("public:pledge.validation.max", v),
  };
}

/**
 * The pledge form's schema, its messages worded by `t` (the page's in the browser, the
 * request's in the action). The amount stays text here: `pricePledge` reads it in the reader's
 * locale.
 */
export function pledgeSchema(t?: Translate) {
  const m = messages(t);
  return z.object({
    tier: z.union([z.literal(NO_REWARD), z.uuid({ error: m.tier() })], { error: m.tier() }),
    amount: z.string({ error: m.amountRequired() }).trim().min(1, m.amountRequired()).max(20, m.amountTooLong()),
    destination: z.string().trim().max(8).optional(),
  });
}

/** The schema with English messages, for pages not yet translated. */
export const pledgeFormSchema = pledgeSchema();

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

/**
 * Base (tier minimum or more) + shipping for the destination; every limit checked here. The
 * amount is read as the reader types it in `locale` ("25,50" in Spanish) and the messages are
 * worded by `t`; without them, English.
 */
export function pricePledge({
  currency,
  tier,
  amountInput,
  destination,
  t,
  locale,
}: {
  currency: CurrencyCode;
  tier: PricedTier | null;
  amountInput: string;
  destination?: string | null;
  t?: Translate;
  locale?: Locale;
}): PledgePrice {
  const m = messages(t);
  const money = (amount: number) => formatMoney(amount, currency, { locale });
  const parsed = parseAmount(amountInput, currency, { locale, t });
  if (!parsed.ok) return { ok: false, field: "amount", message: parsed.message };
  const minimum = tier ? tier.minimum_amount : NO_REWARD_MINIMUM;
  if (parsed.amount < minimum) {
    return {
      ok: false,
      field: "amount",
      message: tier
        ? m.tierMinimum({ tier: tier.title, amount: money(minimum) })
        : m.noRewardMinimum({ amount: money(minimum) }),
    };
  }
  let shippingAmount = 0;
  let chosen: string | null = null;
  if (tier?.ships) {
    const rate = tier.shipping.find((r) => r.destination === destination);
    if (!destination || !rate) return { ok: false, field: "destination", message: m.destination() };
    shippingAmount = rate.amount;
    chosen = rate.destination;
  }
  const amount = parsed.amount + shippingAmount;
  if (amount > maxAmount(currency)) {
    return {
      ok: false,
      field: "amount",
      message: m.max({ amount: money(maxAmount(currency)) }),
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
