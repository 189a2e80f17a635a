import { z } from "zod";
import type { Translate } from "./locale";

// The account forms' rules, shared by the browser (instant feedback) and the server (the truth).
// Each schema is built with the page's translate function, so its messages are in the reader's
// language: the browser passes its `t`, the action the request's.

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const email = (t: Translate) =>
  z
    .string({ error: t("auth:validation.emailRequired") })
    .trim()
    .min(1, t("auth:validation.emailRequired"))
    .max(254, t("auth:validation.emailTooLong"))
    .pipe(z.email({ error: t("auth:validation.emailInvalid") }));

/** A password being chosen (sign-up, reset, change): the same rules everywhere. */
export const newPassword = (t: Translate) =>
  // Conform reads an empty field as missing: it gets the same message as a short password.
  z
    .string({ error: t("auth:validation.passwordTooShort", { min: PASSWORD_MIN }) })
    .min(PASSWORD_MIN, t("auth:validation.passwordTooShort", { min: PASSWORD_MIN }))
    .max(PASSWORD_MAX, t("auth:validation.passwordTooLongForSignup", { max: PASSWORD_MAX }));

/** A password being typed to prove it is you (sign-in, settings). */
export const currentPassword = (t: Translate) =>
  z
    .string({ error: t("auth:validation.passwordRequired") })
    .min(1, t("auth:validation.passwordRequired"))
    .max(PASSWORD_MAX, t("auth:validation.passwordTooLong"));

export function signupSchema(t: Translate) {
  return z.object({
    name: z
      .string({ error: t("auth:validation.nameRequired") })
      .trim()
      .min(1, t("auth:validation.nameRequired"))
      .max(100, t("auth:validation.nameTooLong")),
    email: email(t),
    password: newPassword(t),
    redirectTo: z.string().max(2000).optional(),
  });
}

export function loginSchema(t: Translate) {
  return z.object({
    email: email(t),
    password: currentPassword(t),
    redirectTo: z.string().max(2000).optional(),
  });
}
