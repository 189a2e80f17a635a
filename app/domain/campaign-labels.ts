import type { CurrencyCode } from "../../db/schema.js";
import type { Translate } from "./locale";

// The names the campaign forms show for fixed lists (currencies, categories, shipping
// destinations), in the reader's language. Each key is written out so the catalogue check finds it.

const CURRENCY_NAMES: Record<CurrencyCode, (t: Translate) => string> = {
  usd: (t) => t("campaignForm:currency.usd"),
  eur: (t) => t("campaignForm:currency.eur"),
  gbp: (t) => t("campaignForm:currency.gbp"),
  jpy: (t) => t("campaignForm:currency.jpy"),
};

/** "US dollar (USD)", "Dólar estadounidense (USD)". */
export function currencyName(t: Translate, code: CurrencyCode): string {
  return CURRENCY_NAMES[code]?.(t) ?? code.toUpperCase();
}

const CATEGORY_NAMES: Record<string, (t: Translate) => string> = {
  hardware: (t) => t("campaignForm:category.hardware"),
  design: (t) => t("campaignForm:category.design"),
  technology: (t) => t("campaignForm:category.technology"),
  games: (t) => t("campaignForm:category.games"),
  food: (t) => t("campaignForm:category.food"),
  sustainability: (t) => t("campaignForm:category.sustainability"),
  health: (t) => t("campaignForm:category.health"),
  education: (t) => t("campaignForm:category.education"),
  music: (t) => t("campaignForm:category.music"),
  publishing: (t) => t("campaignForm:category.publishing"),
};

/** A category's name from its slug (the slug itself when unknown). */
export function categoryLabel(t: Translate, slug: string): string {
  return CATEGORY_NAMES[slug]?.(t) ?? slug;
}

const DESTINATION_NAMES: Record<string, (t: Translate) => string> = {
  US: (t) => t("campaignForm:destination.US"),
  CA: (t) => t("campaignForm:destination.CA"),
  GB: (t) => t("campaignForm:destination.GB"),
  EU: (t) => t("campaignForm:destination.EU"),
  JP: (t) => t("campaignForm:destination.JP"),
  AU: (t) => t("campaignForm:destination.AU"),
  ROW: (t) => t("campaignForm:destination.ROW"),
};

/** A shipping destination's name from its code (the code itself when unknown). */
export function destinationLabel(t: Translate, code: string): string {
  return DESTINATION_NAMES[code]?.(t) ?? code;
}
