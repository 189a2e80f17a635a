import { DEFAULT_LOCALE, INTL_TAGS, type Locale } from "./locale";

// Time as backers read it on cards and project pages. Pure functions: the caller passes `now`
// (the loader's clock) so the server render and the browser's hydration agree, and the page's
// language (English when not given).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface TimeLeft {
  /** "12 days", "5 hours", "40 minutes": the amount on its own, for big-number displays. */
  amount: string;
  /** "12 days to go", "Ends in 40 minutes", "Ended". */
  label: string;
  ended: boolean;
  /** Less than a day left: worth highlighting. */
  endingSoon: boolean;
}

/** The sentences around an amount of time, per language; the amounts come from Intl. */
const PHRASES: Record<
  Locale,
  { lessThanAMinute: string; ended: string; endsIn: (amount: string) => string; toGo: (amount: string) => string }
> = {
  en: {
    lessThanAMinute: "less than a minute",
    ended: "Ended",
    endsIn: (amount) => `Ends in ${amount}`,
    toGo: (amount) => `${amount} to go`,
  },
  es: {
    lessThanAMinute: "menos de un minuto",
    ended: "Finalizada",
    endsIn: (amount) => `Termina en ${amount}`,
    // Always a plural here: under two days the amount is in hours, and under one it ends "soon".
    toGo: (amount) => `Quedan ${amount}`,
  },
};

type Unit = "day" | "hour" | "minute";
const unitFormatters = new Map<string, Intl.NumberFormat>();
/** "12 days", "1 hour", "40 minutos". */
function amountOf(n: number, unit: Unit, locale: Locale): string {
  const key = `${locale}|${unit}`;
  let f = unitFormatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(INTL_TAGS[locale].numbers, { style: "unit", unit, unitDisplay: "long" });
    unitFormatters.set(key, f);
  }
  return f.format(n);
}

/**
 * Whole units left, rounded down (a campaign with 1 day 23 hours left says "1 day", never
 * overpromising); under a minute says "less than a minute".
 */
export function timeLeft(deadline: Date | string, now: Date | string, locale: Locale = DEFAULT_LOCALE): TimeLeft {
  const phrases = PHRASES[locale];
  const ms = new Date(deadline).getTime() - new Date(now).getTime();
  if (!(ms > 0)) return { amount: amountOf(0, "minute", locale), label: phrases.ended, ended: true, endingSoon: false };
  let amount: string;
  if (ms >= 2 * DAY) amount = amountOf(Math.floor(ms / DAY), "day", locale);
  else if (ms >= HOUR) amount = amountOf(Math.floor(ms / HOUR), "hour", locale);
  else if (ms >= MINUTE) amount = amountOf(Math.floor(ms / MINUTE), "minute", locale);
  else amount = phrases.lessThanAMinute;
  const endingSoon = ms < DAY;
  return { amount, label: endingSoon ? phrases.endsIn(amount) : phrases.toGo(amount), ended: false, endingSoon };
}

const relativeFormatters = new Map<Locale, Intl.RelativeTimeFormat>();
/**
 * How long ago or ahead, in the largest whole unit: "3 days ago", "in 2 hours", "yesterday";
 * "hace 3 días", "dentro de 2 horas", "ayer".
 */
export function formatRelativeTime(date: Date | string, now: Date | string, locale: Locale = DEFAULT_LOCALE): string {
  let f = relativeFormatters.get(locale);
  if (!f) {
    f = new Intl.RelativeTimeFormat(INTL_TAGS[locale].dates, { numeric: "auto" });
    relativeFormatters.set(locale, f);
  }
  const ms = new Date(date).getTime() - new Date(now).getTime();
  const abs = Math.abs(ms);
  if (abs >= DAY) return f.format(Math.trunc(ms / DAY), "day");
  if (abs >= HOUR) return f.format(Math.trunc(ms / HOUR), "hour");
  return f.format(Math.trunc(ms / MINUTE), "minute");
}

// Building an Intl formatter costs far more than using one: keep one per option set.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(options: Intl.DateTimeFormatOptions, locale: Locale): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_TAGS[locale].dates, options);
    formatters.set(key, f);
  }
  return f;
}

const zoneLabel = (timeZone: string) => (timeZone === "UTC" || timeZone === "Etc/UTC" ? "UTC" : timeZone);

/** "Friday, 4 December 2026 at 18:00 UTC": the exact moment, with its time zone. */
export function formatDeadline(deadline: Date | string, timeZone = "UTC", locale: Locale = DEFAULT_LOCALE): string {
  const date = new Date(deadline);
  const day = formatter({ weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone }, locale).format(
    date,
  );
  const time = formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }, locale).format(date);
  return locale === "es" ? `${day}, ${time} ${zoneLabel(timeZone)}` : `${day} at ${time} ${zoneLabel(timeZone)}`;
}

/** "4 December 2026". */
export function formatDate(date: Date | string, timeZone = "UTC", locale: Locale = DEFAULT_LOCALE): string {
  return formatter({ day: "numeric", month: "long", year: "numeric", timeZone }, locale).format(new Date(date));
}

/** "4 Dec 2026, 18:00 UTC": compact, for update lists. */
export function formatShortDateTime(date: Date | string, timeZone = "UTC", locale: Locale = DEFAULT_LOCALE): string {
  const d = new Date(date);
  const day = formatter({ day: "numeric", month: "short", year: "numeric", timeZone }, locale).format(d);
  const time = formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }, locale).format(d);
  return `${day}, ${time} ${zoneLabel(timeZone)}`;
}

/** Estimated delivery is a month: "March 2027". Dates are calendar dates, read in UTC. */
export function formatMonthYear(date: Date | string, locale: Locale = DEFAULT_LOCALE): string {
  const d =
    typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : new Date(date);
  return formatter({ month: "long", year: "numeric", timeZone: "UTC" }, locale).format(d);
}
