import type { Refusal } from "../domain/refusal";

// Forms whose fields are known only at run time (a survey's questions): what was typed, echoed
// back flat by field name, and the messages per field, in one answer shape.

export type FlatValues = Record<string, string | string[]>;

/** Every text field of the form by name; a name sent more than once keeps all its values. */
export function flatValues(form: FormData, { omit = [] as string[] } = {}): FlatValues {
  const values: FlatValues = {};
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string" || omit.includes(name)) continue;
    const had = values[name];
    values[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return values;
}

export interface FlatAnswer {
  form: string;
  values: FlatValues;
  errors: Record<string, string[]>;
  formErrors?: string[];
}

/** A Conform/zod error record, or a refusal, as the flat answer. */
export function flatAnswer(
  form: string,
  values: FlatValues,
  problem: { error?: Record<string, string[] | null> | null } | Refusal,
): FlatAnswer {
  const errors: Record<string, string[]> = {};
  let formErrors: string[] | undefined;
  if ("ok" in problem) {
    for (const [name, message] of Object.entries(problem.fieldErrors)) if (message) errors[name] = [message];
    if (problem.formError) formErrors = [problem.formError];
  } else {
    for (const [name, messages] of Object.entries(problem.error ?? {})) {
      if (!messages?.length) continue;
      if (name === "") formErrors = messages;
      else errors[name] = messages;
    }
  }
  return { form, values, errors, ...(formErrors ? { formErrors } : {}) };
}
