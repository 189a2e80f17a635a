import { z } from "zod";
import type { SurveyQuestionKind } from "../../db/schema.js";
import { ADDRESS_FIELDS, validateAddress, type Address } from "./address";
import type { Locale, Translate } from "./locale";

// The backer survey's rules: what a creator may build (questions, which tiers they apply to,
// options with optional stock), which questions a pledge must answer, the answer form's schema
// (built per survey and per tier), and when answers are open. Pure: no I/O.

export const QUESTION_KINDS = [
  "address",
  "single",
  "multiple",
  "text",
] as const satisfies readonly SurveyQuestionKind[];
export const PROMPT_MIN = 3;
export const PROMPT_MAX = 200;
export const HELP_MAX = 500;
export const OPTION_LABEL_MAX = 80;
export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 20;
export const STOCK_MAX = 1_000_000;
export const TEXT_ANSWER_MAX = 500;
export const QUESTIONS_MAX = 30;
/** A lock date is at least this far ahead when the survey is sent, and at most LOCK_MAX_DAYS. */
export const LOCK_MIN_MS = 24 * 3600_000;
export const LOCK_MAX_DAYS = 180;
/** Reminders to those who have not answered: this many days after sending, before the lock. */
export const REMINDER_DAYS = [3, 7] as const;

export interface SurveyOption {
  id: string;
  label: string;
  stockLimit: number | null;
  takenCount: number;
}

export interface SurveyQuestion {
  id: string;
  kind: SurveyQuestionKind;
  prompt: string;
  help: string;
  required: boolean;
  allTiers: boolean;
  tierIds: string[];
  options: SurveyOption[];
}

export interface TierFacts {
  id: string;
  ships: boolean;
}

/** Whether a pledge of this tier answers the question: its tiers, and an address only if it ships. */
export function questionAppliesTo(
  question: Pick<SurveyQuestion, "kind" | "allTiers" | "tierIds">,
  tier: TierFacts | null,
) {
  if (question.kind === "address" && !tier?.ships) return false;
  if (question.allTiers) return true;
  return tier !== null && question.tierIds.includes(tier.id);
}

export function questionsFor<Q extends Pick<SurveyQuestion, "kind" | "allTiers" | "tierIds">>(
  questions: Q[],
  tier: TierFacts | null,
) {
  return questions.filter((q) => questionAppliesTo(q, tier));
}

/** An address question is always required: a reward that ships needs somewhere to go. */
export const isRequired = (q: Pick<SurveyQuestion, "kind" | "required">) => q.kind === "address" || q.required;

export const soldOut = (o: Pick<SurveyOption, "stockLimit" | "takenCount">) =>
  o.stockLimit !== null && o.takenCount >= o.stockLimit;

// ---------------------------------------------------------------------------------------------
// Building: one question per form.

/** An option row of the builder: an existing option keeps its id; an empty new row is ignored. */
function optionRow(t: Translate) {
  return z.object({
    id: z.uuid({ error: t("surveys:builder.validation.optionNotFound") }).optional(),
    label: z
      .string()
      .trim()
      .max(OPTION_LABEL_MAX, t("surveys:builder.validation.optionTooLong", { max: OPTION_LABEL_MAX }))
      .optional(),
    stock: z
      .number({ error: t("surveys:builder.validation.stockInvalid", { max: STOCK_MAX }) })
      .int(t("surveys:builder.validation.stockInvalid", { max: STOCK_MAX }))
      .min(0, t("surveys:builder.validation.stockInvalid", { max: STOCK_MAX }))
      .max(STOCK_MAX, t("surveys:builder.validation.stockInvalid", { max: STOCK_MAX }))
      .optional(),
  });
}

