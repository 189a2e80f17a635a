import type { Collection, CurrencyCode, FundingModel } from "../../db/schema.js";
import type { Locale, Translate } from "./locale";
import { parseAmount } from "./money";

// The terms backers pledge under: the goal, how the campaign ends, the funding model and when
// cards are charged. All of them are fixed at launch.

export const DURATION_MIN_DAYS = 1;
export const DURATION_MAX_DAYS = 60;

const DAY_MS = 86_400_000;

export const FUNDING_MODELS: readonly FundingModel[] = ["all_or_nothing", "flexible"];
export const COLLECTIONS: readonly Collection[] = ["at_deadline", "immediate"];

export interface TermOption<Value extends string> {
  value: Value;
  label: string;
  explanation: string;
}

/** A funding model in the reader's words: its name and what choosing it means. */
export function fundingModelOption(t: Translate, value: FundingModel): TermOption<FundingModel> {
  return value === "flexible"
    ? {
        value,
        label: t("campaignForm:terms.flexible.label"),
        explanation: t("campaignForm:terms.flexible.explanation"),
      }
    : {
        value,
        label: t("campaignForm:terms.allOrNothing.label"),
        explanation: t("campaignForm:terms.allOrNothing.explanation"),
      };
}

/** When backers are charged, in the reader's words. */
export function collectionOption(t: Translate, value: Collection): TermOption<Collection> {
  return value === "immediate"
    ? {
        value,
        label: t("campaignForm:terms.immediate.label"),
        explanation: t("campaignForm:terms.immediate.explanation"),
      }
    : {
        value,
        label: t("campaignForm:terms.atDeadline.label"),
        explanation: t("campaignForm:terms.atDeadline.explanation"),
      };
}

export const fundingModelOptions = (t: Translate) => FUNDING_MODELS.map((v) => fundingModelOption(t, v));
export const collectionOptions = (t: Translate) => COLLECTIONS.map((v) => collectionOption(t, v));

// English names for pages not yet given a translator (the campaign dashboard). A page in the
// reader's language uses fundingModelOption / collectionOption with its `t`.
const ENGLISH_FUNDING_MODELS: Record<FundingModel, string> = { all_or_nothing: "All or nothing", flexible: "Flexible" };
const ENGLISH_COLLECTIONS: Record<Collection, string> = {
  at_deadline: "Charge at the deadline",
  immediate: "Charge when they pledge",
};

/** The funding model's name: in the reader's language with `t`, English without. */
export const fundingModelLabel = (v: FundingModel, t?: Translate) =>
  t ? fundingModelOption(t, v).label : (ENGLISH_FUNDING_MODELS[v] ?? v);
/** When backers are charged, named: in the reader's language with `t`, English without. */
export const collectionLabel = (v: Collection, t?: Translate) =>
  t ? collectionOption(t, v).label : (ENGLISH_COLLECTIONS[v] ?? v);

/** Today's date in UTC as YYYY-MM-DD. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** An end date means the campaign ends at 23:59:59 UTC on that day. */
export function endOfDayUtc(date: string): Date {
  return new Date(`${date}T23:59:59.000Z`);
}

/** Why an end date cannot be used, or null: it must be 1 to 60 calendar days (UTC) from today. */
export function endDateProblem(endDate: string, now: Date, t: Translate): string | null {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(endDate) ||
    Number.isNaN(Date.parse(`${endDate}T00:00:00Z`)) ||
    utcDay(new Date(`${endDate}T00:00:00Z`)) !== endDate
  ) {
    return t("campaignForm:validation.endDateFormat");
  }
  const days = Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${utcDay(now)}T00:00:00Z`)) / DAY_MS);
  if (days < DURATION_MIN_DAYS) return t("campaignForm:validation.endDateFuture");
  // The latest day is written as the date field takes it (YYYY-MM-DD), in every language.
  if (days > DURATION_MAX_DAYS)
    return t("campaignForm:validation.endDateTooLate", {
      max: DURATION_MAX_DAYS,
      latest: utcDay(new Date(Date.parse(`${utcDay(now)}T00:00:00Z`) + DURATION_MAX_DAYS * DAY_MS)),
    });
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
export function fixedAtLaunch(t: Translate): Record<string, string> {
  const deadline = t("campaignForm:fixed.deadline");
  return {
    slug: t("campaignForm:fixed.slug"),
    goal: t("campaignForm:fixed.goal"),
    currency: t("campaignForm:fixed.currency"),
    deadlineMode: deadline,
    durationDays: deadline,
    endDate: deadline,
    fundingModel: t("campaignForm:fixed.fundingModel"),
    collection: t("campaignForm:fixed.collection"),
  };
}

/**
 * Which fixed-at-launch fields a submitted form tries to change on a live campaign. Fields left
 * out of the form are not changes. The goal is read as the reader types amounts (`locale`).
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
  { t, locale }: { t: Translate; locale: Locale },
): Record<string, string> {
  const FIXED_AT_LAUNCH = fixedAtLaunch(t);
  const errors: Record<string, string> = {};
  const given = (key: string) => (typeof submitted[key] === "string" ? (submitted[key] as string).trim() : undefined);
  const goal = given("goal");
  if (goal !== undefined) {
    const parsed = parseAmount(goal, current.currency, { locale, t });
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
