import { z } from "zod";
import type { CampaignState, CurrencyCode } from "../../db/schema.js";
import { utcDay } from "./campaign-terms";
import { DESTINATIONS } from "./catalog";
import { formText } from "./form-text";
import { formatMoney, parseAmount, toInputValue } from "./money";

// Reward tiers: what the tier form may contain, how it ships, and what may change once backers
// have pledged for it. Pure: the same schema runs in the browser and on the server.

export const TIER_TITLE_MAX = 80;
export const TIER_DESCRIPTION_MAX = 2_000;
const TIER_QUANTITY_MAX = 1_000_000;

export interface TierInput {
  title: string;
  description: string;
  minimumAmount: number;
  quantityLimit: number | null;
  /** First day of the estimated delivery month, YYYY-MM-01. */
  estimatedDelivery: string;
  ships: boolean;
  shippingRates: Array<{ destination: string; amount: number }>;
}

export const shippingFieldName = (destination: string) => `ship_${destination}`;

/** The tier form; amounts are read in the campaign's currency. */
export function tierSchema(currency: CurrencyCode, now: Date = new Date()) {
  const shipFields: Record<string, z.ZodDefault<z.ZodString>> = Object.fromEntries(
    DESTINATIONS.map((d) => [shippingFieldName(d.code), z.string().trim().default("")]),
  );
  const shippingPrice = (v: Record<string, unknown>, destination: string) => {
    const raw = v[shippingFieldName(destination)];
    return typeof raw === "string" ? raw : "";
  };
  return z
    .object({
      title: z
        .string({ error: "Give the reward a title." })
        .trim()
        .min(1, "Give the reward a title.")
        .max(TIER_TITLE_MAX, `Keep the title under ${TIER_TITLE_MAX} characters.`),
      description: formText(
        TIER_DESCRIPTION_MAX,
        `Keep the description under ${TIER_DESCRIPTION_MAX.toLocaleString("en-US")} characters.`,
      ),
      minimum: z.string({ error: "Enter the minimum pledge." }).trim().min(1, "Enter the minimum pledge."),
      quantityLimit: z.string().trim().default(""),
      estimatedDelivery: z
        .string({ error: "Enter the estimated delivery month." })
        .trim()
        .min(1, "Enter the estimated delivery month."),
      shipping: z.enum(["none", "ships"], { error: "Choose whether this reward ships." }),
      ...shipFields,
    })
    .superRefine((v, ctx) => {
      const minimum = parseAmount(v.minimum, currency);
      if (!minimum.ok) ctx.addIssue({ code: "custom", path: ["minimum"], message: minimum.message });
      if (v.quantityLimit !== "") {
        const n = Number(v.quantityLimit);
        if (!/^\d+$/.test(v.quantityLimit) || n < 1 || n > TIER_QUANTITY_MAX) {
          ctx.addIssue({
            code: "custom",
            path: ["quantityLimit"],
            message: `Enter a whole number from 1 to ${TIER_QUANTITY_MAX.toLocaleString("en-US")}, or leave it empty for no limit.`,
          });
        }
      }
      const month = /^(\d{4})-(\d{2})$/.exec(v.estimatedDelivery);
      if (v.estimatedDelivery && (!month || Number(month[2]) < 1 || Number(month[2]) > 12)) {
        ctx.addIssue({
          code: "custom",
          path: ["estimatedDelivery"],
          message: "Enter the month as YYYY-MM, like 2027-06.",
        });
      } else if (month && v.estimatedDelivery < utcDay(now).slice(0, 7)) {
        ctx.addIssue({
          code: "custom",
          path: ["estimatedDelivery"],
          message: "The estimated delivery can't be in the past.",
        });
      }
      if (v.shipping === "ships") {
        let priced = 0;
        for (const d of DESTINATIONS) {
          const raw = shippingPrice(v, d.code);
          if (raw === "") continue;
          const amount = parseAmount(raw, currency, { allowZero: true });
          if (!amount.ok) ctx.addIssue({ code: "custom", path: [shippingFieldName(d.code)], message: amount.message });
          else priced++;
        }
        if (priced === 0)
          ctx.addIssue({
            code: "custom",
            path: ["shipping"],
            message: "Enter a shipping price for at least one destination (0 for free shipping).",
          });
      }
    })
    .transform((v): TierInput => {
      const ships = v.shipping === "ships";
      return {
        title: v.title,
        description: v.description,
        minimumAmount: (parseAmount(v.minimum, currency) as { ok: true; amount: number }).amount,
        quantityLimit: v.quantityLimit === "" ? null : Number(v.quantityLimit),
        estimatedDelivery: `${v.estimatedDelivery}-01`,
        ships,
        shippingRates: ships
          ? DESTINATIONS.flatMap((d) => {
              const raw = shippingPrice(v, d.code);
              if (raw === "") return [];
              const amount = parseAmount(raw, currency, { allowZero: true });
              return amount.ok ? [{ destination: d.code, amount: amount.amount }] : [];
            })
          : [],
      };
    });
}

