import type { Submission, SubmissionResult } from "@conform-to/react";
import { json } from "@remix-run/node";
import type { Refusal } from "../domain/refusal";

// The fulfilment pages hold several forms at once (ship, digital reward, answer; received,
// problem): an answer names the form it is for (`form`) with Conform's result, so only that
// form shows the messages and what was typed.

export interface FulfilmentReply {
  /** Which form the answer is for (not `intent`: Conform reads that name in a result). */
  form: string;
  result: SubmissionResult<string[]>;
}

export function fulfilmentReply(
  intent: string,
  submission: Submission<unknown, string[], unknown> | null,
  refusal: Refusal,
  init: { headers?: HeadersInit } = {},
) {
  const formErrors = refusal.formError ? [refusal.formError] : undefined;
  const fieldErrors: Record<string, string[]> = {};
  for (const [name, message] of Object.entries(refusal.fieldErrors)) if (message) fieldErrors[name] = [message];
  const result: SubmissionResult<string[]> = submission
    ? submission.reply({ formErrors, fieldErrors })
    : { status: "error", error: formErrors ? { "": formErrors, ...fieldErrors } : fieldErrors };
  return json({ form: intent, result } satisfies FulfilmentReply, { status: refusal.status, headers: init.headers });
}
