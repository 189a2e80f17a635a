import type { CurrencyCode } from "../../db/schema.js";
import { STORY_MIN } from "./campaign-form";
import { DURATION_MAX_DAYS, DURATION_MIN_DAYS, endDateProblem, utcDay } from "./campaign-terms";
import type { Translate } from "./locale";
import { CURRENCIES } from "./money";

// What a draft needs before it can launch, item by item, each with where to fix it, worded in
// the reader's language.

export interface ChecklistItem {
  key: "title" | "blurb" | "story" | "goal" | "tier" | "cover" | "coverAlt" | "deadline" | "emailVerified";
  label: string;
  done: boolean;
  /** What to do about it, when not done. */
  fix?: string;
  /** Where to fix it. */
  where: "edit" | "tiers" | "email";
}

export function launchChecklist(
  c: {
    title: string;
    blurb: string;
    storyMd: string;
    goalAmount: number;
    currency: CurrencyCode;
    coverImageId: string | null;
    coverAlt: string;
    durationDays: number | null;
    deadline: Date | null;
  },
  {
    visibleTierCount,
    now,
    t,
    creatorEmailVerified = true,
  }: {
    visibleTierCount: number;
    now: Date;
    t: Translate;
    /** Whether the creator has proven their address (a campaign takes money in their name). */
    creatorEmailVerified?: boolean;
  },
): ChecklistItem[] {
  const storyLength = c.storyMd.trim().length;
  const deadlineIssue =
    c.durationDays !== null
      ? c.durationDays >= DURATION_MIN_DAYS && c.durationDays <= DURATION_MAX_DAYS
        ? null
        : t("campaignForm:validation.duration", { min: DURATION_MIN_DAYS, max: DURATION_MAX_DAYS })
      : c.deadline
        ? endDateProblem(utcDay(c.deadline), now, t)
        : t("campaignForm:checklist.deadlineMissing");
  return [
    {
      key: "title",
      label: t("campaignForm:checklist.title"),
      done: c.title.trim().length > 0,
      where: "edit",
      fix: t("campaignForm:checklist.titleFix"),
    },
    {
      key: "blurb",
      label: t("campaignForm:checklist.blurb"),
      done: c.blurb.trim().length > 0,
      where: "edit",
      fix: t("campaignForm:checklist.blurbFix"),
    },
    {
      key: "story",
      label: t("campaignForm:checklist.story", { min: STORY_MIN }),
      done: storyLength >= STORY_MIN,
      where: "edit",
      fix: t("campaignForm:checklist.storyFix", { length: storyLength, missing: STORY_MIN - storyLength }),
    },
    {
      key: "goal",
      label: t("campaignForm:checklist.goal"),
      done: c.goalAmount > 0 && c.goalAmount <= 10_000_000 * 10 ** CURRENCIES[c.currency].exponent,
      where: "edit",
      fix: t("campaignForm:checklist.goalFix"),
    },
    {
      key: "tier",
      label: t("campaignForm:checklist.tier"),
      done: visibleTierCount > 0,
      where: "tiers",
      fix: t("campaignForm:checklist.tierFix"),
    },
    {
      key: "cover",
      label: t("campaignForm:checklist.cover"),
      done: c.coverImageId !== null,
      where: "edit",
      fix: t("campaignForm:checklist.coverFix"),
    },
    {
      key: "coverAlt",
      label: t("campaignForm:checklist.coverAlt"),
      done: c.coverAlt.trim().length > 0,
      where: "edit",
      fix: t("campaignForm:checklist.coverAltFix"),
    },
    {
      key: "deadline",
      label: t("campaignForm:checklist.deadline", { min: DURATION_MIN_DAYS, max: DURATION_MAX_DAYS }),
      done: deadlineIssue === null,
      where: "edit",
      fix: deadlineIssue ?? undefined,
    },
    {
      key: "emailVerified",
      label: t("account:launch.verified"),
      done: creatorEmailVerified,
      where: "email",
      fix: t("account:launch.verifiedFix"),
    },
  ];
}
