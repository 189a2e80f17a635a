import { z } from "zod";
import type { Collection, CurrencyCode, FundingModel } from "../../db/schema.js";
import { formatMoney, maxAmount, parseAmount } from "./money";

// What a pledge costs and what a backer is told, computed the same way in the browser (preview)
// and on the server (the truth). The server never takes an amount from the form as given.

export const NO_REWARD = "none";

export const pledgeFormSchema = z.object({
  tier: z.union([z.literal(NO_REWARD), z.uuid({ error: "Choose a reward, or no reward." })], { error: "Choose a reward, or no reward." }),
  amount: z.string({ error: "Enter your pledge amount." }).trim().min(1, "Enter your pledge amount.").max(20, "That amount is too long."),
  destination: z.string().trim().max(8).optional(),
});

export type PledgeForm = z.infer<typeof pledgeFormSchema>;

/** Smallest pledge without a reward: one major unit (100 yen), above Stripe's minimum charge. */
export function noRewardMinimum(currency: CurrencyCode): number {
  return currency === "jpy" ? 100 : 100;
}

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
  const minimum = tier ? tier.minimum_amount : noRewardMinimum(currency);
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
    if (!destination || !rate) return { ok: false, field: "destination", message: "Choose where the reward should be shipped." };
    shippingAmount = rate.amount;
    chosen = rate.destination;
  }
  const amount = parsed.amount + shippingAmount;
  if (amount > maxAmount(currency)) {
    return { ok: false, field: "amount", message: `A single pledge can be at most ${formatMoney(maxAmount(currency), currency)}.` };
  }
  return { ok: true, baseAmount: parsed.amount, shippingAmount, amount, destination: chosen };
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** The one sentence that tells a backer when, and whether, their card is charged. */
export function chargeSentence({
  fundingModel,
  collection,
  deadline,
}: {
  fundingModel: FundingModel;
  collection: Collection;
  deadline: Date | string;
}): string {
  const on = dateFormat.format(new Date(deadline));
  if (collection === "at_deadline") {
    return fundingModel === "all_or_nothing"
      ? `Your card will be charged only if this project reaches its goal, on ${on}.`
      : `Your card will be charged on ${on}, whether or not the goal is reached.`;
  }
  return fundingModel === "all_or_nothing"
    ? `Your card is charged now; refunded automatically if the goal is not met by ${on}.`
    : `Your card is charged now; the creator keeps every pledge.`;
}

export const LAST_DAY_MS = 24 * 60 * 60 * 1000;

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
