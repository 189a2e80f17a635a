import { z } from "zod";
import type { AddOnLine, Collection, CurrencyCode, FundingModel, PledgeState } from "../../db/schema.js";
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
  addOnQuantity: () => "Enter a whole number of items.",
  addOnMax: (v: { title: string; count: number }) => `“${v.title}” is limited to ${v.count} per backer.`,
  addOnLeft: (v: { title: string; count: number }) =>
    v.count === 0 ? `“${v.title}” is sold out.` : `Only ${v.count} of “${v.title}” are left.`,
  addOnNotOffered: (v: { title: string }) => `“${v.title}” is not offered with this reward.`,
  addOnGone: () => "That add-on is no longer offered.",
  addOnDestination: (v: { title: string }) => `“${v.title}” does not ship to that destination.`,
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
    addOnQuantity: () => t("public:pledge.validation.addOnQuantity"),
    addOnMax: (v) => t("public:pledge.validation.addOnMax", v),
    addOnLeft: (v) =>
      v.count === 0
        ? t("public:pledge.validation.addOnSoldOut", { title: v.title })
        : t("public:pledge.validation.addOnLeft", v),
    addOnNotOffered: (v) => t("public:pledge.validation.addOnNotOffered", v),
    addOnGone: () => t("public:pledge.validation.addOnGone"),
    addOnDestination: (v) => t("public:pledge.validation.addOnDestination", v),
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
    // Quantities by add-on id (`addOns.<id>` fields); an empty field is none.
    addOns: z.record(z.string(), z.string().max(8).optional()).optional(),
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

/** An add-on as the pledge form offers it (visible ones only). */
export interface PricedAddOn {
  id: string;
  title: string;
  /** Unit price, in minor units. */
  price: number;
  ships: boolean;
  /** Surcharge per unit, by destination. */
  shipping: { destination: string; amount: number }[];
  perBackerMax: number | null;
  /** Units still available (null: unlimited); for a pledge being changed, its own units count as available. */
  left: number | null;
  tierIds: string[];
}

/** An add-on without room for the units a pledge asks for, found under its row lock. */
export interface AddOnShortfall {
  addOnId: string;
  title: string;
  left: number;
  /** Withdrawn by the creator (or gone). */
  hidden: boolean;
}

/** What the backer reads at the add-on's field when it ran out (or was withdrawn) meanwhile. */
export function addOnShortfallMessage(shortfall: AddOnShortfall, t: Translate): string {
  if (shortfall.hidden) return t("public:pledge.validation.addOnGone");
  return shortfall.left === 0
    ? t("public:pledge.validation.addOnSoldOut", { title: shortfall.title })
    : t("public:pledge.validation.addOnLeft", { title: shortfall.title, count: shortfall.left });
}

/** The field of an add-on's quantity: `addOns.<id>`. */
export const addOnField = (addOnId: string) => `addOns.${addOnId}` as const;

/** The add-ons a tier offers. */
export const addOnsOffered = (addOns: readonly PricedAddOn[], tierId: string | null) =>
  tierId ? addOns.filter((a) => a.tierIds.includes(tierId)) : [];

export type PledgePrice =
  | {
      ok: true;
      baseAmount: number;
      /** The tier's shipping and the add-ons' surcharges. */
      shippingAmount: number;
      addOnsAmount: number;
      amount: number;
      destination: string | null;
      addOnLines: AddOnLine[];
    }
  | { ok: false; field: "amount" | "destination" | "tier" | `addOns.${string}`; message: string };

const MAX_UNITS = 1000;

/**
 * The add-on lines of a choice: quantities typed by id, each checked against what the tier
 * offers, the per-backer maximum, what is left and where it ships.
 */
function priceAddOns({
  addOns,
  quantities,
  tier,
  destination,
  m,
}: {
  addOns: readonly PricedAddOn[];
  quantities: Record<string, string | number | undefined>;
  tier: PricedTier | null;
  destination: string | null;
  m: typeof ENGLISH;
}): { ok: true; lines: AddOnLine[] } | Extract<PledgePrice, { ok: false }> {
  const lines: AddOnLine[] = [];
  for (const [id, raw] of Object.entries(quantities)) {
    const text = String(raw ?? "").trim();
    if (text === "" || text === "0") continue;
    const addOn = addOns.find((a) => a.id === id);
    const field = addOnField(id);
    if (!addOn) return { ok: false, field, message: m.addOnGone() };
    if (!/^\d{1,4}$/.test(text)) return { ok: false, field, message: m.addOnQuantity() };
    const quantity = Number(text);
    if (quantity === 0) continue;
    if (!tier || !addOn.tierIds.includes(tier.id))
      return { ok: false, field, message: m.addOnNotOffered({ title: addOn.title }) };
    const cap = Math.min(addOn.perBackerMax ?? MAX_UNITS, MAX_UNITS);
    if (quantity > cap) return { ok: false, field, message: m.addOnMax({ title: addOn.title, count: cap }) };
    if (addOn.left !== null && quantity > addOn.left)
      return { ok: false, field, message: m.addOnLeft({ title: addOn.title, count: addOn.left }) };
    let shipping = 0;
    if (addOn.ships) {
      const rate = addOn.shipping.find((r) => r.destination === destination);
      if (!rate) return { ok: false, field, message: m.addOnDestination({ title: addOn.title }) };
      shipping = rate.amount * quantity;
    }
    lines.push({
      add_on_id: addOn.id,
      quantity,
      unit_price: addOn.price,
      amount: addOn.price * quantity,
      shipping_amount: shipping,
    });
  }
  return { ok: true, lines };
}

/**
 * Base (tier minimum or more) + shipping for the destination + the add-ons chosen (each with its
 * surcharge for that destination); every limit checked here. The amount is read as the reader
 * types it in `locale` ("25,50" in Spanish) and the messages are worded by `t`; without them,
 * English.
 */
export function pricePledge({
  currency,
  tier,
  amountInput,
  destination,
  addOns = [],
  addOnQuantities = {},
  t,
  locale,
}: {
  currency: CurrencyCode;
  tier: PricedTier | null;
  amountInput: string;
  destination?: string | null;
  /** The campaign's visible add-ons. */
  addOns?: readonly PricedAddOn[];
  /** Quantities by add-on id, as typed. */
  addOnQuantities?: Record<string, string | number | undefined>;
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
  const priced = priceAddOns({ addOns, quantities: addOnQuantities, tier, destination: chosen, m });
  if (!priced.ok) return priced;
  const addOnsAmount = priced.lines.reduce((sum, line) => sum + line.amount, 0);
  shippingAmount += priced.lines.reduce((sum, line) => sum + line.shipping_amount, 0);
  const amount = parsed.amount + shippingAmount + addOnsAmount;
  if (amount > maxAmount(currency)) {
    return {
      ok: false,
      field: "amount",
      message: m.max({ amount: money(maxAmount(currency)) }),
    };
  }
  return {
    ok: true,
    baseAmount: parsed.amount,
    shippingAmount,
    addOnsAmount,
    amount,
    destination: chosen,
    addOnLines: priced.lines,
  };
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
