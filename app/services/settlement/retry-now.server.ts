import { refuse, type Refusal } from "../../domain/refusal";
import { recordAudit } from "../../models/audit.server";
import { claimAttempts, executeAttempts } from "./attempts.server";
import { settlementContext, type SettlementOptions } from "./context.server";
import { loadCampaign, settlingCampaignOf } from "./settling-campaign.server";

// Finance's "retry this charge now", outside the retry schedule but through the same attempt
// protocol, so the new attempt gets its own number and key like any scheduled retry.

export type RetryChargeResult = { ok: true; outcome: "collected" | "errored"; message: string } | Refusal;

/**
 * A new attempt on an errored pledge of a funded campaign still in settlement, recorded in the
 * audit log with who asked, why, and the attempt it made.
 */
export async function retryChargeNow(
  options: SettlementOptions & { pledgeId: string; actorId: string; reason?: string; ip?: string | null },
): Promise<RetryChargeResult> {
  const ctx = settlementContext({ ...options, lanes: 1 });
  const row = await ctx.db
    .selectFrom("pledges")
    .select(["campaign_id", "state"])
    .where("id", "=", options.pledgeId)
    .executeTakeFirst();
  if (!row) return refuse(404, "Pledge not found.");
  const c = await loadCampaign(ctx, row.campaign_id);
  const campaign = settlingCampaignOf(c);
  if (!campaign || campaign.decision !== "funded" || campaign.collection !== "at_deadline")
    return refuse(409, "Only pledges of a funded campaign still in settlement can be charged again.");
  if (row.state !== "errored")
    return refuse(409, `The pledge is ${row.state}; only a pledge whose payment failed can be retried.`);
  const jobs = await claimAttempts(ctx, campaign, "charge", { pledgeId: options.pledgeId }, 1);
  if (jobs.length === 0)
    return refuse(409, "The pledge is being charged right now, or the backer has a payment page open.");
  const result = await executeAttempts(ctx, campaign, jobs);
  const after = await ctx.db
    .selectFrom("pledges")
    .select(["state", "last_charge_error"])
    .where("id", "=", options.pledgeId)
    .executeTakeFirstOrThrow();
  await recordAudit(ctx.db, {
    actorId: options.actorId,
    action: "pledge.retry_charge",
    subjectType: "pledge",
    subjectId: options.pledgeId,
    reason: options.reason,
    detail: { attempt: jobs[0]!.attempt, idempotency_key: jobs[0]!.key, result: after.state },
    ip: options.ip,
  });
  if (result.paid > 0) return { ok: true, outcome: "collected", message: "The charge went through." };
  if (result.unfinished > 0)
    return refuse(409, "Stripe did not answer; the attempt is finished by the settlement worker.");
  return { ok: true, outcome: "errored", message: `The charge failed again: ${after.last_charge_error ?? "declined"}` };
}
