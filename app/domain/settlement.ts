import type { Collection, CurrencyCode, FundingModel, PledgeState, SettlementDecision } from "../../db/schema.js";

// The settlement rules, with no I/O: given a campaign and its pledges at the deadline, what is
// the outcome and what happens to each pledge. app/services/settlement carries the plan out.

export interface CampaignAtDeadline {
  state: "live" | "settling" | "cancelled";
  fundingModel: FundingModel;
  collection: Collection;
  goal: number;
  currency: CurrencyCode;
}

export interface PledgeAtDeadline {
  id: string;
  state: PledgeState;
  amount: number;
}

/** States counted at the deadline: an active pledge is a promise to pay. */
const COUNTS_AT_DEADLINE: readonly PledgeState[] = ["active"];

/**
 * All-or-nothing: funded iff the active pledges sum to at least the goal (exactly at goal is
 * funded). Flexible: funded iff there is at least one active pledge. Cancelled: never funded.
 */
export function decideOutcome(campaign: CampaignAtDeadline, pledges: readonly PledgeAtDeadline[]): SettlementDecision {
  if (campaign.state === "cancelled") return "cancelled";
  const counted = pledges.filter((p) => COUNTS_AT_DEADLINE.includes(p.state));
  if (campaign.fundingModel === "flexible") return counted.length > 0 ? "funded" : "unfunded";
  const total = counted.reduce((sum, p) => sum + p.amount, 0);
  return total >= campaign.goal ? "funded" : "unfunded";
}

export type PledgeAction = "charge" | "release" | "refund" | "keep" | "none";

/**
 * What settlement does to one pledge:
 * - funded, saved card: charge it off-session; funded, paid up front: keep the payment;
 * - not funded or cancelled, saved card: release (nothing was charged); paid up front: refund.
 * Pledges in any other state (abandoned, cancelled by the backer...) are left alone.
 */
export function pledgeAction(decision: SettlementDecision, collection: Collection, state: PledgeState): PledgeAction {
  if (state !== "active") return "none";
  if (decision === "funded") return collection === "at_deadline" ? "charge" : "keep";
  return collection === "at_deadline" ? "release" : "refund";
}

export interface SettlementPlan {
  decision: SettlementDecision;
  pledgedAtDeadline: number;
  pledgesAtDeadline: number;
  actions: Record<PledgeAction, { count: number; amount: number }>;
}

/** A plan's action counts before any pledge is counted in; both planners start from it. */
const noActions = (): SettlementPlan["actions"] => ({
  charge: { count: 0, amount: 0 },
  release: { count: 0, amount: 0 },
  refund: { count: 0, amount: 0 },
  keep: { count: 0, amount: 0 },
  none: { count: 0, amount: 0 },
});

export function planSettlement(campaign: CampaignAtDeadline, pledges: readonly PledgeAtDeadline[]): SettlementPlan {
  const decision = decideOutcome(campaign, pledges);
  const actions = noActions();
  let pledged = 0;
  let count = 0;
  for (const pledge of pledges) {
    const action = pledgeAction(decision, campaign.collection, pledge.state);
    actions[action].count += 1;
    actions[action].amount += pledge.amount;
    if (COUNTS_AT_DEADLINE.includes(pledge.state)) {
      pledged += pledge.amount;
      count += 1;
    }
  }
  return { decision, pledgedAtDeadline: pledged, pledgesAtDeadline: count, actions };
}

/**
 * When a failed charge is tried again inside the grace period: after 1 day, 3 days, then at the
 * end of grace (the backer may fix their card at any time in between).
 */
export function nextRetryAt({
  attempt,
  failedAt,
  graceEndsAt,
}: {
  attempt: number;
  failedAt: Date;
  graceEndsAt: Date;
}): Date | null {
  const offsetsDays = [1, 3];
  const offset = offsetsDays[attempt - 1];
  const candidate = offset === undefined ? graceEndsAt : new Date(failedAt.getTime() + offset * 86_400_000);
  if (candidate.getTime() >= graceEndsAt.getTime()) return attempt > offsetsDays.length ? null : graceEndsAt;
  return candidate;
}

/** Idempotency keys derived from what they protect, so every retry of one attempt reuses its key. */
export const chargeKey = (pledgeId: string, attempt: number) => `colecta-charge-${pledgeId}-${attempt}`;
export const refundKey = (pledgeId: string, purpose: string) => `colecta-refund-${pledgeId}-${purpose}`;
/** Funded + immediate: the payment made at pledge time is confirmed and booked (no Stripe write). */
export const keepKey = (pledgeId: string) => `colecta-keep-${pledgeId}`;
/** A fix-payment Checkout Session opened by the backer, recorded as an attempt of its own. */
export const fixKey = (pledgeId: string, attempt: number) => `colecta-fix-${pledgeId}-${attempt}`;

/** Pledges of one state, summed: what settlement reads instead of every pledge row. */
export interface PledgeStateTally {
  state: PledgeState;
  count: number;
  amount: number;
}

/**
 * The same plan as `planSettlement`, from per-state tallies (one aggregate query), so a campaign
 * with 100,000 pledges is decided without loading them. Equivalent by construction: each tally
 * stands for `count` pledges of one state.
 */
export function planFromTallies(campaign: CampaignAtDeadline, tallies: readonly PledgeStateTally[]): SettlementPlan {
  const counted = tallies.filter((t) => COUNTS_AT_DEADLINE.includes(t.state));
  const pledged = counted.reduce((sum, t) => sum + t.amount, 0);
  const backers = counted.reduce((sum, t) => sum + t.count, 0);
  const decision: SettlementDecision =
    campaign.state === "cancelled"
      ? "cancelled"
      : campaign.fundingModel === "flexible"
        ? backers > 0
          ? "funded"
          : "unfunded"
        : pledged >= campaign.goal
          ? "funded"
          : "unfunded";
  const actions = noActions();
  for (const t of tallies) {
    const action = pledgeAction(decision, campaign.collection, t.state);
    actions[action].count += t.count;
    actions[action].amount += t.amount;
  }
  return { decision, pledgedAtDeadline: pledged, pledgesAtDeadline: backers, actions };
}

/** A funded campaign that charges at the deadline keeps a grace period for failed payments. */
export function graceEndsAt({
  decision,
  collection,
  decidedAt,
  graceDays,
}: {
  decision: SettlementDecision;
  collection: Collection;
  decidedAt: Date;
  graceDays: number;
}): Date | null {
  if (decision !== "funded" || collection !== "at_deadline") return null;
  return new Date(decidedAt.getTime() + graceDays * 86_400_000);
}
