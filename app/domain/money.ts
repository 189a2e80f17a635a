import type { CurrencyCode } from "../../db/schema.js";
import { DEFAULT_LOCALE, INTL_TAGS, type Locale, type Translate } from "./locale";

// Money is an integer count of the currency's minor unit (cents, pence; yen have none), always
// travelling with its currency. This module is the only place that converts or formats it.

// A currency's name is reader-facing: the forms take it from the catalogue
// (campaignForm:currency.*, see domain/campaign-labels).
export interface CurrencyInfo {
  code: CurrencyCode;
  /** Digits after the decimal point: 2 for USD/EUR/GBP, 0 for JPY (Stripe's zero-decimal list). */
  exponent: 0 | 2;
}

export const CURRENCIES: Record<CurrencyCode, CurrencyInfo> = {
  usd: { code: "usd", exponent: 2 },
  eur: { code: "eur", exponent: 2 },
  gbp: { code: "gbp", exponent: 2 },
  jpy: { code: "jpy", exponent: 0 },
};

export const CURRENCY_CODES = Object.keys(CURRENCIES) as CurrencyCode[];

export function isCurrency(value: string): value is CurrencyCode {
  return value in CURRENCIES;
}

/** A sane ceiling for any single amount (goal, tier, pledge): 10 million in major units. */
export function maxAmount(currency: CurrencyCode): number {
  return 10_000_000 * 10 ** CURRENCIES[currency].exponent;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Intl formatters are costly to build and pages format hundreds of amounts: keep one per shape. */
function formatterFor(
  locale: Locale,
  currency: CurrencyCode,
  compact: boolean,
  minimumFractionDigits: number,
  maximumFractionDigits: number,
) {
  const key = `${locale}|${currency}|${compact}|${minimumFractionDigits}|${maximumFractionDigits}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(INTL_TAGS[locale].numbers, {
      // Spanish leaves four-digit amounts ungrouped by default ("1234,56 €"); the site groups all.
      useGrouping: "always",
      style: "currency",
      currency: currency.toUpperCase(),
      notation: compact ? "compact" : "standard",
      minimumFractionDigits,
      maximumFractionDigits,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** "$1,250.00", "¥150,000", "€12.50"; in Spanish "1.250,00 US$", "12,50 €". */
export function formatMoney(
  amount: number,
  currency: CurrencyCode,
  options: { compact?: boolean; locale?: Locale } = {},
): string {
  const { exponent } = CURRENCIES[currency];
  const major = amount / 10 ** exponent;
  const whole = Number.isInteger(major);
  const compact = Boolean(options.compact);
  const minimum = compact || (whole && exponent > 0 && amount >= 100_000 * 10 ** exponent) ? 0 : exponent;
  return formatterFor(options.locale ?? DEFAULT_LOCALE, currency, compact, minimum, compact ? 1 : exponent).format(
    major,
  );
}

const numberFormatters = new Map<Locale, Intl.NumberFormat>();

/** A count as the reader writes it: 12,345 in English, 12.345 in Spanish. */
export function formatNumber(value: number, locale: Locale = DEFAULT_LOCALE): string {
  let formatter = numberFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(INTL_TAGS[locale].numbers, { useGrouping: "always" });
    numberFormatters.set(locale, formatter);
  }
  return formatter.format(value);
}

/** Minor units as the plain number a form field shows: 125000 usd -> "1250.00", 5000 jpy -> "5000". */
export function toInputValue(amount: number | null | undefined, currency: CurrencyCode): string {
  if (amount === null || amount === undefined) return "";
  const { exponent } = CURRENCIES[currency];
  return exponent === 0 ? String(amount) : (amount / 10 ** exponent).toFixed(exponent);
}

export type ParsedAmount = { ok: true; amount: number } | { ok: false; message: string };

/** What is wrong with a typed amount: a key of the `common:amount` catalogue and its values. */
const AMOUNT_ENGLISH: Record<string, (v: Record<string, string>) => string> = {
  required: () => "Enter an amount.",
  negative: () => "The amount must be positive.",
  format: () => "Enter the amount as a number, like 25 or 25.50.",
  noDecimals: (v) => `${v.currency} has no decimal places; enter a whole number.`,
  decimals: (v) => `Use at most ${v.exponent} decimal places.`,
  tooLarge: () => "That amount is too large.",
  zero: () => "The amount must be more than zero.",
  max: (v) => `The amount can be at most ${v.max}.`,
};

/**
 * Reads an amount typed in major units into minor units, exactly: parsed as digits, never through
 * floating point. English reads "1,250.50" (commas group); Spanish reads "1.250,50" and also the
 * "25.50" a reader used to other sites types (a dot followed by one or two digits is a decimal
 * point, a dot followed by groups of three groups thousands). `t` words the message in the
 * reader's language (`common:amount.*`); without it the message is English.
 */
export function parseAmount(
  input: string,
  currency: CurrencyCode,
  { allowZero = false, locale = DEFAULT_LOCALE, t }: { allowZero?: boolean; locale?: Locale; t?: Translate } = {},
): ParsedAmount {
  const { exponent } = CURRENCIES[currency];
  const fail = (issue: keyof typeof AMOUNT_ENGLISH, values: Record<string, string> = {}): ParsedAmount => ({
    ok: false,
    message: t ? t(`common:amount.${issue}`, values) : AMOUNT_ENGLISH[issue]!(values),
  });
  let cleaned = input
    .trim()
    .replace(/[\s_]/g, "")
    .replace(/^[$€£¥]|[$€£¥]$/g, "");
  if (locale === "es") {
    cleaned = cleaned.includes(",")
      ? cleaned.replace(/\./g, "").replace(",", ".")
      : /^\d{1,3}(\.\d{3})+$/.test(cleaned)
        ? cleaned.replace(/\./g, "")
        : cleaned;
  } else {
    cleaned = cleaned.replace(/,/g, "");
  }
  if (cleaned === "") return fail("required");
  const match = /^(\d+)(?:\.(\d+))?$/.exec(cleaned);
  if (!match) return fail(cleaned.startsWith("-") ? "negative" : "format");
  const [, whole = "0", fraction = ""] = match;
  if (fraction.length > exponent) {
    return exponent === 0
      ? fail("noDecimals", { currency: currency.toUpperCase() })
      : fail("decimals", { exponent: String(exponent) });
  }
  if (whole.length > 12) return fail("tooLarge");
  const amount = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || "0");
  if (amount === 0 && !allowZero) return fail("zero");
  if (amount > maxAmount(currency)) return fail("max", { max: formatMoney(maxAmount(currency), currency, { locale }) });
  return { ok: true, amount };
}

/** Integer share in basis points, rounded half up (fees): 500 bps of 1999 = 100. */
export function percentOf(amount: number, basisPoints: number): number {
  return Math.floor((amount * basisPoints + 5000) / 10000);
}
