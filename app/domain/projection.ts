// An honest projection of where a live campaign will end up, from its own recent pace.
// Pure: the dashboard passes in the daily totals it already loaded for the chart.

const DAY_MS = 86_400_000;
export const PROJECTION_WINDOW_DAYS = 7;

export interface DailyTotal {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** Sum of pledges activated that day, minor units. */
  amount: number;
}

export interface Projection {
  /** Expected final total, minor units. */
  expected: number;
  /** Plausible range (about 95%), minor units; low is never below what is already pledged. */
  low: number;
  high: number;
  /** Average pledged per day over the window, minor units. */
  dailyRate: number;
  /** Days of history the rate is based on (1..window). */
  basisDays: number;
  /** Days (fractional) left until the deadline. */
  daysLeft: number;
  /** Under three days of history the range is wide and the page says so. */
  confidence: "low" | "normal";
}

/**
 * Linear extrapolation: the mean daily total over the last `windowDays` full-or-partial days
 * since launch (quiet days count as zero) times the days left, added to what is pledged now.
 * The range is ± 2 standard deviations of the daily totals scaled by √(days left), the spread
 * of a sum of that many independent days. Returns null when there is nothing to project (not
 * launched, or the deadline has passed: the total is then final).
 */
export function projectFinalTotal({
  pledgedAmount,
  launchedAt,
  deadline,
  now,
  dailyTotals,
  windowDays = PROJECTION_WINDOW_DAYS,
}: {
  pledgedAmount: number;
  launchedAt: Date | null;
  deadline: Date | null;
  now: Date;
  dailyTotals: readonly DailyTotal[];
  windowDays?: number;
}): Projection | null {
  if (!launchedAt || !deadline || deadline.getTime() <= now.getTime()) return null;
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const launchDay = Date.parse(`${launchedAt.toISOString().slice(0, 10)}T00:00:00Z`);
  const daysSinceLaunch = Math.floor((today - launchDay) / DAY_MS) + 1;
  const basisDays = Math.max(1, Math.min(windowDays, daysSinceLaunch));
  const byDay = new Map(dailyTotals.map((d) => [d.day, d.amount]));
  const window: number[] = [];
  for (let i = basisDays - 1; i >= 0; i--) {
    const day = new Date(today - i * DAY_MS).toISOString().slice(0, 10);
    window.push(byDay.get(day) ?? 0);
  }
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  const variance =
    window.length > 1 ? window.reduce((a, b) => a + (b - mean) ** 2, 0) / (window.length - 1) : mean ** 2;
  const sd = Math.sqrt(variance);
  const daysLeft = (deadline.getTime() - now.getTime()) / DAY_MS;
  const expected = Math.round(pledgedAmount + mean * daysLeft);
  const spread = 2 * sd * Math.sqrt(daysLeft);
  return {
    expected,
    low: Math.max(pledgedAmount, Math.round(expected - spread)),
    high: Math.round(expected + spread),
    dailyRate: Math.round(mean),
    basisDays,
    daysLeft,
    confidence: basisDays < 3 ? "low" : "normal",
  };
}

export interface FundingPoint {
  day: string;
  /** Cumulative pledged at the end of the day, minor units. */
  total: number;
  /** Pledged that day. */
  amount: number;
  pledges: number;
}

/**
 * Cumulative series for the chart: one point per UTC day from launch to today (or the deadline,
 * whichever is first), quiet days included.
 */
export function cumulativeSeries({
  launchedAt,
  until,
  daily,
}: {
  launchedAt: Date;
  until: Date;
  daily: readonly (DailyTotal & { pledges: number })[];
}): FundingPoint[] {
  const start = Date.parse(`${launchedAt.toISOString().slice(0, 10)}T00:00:00Z`);
  const end = Date.parse(`${until.toISOString().slice(0, 10)}T00:00:00Z`);
  const byDay = new Map(daily.map((d) => [d.day, d]));
  // Pledges activated before launch (should not happen) are folded into the first day.
  let total = daily.filter((d) => Date.parse(`${d.day}T00:00:00Z`) < start).reduce((a, d) => a + d.amount, 0);
  const points: FundingPoint[] = [];
  for (let t = start; t <= end && points.length < 400; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const entry = byDay.get(day);
    total += entry?.amount ?? 0;
    points.push({ day, total, amount: entry?.amount ?? 0, pledges: entry?.pledges ?? 0 });
  }
  return points;
}