/** States in which a campaign's tiers can still be edited. */
export const TIER_EDITABLE_STATES: readonly CampaignState[] = ["draft", "live"];

/**
 * The post-launch tier rules as field errors (text may change and limits rise; a minimum may not
 * drop below existing pledges' terms, nor a limit under the count claimed); empty when allowed.
 * `pledgeCount` counts every pledge made on the tier, in any state.
 */
export function tierChangeProblems({
  campaignState,
  currency,
  current,
  next,
}: {
  campaignState: CampaignState;
  currency: CurrencyCode;
  current: { minimumAmount: number; quantityLimit: number | null; claimedCount: number; pledgeCount: number };
  next: { minimumAmount: number; quantityLimit: number | null };
}): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!TIER_EDITABLE_STATES.includes(campaignState)) {
    errors.form = "This campaign has ended, so its rewards can no longer change.";
    return errors;
  }
  if (campaignState !== "draft" && current.pledgeCount > 0 && next.minimumAmount < current.minimumAmount) {
    errors.minimum = `Backers have already pledged at ${formatMoney(current.minimumAmount, currency)} or more, so the minimum can't be lowered. You can raise it, or add a new, cheaper reward.`;
  }
  if (next.quantityLimit !== null && next.quantityLimit < current.claimedCount) {
    errors.quantityLimit = `${current.claimedCount} ${current.claimedCount === 1 ? "backer has" : "backers have"} already claimed this reward, so the limit can't be lower than ${current.claimedCount}.`;
  }
  return errors;
}

/** Whether a tier can be deleted outright (otherwise it can only be hidden). */
export function tierDeletionProblem({
  campaignState,
  pledgeCount,
}: {
  campaignState: CampaignState;
  pledgeCount: number;
}): string | null {
  if (pledgeCount > 0)
    return "Backers have pledged for this reward, so it can't be deleted. Hide it instead: nobody new can choose it, and existing pledges keep it.";
  if (campaignState !== "draft")
    return "Rewards can only be deleted before launch. Hide it instead: nobody new can choose it.";
  return null;
}

export function tierFormValues(
  t: {
    title: string;
    description: string;
    minimum_amount: number;
    quantity_limit: number | null;
    estimated_delivery: Date | string | null;
    ships: boolean;
    shippingRates: Array<{ destination: string; amount: number }>;
  },
  currency: CurrencyCode,
): Record<string, string> {
  const values: Record<string, string> = {
    title: t.title,
    description: t.description,
    minimum: toInputValue(Number(t.minimum_amount), currency),
    quantityLimit: t.quantity_limit === null ? "" : String(t.quantity_limit),
    estimatedDelivery: t.estimated_delivery ? monthOf(t.estimated_delivery) : "",
    shipping: t.ships ? "ships" : "none",
  };
  for (const rate of t.shippingRates)
    values[shippingFieldName(rate.destination)] = toInputValue(Number(rate.amount), currency);
  return values;
}

/** "2027-06" from a date column (a Date at UTC midnight, or "2027-06-01"). */
function monthOf(value: Date | string): string {
  if (typeof value === "string") return value.slice(0, 7);
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, "0")}`;
}
