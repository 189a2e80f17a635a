import type { CampaignState, PledgeState } from "../../db/schema.js";

// When an account may be deleted. Its personal data is anonymised, so nobody can be emailed about
// money still moving: deletion waits while any of the user's pledges, or any campaign they
// created, is still being settled, paid out or disputed.

/** A backer's pledge still has money to move (or to decide) in these states. */
export const PLEDGE_STATES_BLOCKING_DELETION: readonly PledgeState[] = [
  "checkout",
  "active",
  "collecting",
  "errored",
  "refunding",
  "disputed",
];

/** A creator's campaign in these states has not reached its outcome yet. */
export const CAMPAIGN_STATES_BLOCKING_DELETION: readonly CampaignState[] = ["live", "settling"];

export type DeletionBlocker = "pledgeOpen" | "campaignOpen" | "payoutPending" | "disputed";

export function deletionBlockers({
  pledgeStates,
  campaigns,
}: {
  /** The states of the user's own pledges. */
  pledgeStates: readonly PledgeState[];
  /** The user's campaigns: their state, whether a funded one is paid out, and disputed pledges on it. */
  campaigns: readonly { state: CampaignState; paidOut: boolean; disputedPledges: number }[];
}): DeletionBlocker[] {
  const blockers = new Set<DeletionBlocker>();
  for (const state of pledgeStates)
    if (PLEDGE_STATES_BLOCKING_DELETION.includes(state)) blockers.add(state === "disputed" ? "disputed" : "pledgeOpen");
  for (const c of campaigns) {
    if (CAMPAIGN_STATES_BLOCKING_DELETION.includes(c.state)) blockers.add("campaignOpen");
    if (c.state === "funded" && !c.paidOut) blockers.add("payoutPending");
    if (c.disputedPledges > 0) blockers.add("disputed");
  }
  return [...blockers];
}
