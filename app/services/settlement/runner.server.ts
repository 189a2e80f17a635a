import { sql } from "kysely";
import type { Collection, CurrencyCode, PledgeState, SettlementDecision, SettlementStage } from "../../../db/schema.js";
import { graceEndsAt, planFromTallies, type PledgeStateTally, type SettlementPlan } from "../../domain/settlement";
import { recordAudit } from "../../models/audit.server";
import { transitionCampaign } from "../../models/campaign-state.server";
import { queueEmails } from "../../models/outbox.server";
import { transitionPledges } from "../../models/pledge-state.server";
import { freezeStatement } from "../finance/statement.server";
import {
  addResults,
  claimAttempts,
  executeAttempts,
  findUnfinishedAttempts,
  noticeOf,
  selectPledgesWithBacker,
  type BatchResult,
  type ClaimSource,
  type JobKind,
  type SettlingCampaign,
} from "./attempts.server";
import {
  settlementContext,
  type SettlementContext,
  type SettlementOptions,
  type SettlementProgress,
} from "./context.server";
import { syncDueFixSessions } from "./fix-payment.server";
import { creatorClosedNotice, creatorDecisionNotice, pledgeDroppedNotice, releasedNotice } from "./notices.server";

// The effectful half of settlement: finds due campaigns, records the decision once, carries the
// plan out pledge by pledge (attempts.server.ts holds the crash-safe charge protocol), and closes
// the settlement. Every step is safe to repeat and to run in several workers at once.

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

export interface SettlementRunSummary {
  dryRun: boolean;
  now: Date;
  campaigns: CampaignSettlementSummary[];
  totals: {
    charged: number;
    failed: number;
    kept: number;
    released: number;
    refunded: number;
    dropped: number;
    unfinished: number;
    decided: number;
    closed: number;
  };
  /** Anything changed (the worker loops again at once instead of sleeping). */
  worked: boolean;
  stripe: { requests: number; retries: number; rateLimited: number };
  elapsedMs: number;
}

const TERMINAL_FOR_CLOSE: PledgeState[] = ["active", "collecting", "refunding", "checkout"];

/**
 * One pass: every due campaign (or only `campaignSlug`) is decided, worked on and, when nothing
 * is left, closed. `dryRun` only reads: it reports the decision and the plan.
 */
