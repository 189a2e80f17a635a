import { z } from "zod";
import type { CurrencyCode } from "../../db/schema.js";
import { INTL_TAGS, type Locale } from "./locale";
import { toInputValue } from "./money";

/** Browsers send line breaks in form fields as CRLF; stored text uses LF. */
export function normalizeLineBreaks(value: string): string {
  return value.replace(/\r\n?/g, "\n").trim();
}

/** An optional free-text field: line breaks normalised, trimmed, at most `max` characters. */
export const formText = (max: number, tooLong: string) =>
  z.string().transform(normalizeLineBreaks).pipe(z.string().max(max, tooLong)).default("");

/**
 * Minor units as a form field shows them to the reader, with the reader's decimal mark:
 * 125050 usd -> "1250.50" in English, "1250,50" in Spanish (parseAmount reads both back).
 */
export function toLocalInputValue(amount: number | null | undefined, currency: CurrencyCode, locale: Locale): string {
  const value = toInputValue(amount, currency);
  const mark = decimalMark(locale);
  return mark !== "." ? value.replace(".", mark) : value;
}

// Intl formatters are slow to build and immutable: one per language.
const decimalMarks = new Map<Locale, string>();
function decimalMark(locale: Locale): string {
  let mark = decimalMarks.get(locale);
  if (mark === undefined) {
    mark =
      new Intl.NumberFormat(INTL_TAGS[locale].numbers).formatToParts(1.5).find((p) => p.type === "decimal")?.value ??
      ".";
    decimalMarks.set(locale, mark);
  }
  return mark;
}
