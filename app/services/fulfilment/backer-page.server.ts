import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect } from "@remix-run/node";
import type { Db } from "../../../db/schema.js";
import { problemSchema } from "../../domain/fulfilment-forms";
import type { Translate } from "../../domain/locale";
import { getBackerFulfilment } from "../../models/fulfilment.server";
import { fulfilmentReply } from "../../web/fulfilment-reply";
import { confirmReceived, reportProblem } from "./backer.server";

// The reward part of the backer's pledge page: what its loader shows and the two forms its
// action hands over ("I received it", "Report a problem").

export const BACKER_FULFILMENT_INTENTS = ["fulfilment-received", "fulfilment-problem"] as const;

/** The backer's reward, serialisable; null when the pledge owes none yet. */
export async function backerRewardView(db: Db, { pledgeId, backerId }: { pledgeId: string; backerId: string }) {
  const f = await getBackerFulfilment(db, { pledgeId, backerId });
  if (!f) return null;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    status: f.status,
    /** When the current status began. */
    since: iso(
      f.status === "received"
        ? f.received_at
        : f.status === "problem"
          ? f.problem_reported_at
          : f.status === "delivered"
            ? f.delivered_at
            : f.status === "shipped"
              ? f.shipped_at
              : null,
    ),
    carrier: f.carrier,
    trackingNumber: f.tracking_number,
    trackingUrl: f.tracking_url,
    shippedAt: iso(f.shipped_at),
    digitalKind: f.digital_kind,
    digitalValue: f.digital_value,
    problem: f.problem_kind
      ? {
          kind: f.problem_kind,
          note: f.problem_note,
          reportedAt: iso(f.problem_reported_at),
          answer: f.problem_answer,
          answeredAt: iso(f.problem_answered_at),
          resolvedAt: iso(f.problem_resolved_at),
        }
      : null,
    canConfirm: f.status === "shipped" || f.status === "delivered" || f.status === "problem",
    canReport: f.status === "shipped" || f.status === "delivered" || f.status === "received",
  };
}
export type BackerReward = NonNullable<Awaited<ReturnType<typeof backerRewardView>>>;

/** Handles the page's reward forms; null when the intent is not one of them. */
export async function backerRewardAction(
  db: Db,
  { form, pledgeId, backerId, t }: { form: FormData; pledgeId: string; backerId: string; t: Translate },
): Promise<Response | null> {
  const intent = String(form.get("intent") ?? "");
  if (intent === "fulfilment-received") {
    const done = await confirmReceived(db, { pledgeId, backerId, t });
    if (!done.ok) return fulfilmentReply(intent, null, done);
    return redirect(`/me/pledges/${pledgeId}?reward=received`);
  }
  if (intent === "fulfilment-problem") {
    const submission = parseWithZod(form, { schema: problemSchema(t) });
    if (submission.status !== "success") return json({ form: intent, result: submission.reply() }, { status: 400 });
    const done = await reportProblem(db, { pledgeId, backerId, report: submission.value, t });
    if (!done.ok) {
      const headers: HeadersInit = done.retryAfterSeconds ? { "Retry-After": String(done.retryAfterSeconds) } : {};
      return fulfilmentReply(intent, submission, done, { headers });
    }
    return redirect(`/me/pledges/${pledgeId}?reward=problem`);
  }
  return null;
}