export async function runDueSettlements(
  options: SettlementOptions & { campaignSlug?: string; dryRun?: boolean; limit?: number },
): Promise<SettlementRunSummary> {
  const started = performance.now();
  const ctx = settlementContext(options);
  const before = { ...ctx.pacer.stats };
  const due = await findDueCampaigns(ctx, { slug: options.campaignSlug, limit: options.limit ?? 25 });
  const campaigns: CampaignSettlementSummary[] = [];
  for (const id of due) {
    if (ctx.signal?.aborted) break;
    campaigns.push(options.dryRun ? await dryRunCampaign(ctx, id) : await settleCampaign(ctx, id));
  }
  const totals = {
    charged: 0,
    failed: 0,
    kept: 0,
    released: 0,
    refunded: 0,
    dropped: 0,
    unfinished: 0,
    decided: 0,
    closed: 0,
  };
  for (const c of campaigns) {
    totals.charged += c.charged;
    totals.failed += c.failed;
    totals.kept += c.kept;
    totals.released += c.released;
    totals.refunded += c.refunded;
    totals.dropped += c.dropped;
    totals.unfinished += c.unfinished;
    totals.decided += Number(c.decided);
    totals.closed += Number(c.closed);
  }
  const worked =
    !options.dryRun &&
    totals.charged +
      totals.failed +
      totals.kept +
      totals.released +
      totals.refunded +
      totals.dropped +
      totals.decided +
      totals.closed >
      0;
  return {
    dryRun: Boolean(options.dryRun),
    now: ctx.now,
    campaigns,
    totals,
    worked,
    stripe: {
      requests: ctx.pacer.stats.requests - before.requests,
      retries: ctx.pacer.stats.retries - before.retries,
      rateLimited: ctx.pacer.stats.rateLimited - before.rateLimited,
    },
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * Campaigns with settlement work now: live past the deadline, cancelled and not yet settled,
 * or settling with pledges to charge/resume, retries due, or grace over. Picked with
 * FOR NO KEY UPDATE SKIP LOCKED so a worker never queues behind another's decision or closing;
 * the pledges themselves are shared out by their own row locks.
 */
async function findDueCampaigns(
  ctx: SettlementContext,
  { slug, limit }: { slug?: string; limit: number },
): Promise<string[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("campaigns")
      .leftJoin("settlements", "settlements.campaign_id", "campaigns.id")
      .select(["campaigns.id"])
      .$if(slug !== undefined, (q) => q.where("campaigns.slug", "=", slug!))
      .where((eb) =>
        eb.or([
          eb.and([eb("campaigns.state", "=", "live"), eb("campaigns.deadline", "<=", ctx.now)]),
          eb.and([
            eb("campaigns.state", "=", "cancelled"),
            eb.or([eb("settlements.campaign_id", "is", null), eb("settlements.stage", "!=", "closed")]),
          ]),
          eb.and([
            eb("campaigns.state", "=", "settling"),
            eb("settlements.stage", "!=", "closed"),
            eb.or([
              eb("settlements.stage", "=", "collecting"),
              eb("settlements.grace_ends_at", "<=", ctx.now),
              // Every failed payment fixed before the end of grace: close early.
              eb.not(
                eb.exists(
                  eb
                    .selectFrom("pledges")
                    .select("pledges.id")
                    .whereRef("pledges.campaign_id", "=", "campaigns.id")
                    .where("pledges.state", "=", "errored"),
                ),
              ),
              eb.exists(
                eb
                  .selectFrom("pledges")
                  .select("pledges.id")
                  .whereRef("pledges.campaign_id", "=", "campaigns.id")
                  .where((p) =>
                    p.or([
                      p("pledges.state", "in", ["active", "collecting", "refunding"]),
                      p.and([p("pledges.state", "=", "errored"), p("pledges.next_charge_at", "<=", ctx.now)]),
                    ]),
                  ),
              ),
            ]),
          ]),
        ]),
      )
      .orderBy("campaigns.deadline")
      .orderBy("campaigns.id")
      .limit(limit)
      // NO KEY UPDATE, not UPDATE: journal inserts of workers already charging this campaign hold
      // KEY SHARE on its row (the foreign key) and must not hide it from the other workers.
      .forNoKeyUpdate(["campaigns"])
      .skipLocked()
      .execute();
    return rows.map((r) => r.id);
  });
}

async function loadCampaign(ctx: SettlementContext, campaignId: string) {
  return ctx.db
    .selectFrom("campaigns")
    .innerJoin("users", "users.id", "campaigns.creator_id")
    .leftJoin("settlements", "settlements.campaign_id", "campaigns.id")
    .select([
      "campaigns.id",
      "campaigns.slug",
      "campaigns.title",
      "campaigns.state",
      "campaigns.currency",
      "campaigns.collection",
      "campaigns.funding_model",
      "campaigns.goal_amount",
      "campaigns.deadline",
      "campaigns.creator_id",
      "users.email as creator_email",
      "users.name as creator_name",
      "settlements.decision",
      "settlements.stage",
      "settlements.grace_ends_at",
    ])
    .where("campaigns.id", "=", campaignId)
    .executeTakeFirstOrThrow();
}

type LoadedCampaign = Awaited<ReturnType<typeof loadCampaign>>;

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

async function tallies(ctx: SettlementContext, campaignId: string, db = ctx.db): Promise<PledgeStateTally[]> {
  const rows = await db
    .selectFrom("pledges")
    .select([
      "state",
      sql<number>`count(*)::int`.as("count"),
      sql<number>`coalesce(sum(amount), 0)::bigint`.as("amount"),
    ])
    .where("campaign_id", "=", campaignId)
    .groupBy("state")
    .execute();
  return rows.map((r) => ({ state: r.state, count: Number(r.count), amount: Number(r.amount) }));
}

