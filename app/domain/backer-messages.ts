import { z } from "zod";
import { normalizeLineBreaks } from "./form-text";
import type { Locale, Translate } from "./locale";
import { formatNumber } from "./money";

// What a creator writes to their backers: an update, or why the campaign is cancelled. The
// schemas are built with the reader's translate function (the page's `t` in the browser, the
// request's in the action), so their messages are in the reader's language.

export const UPDATE_TITLE_MAX = 120;
export const UPDATE_BODY_MAX = 20_000;
export const CANCEL_REASON_MAX = 1_000;

export function cancelSchema(t: Translate) {
  const tooShort = t("creator:validation.reasonTooShort");
  return z.object({
    // Conform reads an empty field as missing: one message covers both.
    reason: z
      .string({ error: tooShort })
      .trim()
      .min(10, tooShort)
      .max(CANCEL_REASON_MAX, t("creator:validation.reasonTooLong", { max: CANCEL_REASON_MAX })),
    confirm: z.literal("yes", { error: t("creator:validation.confirm") }),
  });
}

export function updateSchema(t: Translate, locale?: Locale) {
  return z.object({
    title: z
      .string({ error: t("creator:validation.titleRequired") })
      .trim()
      .min(1, t("creator:validation.titleRequired"))
      .max(UPDATE_TITLE_MAX, t("creator:validation.titleTooLong", { max: UPDATE_TITLE_MAX })),
    bodyMd: z
      .string({ error: t("creator:validation.bodyRequired") })
      .transform(normalizeLineBreaks)
      .pipe(
        z
          .string()
          .min(1, t("creator:validation.bodyRequired"))
          .max(UPDATE_BODY_MAX, t("creator:validation.bodyTooLong", { max: formatNumber(UPDATE_BODY_MAX, locale) })),
      ),
    visibility: z.enum(["public", "backers"], { error: t("creator:validation.visibility") }),
  });
}
