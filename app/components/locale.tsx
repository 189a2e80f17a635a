import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { CurrencyCode } from "../../db/schema.js";
import { DEFAULT_LOCALE, isLocale, type Locale } from "~/domain/locale";
import { formatMoney, formatNumber } from "~/domain/money";
import {
  formatDate,
  formatDeadline,
  formatMonthYear,
  formatRelativeTime,
  formatShortDateTime,
  timeLeft,
} from "~/domain/time";

// The page's language and the formatters bound to it. Components format through `useFormat()`
// so every amount, count and date follows the language the root loader chose, on the server
// render and at hydration alike.

/** The language the page renders in (the root wraps every page in that language's i18next). */
export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

export interface Formatters {
  locale: Locale;
  money: (amount: number, currency: CurrencyCode, options?: { compact?: boolean }) => string;
  number: (value: number) => string;
  timeLeft: (deadline: Date | string, now: Date | string) => ReturnType<typeof timeLeft>;
  relative: (date: Date | string, now: Date | string) => string;
  deadline: (deadline: Date | string, timeZone?: string) => string;
  date: (date: Date | string, timeZone?: string) => string;
  shortDateTime: (date: Date | string, timeZone?: string) => string;
  monthYear: (date: Date | string) => string;
}

/** The domain's formatters in the page's language. */
export function formatters(locale: Locale): Formatters {
  return {
    locale,
    money: (amount, currency, options) => formatMoney(amount, currency, { ...options, locale }),
    number: (value) => formatNumber(value, locale),
    timeLeft: (deadline, now) => timeLeft(deadline, now, locale),
    relative: (date, now) => formatRelativeTime(date, now, locale),
    deadline: (deadline, timeZone = "UTC") => formatDeadline(deadline, timeZone, locale),
    date: (date, timeZone = "UTC") => formatDate(date, timeZone, locale),
    shortDateTime: (date, timeZone = "UTC") => formatShortDateTime(date, timeZone, locale),
    monthYear: (date) => formatMonthYear(date, locale),
  };
}

/** `const f = useFormat(); f.money(1250, "eur")` -> "€12.50", or "12,50 €" on a Spanish page. */
export function useFormat(): Formatters {
  const locale = useLocale();
  return useMemo(() => formatters(locale), [locale]);
}
