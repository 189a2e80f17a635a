import { z } from "zod";

/** Browsers send line breaks in form fields as CRLF; stored text uses LF. */
export function normalizeLineBreaks(value: string): string {
  return value.replace(/\r\n?/g, "\n").trim();
}

/** An optional free-text field: line breaks normalised, trimmed, at most `max` characters. */
export const formText = (max: number, tooLong: string) =>
  z.string().transform(normalizeLineBreaks).pipe(z.string().max(max, tooLong)).default("");
