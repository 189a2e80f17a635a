import { z } from "zod";
import type { ReportReason, ReportResolution, ReportSubject } from "../../db/schema.js";
import { MAX_LENGTH } from "./conversation-limits";
import { actionReasonSchema } from "./finance";
import type { Translate } from "./locale";

// Moderation's rules in one place: what a report says, what a moderator may do to a reported
// comment, message or idea, the reasons and notes every decision asks for, and a campaign review's
// states as the creator and the desk see them.

export const REPORT_REASONS = ["spam", "abuse", "off_topic", "other"] as const satisfies readonly ReportReason[];
export const REPORT_SUBJECTS = ["comment", "message", "idea"] as const satisfies readonly ReportSubject[];
export type { ReportSubject };

/** The longest review note a moderator writes to a creator. */
export const DECISION_TEXT_MAX = 2_000;

export function reasonLabel(t: Translate, reason: ReportReason): string {
  return t(`moderation:reason.${reason}`);
}

/** The report form: a reason from the list and an optional note, about one subject. */
export function reportSchema(t: Translate) {
  return z.object({
    subjectType: z.enum(REPORT_SUBJECTS, { error: t("moderation:report.invalid") }),
    subjectId: z.uuid({ error: t("moderation:report.invalid") }),
    reason: z.enum(REPORT_REASONS, { error: t("moderation:report.reasonRequired") }),
    note: z
      .string()
      .trim()
      .max(MAX_LENGTH.report, t("moderation:report.noteTooLong", { max: MAX_LENGTH.report }))
      .default(""),
    redirectTo: z.string().max(2_000).optional(),
  });
}

/** What the moderation desk does to a reported comment or message; each resolves its open reports. */
export const SUBJECT_ACTIONS = ["hide", "delete", "dismiss", "suspend"] as const;
export type SubjectAction = (typeof SUBJECT_ACTIONS)[number];

/** How each action resolves the subject's reports. */
export const RESOLUTION_OF: Record<SubjectAction, ReportResolution> = {
  hide: "hidden",
  delete: "deleted",
  dismiss: "dismissed",
  suspend: "suspended",
};

/** Messages are private: they can be hidden from the thread, but deleting is for comments and ideas. */
export function actionsFor(subjectType: ReportSubject): readonly SubjectAction[] {
  return subjectType !== "message" ? SUBJECT_ACTIONS : SUBJECT_ACTIONS.filter((a) => a !== "delete");
}

/**
 * A decision on a reported subject: which one, what to do, and why. The reason follows the
 * finance desk's rule (3 to 500 characters, for the audit log), so staff forms read alike.
 */
export function subjectActionSchema(t: Translate) {
  return actionReasonSchema(t).extend({
    intent: z.enum(SUBJECT_ACTIONS, { error: t("moderation:validation.unknownAction") }),
    subjectType: z.enum(REPORT_SUBJECTS, { error: t("moderation:validation.unknownAction") }),
    subjectId: z.uuid({ error: t("moderation:validation.unknownAction") }),
  });
}

/** Suspending an account or lifting its suspension, with a reason. */
export function suspensionSchema(t: Translate) {
  return actionReasonSchema(t).extend({
    intent: z.enum(["suspend", "lift"], { error: t("moderation:validation.unknownAction") }),
  });
}

/** The note a moderator writes to the creator: required when asking for changes. */
const reviewNote = (t: Translate) =>
  z
    .string({ error: t("moderation:validation.noteRequired") })
    .trim()
    .min(3, t("moderation:validation.noteRequired"))
    .max(DECISION_TEXT_MAX, t("moderation:validation.tooLong", { max: DECISION_TEXT_MAX }));

/** A moderator's decision on a campaign review: approve (an optional note) or ask for changes (a note). */
export function reviewDecisionSchema(t: Translate) {
  return z.discriminatedUnion(
    "intent",
    [
      z.object({
        intent: z.literal("approve"),
        reviewId: z.uuid({ error: t("moderation:validation.unknownAction") }),
        note: z
          .string()
          .trim()
          .max(DECISION_TEXT_MAX, t("moderation:validation.tooLong", { max: DECISION_TEXT_MAX }))
          .default(""),
      }),
      z.object({
        intent: z.literal("changes"),
        reviewId: z.uuid({ error: t("moderation:validation.unknownAction") }),
        note: reviewNote(t),
      }),
    ],
    { error: t("moderation:validation.unknownAction") },
  );
}

/** Where a draft stands with review, as its launch page shows it. */
export type ReviewStanding =
  | { kind: "none" }
  | { kind: "in_review"; submittedAt: Date }
  | { kind: "changes_requested"; decidedAt: Date; note: string };

/** The standing of a draft from its latest review row (approved ones are live, withdrawn ones start over). */
export function reviewStanding(
  latest: { decision: string | null; submitted_at: Date; decided_at: Date | null; note: string } | undefined,
): ReviewStanding {
  if (!latest) return { kind: "none" };
  if (latest.decision === null) return { kind: "in_review", submittedAt: latest.submitted_at };
  if (latest.decision === "changes_requested" && latest.decided_at)
    return { kind: "changes_requested", decidedAt: latest.decided_at, note: latest.note };
  return { kind: "none" };
}