export function questionFormSchema(t: Translate) {
  const promptLength = t("surveys:builder.validation.promptLength", { min: PROMPT_MIN, max: PROMPT_MAX });
  return z
    .object({
      questionId: z.uuid({ error: t("surveys:builder.notFound") }).optional(),
      kind: z.enum(QUESTION_KINDS, { error: t("surveys:builder.validation.kind") }),
      prompt: z.string({ error: promptLength }).trim().min(PROMPT_MIN, promptLength).max(PROMPT_MAX, promptLength),
      help: z
        .string()
        .trim()
        .max(HELP_MAX, t("surveys:builder.validation.helpTooLong", { max: HELP_MAX }))
        .default(""),
      required: z.boolean().default(false),
      allTiers: z.boolean().default(false),
      tierIds: z.array(z.uuid({ error: t("surveys:builder.validation.tierUnknown") })).default([]),
      options: z
        .array(optionRow(t))
        .max(OPTIONS_MAX + 10, t("surveys:builder.validation.optionCount", { min: OPTIONS_MIN, max: OPTIONS_MAX }))
        .default([]),
    })
    .superRefine((q, ctx) => {
      if (!q.allTiers && q.tierIds.length === 0)
        ctx.addIssue({ code: "custom", path: ["tierIds"], message: t("surveys:builder.validation.tiersRequired") });
      if (q.kind !== "single" && q.kind !== "multiple") return;
      const named = q.options.filter((o) => o.label);
      if (named.length < OPTIONS_MIN || named.length > OPTIONS_MAX)
        ctx.addIssue({
          code: "custom",
          path: ["options"],
          message: t("surveys:builder.validation.optionCount", { min: OPTIONS_MIN, max: OPTIONS_MAX }),
        });
      const seen = new Set<string>();
      q.options.forEach((o, i) => {
        if (!o.label) return;
        const key = o.label.toLocaleLowerCase();
        if (seen.has(key))
          ctx.addIssue({
            code: "custom",
            path: ["options", i, "label"],
            message: t("surveys:builder.validation.optionDuplicate"),
          });
        seen.add(key);
      });
    })
    .transform((q) => ({
      ...q,
      // Only choices have options; a row left empty is not an option (an existing one emptied is removed).
      options: q.kind === "single" || q.kind === "multiple" ? q.options.filter((o) => o.label) : [],
      required: q.kind === "address" ? true : q.required,
    }));
}

export type QuestionForm = z.output<ReturnType<typeof questionFormSchema>>;

export function questionActionSchema(t: Translate) {
  return z.object({
    intent: z.enum(["up", "down", "delete"], { error: t("surveys:builder.notFound") }),
    questionId: z.uuid({ error: t("surveys:builder.notFound") }),
  });
}

/** The send form: a lock date (a day, answers freeze at its end, UTC) at least a day ahead. */
export function sendSurveySchema(t: Translate, now: Date) {
  return z.object({
    intro: z
      .string()
      .trim()
      .max(HELP_MAX * 4, t("surveys:builder.validation.introTooLong", { max: HELP_MAX * 4 }))
      .default(""),
    lockDate: z
      .string({ error: t("surveys:send.validation.lockRequired") })
      .regex(/^\d{4}-\d{2}-\d{2}$/, t("surveys:send.validation.lockRequired"))
      .transform((day, ctx) => {
        const lockAt = endOfDayUtc(day);
        if (!lockAt) {
          ctx.addIssue({ code: "custom", message: t("surveys:send.validation.lockRequired") });
          return z.NEVER;
        }
        const problem = lockDateProblem(lockAt, now);
        if (problem) {
          ctx.addIssue({ code: "custom", message: t(`surveys:send.validation.${problem}`, { days: LOCK_MAX_DAYS }) });
          return z.NEVER;
        }
        return lockAt;
      }),
  });
}

/** The last instant of a `YYYY-MM-DD` day, UTC; null for a day that does not exist. */
export function endOfDayUtc(day: string): Date | null {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d!, 23, 59, 59));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== d || date.getUTCMonth() !== m! - 1) return null;
  return date;
}