const countOf = (t: PledgeStateTally[], states: PledgeState[]) =>
  t.filter((x) => states.includes(x.state)).reduce((n, x) => n + x.count, 0);

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
  if (!c.decision || !c.stage || c.stage === "closed") return summary;
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
  const progress = (phase: SettlementProgress["phase"], done: number, total: number) =>
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

/** Records the decision of one due campaign without touching its pledges (tests, tooling). */
export async function decideCampaign(options: SettlementOptions, campaignId: string) {
  const ctx = settlementContext(options);
  const c = await loadCampaign(ctx, campaignId);
  return c.decision ? "exists" : decide(ctx, c);
}

/** The decision, exactly once: under the campaign's row lock, the settlements row's key is the campaign. */
async function decide(ctx: SettlementContext, c: LoadedCampaign): Promise<"decided" | "busy" | "not_due" | "exists"> {
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom("campaigns")
      .select(["state", "deadline"])
      .where("id", "=", c.id)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!locked) return "busy";
    const existing = await trx
      .selectFrom("settlements")
      .select("campaign_id")
      .where("campaign_id", "=", c.id)
      .executeTakeFirst();
    if (existing) return "exists";
    const dueLive = locked.state === "live" && locked.deadline !== null && locked.deadline <= ctx.now;
    if (!dueLive && locked.state !== "cancelled") return "not_due";
    const plan = planFromTallies(
      {
        state: locked.state === "cancelled" ? "cancelled" : "live",
        fundingModel: c.funding_model,
        collection: c.collection,
        goal: c.goal_amount,
        currency: c.currency,
      },
      await tallies(ctx, c.id, trx),
    );
    const grace = graceEndsAt({
      decision: plan.decision,
      collection: c.collection,
      decidedAt: ctx.now,
      graceDays: ctx.config.GRACE_DAYS,
    });
    if (dueLive) {
      await transitionCampaign(trx, {
        campaignId: c.id,
        to: "settling",
        actorId: null,
        reason: `Deadline passed: ${plan.decision}`,
        expectedFrom: "live",
      });
    }
    await trx
      .insertInto("settlements")
      .values({
        campaign_id: c.id,
        decision: plan.decision,
        stage: "collecting",
        currency: c.currency,
        pledged_at_deadline: plan.pledgedAtDeadline,
        pledges_at_deadline: plan.pledgesAtDeadline,
        decided_at: ctx.now,
        grace_ends_at: grace,
      })
      .execute();
    await queueEmails(trx, [
      creatorDecisionNotice(
        {
          campaignId: c.id,
          creatorId: c.creator_id,
          creatorEmail: c.creator_email,
          creatorName: c.creator_name,
          campaignTitle: c.title,
          currency: c.currency,
        },
        {
          decision: plan.decision,
          pledged: plan.pledgedAtDeadline,
          backers: plan.pledgesAtDeadline,
          graceEndsAt: grace,
          appUrl: ctx.config.appUrl,
        },
      ),
    ]);
    return "decided";
  });
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
  progress: (phase: SettlementProgress["phase"], done: number, total: number) => void,
): Promise<BatchResult> {
  const total: BatchResult = { recorded: 0, paid: 0, failed: 0, refunded: 0, unfinished: 0, collectedAmount: 0 };
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

/** Not funded or cancelled, card saved for the deadline: nothing was charged, release them. */
async function releasePledges(
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  progress: (phase: SettlementProgress["phase"], done: number, total: number) => void,
) {
  const goal = countOf(await tallies(ctx, campaign.id), ["active"]);
  let done = 0;
  while (!ctx.signal?.aborted) {
    const n = await ctx.db.transaction().execute(async (trx) => {
      const rows = await selectPledgesWithBacker(trx)
        .where("pledges.campaign_id", "=", campaign.id)
        .where("pledges.state", "=", "active")
        .orderBy("pledges.id")
        .limit(500)
        .forUpdate(["pledges"])
        .skipLocked()
        .execute();
      const ids = new Set(
        await transitionPledges(trx, {
          pledgeIds: rows.map((r) => r.id),
          from: "active",
          to: "released",
          actorId: null,
          reason:
            campaign.decision === "cancelled"
              ? "Campaign cancelled: nothing charged"
              : "Campaign not funded: nothing charged",
        }),
      );
      await queueEmails(
        trx,
        rows
          .filter((r) => ids.has(r.id))
          .map((row) =>
            releasedNotice(noticeOf(campaign, row), { appUrl: ctx.config.appUrl, decision: campaign.decision }),
          ),
      );
      return ids.size;
    });
    if (n === 0) break;
    done += n;
    progress("releasing", done, goal);
  }
  return done;
}

/** Grace is over: pledges still unpaid are dropped, which frees their reward slots. */
async function dropUnpaid(
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  progress: (phase: SettlementProgress["phase"], done: number, total: number) => void,
) {
  let done = 0;
  while (!ctx.signal?.aborted) {
    const n = await ctx.db.transaction().execute(async (trx) => {
      const rows = await selectPledgesWithBacker(trx)
        .where("pledges.campaign_id", "=", campaign.id)
        .where("pledges.state", "=", "errored")
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("charge_attempts")
                .select("charge_attempts.id")
                .whereRef("charge_attempts.pledge_id", "=", "pledges.id")
                .where("charge_attempts.status", "=", "pending"),
            ),
          ),
        )
        .orderBy("pledges.id")
        .limit(500)
        .forUpdate(["pledges"])
        .skipLocked()
        .execute();
      const ids = new Set(
        await transitionPledges(trx, {
          pledgeIds: rows.map((r) => r.id),
          from: "errored",
          to: "dropped",
          actorId: null,
          reason: "Payment not completed before the end of the grace period",
        }),
      );
      await queueEmails(
        trx,
        rows
          .filter((r) => ids.has(r.id))
          .map((row) => pledgeDroppedNotice(noticeOf(campaign, row), { appUrl: ctx.config.appUrl })),
      );
      return ids.size;
    });
    if (n === 0) break;
    done += n;
    progress("dropping", done, done);
  }
  return done;
}

