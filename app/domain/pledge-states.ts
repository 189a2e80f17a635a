import type { PledgeState } from "../../db/schema.js";
import { IllegalTransitionError } from "./campaign-states";

/** Every legal pledge move, in one table: anything not listed here is an illegal transition. */
export const PLEDGE_TRANSITIONS: Record<PledgeState, readonly PledgeState[]> = {
  // checkout -> collected: a late pledge, paid on Stripe's page after the campaign was funded.
  checkout: ["active", "abandoned", "collected"],
  active: ["cancelled", "collecting", "released", "refunding"],
  abandoned: [],
  cancelled: [],
  collecting: ["collected", "errored"],
  errored: ["collected", "dropped", "collecting"],
  collected: ["refunded", "partially_refunded", "disputed"],
  // -> collected: a refund failed at Stripe after it was booked (the money came back).
  partially_refunded: ["refunded", "partially_refunded", "disputed", "collected"],
  dropped: [],
  released: [],
  refunding: ["refunded"],
  // A refund failed at Stripe: back to what is left refunded, or (settlement) to be refunded again.
  refunded: ["collected", "partially_refunded", "refunding"],
  // A dispute won: the money came back and the pledge is as it was before the dispute.
  disputed: ["collected", "partially_refunded"],
};

export function canTransitionPledge(from: PledgeState, to: PledgeState) {
  return PLEDGE_TRANSITIONS[from].includes(to);
}

export function assertPledgeTransition(from: PledgeState, to: PledgeState) {
  if (!canTransitionPledge(from, to)) throw new IllegalTransitionError("pledge", from, to);
}

/** States that occupy a limited tier's slot (held, active or collected). */
export const SLOT_HOLDING_STATES: readonly PledgeState[] = [
  "checkout",
  "active",
  "collecting",
  "errored",
  "collected",
  "partially_refunded",
  "disputed",
];

/** States that count toward a campaign's pledged total and backer count. */
export const COUNTED_STATES: readonly PledgeState[] = [
  "active",
  "collecting",
  "errored",
  "collected",
  "partially_refunded",
  "disputed",
];

export const holdsSlot = (state: PledgeState) => SLOT_HOLDING_STATES.includes(state);
export const isCounted = (state: PledgeState) => COUNTED_STATES.includes(state);
