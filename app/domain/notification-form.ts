import { z } from "zod";
import type { Translate } from "./locale";

/** The notification-preferences form: one checkbox per optional category (unticked = off). */
export const notificationPreferencesSchema = (_t: Translate) =>
  z.object({
    updates: z.boolean().default(false),
    comments: z.boolean().default(false),
    messages: z.boolean().default(false),
    reminders: z.boolean().default(false),
  });
