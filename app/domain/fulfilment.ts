import type { Collection, FulfilmentStatus, PledgeState } from "../../db/schema.js";
import { IllegalTransitionError } from "./campaign-states";

// Rewards after funding: who is owed one, and the one table of fulfilment moves.

/**
 * A pledge owes its backer a reward once its money is in: collected at the deadline, or paid up
 * front on an `immediate` campaign (an active pledge there is a paid one).
 */
export function owesReward(state: PledgeState, collection: Collection) {
  if (state === "collected" || state === "partially_refunded") return true;
  return collection === "immediate" && state === "active";
}

/** Every legal fulfilment move: anything not listed is an illegal transition. */
export const FULFILMENT_TRANSITIONS: Record<FulfilmentStatus, readonly FulfilmentStatus[]> = {
  // The survey answered, or a tier with no questions: ready. A digital reward may go out at once.
  awaiting_survey: ["ready", "shipped", "delivered"],
  // Answers edited until the lock may send it back to awaiting_survey (a required answer removed).
  ready: ["awaiting_survey", "shipped", "delivered"],
  shipped: ["delivered", "received", "problem"],
  delivered: ["received", "problem"],
  received: ["problem"],
  // The creator resolves it: shipped again (a replacement), or the backer confirms receipt.
  problem: ["shipped", "delivered", "received"],
};

export function canTransitionFulfilment(from: FulfilmentStatus, to: FulfilmentStatus) {
  return FULFILMENT_TRANSITIONS[from].includes(to);
}

export function assertFulfilmentTransition(from: FulfilmentStatus, to: FulfilmentStatus) {
  if (!canTransitionFulfilment(from, to)) throw new IllegalTransitionError("fulfilment", from, to);
}

/** Statuses in which the reward has left the creator's hands. */
export const SENT_STATUSES: readonly FulfilmentStatus[] = ["shipped", "delivered", "received", "problem"];
