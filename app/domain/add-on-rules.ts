import { z } from "zod";
import type { CampaignState, CurrencyCode } from "../../db/schema.js";
import { DESTINATIONS } from "./catalog";
import { formText, toLocalInputValue } from "./form-text";
import type { Locale, Translate } from "./locale";
import { formatNumber, parseAmount, type ParsedAmount } from "./money";
import { shippingFieldName, TIER_EDITABLE_STATES } from "./tier-rules";

// Add-ons: extras a backer buys with a reward, priced per unit, optionally limited in stock and
// per backer, shipped (a surcharge per unit and destination) or not, and offered with some of
// the campaign's rewards. Pure: the same schema runs in the browser and on the server. What may
// change once backers chose an add-on follows the reward rules: words and price may change (a
// pledge keeps the price it was priced at), a limit may not fall under the units claimed, and
// an add-on on a pledge is hidden, never deleted.

export const ADD_ON_TITLE_MAX = 80;
export const ADD_ON_DESCRIPTION_MAX = 1_000;
export const ADD_ON_QUANTITY_MAX = 1_000_000;
/** The most units of one add-on a pledge may carry (the pledge line's own check says the same). */
export const ADD_ON_PER_BACKER_MAX = 1_000;

/** An add-on's rewards change with the rewards themselves: while the campaign is a draft or live. */
export const ADD_ON_EDITABLE_STATES: readonly CampaignState[] = TIER_EDITABLE_STATES;

export interface AddOnInput {
  title: string;
  description: string;
  /** Per unit, in the campaign currency's minor units. */
  price: number;
  quantityLimit: number | null;
  perBackerMax: number | null;
  ships: boolean;
  /** The surcharge per unit for each destination it ships to. */
  shippingRates: Array<{ destination: string; amount: number }>;
  /** The rewards that offer it, each once. */
  tierIds: string[];
}

/** A reward of the campaign as the add-on form offers it. */
export interface AddOnTierChoice {
  id: string;
  title: string;
  ships: boolean;
}

/** An optional whole number from 1 to `max` (empty is none: null). */
const optionalWhole = (max: number, message: string) =>
  z
    .string()
    .trim()
    .default("")
    .refine((raw) => raw === "" || (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= max), message)
    .transform((raw) => (raw === "" ? null : Number(raw)));

/**
 * The per-unit surcharges typed for each destination (empty means it does not ship there, 0 is
 * free), and the messages of those that are not amounts.
 */
function readShippingRates(values: Record<string, unknown>, amount: (raw: string) => ParsedAmount) {
  const rates: Array<{ destination: string; amount: number }> = [];
  const problems: Array<{ field: string; message: string }> = [];
  for (const { code } of DESTINATIONS) {
    const field = shippingFieldName(code);
    const raw = values[field];
    if (typeof raw !== "string" || raw === "") continue;
    const parsed = amount(raw);
    if (parsed.ok) rates.push({ destination: code, amount: parsed.amount });
    else problems.push({ field, message: parsed.message });
  }
  return { rates, problems };
}

/**
 * Why the chosen rewards can't offer the add-on, or undefined: each must be one of the
 * campaign's, and one that ships when the add-on ships (the backer's address and destination
 * come from the reward).
 */
export function offeredTiersProblem({
  ships,
  tierIds,
  tiers,
  t,
}: {
  ships: boolean;
  tierIds: readonly string[];
  tiers: readonly AddOnTierChoice[];
  t: Translate;
}): string | undefined {
  if (tierIds.length === 0) return t("addOns:validation.tiersRequired");
  const chosen = tierIds.map((id) => tiers.find((tier) => tier.id === id));
  if (chosen.some((tier) => tier === undefined)) return t("addOns:validation.tierUnknown");
  if (!ships) return undefined;
  const notShipping = chosen.filter((tier) => tier && !tier.ships).map((tier) => `“${tier!.title}”`);
  if (notShipping.length === 0) return undefined;
  return t("addOns:validation.tiersDontShip", { count: notShipping.length, titles: notShipping.join(", ") });
}

/**
 * The add-on form. Amounts are read in the campaign's currency as the reader types them
 * (`locale`); `tiers` are the campaign's rewards, the only ones it may be offered with.
 */
