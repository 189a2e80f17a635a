import type { z } from "zod";
import { inTransaction } from "../../../db/transaction.js";
import type { Db } from "../../../db/schema.js";
import { canTransitionFulfilment } from "../../domain/fulfilment";
import type { problemSchema } from "../../domain/fulfilment-forms";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { lockBackerFulfilment } from "../../models/fulfilment.server";
import { transitionFulfilment } from "../../models/fulfilment-state.server";
import { hitRateLimit } from "../rate-limit.server";
import { queueProblemEmail } from "./notify.server";
import { illegalMove } from "./creator.server";

// What the backer does about their reward: confirm they received it, or report a problem (the
// creator is emailed). Only the pledge's own backer finds it; the move goes through
// transitionFulfilment; problem reports are rate limited per account.

const PROBLEM_RULE = { limit: 10, windowMs: 3600_000 };

export async function confirmReceived(
  db: Db,
  { pledgeId, backerId, t, now = new Date() }: { pledgeId: string; backerId: string; t: Translate; now?: Date },
): Promise<{ ok: true } | Refusal> {
  return inTransaction(db, async (trx) => {
    const f = await lockBackerFulfilment(trx, { pledgeId, backerId });
    if (!f) return refuse(404, t("fulfilment:refusal.notFound"));
    if (!canTransitionFulfilment(f.status, "received") || f.status === "received")
      return illegalMove(t, f.status, "received");
    await transitionFulfilment(trx, {
      pledgeId,
      to: "received",
      actorId: backerId,
      set: { received_at: now, problem_resolved_at: f.status === "problem" ? now : undefined },
    });
    return { ok: true as const };
  });
}

export async function reportProblem(
  db: Db,
  {
    pledgeId,
    backerId,
    report,
    t,
    now = new Date(),
  }: {
    pledgeId: string;
    backerId: string;
    report: z.infer<ReturnType<typeof problemSchema>>;
    t: Translate;
    now?: Date;
  },
): Promise<{ ok: true } | (Refusal & { retryAfterSeconds?: number })> {
  const limited = await hitRateLimit(db, `fulfilment-problem:${backerId}`, PROBLEM_RULE);
  if (!limited.allowed)
    return { ...refuse(429, t("fulfilment:refusal.tooMany")), retryAfterSeconds: limited.retryAfterSeconds };
  return inTransaction(db, async (trx) => {
    const f = await lockBackerFulfilment(trx, { pledgeId, backerId });
    if (!f) return refuse(404, t("fulfilment:refusal.notFound"));
    if (!canTransitionFulfilment(f.status, "problem")) return illegalMove(t, f.status, "problem");
    const moved = await transitionFulfilment(trx, {
      pledgeId,
      to: "problem",
      actorId: backerId,
      note: report.problemNote,
      set: {
        problem_kind: report.problemKind,
        problem_note: report.problemNote,
        problem_reported_at: now,
        problem_answer: null,
        problem_answered_at: null,
        problem_resolved_at: null,
      },
    });
    await queueProblemEmail(trx, f, moved.eventId, { kind: report.problemKind, note: report.problemNote });
    return { ok: true as const };
  });
}
