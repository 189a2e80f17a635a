import { z } from "zod";
import { currentPassword, email, newPassword } from "./accounts";
import { LOCALES, type Translate } from "./locale";

// The forms of password reset and the settings pages, one schema factory of `t` per form, used
// by the browser and the server alike (as app/domain/accounts.ts).

export function forgotPasswordSchema(t: Translate) {
  return z.object({ email: email(t) });
}

/** A new password typed twice, so a typo does not lock the owner out. */
const newPasswordTwice = (t: Translate) =>
  z
    .object({
      newPassword: newPassword(t),
      confirmPassword: z.string({ error: t("account:validation.passwordsDiffer") }),
    })
    .refine((v) => v.newPassword === v.confirmPassword, {
      path: ["confirmPassword"],
      message: t("account:validation.passwordsDiffer"),
    });

export function resetPasswordSchema(t: Translate) {
  return newPasswordTwice(t).and(z.object({ token: z.string().max(200) }));
}

export function profileSchema(t: Translate) {
  return z.object({
    name: z
      .string({ error: t("auth:validation.nameRequired") })
      .trim()
      .min(1, t("auth:validation.nameRequired"))
      .max(100, t("auth:validation.nameTooLong")),
    locale: z.enum(LOCALES, { error: t("account:validation.languageInvalid") }),
  });
}

export function emailChangeSchema(t: Translate) {
  return z.object({ newEmail: email(t), currentPassword: currentPassword(t) });
}

export function passwordChangeSchema(t: Translate) {
  return newPasswordTwice(t).and(z.object({ currentPassword: currentPassword(t) }));
}

export function deleteAccountSchema(t: Translate) {
  return z.object({ password: currentPassword(t) });
}
