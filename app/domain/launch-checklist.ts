import type { CurrencyCode } from "../../db/schema.js";
import { STORY_MIN } from "./campaign-form";
import { DURATION_MAX_DAYS, DURATION_MIN_DAYS, endDateProblem, utcDay } from "./campaign-terms";
import { CURRENCIES } from "./money";

// What a draft needs before it can launch, item by item, each with where to fix it.

export interface ChecklistItem {
  key: "title" | "blurb" | "story" | "goal" | "tier" | "cover" | "coverAlt" | "deadline";
  label: string;
  done: boolean;
  /** What to do about it, when not done. */
  fix?: string;
  /** Where to fix it. */
  where: "edit" | "tiers";
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
  { visibleTierCount, now }: { visibleTierCount: number; now: Date },
): ChecklistItem[] {
  const storyLength = c.storyMd.trim().length;
  const deadlineIssue =
    c.durationDays !== null
      ? c.durationDays >= DURATION_MIN_DAYS && c.durationDays <= DURATION_MAX_DAYS
        ? null
        : `Choose a duration of ${DURATION_MIN_DAYS} to ${DURATION_MAX_DAYS} days.`
      : c.deadline
        ? endDateProblem(utcDay(c.deadline), now)
        : "Choose how long the campaign runs.";
  return [
    {
      key: "title",
      label: "A title",
      done: c.title.trim().length > 0,
      where: "edit",
      fix: "Give the campaign a title.",
    },
    {
      key: "blurb",
      label: "A one-line blurb",
      done: c.blurb.trim().length > 0,
      where: "edit",
      fix: "Say in one line what you are making.",
    },
    {
      key: "story",
      label: `A story of at least ${STORY_MIN} characters`,
      done: storyLength >= STORY_MIN,
      where: "edit",
      fix: `Your story has ${storyLength} characters; tell backers what you are making, why, and how (${STORY_MIN - storyLength} more to go).`,
    },
    {
      key: "goal",
      label: "A funding goal",
      done: c.goalAmount > 0 && c.goalAmount <= 10_000_000 * 10 ** CURRENCIES[c.currency].exponent,
      where: "edit",
      fix: "Set a goal above zero.",
    },
    {
      key: "tier",
      label: "At least one visible reward",
      done: visibleTierCount > 0,
      where: "tiers",
      fix: "Add a reward backers can choose.",
    },
    {
      key: "cover",
      label: "A cover image",
      done: c.coverImageId !== null,
      where: "edit",
      fix: "Upload a PNG, JPEG or WebP image.",
    },
    {
      key: "coverAlt",
      label: "A description of the cover image",
      done: c.coverAlt.trim().length > 0,
      where: "edit",
      fix: "Describe the cover for people who use screen readers.",
    },
    {
      key: "deadline",
      label: `An end ${DURATION_MIN_DAYS} to ${DURATION_MAX_DAYS} days from now`,
      done: deadlineIssue === null,
      where: "edit",
      fix: deadlineIssue ?? undefined,
    },
  ];
}
