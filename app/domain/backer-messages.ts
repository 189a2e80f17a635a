import { z } from "zod";
import { normalizeLineBreaks } from "./form-text";

// What a creator writes to their backers: an update, or why the campaign is cancelled.

export const UPDATE_TITLE_MAX = 120;
export const UPDATE_BODY_MAX = 20_000;
export const CANCEL_REASON_MAX = 1_000;

const TOO_SHORT_REASON = "Tell your backers why you are cancelling (at least 10 characters).";

export const cancelSchema = z.object({
  // Conform reads an empty field as missing: one message covers both.
  reason: z
    .string({ error: TOO_SHORT_REASON })
    .trim()
    .min(10, TOO_SHORT_REASON)
    .max(CANCEL_REASON_MAX, `Keep the reason under ${CANCEL_REASON_MAX} characters.`),
  confirm: z.literal("yes", { error: "Tick the box to confirm." }),
});

export const updateSchema = z.object({
  title: z
    .string({ error: "Give the update a title." })
    .trim()
    .min(1, "Give the update a title.")
    .max(UPDATE_TITLE_MAX, `Keep the title under ${UPDATE_TITLE_MAX} characters.`),
  bodyMd: z
    .string({ error: "Write the update." })
    .transform(normalizeLineBreaks)
    .pipe(
      z
        .string()
        .min(1, "Write the update.")
        .max(UPDATE_BODY_MAX, `Keep the update under ${UPDATE_BODY_MAX.toLocaleString("en-US")} characters.`),
    ),
  visibility: z.enum(["public", "backers"], { error: "Choose who can read it." }),
});
