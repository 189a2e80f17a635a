import type { Translate } from "../../domain/locale";
import { statusWord } from "../../domain/finance";
import { refuse, type Refusal } from "../../domain/refusal";
import { translatorFor } from "../../i18n";
import { recordAudit } from "../../models/audit.server";
import { claimRefundRetry, executeAttempts, type SettlingCampaign } from "./attempts.server";
import { settlementContext, type SettlementOptions } from "./context.server";
import { freezeWhenRefundsDone } from "./refused-refunds.server";
import { loadCampaign } from "./settling-campaign.server";

// Finance's "retry this refund" for a settlement refund Stripe refused, outside the settlement's
// passes but through the same attempt protocol, as retry-now.server.ts does for charges.

export type RetryRefundResult = { ok: true; outcome: "refunded" | "refused"; message: string } | Refusal;

/**
 * Finance's retry of a parked settlement refund: a new refund attempt (its own number and key,
 * written before the call) through the same claim / call / record steps as the settlement, so a
 * success is booked and emailed as the settlement would have, and resolves the alert. Works on a
 * closed settlement too (the campaign closed without waiting for it). Audited with who and why.
 */
export async function retrySettlementRefundNow(
  options: SettlementOptions & {
    pledgeId: string;
    actorId: string;
    reason: string;
    ip?: string | null;
    t?: Translate;
  },
): Promise<RetryRefundResult> {
  const t = options.t ?? translatorFor("en");
  const ctx = settlementContext({ ...options, lanes: 1 });
  const row = await ctx.db
    .selectFrom("pledges")
    .select(["campaign_id", "state"])
    .where("id", "=", options.pledgeId)
    .executeTakeFirst();
  if (!row) return refuse(404, t("finance:notFound.pledge"));
  const c = await loadCampaign(ctx, row.campaign_id);
  if (!c.decision || !c.stage || c.decision === "funded" || c.collection !== "immediate")
    return refuse(409, t("finance:settlementRefund.refusal.notSettlement"));
  if (row.state !== "refunding")
    return refuse(409, t("finance:settlementRefund.refusal.notParked", { state: statusWord(t, row.state) }));
  const campaign: SettlingCampaign = {
    id: c.id,
    slug: c.slug,
    title: c.title,
    currency: c.currency,
    collection: c.collection,
    creatorId: c.creator_id,
    decision: c.decision,
    stage: c.stage,
    graceEndsAt: c.grace_ends_at,
  };
  const job = await claimRefundRetry(ctx, campaign, options.pledgeId);
  if (!job) return refuse(409, t("finance:settlementRefund.refusal.busy"));
  const result = await executeAttempts(ctx, campaign, [job]);
  const attempt = await ctx.db
    .selectFrom("charge_attempts")
    .select(["status", "error_message", "stripe_object_id"])
    .where("id", "=", job.attemptId)
    .executeTakeFirstOrThrow();
  await recordAudit(ctx.db, {
    actorId: options.actorId,
    action: "pledge.retry_settlement_refund",
    subjectType: "pledge",
    subjectId: options.pledgeId,
    reason: options.reason,
    detail: {
      attempt: job.attempt,
      idempotency_key: job.key,
      result: attempt.status,
      stripe_object_id: attempt.stripe_object_id,
    },
    ip: options.ip,
  });
  if (result.refunded > 0) {
    await freezeWhenRefundsDone(ctx.db, { campaignId: c.id });
    return { ok: true, outcome: "refunded", message: t("finance:settlementRefund.retried") };
  }
  if (result.unfinished > 0 || attempt.status === "pending")
    return refuse(503, t("finance:settlementRefund.refusal.noAnswer"));
  return {
    ok: true,
    outcome: "refused",
    message: t("finance:settlementRefund.refusedAgain", { message: attempt.error_message ?? "" }),
  };
}
