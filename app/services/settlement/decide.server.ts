import { graceEndsAt } from "../../domain/settlement";
import { transitionCampaign } from "../../models/campaign-state.server";
import { queueEmails } from "../../models/outbox.server";
import { settlementContext, type SettlementContext, type SettlementOptions } from "./context.server";
import { creatorDecisionNotice } from "./notices.server";
import { creatorOf, loadCampaign, planOf, tallies, type LoadedCampaign } from "./settling-campaign.server";

// The first step of a campaign's settlement: funded, unfunded or cancelled, judged from the
// pledges at the deadline and written once, before any pledge is touched.

/** Records the decision of one due campaign without touching its pledges (tests, tooling). */
export async function decideCampaign(options: SettlementOptions, campaignId: string) {
  const ctx = settlementContext(options);
  const c = await loadCampaign(ctx, campaignId);
  return c.decision ? "exists" : decide(ctx, c);
}

/** The decision, exactly once: under the campaign's row lock, the settlements row's key is the campaign. */
export async function decide(
  ctx: SettlementContext,
  c: LoadedCampaign,
): Promise<"decided" | "busy" | "not_due" | "exists"> {
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
    const plan = planOf(c, locked.state, await tallies(ctx, c.id, trx));
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
      creatorDecisionNotice(creatorOf(c), {
        decision: plan.decision,
        pledged: plan.pledgedAtDeadline,
        backers: plan.pledgesAtDeadline,
        graceEndsAt: grace,
        appUrl: ctx.config.appUrl,
      }),
    ]);
    return "decided";
  });
}
