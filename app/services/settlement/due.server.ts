import { settlementContext, type SettlementContext, type SettlementOptions } from "./context.server";
import { dryRunCampaign, settleCampaign, type CampaignSettlementSummary } from "./settle-campaign.server";

// A settlement pass: the campaigns with work due now, each settled as far as it can go. Every
// step is safe to repeat and to run in several workers at once, so the worker, the CLI and the
// demo all run this same pass.

/** What a campaign's summary counts in pledges, summed over the pass. */
const PLEDGE_COUNTS = ["charged", "failed", "kept", "released", "refunded", "dropped", "unfinished"] as const;

export interface SettlementRunSummary {
  dryRun: boolean;
  now: Date;
  campaigns: CampaignSettlementSummary[];
  totals: Record<(typeof PLEDGE_COUNTS)[number] | "decided" | "closed", number>;
  /** Anything changed (the worker loops again at once instead of sleeping). */
  worked: boolean;
  stripe: { requests: number; retries: number; rateLimited: number };
  elapsedMs: number;
}

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
  const totals: SettlementRunSummary["totals"] = {
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
    for (const count of PLEDGE_COUNTS) totals[count] += c[count];
    totals.decided += Number(c.decided);
    totals.closed += Number(c.closed);
  }
  // A pass that only left attempts unfinished changed nothing: the worker may sleep.
  const worked = !options.dryRun && Object.entries(totals).some(([count, n]) => count !== "unfinished" && n > 0);
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
