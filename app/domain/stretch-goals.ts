import { z } from "zod";
import type { CampaignState, CurrencyCode } from "../../db/schema.js";
import { formText } from "./form-text";
import type { Locale, Translate } from "./locale";
import { formatMoney, formatNumber, parseAmount } from "./money";
import { refuse, refuseField, type Refusal } from "./refusal";

// Stretch goals, pure: what the form holds, what a creator may change and when, and the ladder
// a reader sees. Whether a goal is reached is the database's (a trigger follows the campaign's
// total, db/migrations/2026_12_07_0023_stretch_goals.ts); these rules take it as given.

export const STRETCH_TITLE_MAX = 80;
export const STRETCH_DESCRIPTION_MAX = 500;
/** A ladder longer than this stops being a promise a backer can read. */
export const STRETCH_GOALS_MAX = 10;

/** Goals are added, changed and removed while the campaign is a draft or live; read-only after. */
export const STRETCH_EDITABLE_STATES = ["draft", "live"] as const satisfies readonly CampaignState[];
/** The project page shows the ladder while it means something: not once a campaign failed or was cancelled. */
export const STRETCH_SHOWN_STATES = ["draft", "live", "settling", "funded"] as const satisfies readonly CampaignState[];

export function mayEditStretchGoals(state: CampaignState): boolean {
  return (STRETCH_EDITABLE_STATES as readonly string[]).includes(state);
}

export function showsStretchLadder(state: CampaignState): boolean {
  return (STRETCH_SHOWN_STATES as readonly string[]).includes(state);
}

export interface StretchGoalInput {
  title: string;
  description: string;
  /** Minor units of the campaign's currency. */
  amount: number;
}

/** Why an amount cannot be a stretch goal of a campaign with this goal, or null: it must be above the goal. */
export function stretchAmountProblem({
  amount,
  goal,
  currency,
  locale,
  t,
}: {
  amount: number;
  goal: number;
  currency: CurrencyCode;
  locale: Locale;
  t: Translate;
}): string | null {
  return amount > goal
    ? null
    : t("stretch:validation.amountNotAboveGoal", { goal: formatMoney(goal, currency, { locale }) });
}

/**
 * The stretch goal form (adding one or changing one). The amount is typed in the campaign's
 * currency as the reader writes numbers, read exactly into minor units, and must be above the
 * campaign's goal.
 */
export function stretchGoalSchema(t: Translate, locale: Locale, currency: CurrencyCode, goal: number) {
  const amountRequired = t("stretch:validation.amountRequired");
  return z.object({
    title: z
      .string({ error: t("stretch:validation.titleRequired") })
      .trim()
      .min(1, t("stretch:validation.titleRequired"))
      .max(STRETCH_TITLE_MAX, t("stretch:validation.titleTooLong", { max: STRETCH_TITLE_MAX })),
    description: formText(
      STRETCH_DESCRIPTION_MAX,
      t("stretch:validation.descriptionTooLong", { max: formatNumber(STRETCH_DESCRIPTION_MAX, locale) }),
    ),
    amount: z
      .string({ error: amountRequired })
      .trim()
      .min(1, amountRequired)
      .transform((raw, ctx) => {
        const parsed = parseAmount(raw, currency, { locale, t });
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: parsed.message });
          return z.NEVER;
        }
        const problem = stretchAmountProblem({ amount: parsed.amount, goal, currency, locale, t });
        if (problem) {
          ctx.addIssue({ code: "custom", message: problem });
          return z.NEVER;
        }
        return parsed.amount;
      }),
  });
}

/** Which goal a button (delete) is about. */
export function stretchGoalIdSchema(t: Translate) {
  return z.object({ goalId: z.uuid({ error: t("stretch:refusal.notFound") }) });
}

/**
 * The rules of a change to a campaign's ladder, as a refusal (null when allowed): editable only
 * while the campaign is a draft or live, at most STRETCH_GOALS_MAX goals, and a reached goal
 * keeps its amount and its place (its title and description may still be corrected).
 */
export function stretchChangeRefusal(
  v:
    | { change: "create"; campaignState: CampaignState; goalCount: number; t: Translate }
    | { change: "update"; campaignState: CampaignState; reached: boolean; amountChanged: boolean; t: Translate }
    | { change: "delete"; campaignState: CampaignState; reached: boolean; t: Translate },
): Refusal | null {
  const { t } = v;
  if (!mayEditStretchGoals(v.campaignState)) return refuse(409, t("stretch:refusal.closed"));
  switch (v.change) {
    case "create":
      return v.goalCount >= STRETCH_GOALS_MAX
        ? refuse(409, t("stretch:refusal.tooMany", { max: STRETCH_GOALS_MAX }))
        : null;
    case "update":
      return v.reached && v.amountChanged ? refuseField(409, "amount", t("stretch:refusal.reachedAmount")) : null;
    case "delete":
      return v.reached ? refuseField(409, "goalId", t("stretch:refusal.reachedDelete")) : null;
  }
}

export type StretchRungState = "reached" | "next" | "ahead";

export interface LadderGoal {
  amount: number;
  reachedAt: string | Date | null;
}

export interface StretchLadder<G extends LadderGoal> {
  /** Every goal, lowest amount first, with its state. */
  rungs: (G & { state: StretchRungState })[];
  /** The next goal to reach: how much is still missing and how far the total is from the rung below it (or the campaign's goal). */
  next: { amount: number; remaining: number; percent: number } | null;
  reachedCount: number;
}

/**
 * The ladder a reader sees: each goal reached (the database says so), the lowest unreached one
 * "next", the others "ahead"; and the way to the next one, in whole percent from the rung below
 * it (the campaign's goal for the first), capped at 0..100.
 */
export function stretchLadder<G extends LadderGoal>({
  goal,
  pledged,
  goals,
}: {
  goal: number;
  pledged: number;
  goals: readonly G[];
}): StretchLadder<G> {
  const sorted = [...goals].sort((a, b) => a.amount - b.amount);
  let nextSeen = false;
  const rungs = sorted.map((g) => {
    const state: StretchRungState = g.reachedAt !== null ? "reached" : nextSeen ? "ahead" : "next";
    if (state === "next") nextSeen = true;
    return { ...g, state };
  });
  const nextRung = rungs.find((r) => r.state === "next");
  const reachedCount = rungs.filter((r) => r.state === "reached").length;
  if (!nextRung) return { rungs, next: null, reachedCount };
  const base = rungs
    .filter((r) => r.state === "reached" && r.amount < nextRung.amount)
    .reduce((highest, r) => Math.max(highest, r.amount), Math.min(goal, nextRung.amount));
  const span = nextRung.amount - base;
  const percent =
    span > 0
      ? Math.max(0, Math.min(100, Math.floor(((pledged - base) * 100) / span)))
      : pledged >= nextRung.amount
        ? 100
        : 0;
  return {
    rungs,
    next: { amount: nextRung.amount, remaining: Math.max(0, nextRung.amount - pledged), percent },
    reachedCount,
  };
}
