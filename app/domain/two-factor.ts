import { z } from "zod";
import type { Translate } from "./locale";

// Two-factor sign-in's rules (decision 015), shared by the browser and the server: what a code
// and a recovery code look like, who must have a second factor, and how long the second step of
// a sign-in may wait.

/** How many recovery codes a user gets, each usable once. */
export const RECOVERY_CODE_COUNT = 10;
/** How long a password that was right waits for its second factor. */
export const SECOND_STEP_TTL_MS = 5 * 60_000;

/** Staff (any role: finance, admin, moderator) move money or see personal data: they must use a second factor. */
export function mustUseSecondFactor(roles: readonly string[]) {
  return roles.length > 0;
}

/** A code as an authenticator app shows it, spaces and dashes allowed ("123 456"). */
export function normalizeCode(typed: string) {
  return typed.replace(/[\s-]/g, "");
}

/** A recovery code as printed ("k7m2q-x9fvd"), in any case, spaces ignored. */
export function normalizeRecoveryCode(typed: string) {
  return typed.replace(/\s/g, "").toLowerCase();
}

export const TOTP_PATTERN = /^\d{6}$/;
export const RECOVERY_PATTERN = /^[a-z0-9]{5}-[a-z0-9]{5}$/;

/** A six-digit code from the authenticator app. */
export function totpCodeSchema(t: Translate) {
  return z
    .string({ error: t("security:validation.codeRequired") })
    .transform(normalizeCode)
    .pipe(z.string().regex(TOTP_PATTERN, t("security:validation.codeFormat")));
}

/** Confirming enrolment, turning the factor off, making new recovery codes. */
export function totpFormSchema(t: Translate) {
  return z.object({ code: totpCodeSchema(t) });
}

/** The second step of a sign-in: a code from the app or one of the recovery codes. */
export function secondStepSchema(t: Translate) {
  return z.object({
    code: z
      .string({ error: t("security:validation.codeRequired") })
      .trim()
      .max(40, t("security:validation.codeOrRecoveryFormat"))
      .refine(
        (typed) => TOTP_PATTERN.test(normalizeCode(typed)) || RECOVERY_PATTERN.test(normalizeRecoveryCode(typed)),
        t("security:validation.codeOrRecoveryFormat"),
      ),
    redirectTo: z.string().max(2000).optional(),
  });
}

/** Approving a payout: the audit reason plus a fresh code, checked in the same request. */
export function withFreshCode<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>, t: Translate) {
  return schema.extend({ code: totpCodeSchema(t) });
}
