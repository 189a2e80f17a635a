// Time as backers read it on cards and project pages. Pure functions: the caller passes `now`
// (the loader's clock) so the server render and the browser's hydration agree.

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

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/**
 * Whole units left, rounded down (a campaign with 1 day 23 hours left says "1 day", never
 * overpromising); under a minute says "less than a minute".
 */
export function timeLeft(deadline: Date | string, now: Date | string): TimeLeft {
  const ms = new Date(deadline).getTime() - new Date(now).getTime();
  if (!(ms > 0)) return { amount: "0 minutes", label: "Ended", ended: true, endingSoon: false };
  let amount: string;
  if (ms >= 2 * DAY) amount = plural(Math.floor(ms / DAY), "day");
  else if (ms >= HOUR) amount = plural(Math.floor(ms / HOUR), "hour");
  else if (ms >= MINUTE) amount = plural(Math.floor(ms / MINUTE), "minute");
  else amount = "less than a minute";
  const endingSoon = ms < DAY;
  return { amount, label: endingSoon ? `Ends in ${amount}` : `${amount} to go`, ended: false, endingSoon };
}

// Building an Intl formatter costs far more than using one: keep one per option set.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", options);
    formatters.set(key, f);
  }
  return f;
}

const zoneLabel = (timeZone: string) => (timeZone === "UTC" || timeZone === "Etc/UTC" ? "UTC" : timeZone);

/** "Friday, 4 December 2026 at 18:00 UTC": the exact moment, with its time zone. */
export function formatDeadline(deadline: Date | string, timeZone = "UTC"): string {
  const date = new Date(deadline);
  const day = formatter({ weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone }).format(date);
  const time = formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(date);
  return `${day} at ${time} ${zoneLabel(timeZone)}`;
}

/** "4 December 2026". */
export function formatDate(date: Date | string, timeZone = "UTC"): string {
  return formatter({ day: "numeric", month: "long", year: "numeric", timeZone }).format(new Date(date));
}

/** "4 Dec 2026, 18:00 UTC": compact, for update lists. */
export function formatShortDateTime(date: Date | string, timeZone = "UTC"): string {
  const d = new Date(date);
  const day = formatter({ day: "numeric", month: "short", year: "numeric", timeZone }).format(d);
  const time = formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(d);
  return `${day}, ${time} ${zoneLabel(timeZone)}`;
}

/** Estimated delivery is a month: "March 2027". Dates are calendar dates, read in UTC. */
export function formatMonthYear(date: Date | string): string {
  const d =
    typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : new Date(date);
  return formatter({ month: "long", year: "numeric", timeZone: "UTC" }).format(d);
}