/**
 * Closes the settlement when no pledge has work left: the campaign takes its final state (the
 * decision at the deadline stands, even if dropped pledges leave a funded campaign under its
 * goal), the stage becomes `closed`, and a campaign with nothing to pay out freezes its statement.
 * A funded campaign with failed payments waits in `grace` instead.
 */
async function tryClose(ctx: SettlementContext, c: LoadedCampaign): Promise<"closed" | "grace" | "open" | "busy"> {
  return ctx.db.transaction().execute(async (trx) => {
    // NO KEY UPDATE: journal inserts elsewhere hold KEY SHARE on the campaign row and must not block this.
    const locked = await trx
      .selectFrom("campaigns")
      .select(["state"])
      .where("id", "=", c.id)
      .forNoKeyUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!locked) return "busy";
    const settlement = await trx
      .selectFrom("settlements")
      .selectAll()
      .where("campaign_id", "=", c.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (settlement.stage === "closed") return "closed";
    const t = await tallies(ctx, c.id, trx);
    if (countOf(t, TERMINAL_FOR_CLOSE) > 0) return "open";
    const pendingFix = await trx
      .selectFrom("charge_attempts")
      .innerJoin("pledges", "pledges.id", "charge_attempts.pledge_id")
      .select("charge_attempts.id")
      .where("pledges.campaign_id", "=", c.id)
      .where("charge_attempts.status", "=", "pending")
      .executeTakeFirst();
    if (pendingFix) return "open";
    if (countOf(t, ["errored"]) > 0) {
      if (settlement.stage !== "grace")
        await trx.updateTable("settlements").set({ stage: "grace" }).where("campaign_id", "=", c.id).execute();
      return "grace";
    }
    if (locked.state === "settling") {
      await transitionCampaign(trx, {
        campaignId: c.id,
        to: settlement.decision === "funded" ? "funded" : "unfunded",
        actorId: null,
        reason: "Settlement closed",
        expectedFrom: "settling",
        set: { ended_at: ctx.now },
      });
    }
    await trx
      .updateTable("settlements")
      .set({ stage: "closed", closed_at: ctx.now })
      .where("campaign_id", "=", c.id)
      .execute();
    if (settlement.decision === "funded") {
      const collected = t.filter((x) => ["collected", "partially_refunded", "disputed", "refunded"].includes(x.state));
      await queueEmails(trx, [
        creatorClosedNotice(
          {
            campaignId: c.id,
            creatorId: c.creator_id,
            creatorEmail: c.creator_email,
            creatorName: c.creator_name,
            campaignTitle: c.title,
            currency: c.currency,
          },
          {
            collected: collected.reduce((n, x) => n + x.amount, 0),
            collectedCount: collected.reduce((n, x) => n + x.count, 0),
            dropped: countOf(t, ["dropped"]),
            appUrl: ctx.config.appUrl,
          },
        ),
      ]);
    } else {
      // Nothing will be paid out: the money is final now (zeros, or charges and their refunds).
      await freezeStatement(trx, { campaignId: c.id });
    }
    return "closed";
  });
}

