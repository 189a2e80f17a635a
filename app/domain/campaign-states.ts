import type { CampaignState } from "../../db/schema.js";

/**
 * Every legal campaign move, in one table. Anything not listed is an error, never a no-op.
 * `settling` covers the charge run and the grace period for failed payments.
 */
export const CAMPAIGN_TRANSITIONS: Record<CampaignState, readonly CampaignState[]> = {
  draft: ["live", "deleted"],
  live: ["settling", "cancelled"],
  settling: ["funded", "unfunded"],
  funded: [],
  unfunded: [],
  cancelled: [],
  deleted: [],
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly subject: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`A ${subject} cannot move from ${from} to ${to}.`);
  }
}

export function canTransitionCampaign(from: CampaignState, to: CampaignState) {
  return CAMPAIGN_TRANSITIONS[from].includes(to);
}

export function assertCampaignTransition(from: CampaignState, to: CampaignState) {
  if (!canTransitionCampaign(from, to)) throw new IllegalTransitionError("campaign", from, to);
}
