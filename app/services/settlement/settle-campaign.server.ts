import { sql } from "kysely";
import type { Collection, CurrencyCode, SettlementDecision, SettlementStage } from "../../../db/schema.js";
import type { PledgeStateTally, SettlementPlan } from "../../domain/settlement";
import {
  addResults,
  claimAttempts,
  emptyResult,
  executeAttempts,
  findUnfinishedAttempts,
  type BatchResult,
  type ClaimSource,
  type JobKind,
  type SettlingCampaign,
} from "./attempts.server";
import { dropUnpaid, releasePledges, tryClose } from "./close.server";
import type { ReportProgress, SettlementContext, SettlementProgress } from "./context.server";
import { decide } from "./decide.server";
import { syncDueFixSessions } from "./fix-payment.server";
import {
  countOf,
  loadCampaign,
  planOf,
  settlingCampaignOf,
  tallies,
  type LoadedCampaign,
} from "./settling-campaign.server";

// One campaign's settlement, carried as far as it can go now: decided once, its pledges charged,
// kept, refunded or released by the plan, retried and dropped across grace, then closed.

export interface CampaignSettlementSummary {
  campaignId: string;
  slug: string;
  title: string;
  currency: CurrencyCode;
  collection: Collection;
  decision: SettlementDecision | null;
  stage: SettlementStage | null;
  /** Dry run of an undecided campaign: the decision and what would happen to its pledges. */
  plan?: SettlementPlan;
  /** Dry run of a campaign already settling: pledges by state and what is due now. */
  remaining?: { tallies: PledgeStateTally[]; retriesDue: number; dropDue: boolean };
  /** Another worker holds the campaign right now; it is picked up on a later pass. */
  busy: boolean;
  decided: boolean;
  charged: number;
  collectedAmount: number;
  failed: number;
  kept: number;
  released: number;
  refunded: number;
  dropped: number;
  unfinished: number;
  closed: boolean;
}

function emptySummary(c: LoadedCampaign): CampaignSettlementSummary {
  return {
    campaignId: c.id,
    slug: c.slug,
    title: c.title,
    currency: c.currency,
    collection: c.collection,
    decision: c.decision,
    stage: c.stage,
    busy: false,
    decided: false,
    charged: 0,
    collectedAmount: 0,
    failed: 0,
    kept: 0,
    released: 0,
    refunded: 0,
    dropped: 0,
    unfinished: 0,
    closed: false,
  };
}

/** Carries one campaign's settlement as far as it can go now. */
export async function settleCampaign(ctx: SettlementContext, campaignId: string): Promise<CampaignSettlementSummary> {
  let c = await loadCampaign(ctx, campaignId);
  const summary = emptySummary(c);
  if (!c.decision) {
    const decided = await decide(ctx, c);
    if (decided === "busy") return { ...summary, busy: true };
    if (decided === "not_due") return summary;
    summary.decided = decided === "decided";
    c = await loadCampaign(ctx, campaignId);
    summary.decision = c.decision;
    summary.stage = c.stage;
  }
  const campaign = settlingCampaignOf(c);
  if (!campaign) return summary;
  const progress: ReportProgress = (phase, done, total) =>
    ctx.onProgress?.({ campaignId: c.id, slug: c.slug, phase, done, total });

  if (c.decision === "funded") {
    const kind: JobKind = c.collection === "at_deadline" ? "charge" : "keep";
    const r = await runAttemptLanes(
      ctx,
      campaign,
      kind,
      "active",
      kind === "charge" ? "charging" : "keeping",
      progress,
    );
    if (kind === "charge") {
      summary.charged += r.paid;
      summary.collectedAmount += r.collectedAmount;
    } else summary.kept += r.paid;
    summary.failed += r.failed;
    summary.unfinished += r.unfinished;
    if (c.collection === "at_deadline") {
      await syncDueFixSessions(ctx, c.id, { all: Boolean(c.grace_ends_at && ctx.now >= c.grace_ends_at) });
      const retried = await runAttemptLanes(ctx, campaign, "charge", "retry", "retrying", progress);
      summary.charged += retried.paid;
      summary.collectedAmount += retried.collectedAmount;
      summary.failed += retried.failed;
      summary.unfinished += retried.unfinished;
      if (c.grace_ends_at && ctx.now >= c.grace_ends_at) summary.dropped += await dropUnpaid(ctx, campaign, progress);
    }
  } else if (c.collection === "at_deadline") {
    summary.released += await releasePledges(ctx, campaign, progress);
  } else {
    const r = await runAttemptLanes(ctx, campaign, "refund", "active", "refunding", progress);
    summary.refunded += r.refunded;
    summary.failed += r.failed;
    summary.unfinished += r.unfinished;
  }
  if (!ctx.signal?.aborted) {
    const closing = await tryClose(ctx, c);
    summary.closed = closing === "closed";
    summary.stage = closing === "closed" ? "closed" : closing === "grace" ? "grace" : summary.stage;
    if (closing === "closed") progress("closing", 1, 1);
  }
  return summary;
}

/**
 * Claims batches and runs them in `lanes` parallel loops: first attempts left unfinished (by a
 * dead worker, or a Stripe outage in an earlier pass), then fresh pledges.
 */
async function runAttemptLanes(
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  kind: JobKind,
  source: ClaimSource,
  phase: SettlementProgress["phase"],
  progress: ReportProgress,
): Promise<BatchResult> {
  const total = emptyResult();
  const t = await tallies(ctx, campaign.id);
  const goal =
    source === "active" ? countOf(t, ["active", "collecting", "refunding"]) : countOf(t, ["errored", "collecting"]);
  if (goal === 0) return total;
  let done = 0;
  const lane = async () => {
    while (!ctx.signal?.aborted) {
      const unfinished = await findUnfinishedAttempts(ctx, campaign, ctx.batchSize);
      const fresh =
        unfinished.length < ctx.batchSize
          ? await claimAttempts(ctx, campaign, kind, source, ctx.batchSize - unfinished.length)
          : [];
      if (unfinished.length === 0 && fresh.length === 0) return;
      const result = await executeAttempts(ctx, campaign, [...unfinished, ...fresh]);
      addResults(total, result);
      done += result.recorded;
      progress(phase, done, goal);
      // Only others' live attempts were found: they are theirs to finish.
      if (fresh.length === 0 && result.recorded === 0) return;
    }
  };
  await Promise.all(Array.from({ length: ctx.lanes }, lane));
  return total;
}

/** What settleCampaign would do now, read only: the plan of an undecided campaign, or what is left. */
export async function dryRunCampaign(ctx: SettlementContext, campaignId: string): Promise<CampaignSettlementSummary> {
  const c = await loadCampaign(ctx, campaignId);
  const summary = emptySummary(c);
  const t = await tallies(ctx, campaignId);
  if (!c.decision) {
    summary.plan = planOf(c, c.state, t);
    summary.decision = summary.plan.decision;
    return summary;
  }
  const retriesDue = await ctx.db
    .selectFrom("pledges")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("campaign_id", "=", campaignId)
    .where("state", "=", "errored")
    .where("next_charge_at", "<=", ctx.now)
    .executeTakeFirstOrThrow();
  summary.remaining = {
    tallies: t,
    retriesDue: Number(retriesDue.n),
    dropDue: Boolean(c.grace_ends_at && ctx.now >= c.grace_ends_at),
  };
  return summary;
}