export function lockDateProblem(lockAt: Date, now: Date): "lockTooSoon" | "lockTooLate" | null {
  if (lockAt.getTime() < now.getTime() + LOCK_MIN_MS) return "lockTooSoon";
  if (lockAt.getTime() > now.getTime() + LOCK_MAX_DAYS * 24 * 3600_000) return "lockTooLate";
  return null;
}

/** Unlocking one backer after the lock: until a day, in the future. */
export function unlockSchema(t: Translate, now: Date) {
  return z.object({
    pledgeId: z.uuid({ error: t("surveys:results.notFound") }),
    untilDate: z
      .string({ error: t("surveys:results.validation.untilRequired") })
      .regex(/^\d{4}-\d{2}-\d{2}$/, t("surveys:results.validation.untilRequired"))
      .transform((day, ctx) => {
        const until = endOfDayUtc(day);
        if (!until || until.getTime() <= now.getTime() || until.getTime() > now.getTime() + 60 * 24 * 3600_000) {
          ctx.addIssue({ code: "custom", message: t("surveys:results.validation.untilRange") });
          return z.NEVER;
        }
        return until;
      }),
  });
}

// ---------------------------------------------------------------------------------------------
// Answering.

/** The answer form's field for a question (`q_<id>`); a multiple choice sends it once per pick. */
export const answerField = (questionId: string) => `q_${questionId}`;

export type AnswerValue = { kind: "text"; text: string } | { kind: "choices"; optionIds: string[] };

export interface ParsedAnswers {
  /** Per question answered (a question left empty is absent). */
  answers: Record<string, AnswerValue>;
  address: Address | null;
}

/**
 * The answer form's schema for one pledge: only `questions` (those of its tier, see questionsFor),
 * every option checked against its own question, the address against its country and the
 * destination paid for. The output is the answers ready to store.
 */
export function answerSchema({
  questions,
  destination,
  t,
  locale,
}: {
  questions: SurveyQuestion[];
  destination: string | null;
  t: Translate;
  locale: Locale;
}) {
  const shape: Record<string, z.ZodType> = {};
  // Any shape is accepted here and judged below, so a tampered form (two values for one
  // choice, a file) gets the same plain message at its field as any other wrong answer.
  const anything = z.unknown().optional();
  for (const q of questions) {
    if (q.kind === "text" || q.kind === "single") shape[answerField(q.id)] = anything;
    else if (q.kind === "multiple") shape[answerField(q.id)] = anything;
  }
  const address = questions.find((q) => q.kind === "address");
  if (address) for (const name of Object.values(ADDRESS_FIELDS)) shape[name] = anything;

  return z
    .object(shape)
    .superRefine((form, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      for (const q of questions) {
        const name = answerField(q.id);
        const value = form[name];
        if (value !== undefined && q.kind !== "multiple" && typeof value !== "string") {
          issue(name, t(q.kind === "text" ? "surveys:answer.textRequired" : "surveys:answer.unknownOption"));
        } else if (q.kind === "text") {
          const answer = typeof value === "string" ? value.trim() : "";
          if (!answer && q.required) issue(name, t("surveys:answer.textRequired"));
          else if (answer.length > TEXT_ANSWER_MAX)
            issue(name, t("surveys:answer.textTooLong", { max: TEXT_ANSWER_MAX }));
        } else if (q.kind === "single") {
          const answer = typeof value === "string" ? value : "";
          if (!answer) {
            if (q.required) issue(name, t("surveys:answer.chooseOne"));
          } else if (!q.options.some((o) => o.id === answer)) issue(name, t("surveys:answer.unknownOption"));
        } else if (q.kind === "multiple") {
          const picks = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v) => v !== "");
          if (picks.some((v) => typeof v !== "string")) issue(name, t("surveys:answer.unknownOption"));
          else if (picks.length === 0) {
            if (q.required) issue(name, t("surveys:answer.chooseAtLeastOne"));
          } else if (picks.some((id) => !q.options.some((o) => o.id === id)))
            issue(name, t("surveys:answer.unknownOption"));
          else if (new Set(picks).size !== picks.length) issue(name, t("surveys:answer.unknownOption"));
        }
      }
      if (address) {
        const checked = validateAddress(addressInput(form), { destination, t, locale });
        if (!checked.ok)
          for (const [part, message] of Object.entries(checked.errors))
            issue(ADDRESS_FIELDS[part as keyof typeof ADDRESS_FIELDS], message!);
      }
    })
    .transform((form): ParsedAnswers => {
      const answers: Record<string, AnswerValue> = {};
      for (const q of questions) {
        const value = form[answerField(q.id)];
        if (q.kind === "text") {
          const answer = typeof value === "string" ? value.trim() : "";
          if (answer) answers[q.id] = { kind: "text", text: answer };
        } else if (q.kind === "single") {
          if (typeof value === "string" && value) answers[q.id] = { kind: "choices", optionIds: [value] };
        } else if (q.kind === "multiple") {
          const picks = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v) => v !== "");
          if (picks.length) answers[q.id] = { kind: "choices", optionIds: picks as string[] };
        }
      }
      let parsedAddress: Address | null = null;
      if (address) {
        const checked = validateAddress(addressInput(form), { destination, t, locale });
        if (checked.ok) parsedAddress = checked.address;
      }
      return { answers, address: parsedAddress };
    });
}

