// Currencies, minimum charge amounts, fees and display formatting.

import { parameterInvalid } from "./http/errors.js";

/** Stripe's zero-decimal currencies: amounts are in whole units (¥500 is `amount=500`). */
const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
]);

/** A practical subset of the currencies Stripe settles; unknown codes are refused like Stripe. */
const SUPPORTED = new Set([
  ...ZERO_DECIMAL,
  "usd",
  "eur",
  "gbp",
  "cad",
  "aud",
  "nzd",
  "chf",
  "sek",
  "nok",
  "dkk",
  "pln",
  "czk",
  "huf",
  "ron",
  "bgn",
  "mxn",
  "brl",
  "sgd",
  "hkd",
  "inr",
  "thb",
  "myr",
  "php",
  "idr",
  "ils",
  "aed",
  "sar",
  "zar",
  "try",
  "isk",
]);

/**
 * Stripe's minimum charge amounts (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts),
 * expressed in the currency's minor unit. Others only need to be at least 1.
 */
const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  cad: 50,
  aud: 50,
  nzd: 50,
  chf: 50,
  sek: 300,
  nok: 300,
  dkk: 250,
  pln: 200,
  czk: 1500,
  huf: 17500,
  ron: 200,
  bgn: 100,
  mxn: 1000,
  brl: 50,
  sgd: 50,
  hkd: 400,
  inr: 50,
  thb: 1000,
  myr: 200,
  aed: 200,
  jpy: 50,
};

const MAX_AMOUNT = 99_999_999;

export function normalizeCurrency(raw: string, param = "currency"): string {
  const c = raw.toLowerCase();
  if (!/^[a-z]{3}$/.test(c) || !SUPPORTED.has(c)) {
    throw parameterInvalid(
      param,
      `Invalid currency: ${raw}. Stripe currently supports these currencies: ${[...SUPPORTED].join(", ")}`,
    );
  }
  return c;
}

export function validateChargeAmount(amount: number, currency: string, param = "amount"): void {
  const min = MINIMUM_CHARGE[currency] ?? 1;
  if (amount < min) {
    throw parameterInvalid(
      param,
      `Amount must be at least ${formatAmount(min, currency)} ${currency}`,
      "amount_too_small",
    );
  }
  if (amount > MAX_AMOUNT) {
    throw parameterInvalid(
      param,
      `Amount must be no more than ${formatAmount(MAX_AMOUNT, currency)}`,
      "amount_too_large",
    );
  }
}

function decimalsOf(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/**
 * `formatAmount(1999, "usd")` -> "$19.99", `formatAmount(500, "jpy")` -> "¥500"; with
 * `tag` "es-ES": "19,99 US$", "1.250,00 €" (four-digit amounts grouped too, as Stripe shows them).
 */
export function formatAmount(amount: number, currency: string, tag = "en-US"): string {
  const decimals = decimalsOf(currency);
  const major = amount / 10 ** decimals;
  try {
    return new Intl.NumberFormat(tag, {
      useGrouping: "always",
      style: "currency",
      currency: currency.toUpperCase(),
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(major);
  } catch {
    return `${major.toFixed(decimals)} ${currency.toUpperCase()}`;
  }
}

export interface FeeSchedule {
  percentBps: number;
  fixed: number;
}

/** Stripe's processing fee for a card charge: a percentage (basis points) plus a fixed part. */
export function processingFee(amount: number, fees: FeeSchedule): number {
  return Math.round((amount * fees.percentBps) / 10_000) + fees.fixed;
}