export function addOnSchema(t: Translate, locale: Locale, currency: CurrencyCode, tiers: readonly AddOnTierChoice[]) {
  const price = (raw: string) => parseAmount(raw, currency, { locale, t });
  const surcharge = (raw: string) => parseAmount(raw, currency, { allowZero: true, locale, t });
  const shipFields: Record<string, z.ZodDefault<z.ZodString>> = Object.fromEntries(
    DESTINATIONS.map((d) => [shippingFieldName(d.code), z.string().trim().default("")]),
  );
  return z
    .object({
      title: z
        .string({ error: t("addOns:validation.titleRequired") })
        .trim()
        .min(1, t("addOns:validation.titleRequired"))
        .max(ADD_ON_TITLE_MAX, t("addOns:validation.titleTooLong", { max: ADD_ON_TITLE_MAX })),
      description: formText(
        ADD_ON_DESCRIPTION_MAX,
        t("addOns:validation.descriptionTooLong", { max: formatNumber(ADD_ON_DESCRIPTION_MAX, locale) }),
      ),
      // Each field's own checks run even when another field fails, so every message shows at once.
      price: z
        .string({ error: t("addOns:validation.priceRequired") })
        .trim()
        .min(1, t("addOns:validation.priceRequired"))
        .superRefine((raw, ctx) => {
          const parsed = price(raw);
          if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
        }),
      quantityLimit: optionalWhole(
        ADD_ON_QUANTITY_MAX,
        t("addOns:validation.quantity", { max: formatNumber(ADD_ON_QUANTITY_MAX, locale) }),
      ),
      perBackerMax: optionalWhole(
        ADD_ON_PER_BACKER_MAX,
        t("addOns:validation.perBacker", { max: formatNumber(ADD_ON_PER_BACKER_MAX, locale) }),
      ),
      shipping: z.enum(["none", "ships"], { error: t("addOns:validation.shippingRequired") }),
      tiers: z
        .array(z.string().trim(), { error: t("addOns:validation.tiersRequired") })
        .min(1, t("addOns:validation.tiersRequired")),
      ...shipFields,
    })
    .superRefine((v, ctx) => {
      const problem = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
      if (v.quantityLimit !== null && v.perBackerMax !== null && v.perBackerMax > v.quantityLimit)
        problem("perBackerMax", t("addOns:validation.perBackerAboveLimit", { count: v.quantityLimit }));
      const ships = v.shipping === "ships";
      if (ships) {
        const { rates, problems } = readShippingRates(v, surcharge);
        for (const p of problems) problem(p.field, p.message);
        if (rates.length === 0 && problems.length === 0) problem("shipping", t("addOns:validation.noRates"));
      }
      if (v.tiers.length > 0) {
        const tiersProblem = offeredTiersProblem({ ships, tierIds: v.tiers, tiers, t });
        if (tiersProblem) problem("tiers", tiersProblem);
      }
    })
    .transform((v): AddOnInput => {
      const ships = v.shipping === "ships";
      return {
        title: v.title,
        description: v.description,
        price: (price(v.price) as { ok: true; amount: number }).amount,
        quantityLimit: v.quantityLimit,
        perBackerMax: v.perBackerMax,
        ships,
        shippingRates: ships ? readShippingRates(v, surcharge).rates : [],
        tierIds: [...new Set(v.tiers)],
      };
    });
}

/**
 * The post-launch rules as field errors (words, price and stock may change; the limit may not
 * fall under the units already claimed); empty when the change is allowed.
 */
export function addOnChangeProblems({
  campaignState,
  claimedCount,
  next,
  t,
}: {
  campaignState: CampaignState;
  claimedCount: number;
  next: { quantityLimit: number | null };
  t: Translate;
}): Record<string, string> {
  if (!ADD_ON_EDITABLE_STATES.includes(campaignState)) return { form: t("addOns:refusal.ended") };
  const errors: Record<string, string> = {};
  if (next.quantityLimit !== null && next.quantityLimit < claimedCount)
    errors.quantityLimit = t("addOns:refusal.limitBelowClaimed", { count: claimedCount });
  return errors;
}

/**
 * Why an add-on can't be deleted outright (it can only be hidden), or null. `lineCount` counts
 * the pledge lines that carry it, in any state: their price and history refer to it.
 */
export function addOnDeletionProblem({
  campaignState,
  lineCount,
  t,
}: {
  campaignState: CampaignState;
  lineCount: number;
  t: Translate;
}): string | null {
  if (!ADD_ON_EDITABLE_STATES.includes(campaignState)) return t("addOns:refusal.ended");
  if (lineCount > 0) return t("addOns:refusal.deleteChosen");
  return null;
}

/** Form values for editing an add-on; amounts with the reader's decimal mark. */
export function addOnFormValues(
  addOn: {
    title: string;
    description: string;
    price: number;
    quantity_limit: number | null;
    per_backer_max: number | null;
    ships: boolean;
    shippingRates: Array<{ destination: string; amount: number }>;
    tierIds: string[];
  },
  currency: CurrencyCode,
  locale: Locale,
): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {
    title: addOn.title,
    description: addOn.description,
    price: toLocalInputValue(Number(addOn.price), currency, locale),
    quantityLimit: addOn.quantity_limit === null ? "" : String(addOn.quantity_limit),
    perBackerMax: addOn.per_backer_max === null ? "" : String(addOn.per_backer_max),
    shipping: addOn.ships ? "ships" : "none",
    tiers: addOn.tierIds,
  };
  for (const rate of addOn.shippingRates)
    values[shippingFieldName(rate.destination)] = toLocalInputValue(Number(rate.amount), currency, locale);
  return values;
}
