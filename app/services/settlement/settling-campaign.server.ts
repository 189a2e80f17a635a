import type { CampaignState, Db, PledgeState } from "../../../db/schema.js";
import { recipientLocale } from "../../domain/emails";
import { planFromTallies, type PledgeStateTally, type SettlementPlan } from "../../domain/settlement";
import { pledgeStateTallies } from "../../models/pledge.server";
import type { SettlingCampaign } from "./attempts.server";
import type { SettlementContext } from "./context.server";
import type { NoticeCreator } from "./notices.server";

// A campaign under settlement as every step reads it (the row, its creator, its settlement and
// its pledges counted by state), so deciding, carrying out and closing judge the same numbers.

export async function loadCampaign(ctx: SettlementContext, campaignId: string) {
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
      "users.locale as creator_locale",
      "settlements.decision",
      "settlements.stage",
      "settlements.grace_ends_at",
    ])
    .where("campaigns.id", "=", campaignId)
    .executeTakeFirstOrThrow();
}

export type LoadedCampaign = Awaited<ReturnType<typeof loadCampaign>>;

/** The campaign as the attempt protocol takes it; null before its decision or once closed (nothing to settle). */
export function settlingCampaignOf(c: LoadedCampaign): SettlingCampaign | null {
  if (!c.decision || !c.stage || c.stage === "closed") return null;
  return {
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
}

export const creatorOf = (c: LoadedCampaign): NoticeCreator => ({
  campaignId: c.id,
  creatorId: c.creator_id,
  creatorEmail: c.creator_email,
  creatorName: c.creator_name,
  locale: recipientLocale(c.creator_locale),
  campaignTitle: c.title,
  currency: c.currency,
});

/** The decision the tallies give, for a campaign in `state` (cancelled, or live at its deadline). */
export function planOf(c: LoadedCampaign, state: CampaignState, t: PledgeStateTally[]): SettlementPlan {
  return planFromTallies(
    {
      state: state === "cancelled" ? "cancelled" : "live",
      fundingModel: c.funding_model,
      collection: c.collection,
      goal: c.goal_amount,
      currency: c.currency,
    },
    t,
  );
}

export async function tallies(
  ctx: SettlementContext,
  campaignId: string,
  db: Db = ctx.db,
): Promise<PledgeStateTally[]> {
  return pledgeStateTallies(db, { campaignId });
}

export const countOf = (t: PledgeStateTally[], states: PledgeState[]) =>
  t.filter((x) => states.includes(x.state)).reduce((n, x) => n + x.count, 0);
