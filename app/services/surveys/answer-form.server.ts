import { ADDRESS_FIELDS, countryOptions, defaultCountryFor } from "../../domain/address";
import { destinationName } from "../../domain/catalog";
import type { Locale, Translate } from "../../domain/locale";
import { answerField, isRequired, soldOut, type SurveyQuestion } from "../../domain/survey";
import type { StoredAnswers } from "../../models/survey.server";
import type { BackerSurvey } from "./answers.server";

// What the answer form draws, as plain data for the page: the questions with sold-out options
// marked (an option the backer already holds stays theirs), the saved answers as field values,
// the countries in the reader's language and the destination paid for.

export function formQuestions(questions: SurveyQuestion[]) {
  return questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    help: q.help,
    required: isRequired(q),
    options: q.options.map((o) => ({ id: o.id, label: o.label, soldOut: soldOut(o) })),
  }));
}

export function storedValues(questions: SurveyQuestion[], stored: StoredAnswers, destination: string | null) {
  const values: Record<string, string | string[]> = {};
  for (const q of questions) {
    if (q.kind === "text" && stored.text[q.id]) values[answerField(q.id)] = stored.text[q.id]!;
    if ((q.kind === "single" || q.kind === "multiple") && stored.choices[q.id])
      values[answerField(q.id)] = q.kind === "single" ? stored.choices[q.id]![0]! : stored.choices[q.id]!;
  }
  if (questions.some((q) => q.kind === "address")) {
    const a = stored.address;
    for (const [part, name] of Object.entries(ADDRESS_FIELDS))
      values[name] = a ? a[part as keyof typeof ADDRESS_FIELDS] : "";
    if (!a) values[ADDRESS_FIELDS.country] = defaultCountryFor(destination);
  }
  return values;
}

export function answerFormOf(view: BackerSurvey, { t, locale }: { t: Translate; locale: Locale }) {
  const hasAddress = view.questions.some((q) => q.kind === "address");
  return {
    pledgeId: view.pledgeId,
    campaignTitle: view.campaignTitle,
    campaignSlug: view.campaignSlug,
    tierTitle: view.tier?.title ?? null,
    intro: view.survey.intro,
    lockAt: view.survey.lockAt?.toISOString() ?? null,
    window: view.window.open
      ? { open: true as const, until: view.window.until.toISOString(), unlocked: view.window.unlocked }
      : { open: false as const, until: null, unlocked: false },
    questions: formQuestions(view.questions),
    values: storedValues(view.questions, view.stored, view.destination),
    countries: hasAddress ? countryOptions(locale) : [],
    paidFor: hasAddress && view.destination ? destinationName(view.destination, t) : null,
  };
}
