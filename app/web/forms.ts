import type { z } from "zod";

import type { FieldErrors } from "../domain/refusal";

export type { FieldErrors };

export type FormParse<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

/** Parses form fields with a schema; on failure returns the first message per field. */
export function parseForm<T>(schema: z.ZodType<T>, form: FormData | Record<string, unknown>): FormParse<T> {
  const input = form instanceof FormData ? formDataToObject(form) : form;
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "form");
    fieldErrors[key] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}

function formDataToObject(form: FormData) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in out)) out[key] = value;
  }
  return out;
}
