// The crash-safe protocol for every Stripe money call settlement makes, one pledge at a time:
//
//   1. claim (attempts/claim.server.ts): under the pledge's row lock (SKIP LOCKED, so workers
//      split the work), move it to `collecting` (or `refunding`) and insert a `pending`
//      charge_attempts row holding the attempt number and its idempotency key; commit. The
//      intent is durable before any call.
//   2. call (attempts/call.server.ts): Stripe, with that key (paced, retried on transient
//      failures with the same key).
//   3. record (attempts/record.server.ts): the result and the pledge's new state, the journal
//      entries and the email in one transaction, only if the attempt is still `pending`.
//
// A worker that dies between 1 and 3 leaves a pending attempt on a collecting pledge. Whoever
// finds it repeats the SAME attempt with the SAME key: Stripe replays the first result, or runs
// the request if it never arrived. No new attempt number is ever made for an unfinished one.
//
// This module is the protocol's front door: the rest of settlement imports it from here.

export {
  claimAttempts,
  claimRefundRetry,
  findUnfinishedAttempts,
  noPendingAttempt,
  selectPledgesWithBacker,
  type ClaimSource,
} from "./attempts/claim.server";
export { executeAttempts } from "./attempts/call.server";
export {
  addResults,
  emptyResult,
  type AttemptJob,
  type BatchResult,
  type JobKind,
  type JobOutcome,
  type SettlingCampaign,
} from "./attempts/types.server";
