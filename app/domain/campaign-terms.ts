import type { Collection, CurrencyCode, FundingModel } from "../../db/schema.js";
import { parseAmount } from "./money";

// The terms backers pledge under: the goal, how the campaign ends, the funding model and when
// cards are charged. All of them are fixed at launch.

export const DURATION_MIN_DAYS = 1;
export const DURATION_MAX_DAYS = 60;

const DAY_MS = 86_400_000;

export const FUNDING_MODELS: ReadonlyArray<{ value: FundingModel; label: string; explanation: string }> = [
  {
    value: "all_or_nothing",
    label: "All or nothing",
    explanation: "Backers are charged only if you reach your goal. If you fall short, nobody pays anything.",
  },
  {
    value: "flexible",
    label: "Flexible",
    explanation: "You keep whatever you raise, even if you don't reach your goal.",
  },
];

export const COLLECTIONS: ReadonlyArray<{ value: Collection; label: string; explanation: string }> = [
  {
    value: "at_deadline",
    label: "Charge at the deadline",
    explanation: "Cards are saved now and charged when the campaign ends.",
  },
  {
    value: "immediate",
    label: "Charge when they pledge",
    explanation: "Backers are charged when they pledge and refunded automatically if the goal is not met.",
  },
];

export const fundingModelLabel = (v: FundingModel) => FUNDING_MODELS.find((m) => m.value === v)?.label ?? v;
export const collectionLabel = (v: Collection) => COLLECTIONS.find((m) => m.value === v)?.label ?? v;

/** Today's date in UTC as YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** An end date means the campaign ends at 23:59:59 UTC on that day. */
export function endOfDayUtc(date: string): Date {
  return new Date(`${date}T23:59:59.000Z`);
}

/** Why an end date cannot be used, or null: it must be 1 to 60 calendar days (UTC) from today. */
export function endDateProblem(endDate: string, now: Date): string | null {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(endDate) ||
    Number.isNaN(Date.parse(`${endDate}T00:00:00Z`)) ||
    utcDay(new Date(`${endDate}T00:00:00Z`)) !== endDate
  ) {
    return "Enter the end date as a date, like 2027-03-31.";
  }
  const days = Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${utcDay(now)}T00:00:00Z`)) / DAY_MS);
  if (days < DURATION_MIN_DAYS) return "The end date must be in the future: at least tomorrow.";
  if (days > DURATION_MAX_DAYS)
    return `Campaigns can run for at most ${DURATION_MAX_DAYS} days: pick an end date on or before ${utcDay(new Date(Date.parse(`${utcDay(now)}T00:00:00Z`) + DURATION_MAX_DAYS * DAY_MS))}.`;
  return null;
}

/** The fixed deadline a campaign gets when it launches now. */
export function deadlineAtLaunch(
  { durationDays, endDate }: { durationDays: number | null; endDate: Date | null },
  now: Date,
): Date | null {
  if (durationDays !== null) return new Date(now.getTime() + durationDays * DAY_MS);
  return endDate;
}

/** Fields fixed at launch (web address, goal, currency, deadline, funding model, collection), each with its message. */
export const FIXED_AT_LAUNCH: Record<string, string> = {
  slug: "The web address is fixed once the campaign is live, so links to it keep working.",
  goal: "The goal is fixed once the campaign is live: backers pledged against it.",
  currency: "The currency is fixed once the campaign is live.",
  deadlineMode: "The deadline is fixed once the campaign is live.",
  durationDays: "The deadline is fixed once the campaign is live.",
  endDate: "The deadline is fixed once the campaign is live.",
  fundingModel: "The funding model is fixed once the campaign is live: backers pledged under it.",
  collection: "When backers are charged is fixed once the campaign is live: backers pledged under it.",
};

/**
 * Which fixed-at-launch fields a submitted form tries to change on a live campaign. Fields left
 * out of the form are not changes.
 */
export function fixedFieldChanges(
  current: {
    slug: string;
    goalAmount: number;
    currency: CurrencyCode;
    durationDays: number | null;
    deadline: Date | null;
    fundingModel: FundingModel;
    collection: Collection;
  },
  submitted: Record<string, unknown>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const given = (key: string) => (typeof submitted[key] === "string" ? (submitted[key] as string).trim() : undefined);
  const goal = given("goal");
  if (goal !== undefined) {
    const parsed = parseAmount(goal, current.currency);
    if (!parsed.ok || parsed.amount !== current.goalAmount) errors.goal = FIXED_AT_LAUNCH.goal!;
  }
  const currency = given("currency");
  if (currency !== undefined && currency !== current.currency) errors.currency = FIXED_AT_LAUNCH.currency!;
  const slug = given("slug");
  if (slug !== undefined && slug.toLowerCase() !== current.slug) errors.slug = FIXED_AT_LAUNCH.slug!;
  const funding = given("fundingModel");
  if (funding !== undefined && funding !== current.fundingModel) errors.fundingModel = FIXED_AT_LAUNCH.fundingModel!;
  const collection = given("collection");
  if (collection !== undefined && collection !== current.collection) errors.collection = FIXED_AT_LAUNCH.collection!;
  for (const key of ["deadlineMode", "durationDays", "endDate"] as const) {
    const value = given(key);
    if (value === undefined || value === "") continue;
    const same =
      (key === "durationDays" && current.durationDays !== null && value === String(current.durationDays)) ||
      (key === "endDate" && current.deadline !== null && value === utcDay(current.deadline)) ||
      (key === "deadlineMode" && value === (current.durationDays !== null ? "duration" : "date"));
    if (!same) errors[key] = FIXED_AT_LAUNCH[key]!;
  }
  return errors;
}
