import { z } from "zod";
import type { CampaignState, CurrencyCode } from "../../db/schema.js";
import { utcDay } from "./campaign-terms";
import { DESTINATIONS } from "./catalog";
import { formText, toLocalInputValue } from "./form-text";
import type { Locale, Translate } from "./locale";
import { formatMoney, formatNumber, parseAmount } from "./money";

// Reward tiers: what the tier form may contain, how it ships, and what may change once backers
// have pledged for it. Pure: the same schema runs in the browser and on the server, built with
// the reader's translate function (its messages) and language (how amounts are typed).

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

/** The tier form; amounts are read in the campaign's currency, as the reader types them. */
export function tierSchema(t: Translate, locale: Locale, currency: CurrencyCode, now: Date = new Date()) {
  const amount = (raw: string, allowZero = false) => parseAmount(raw, currency, { allowZero, locale, t });
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
        .string({ error: t("campaignForm:tier.validation.titleRequired") })
        .trim()
        .min(1, t("campaignForm:tier.validation.titleRequired"))
        .max(TIER_TITLE_MAX, t("campaignForm:tier.validation.titleTooLong", { max: TIER_TITLE_MAX })),
      description: formText(
        TIER_DESCRIPTION_MAX,
        t("campaignForm:tier.validation.descriptionTooLong", { max: formatNumber(TIER_DESCRIPTION_MAX, locale) }),
      ),
      minimum: z
        .string({ error: t("campaignForm:tier.validation.minimumRequired") })
        .trim()
        .min(1, t("campaignForm:tier.validation.minimumRequired")),
      quantityLimit: z.string().trim().default(""),
      estimatedDelivery: z
        .string({ error: t("campaignForm:tier.validation.deliveryRequired") })
        .trim()
        .min(1, t("campaignForm:tier.validation.deliveryRequired")),
      shipping: z.enum(["none", "ships"], { error: t("campaignForm:tier.validation.shippingRequired") }),
      ...shipFields,
    })
    .superRefine((v, ctx) => {
      const minimum = amount(v.minimum);
      if (!minimum.ok) ctx.addIssue({ code: "custom", path: ["minimum"], message: minimum.message });
      if (v.quantityLimit !== "") {
        const n = Number(v.quantityLimit);
        if (!/^\d+$/.test(v.quantityLimit) || n < 1 || n > TIER_QUANTITY_MAX) {
          ctx.addIssue({
            code: "custom",
            path: ["quantityLimit"],
            message: t("campaignForm:tier.validation.quantity", { max: formatNumber(TIER_QUANTITY_MAX, locale) }),
          });
        }
      }
      const month = /^(\d{4})-(\d{2})$/.exec(v.estimatedDelivery);
      if (v.estimatedDelivery && (!month || Number(month[2]) < 1 || Number(month[2]) > 12)) {
        ctx.addIssue({
          code: "custom",
          path: ["estimatedDelivery"],
          message: t("campaignForm:tier.validation.monthFormat"),
        });
      } else if (month && v.estimatedDelivery < utcDay(now).slice(0, 7)) {
        ctx.addIssue({
          code: "custom",
          path: ["estimatedDelivery"],
          message: t("campaignForm:tier.validation.deliveryPast"),
        });
      }
      if (v.shipping === "ships") {
        let priced = 0;
        for (const d of DESTINATIONS) {
          const raw = shippingPrice(v, d.code);
          if (raw === "") continue;
          const price = amount(raw, true);
          if (!price.ok) ctx.addIssue({ code: "custom", path: [shippingFieldName(d.code)], message: price.message });
          else priced++;
        }
        if (priced === 0)
          ctx.addIssue({
            code: "custom",
            path: ["shipping"],
            message: t("campaignForm:tier.validation.noRates"),
          });
      }
    })
    .transform((v): TierInput => {
      const ships = v.shipping === "ships";
      return {
        title: v.title,
        description: v.description,
        minimumAmount: (amount(v.minimum) as { ok: true; amount: number }).amount,
        quantityLimit: v.quantityLimit === "" ? null : Number(v.quantityLimit),
        estimatedDelivery: `${v.estimatedDelivery}-01`,
        ships,
        shippingRates: ships
          ? DESTINATIONS.flatMap((d) => {
              const raw = shippingPrice(v, d.code);
              if (raw === "") return [];
              const price = amount(raw, true);
              return price.ok ? [{ destination: d.code, amount: price.amount }] : [];
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
 * `pledgeCount` counts every pledge made on the tier, in any state. Worded with `t`, amounts in `locale`.
 */
export function tierChangeProblems({
  campaignState,
  currency,
  current,
  next,
  t,
  locale,
}: {
  campaignState: CampaignState;
  currency: CurrencyCode;
  current: { minimumAmount: number; quantityLimit: number | null; claimedCount: number; pledgeCount: number };
  next: { minimumAmount: number; quantityLimit: number | null };
  t: Translate;
  locale: Locale;
}): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!TIER_EDITABLE_STATES.includes(campaignState)) {
    errors.form = t("campaignForm:refusal.tiersEnded");
    return errors;
  }
  if (campaignState !== "draft" && current.pledgeCount > 0 && next.minimumAmount < current.minimumAmount) {
    errors.minimum = t("campaignForm:refusal.minimumLowered", {
      minimum: formatMoney(current.minimumAmount, currency, { locale }),
    });
  }
  if (next.quantityLimit !== null && next.quantityLimit < current.claimedCount) {
    errors.quantityLimit = t("campaignForm:refusal.limitBelowClaimed", { count: current.claimedCount });
  }
  return errors;
}

/** Whether a tier can be deleted outright (otherwise it can only be hidden). */
export function tierDeletionProblem({
  campaignState,
  pledgeCount,
  t,
}: {
  campaignState: CampaignState;
  pledgeCount: number;
  t: Translate;
}): string | null {
  if (pledgeCount > 0) return t("campaignForm:refusal.deletePledged");
  if (campaignState !== "draft") return t("campaignForm:refusal.deleteLaunched");
  return null;
}

/** Form values for editing a tier; amounts with the reader's decimal mark. */
export function tierFormValues(
  tier: {
    title: string;
    description: string;
    minimum_amount: number;
    quantity_limit: number | null;
    estimated_delivery: Date | string | null;
    ships: boolean;
    shippingRates: Array<{ destination: string; amount: number }>;
  },
  currency: CurrencyCode,
  locale: Locale,
): Record<string, string> {
  const values: Record<string, string> = {
    title: tier.title,
    description: tier.description,
    minimum: toLocalInputValue(Number(tier.minimum_amount), currency, locale),
    quantityLimit: tier.quantity_limit === null ? "" : String(tier.quantity_limit),
    estimatedDelivery: tier.estimated_delivery ? monthOf(tier.estimated_delivery) : "",
    shipping: tier.ships ? "ships" : "none",
  };
  for (const rate of tier.shippingRates)
    values[shippingFieldName(rate.destination)] = toLocalInputValue(Number(rate.amount), currency, locale);
  return values;
}

/** "2027-06" from a date column (a Date at UTC midnight, or "2027-06-01"). */
function monthOf(value: Date | string): string {
  if (typeof value === "string") return value.slice(0, 7);
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, "0")}`;
}
