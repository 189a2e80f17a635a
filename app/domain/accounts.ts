import { z } from "zod";
import type { Translate } from "./locale";

// The account forms' rules, shared by the browser (instant feedback) and the server (the truth).
// Each schema is built with the page's translate function, so its messages are in the reader's
// language: the browser passes its `t`, the action the request's.

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const email = (t: Translate) =>
  z
    .string({ error: t("auth:validation.emailRequired") })
    .trim()
    .min(1, t("auth:validation.emailRequired"))
    .max(254, t("auth:validation.emailTooLong"))
    .pipe(z.email({ error: t("auth:validation.emailInvalid") }));

export function signupSchema(t: Translate) {
  return z.object({
    name: z
      .string({ error: t("auth:validation.nameRequired") })
      .trim()
      .min(1, t("auth:validation.nameRequired"))
      .max(100, t("auth:validation.nameTooLong")),
    email: email(t),
    // Conform reads an empty field as missing: it gets the same message as a short password.
    password: z
      .string({ error: t("auth:validation.passwordTooShort", { min: PASSWORD_MIN }) })
      .min(PASSWORD_MIN, t("auth:validation.passwordTooShort", { min: PASSWORD_MIN }))
      .max(PASSWORD_MAX, t("auth:validation.passwordTooLongForSignup", { max: PASSWORD_MAX })),
    redirectTo: z.string().max(2000).optional(),
  });
}

export function loginSchema(t: Translate) {
  return z.object({
    email: email(t),
    password: z
      .string({ error: t("auth:validation.passwordRequired") })
      .min(1, t("auth:validation.passwordRequired"))
      .max(PASSWORD_MAX, t("auth:validation.passwordTooLong")),
    redirectTo: z.string().max(2000).optional(),
  });
}
