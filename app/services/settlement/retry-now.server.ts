import { statusWord } from "../../domain/finance";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { translatorFor } from "../../i18n";
import { recordAudit } from "../../models/audit.server";
import { claimAttempts, executeAttempts } from "./attempts.server";
import { settlementContext, type SettlementOptions } from "./context.server";
import { loadCampaign, settlingCampaignOf } from "./settling-campaign.server";

// Finance's "retry this charge now", outside the retry schedule but through the same attempt
// protocol, so the new attempt gets its own number and key like any scheduled retry.

export type RetryChargeResult = { ok: true; outcome: "collected" | "errored"; message: string } | Refusal;

/**
 * A new attempt on an errored pledge of a funded campaign still in settlement, recorded in the
 * audit log with who asked, why, and the attempt it made. `t` words the answer (English by default).
 */
export async function retryChargeNow(
  options: SettlementOptions & {
    pledgeId: string;
    actorId: string;
    reason?: string;
    ip?: string | null;
    t?: Translate;
  },
): Promise<RetryChargeResult> {
  const t = options.t ?? translatorFor("en");
  const ctx = settlementContext({ ...options, lanes: 1 });
  const row = await ctx.db
    .selectFrom("pledges")
    .select(["campaign_id", "state"])
    .where("id", "=", options.pledgeId)
    .executeTakeFirst();
  if (!row) return refuse(404, t("finance:notFound.pledge"));
  const c = await loadCampaign(ctx, row.campaign_id);
  const campaign = settlingCampaignOf(c);
  if (!campaign || campaign.decision !== "funded" || campaign.collection !== "at_deadline")
    return refuse(409, t("finance:retryRefusal.notSettling"));
  if (row.state !== "errored")
    return refuse(409, t("finance:retryRefusal.notErrored", { state: statusWord(t, row.state) }));
  const jobs = await claimAttempts(ctx, campaign, "charge", { pledgeId: options.pledgeId }, 1);
  if (jobs.length === 0) return refuse(409, t("finance:retryRefusal.busy"));
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
  if (result.paid > 0) return { ok: true, outcome: "collected", message: t("finance:retryRefusal.wentThrough") };
  if (result.unfinished > 0) return refuse(409, t("finance:retryRefusal.noAnswer"));
  return {
    ok: true,
    outcome: "errored",
    message: t("finance:retryRefusal.failedAgain", {
      error: after.last_charge_error ?? t("finance:retryRefusal.declined"),
    }),
  };
}