function addressInput(form: Record<string, unknown>) {
  const get = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : undefined);
  return {
    fullName: get(ADDRESS_FIELDS.fullName),
    line1: get(ADDRESS_FIELDS.line1),
    line2: get(ADDRESS_FIELDS.line2),
    city: get(ADDRESS_FIELDS.city),
    region: get(ADDRESS_FIELDS.region),
    postalCode: get(ADDRESS_FIELDS.postalCode),
    country: get(ADDRESS_FIELDS.country),
    phone: get(ADDRESS_FIELDS.phone),
  };
}

/** Whether every required question of the pledge's tier has its answer (the address included). */
export function allRequiredAnswered(
  questions: Pick<SurveyQuestion, "id" | "kind" | "required">[],
  answered: { questionIds: Iterable<string>; hasAddress: boolean },
) {
  const ids = new Set(answered.questionIds);
  return questions.every((q) => {
    if (q.kind === "address") return answered.hasAddress;
    return !q.required || ids.has(q.id);
  });
}

// ---------------------------------------------------------------------------------------------
// When answers are open.

export type SurveyWindow =
  { open: true; until: Date; unlocked: boolean } | { open: false; reason: "draft" | "locked" | "notOwed" };

/** Answers can change until the lock, or until the creator's unlock for this pledge if later. */
export function surveyWindow(
  survey: { state: "draft" | "sent"; lockAt: Date | null },
  response: { unlockedUntil: Date | null } | null,
  now: Date,
): SurveyWindow {
  if (survey.state !== "sent" || !survey.lockAt) return { open: false, reason: "draft" };
  if (now.getTime() < survey.lockAt.getTime()) return { open: true, until: survey.lockAt, unlocked: false };
  const unlocked = response?.unlockedUntil;
  if (unlocked && now.getTime() < unlocked.getTime()) return { open: true, until: unlocked, unlocked: true };
  return { open: false, reason: "locked" };
}

/** Which reminder (1 or 2) is due for a backer who has not answered, or null. */
export function dueReminder(
  { sentAt, lockAt, remindersSent }: { sentAt: Date; lockAt: Date; remindersSent: number },
  now: Date,
): 1 | 2 | null {
  if (now.getTime() >= lockAt.getTime()) return null;
  const days = (now.getTime() - sentAt.getTime()) / (24 * 3600_000);
  // A late pass sends only the latest due reminder, never two at once.
  if (remindersSent < 2 && days >= REMINDER_DAYS[1]) return 2;
  if (remindersSent < 1 && days >= REMINDER_DAYS[0]) return 1;
  return null;
}
