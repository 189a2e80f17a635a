// How a model or service says no to something a user asked: the HTTP status the page answers
// with, a message per form field, and one for the whole form. Routes turn it into a response
// with one helper (web/forms.ts), so every refusal reads the same.

export type FieldErrors = Record<string, string | undefined>;

export type RefusalStatus = 400 | 403 | 404 | 409 | 422 | 429 | 502 | 503;

export interface Refusal {
  ok: false;
  status: RefusalStatus;
  fieldErrors: FieldErrors;
  formError?: string;
}

/** A refusal of the whole request, with an optional message per field. */
export function refuse(status: RefusalStatus, formError?: string, fieldErrors: FieldErrors = {}): Refusal {
  return formError === undefined ? { ok: false, status, fieldErrors } : { ok: false, status, fieldErrors, formError };
}

/** A refusal about one field: the message shows beside it. */
export function refuseField(status: RefusalStatus, field: string, message: string): Refusal {
  return { ok: false, status, fieldErrors: { [field]: message } };
}
