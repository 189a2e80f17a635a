import { z } from "zod";
import { MAX_LENGTH } from "./conversation-limits";
import { normalizeLineBreaks } from "./form-text";
import type { Locale, Translate } from "./locale";
import { formatNumber } from "./money";

// The words a creator and the people who write to them exchange: a project's FAQ entries and
// private message threads. The schemas are built with the reader's translate function, so the
// browser and the action answer with the same messages in the reader's language.

export const FAQ_QUESTION_MIN = 3;
export const FAQ_QUESTION_MAX = 200;
export const THREAD_SUBJECT_MIN = 3;
export const THREAD_SUBJECT_MAX = 150;

/** Which side of a thread a person is on: the one who wrote to the campaign, or its creator. */
export type ThreadSide = "participant" | "creator";

/** A body of Markdown: line breaks normalised, trimmed, 1 to `max` characters. */
function bodyField(required: string, tooLong: string, max: number) {
  return (
    z
      .string({ error: required })
      .transform(normalizeLineBreaks)
      // The inner string needs the message too: Conform reads a field left blank after
      // trimming as missing.
      .pipe(z.string({ error: required }).min(1, required).max(max, tooLong))
  );
}

export function faqEntrySchema(t: Translate, locale?: Locale) {
  const questionLength = t("messages:faq.validation.questionLength", { min: FAQ_QUESTION_MIN, max: FAQ_QUESTION_MAX });
  return z.object({
    entryId: z.uuid({ error: t("messages:faq.notFound") }).optional(),
    question: z
      .string({ error: questionLength })
      .trim()
      .min(FAQ_QUESTION_MIN, questionLength)
      .max(FAQ_QUESTION_MAX, questionLength),
    answerMd: bodyField(
      t("messages:faq.validation.answerRequired"),
      t("messages:faq.validation.answerTooLong", { max: formatNumber(MAX_LENGTH.faq, locale) }),
      MAX_LENGTH.faq,
    ),
  });
}

/** Moving or deleting one entry: which one, and what to do with it. */
export function faqEntryActionSchema(t: Translate) {
  return z.object({
    intent: z.enum(["up", "down", "delete"], { error: t("messages:faq.notFound") }),
    entryId: z.uuid({ error: t("messages:faq.notFound") }),
  });
}

export function messageBodySchema(t: Translate, locale?: Locale) {
  return z.object({
    body: bodyField(
      t("messages:validation.bodyRequired"),
      t("messages:validation.bodyTooLong", { max: formatNumber(MAX_LENGTH.message, locale) }),
      MAX_LENGTH.message,
    ),
  });
}

/** The first message to a campaign's creator: which campaign, a subject and the message. */
export function newThreadSchema(t: Translate, locale?: Locale) {
  const subjectLength = t("messages:validation.subjectLength", { min: THREAD_SUBJECT_MIN, max: THREAD_SUBJECT_MAX });
  return messageBodySchema(t, locale).extend({
    campaign: z.string({ error: t("messages:new.campaignNotFound") }).regex(/^[a-z0-9-]{1,80}$/, {
      error: t("messages:new.campaignNotFound"),
    }),
    subject: z
      .string({ error: subjectLength })
      .trim()
      .min(THREAD_SUBJECT_MIN, subjectLength)
      .max(THREAD_SUBJECT_MAX, subjectLength),
  });
}
