import { z } from "zod";
import type { DisputeStatus } from "../../db/schema.js";
import { actionReasonSchema } from "./finance";
import type { Translate } from "./locale";

// Disputes' pure rules: which of Stripe's statuses are open or final, when the evidence deadline
// is close, and the desk's evidence form (the text fields Stripe takes that fit a crowdfunding
// pledge, each with Stripe's own length limit).

/** Evidence can still be sent while Stripe waits for a response. */
export const AWAITING_RESPONSE: readonly DisputeStatus[] = ["needs_response", "warning_needs_response"];
/** Stripe's final statuses: nothing changes after them (an appeal is a new status). */
export const FINAL_STATUSES: readonly DisputeStatus[] = ["won", "lost", "warning_closed", "prevented"];

/** The deadline is close (or past) this long before it: the desk shows it in red and raises an alert. */
export const EVIDENCE_DUE_SOON_MS = 3 * 24 * 3600_000;

export function isEvidenceDueSoon(dueBy: Date | string | null, now: Date = new Date()): boolean {
  if (!dueBy) return false;
  return new Date(dueBy).getTime() - now.getTime() <= EVIDENCE_DUE_SOON_MS;
}

/**
 * The evidence fields the desk offers, with Stripe's maximum length. Stripe takes more (file
 * uploads such as customer_communication or receipt, subscription fields); these are the text
 * ones that describe a pledge and its reward.
 */
export const EVIDENCE_FIELDS = {
  product_description: 20_000,
  service_date: 5_000,
  shipping_carrier: 5_000,
  shipping_tracking_number: 5_000,
  refund_policy_disclosure: 20_000,
  uncategorized_text: 20_000,
} as const;

export type EvidenceField = keyof typeof EVIDENCE_FIELDS;
export const EVIDENCE_FIELD_NAMES = Object.keys(EVIDENCE_FIELDS) as EvidenceField[];

/** Why the evidence form is not offered, or null when it is. */
export type EvidenceClosed = "closed" | "submitted" | "past_due" | null;

export function evidenceClosed(
  d: {
    status: DisputeStatus;
    outcome: "won" | "lost" | null;
    evidenceDueBy: Date | string | null;
    evidenceSubmittedAt: unknown;
  },
  now: Date = new Date(),
): EvidenceClosed {
  if (d.outcome || FINAL_STATUSES.includes(d.status)) return "closed";
  if (d.evidenceSubmittedAt || !AWAITING_RESPONSE.includes(d.status)) return "submitted";
  if (d.evidenceDueBy && new Date(d.evidenceDueBy).getTime() <= now.getTime()) return "past_due";
  return null;
}

/** The desk's evidence form: every field optional but at least one filled, a reason, a request key. */
export function disputeEvidenceSchema(t: Translate) {
  const text = (max: number) =>
    z.string().trim().max(max, t("finance:disputes.validation.tooLong", { max })).optional();
  const evidence = Object.fromEntries(EVIDENCE_FIELD_NAMES.map((name) => [name, text(EVIDENCE_FIELDS[name])])) as {
    [K in EvidenceField]: ReturnType<typeof text>;
  };
  return actionReasonSchema(t)
    .extend({
      ...evidence,
      disputeId: z.uuid({ error: t("finance:disputes.validation.notOnPledge") }),
      requestKey: z.uuid({ error: t("finance:validation.formExpired") }),
    })
    .superRefine((value, ctx) => {
      if (!EVIDENCE_FIELD_NAMES.some((name) => value[name])) {
        ctx.addIssue({
          code: "custom",
          // The form's own error, not one field's: validating a single field (on blur) must not clear it.
          path: [],
          message: t("finance:disputes.validation.empty"),
        });
      }
    });
}

/** The filled fields of a submission, as Stripe's `evidence` hash. */
export function evidenceOf(
  value: Partial<Record<EvidenceField, string | undefined>>,
): Partial<Record<EvidenceField, string>> {
  const out: Partial<Record<EvidenceField, string>> = {};
  for (const name of EVIDENCE_FIELD_NAMES) {
    const v = value[name];
    if (v) out[name] = v;
  }
  return out;
}
