import type { Submission, SubmissionResult } from "@conform-to/react";
import { json } from "@remix-run/node";
import type { Refusal } from "../domain/refusal";

// Every form action answers with Conform's submission result (docs/decisions/009): the errors of
// the zod schema the browser also ran, or a model's or service's refusal at the same fields, and
// what was typed, so the form shows it again.

/**
 * Answers a refused request: the refusal's status, its messages at their fields and above the
 * form, and what was typed echoed back (minus `hideFields`, such as a password). `submission` is
 * null for a form that is only a button.
 */
export function replyWithRefusal(
  submission: Submission<unknown, string[], unknown> | null,
  refusal: Refusal,
  init: { headers?: HeadersInit; hideFields?: string[] } = {},
) {
  const formErrors = refusal.formError ? [refusal.formError] : undefined;
  const fieldErrors: Record<string, string[]> = {};
  for (const [name, message] of Object.entries(refusal.fieldErrors)) if (message) fieldErrors[name] = [message];
  const result: SubmissionResult<string[]> = submission
    ? submission.reply({ formErrors, fieldErrors, hideFields: init.hideFields })
    : { status: "error", error: formErrors ? { "": formErrors, ...fieldErrors } : fieldErrors };
  return json(result, { status: refusal.status, headers: init.headers });
}