async function dryRunCampaign(ctx: SettlementContext, campaignId: string): Promise<CampaignSettlementSummary> {
  const c = await loadCampaign(ctx, campaignId);
  const summary = emptySummary(c);
  const t = await tallies(ctx, campaignId);
  if (!c.decision) {
    summary.plan = planFromTallies(
      {
        state: c.state === "cancelled" ? "cancelled" : "live",
        fundingModel: c.funding_model,
        collection: c.collection,
        goal: c.goal_amount,
        currency: c.currency,
      },
      t,
    );
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

export type RetryChargeResult =
  { ok: true; outcome: "collected" | "errored"; message: string } | { ok: false; status: 404 | 409; message: string };

/**
 * Finance's "retry this charge now": a new attempt on an errored pledge of a funded campaign
 * still in settlement, outside the retry schedule, recorded in the audit log.
 */
export async function retryChargeNow(
  options: SettlementOptions & { pledgeId: string; actorId: string },
): Promise<RetryChargeResult> {
  const ctx = settlementContext({ ...options, lanes: 1 });
  const row = await ctx.db
    .selectFrom("pledges")
    .select(["campaign_id", "state"])
    .where("id", "=", options.pledgeId)
    .executeTakeFirst();
  if (!row) return { ok: false, status: 404, message: "Pledge not found." };
  const c = await loadCampaign(ctx, row.campaign_id);
  if (c.decision !== "funded" || c.collection !== "at_deadline" || !c.stage || c.stage === "closed") {
    return {
      ok: false,
      status: 409,
      message: "Only pledges of a funded campaign still in settlement can be charged again.",
    };
  }
  if (row.state !== "errored")
    return {
      ok: false,
      status: 409,
      message: `The pledge is ${row.state}; only a pledge whose payment failed can be retried.`,
    };
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
  const jobs = await claimAttempts(ctx, campaign, "charge", { pledgeId: options.pledgeId }, 1);
  if (jobs.length === 0)
    return {
      ok: false,
      status: 409,
      message: "The pledge is being charged right now, or the backer has a payment page open.",
    };
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
    detail: { attempt: jobs[0]!.attempt, idempotency_key: jobs[0]!.key, result: after.state },
  });
  if (result.paid > 0) return { ok: true, outcome: "collected", message: "The charge went through." };
  if (result.unfinished > 0)
    return {
      ok: false,
      status: 409,
      message: "Stripe did not answer; the attempt is finished by the settlement worker.",
    };
  return { ok: true, outcome: "errored", message: `The charge failed again: ${after.last_charge_error ?? "declined"}` };
}
