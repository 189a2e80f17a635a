import { sql } from "kysely";
import type Stripe from "stripe";
import type {
  Collection,
  CurrencyCode,
  Db,
  PledgeState,
  SettlementDecision,
  SettlementStage,
  Trx,
} from "../../../db/schema.js";
import { chargeKey, keepKey, nextRetryAt, refundKey } from "../../domain/settlement";
import { bookChargesAndRefunds } from "../../models/ledger.server";
import { queueEmails, type OutgoingEmail } from "../../models/outbox.server";
import { PLEDGE_REFUND_PURPOSES, refreshRefundedAmounts } from "../../models/pledge-payments.server";
import { transitionPledges } from "../../models/pledge-state.server";
import { inflightAttempts, type SettlementContext } from "./context.server";
import {
  fundedNotice,
  paymentFailedNotice,
  paymentFixedNotice,
  refundIssuedNotice,
  type NoticePledge,
} from "./notices.server";
import { isRetryable } from "./pacer.server";

// The crash-safe protocol for every Stripe money call settlement makes, one pledge at a time:
//
//   1. claim: under the pledge's row lock (SKIP LOCKED, so workers split the work), move it to
//      `collecting` (or `refunding`) and insert a `pending` charge_attempts row holding the
//      attempt number and its idempotency key; commit. The intent is durable before any call.
//   2. call Stripe with that key (paced, retried on transient failures with the same key).
//   3. record the result and the pledge's new state, the journal entries and the email in one
//      transaction, only if the attempt is still `pending`.
//
// A worker that dies between 1 and 3 leaves a pending attempt on a collecting pledge. Whoever
// finds it repeats the SAME attempt with the SAME key: Stripe replays the first result, or runs
// the request if it never arrived. No new attempt number is ever made for an unfinished one.

export type JobKind = "charge" | "keep" | "refund";

/** A campaign being settled, as the runner knows it. */
export interface SettlingCampaign {
  id: string;
  slug: string;
  title: string;
  currency: CurrencyCode;
  collection: Collection;
  creatorId: string;
  decision: SettlementDecision;
  stage: SettlementStage;
  graceEndsAt: Date | null;
}

export interface AttemptJob {
  kind: JobKind;
  attemptId: number;
  attempt: number;
  key: string;
  pledgeId: string;
  amount: number;
  currency: CurrencyCode;
  customerId: string | null;
  paymentMethodId: string | null;
  paymentIntentId: string | null;
  notice: NoticePledge;
}

interface Paid {
  paymentIntentId: string;
  chargeId: string;
  balanceTransactionId: string;
  fee: number;
  amount: number;
}

/** One refund settlement made, on one of the pledge's payments. */
interface SettlementRefund {
  refundId: string;
  amount: number;
  key: string;
  paymentIntentId: string;
}

export type JobOutcome =
  // `payments`: every payment of the pledge (one for a charge; the first payment and any top-ups
  // when keeping a pledge paid up front); the spread fields are the first one's.
  | ({ job: AttemptJob; kind: "paid"; payments: Paid[] } & Paid)
  | { job: AttemptJob; kind: "refunded"; refunds: SettlementRefund[]; refundAmount: number; originals: Paid[] }
  | {
      job: AttemptJob;
      kind: "failed";
      status: "failed" | "requires_action";
      code: string;
      declineCode: string | null;
      message: string;
      stripeObjectId: string | null;
    }
  | { job: AttemptJob; kind: "unfinished"; error: string };

export interface BatchResult {
  recorded: number;
  paid: number;
  failed: number;
  refunded: number;
  unfinished: number;
  /** Amount collected (paid) in this batch, minor units. */
  collectedAmount: number;
}

const emptyResult = (): BatchResult => ({
  recorded: 0,
  paid: 0,
  failed: 0,
  refunded: 0,
  unfinished: 0,
  collectedAmount: 0,
});

export function addResults(into: BatchResult, more: BatchResult) {
  into.recorded += more.recorded;
  into.paid += more.paid;
  into.failed += more.failed;
  into.refunded += more.refunded;
  into.unfinished += more.unfinished;
  into.collectedAmount += more.collectedAmount;
}

function jobKindOf(kind: "charge" | "refund", key: string): JobKind {
  if (kind === "refund") return "refund";
  return key.startsWith("colecta-keep-") ? "keep" : "charge";
}

export function selectPledgesWithBacker(db: Db) {
  return db
    .selectFrom("pledges")
    .innerJoin("users", "users.id", "pledges.backer_id")
    .select([
      "pledges.id",
      "pledges.amount",
      "pledges.currency",
      "pledges.charge_attempts",
      "pledges.stripe_customer_id",
      "pledges.stripe_payment_method_id",
      "pledges.stripe_payment_intent_id",
      "users.id as backer_id",
      "users.email",
      "users.name",
    ]);
}

type PledgeRow = Awaited<ReturnType<ReturnType<typeof selectPledgesWithBacker>["execute"]>>[number];

export const noticeOf = (
  campaign: SettlingCampaign,
  row: { id: string; amount: number; currency: CurrencyCode; backer_id: string; email: string; name: string },
): NoticePledge => ({
  pledgeId: row.id,
  backerId: row.backer_id,
  backerEmail: row.email,
  backerName: row.name,
  amount: row.amount,
  currency: row.currency,
  campaignTitle: campaign.title,
});

/** Keeps only ids nobody in this process works on, and marks them as ours (synchronously). */
function takeOwnership<T extends { attemptId: number }>(jobs: T[], limit: number, skip: ReadonlySet<number>): T[] {
  const mine = jobs.filter((j) => !inflightAttempts.has(j.attemptId) && !skip.has(j.attemptId)).slice(0, limit);
  for (const j of mine) inflightAttempts.add(j.attemptId);
  return mine;
}

export type ClaimSource = "active" | "retry" | { pledgeId: string };

/**
 * Step 1: claims up to `limit` pledges and records their attempts. `active` takes fresh pledges
 * (charge, keep or refund by the campaign's decision); `retry` takes errored pledges whose retry
 * is due; `{ pledgeId }` takes one errored pledge now (finance's "retry now").
 */
export async function claimAttempts(
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  kind: JobKind,
  source: ClaimSource,
  limit: number,
): Promise<AttemptJob[]> {
  const registered: number[] = [];
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      let query = selectPledgesWithBacker(trx).where("pledges.campaign_id", "=", campaign.id);
      if (source === "active") {
        query = query.where("pledges.state", "=", "active").orderBy("pledges.id");
      } else {
        query = query
          .where("pledges.state", "=", "errored")
          // A backer paying on the fix-payment page right now is not charged behind their back.
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
          );
        if (source === "retry") {
          const grace = campaign.graceEndsAt;
          query = query
            .where("pledges.next_charge_at", "<=", ctx.now)
            .orderBy("pledges.next_charge_at")
            .orderBy("pledges.id");
          // After grace only the retry scheduled for its very end still runs; the rest are dropped.
          if (grace && ctx.now >= grace) query = query.where("pledges.next_charge_at", ">=", grace);
        } else {
          query = query.where("pledges.id", "=", source.pledgeId);
        }
      }
      const rows = await query.limit(limit).forUpdate(["pledges"]).skipLocked().execute();
      if (rows.length === 0) return [];

      const to: PledgeState = kind === "refund" ? "refunding" : "collecting";
      const byPledge = new Map(
        rows.map((row) => {
          const attempt = kind === "refund" ? 1 : row.charge_attempts + 1;
          const key =
            kind === "refund"
              ? refundKey(row.id, "unfunded")
              : kind === "keep"
                ? keepKey(row.id)
                : chargeKey(row.id, attempt);
          return [row.id, { row, attempt, key }] as const;
        }),
      );
      const movedIds = await transitionPledges(trx, {
        pledgeIds: [...byPledge.keys()],
        from: source === "active" ? "active" : "errored",
        to,
        actorId: null,
        reason: (id) => {
          const attempt = byPledge.get(id)!.attempt;
          return kind === "refund"
            ? "Refunding the up-front payment"
            : kind === "keep"
              ? "Confirming the payment made at pledge time"
              : attempt === 1
                ? "Charging the saved card at the deadline"
                : `Retrying the charge (attempt ${attempt})`;
        },
        detail: (id) => ({ attempt: byPledge.get(id)!.attempt, idempotency_key: byPledge.get(id)!.key }),
      });
      const planned = movedIds.map((id) => byPledge.get(id)!);
      if (planned.length === 0) return [];
      const inserted = await trx
        .insertInto("charge_attempts")
        .values(
          planned.map(({ row, attempt, key }) => ({
            pledge_id: row.id,
            attempt,
            kind: kind === "refund" ? ("refund" as const) : ("charge" as const),
            idempotency_key: key,
            amount: row.amount,
            currency: row.currency,
            started_at: ctx.now,
          })),
        )
        .returning(["id", "pledge_id"])
        .execute();
      if (kind !== "refund") {
        await trx
          .updateTable("pledges")
          .set({ charge_attempts: sql`charge_attempts + 1`, next_charge_at: null, updated_at: new Date() })
          .where("id", "in", movedIds)
          .execute();
      }
      const idByPledge = new Map(inserted.map((r) => [r.pledge_id, r.id]));
      const jobs = planned.map(({ row, attempt, key }) =>
        toJob(campaign, kind, row, { attemptId: idByPledge.get(row.id)!, attempt, key }),
      );
      // Registered before commit, so no other lane of this process can take them for orphans.
      for (const j of jobs) {
        inflightAttempts.add(j.attemptId);
        registered.push(j.attemptId);
      }
      return jobs;
    });
  } catch (error) {
    for (const id of registered) inflightAttempts.delete(id);
    throw error;
  }
}

function toJob(
  campaign: SettlingCampaign,
  kind: JobKind,
  row: PledgeRow,
  a: { attemptId: number; attempt: number; key: string },
): AttemptJob {
  return {
    kind,
    attemptId: a.attemptId,
    attempt: a.attempt,
    key: a.key,
    pledgeId: row.id,
    amount: row.amount,
    currency: row.currency,
    customerId: row.stripe_customer_id,
    paymentMethodId: row.stripe_payment_method_id,
    paymentIntentId: row.stripe_payment_intent_id,
    notice: noticeOf(campaign, row),
  };
}

/**
 * Pending attempts on this campaign's collecting/refunding pledges that no lane of this process
 * owns: left by a worker that died (or, with PostgreSQL, owned by a live one: the lock step
 * skips those). Fix-payment attempts (on errored pledges) are not jobs.
 */
export async function findUnfinishedAttempts(
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  limit: number,
): Promise<AttemptJob[]> {
  const rows = await ctx.db
    .selectFrom("charge_attempts")
    .innerJoin("pledges", "pledges.id", "charge_attempts.pledge_id")
    .innerJoin("users", "users.id", "pledges.backer_id")
    .select([
      "charge_attempts.id as attempt_id",
      "charge_attempts.attempt",
      "charge_attempts.kind",
      "charge_attempts.idempotency_key",
      "charge_attempts.amount as attempt_amount",
      "pledges.id",
      "pledges.amount",
      "pledges.currency",
      "pledges.charge_attempts",
      "pledges.stripe_customer_id",
      "pledges.stripe_payment_method_id",
      "pledges.stripe_payment_intent_id",
      "users.id as backer_id",
      "users.email",
      "users.name",
    ])
    .where("pledges.campaign_id", "=", campaign.id)
    .where("pledges.state", "in", ["collecting", "refunding"])
    .where("charge_attempts.status", "=", "pending")
    .orderBy("charge_attempts.id")
    .limit(limit + inflightAttempts.size + ctx.deferred.size)
    .execute();
  // The repeated request must carry the same parameters as the first: the attempt's amount.
  const jobs = rows.map((r) =>
    toJob(
      campaign,
      jobKindOf(r.kind, r.idempotency_key),
      { ...r, amount: r.attempt_amount },
      { attemptId: r.attempt_id, attempt: r.attempt, key: r.idempotency_key },
    ),
  );
  return takeOwnership(jobs, limit, ctx.deferred);
}

/**
 * Steps 2 and 3 for a batch. With PostgreSQL the batch's attempt rows stay locked from before
 * the first call until the results commit, so a second worker never repeats a live request, and
 * a crash releases them at once for whoever comes next.
 */
export async function executeAttempts(
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  jobs: AttemptJob[],
): Promise<BatchResult> {
  if (jobs.length === 0) return emptyResult();
  try {
    if (ctx.holdLocks) {
      return await ctx.db.transaction().execute(async (trx) => {
        const locked = await trx
          .selectFrom("charge_attempts")
          .select("id")
          .where(
            "id",
            "in",
            jobs.map((j) => j.attemptId),
          )
          .where("status", "=", "pending")
          .forUpdate()
          .skipLocked()
          .execute();
        const lockedIds = new Set(locked.map((r) => r.id));
        const outcomes = await runJobs(
          ctx,
          campaign,
          jobs.filter((j) => lockedIds.has(j.attemptId)),
        );
        return recordOutcomes(trx, ctx, campaign, outcomes);
      });
    }
    const outcomes = await runJobs(ctx, campaign, jobs);
    return await ctx.db.transaction().execute((trx) => recordOutcomes(trx, ctx, campaign, outcomes));
  } finally {
    for (const j of jobs) inflightAttempts.delete(j.attemptId);
  }
}

async function runJobs(ctx: SettlementContext, campaign: SettlingCampaign, jobs: AttemptJob[]): Promise<JobOutcome[]> {
  return Promise.all(jobs.map((job) => runJob(ctx, campaign, job)));
}

const EXPAND_FEE = ["latest_charge.balance_transaction"];

async function runJob(ctx: SettlementContext, campaign: SettlingCampaign, job: AttemptJob): Promise<JobOutcome> {
  const { stripe, pacer } = ctx;
  try {
    if (job.kind === "charge") {
      if (!job.customerId || !job.paymentMethodId) {
        return {
          job,
          kind: "failed",
          status: "failed",
          code: "no_payment_method",
          declineCode: null,
          message: "There is no saved card for this pledge.",
          stripeObjectId: null,
        };
      }
      const params: Stripe.PaymentIntentCreateParams = {
        amount: job.amount,
        currency: job.currency,
        customer: job.customerId,
        payment_method: job.paymentMethodId,
        confirm: true,
        off_session: true,
        description: `Pledge to ${campaign.title}`,
        metadata: { pledge_id: job.pledgeId, campaign_id: campaign.id, attempt: String(job.attempt) },
        expand: EXPAND_FEE,
      };
      const pi = await pacer.call((options) => stripe.paymentIntents.create(params, options), {
        idempotencyKey: job.key,
      });
      return paymentOutcome(ctx, job, pi);
    }
    const intents = await paymentIntentsOf(ctx, job);
    if (intents.length === 0) {
      return {
        job,
        kind: "failed",
        status: "failed",
        code: "no_payment",
        declineCode: null,
        message: "The pledge has no payment to confirm or refund.",
        stripeObjectId: null,
      };
    }
    const originals: Paid[] = [];
    const refunds: SettlementRefund[] = [];
    for (const [i, paymentIntentId] of intents.entries()) {
      const pi = await pacer.call((options) =>
        stripe.paymentIntents.retrieve(paymentIntentId, { expand: EXPAND_FEE }, options),
      );
      if (job.kind === "keep") {
        const kept = await paymentOutcome(ctx, job, pi);
        if (kept.kind !== "paid") return kept;
        originals.push(kept.payments[0]!);
        continue;
      }
      const original = await paidFrom(ctx, pi);
      if (!original) {
        return {
          job,
          kind: "failed",
          status: "failed",
          code: "not_paid",
          declineCode: null,
          message: `Payment ${pi.id} is ${pi.status}; there is nothing to refund.`,
          stripeObjectId: pi.id,
        };
      }
      originals.push(original);
      // Whatever is left of each payment (a cut before the deadline already returned part of it).
      // The same key and parameters on a repeat, so Stripe replays the first answer.
      const key = i === 0 ? job.key : `${job.key}:${paymentIntentId}`;
      const refund = await pacer
        .call(
          (options) =>
            stripe.refunds.create(
              {
                payment_intent: paymentIntentId,
                metadata: { pledge_id: job.pledgeId, campaign_id: campaign.id, purpose: "unfunded" },
              },
              options,
            ),
          { idempotencyKey: key },
        )
        .catch((error: Stripe.errors.StripeError) => {
          // Nothing left on it: a refund made before the deadline returned all of it.
          if (error?.type === "StripeInvalidRequestError" && error.code === "charge_already_refunded") return null;
          throw error;
        });
      if (!refund) continue;
      if (refund.status === "failed" || refund.status === "canceled") {
        return {
          job,
          kind: "failed",
          status: "failed",
          code: "refund_failed",
          declineCode: null,
          message: refund.failure_reason ?? `Refund ${refund.id} ${refund.status}`,
          stripeObjectId: refund.id,
        };
      }
      refunds.push({ refundId: refund.id, amount: refund.amount, key, paymentIntentId });
    }
    if (job.kind === "keep")
      return {
        job,
        kind: "paid",
        ...originals[0]!,
        amount: originals.reduce((n, p) => n + p.amount, 0),
        payments: originals,
      };
    return { job, kind: "refunded", refunds, refundAmount: refunds.reduce((n, r) => n + r.amount, 0), originals };
  } catch (error) {
    return failureOutcome(ctx, job, error);
  }
}

/**
 * The payments settlement keeps or refunds for a pledge paid up front: every recorded payment
 * (the first and any top-ups), oldest first; a pledge from before payments were recorded one by
 * one has just its payment intent.
 */
async function paymentIntentsOf(ctx: SettlementContext, job: AttemptJob): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom("pledge_payments")
    .select("stripe_payment_intent_id")
    .where("pledge_id", "=", job.pledgeId)
    .orderBy("id")
    .execute();
  if (rows.length > 0) return rows.map((r) => r.stripe_payment_intent_id);
  return job.paymentIntentId ? [job.paymentIntentId] : [];
}

async function paidFrom(ctx: SettlementContext, pi: Stripe.PaymentIntent): Promise<Paid | null> {
  if (pi.status !== "succeeded") return null;
  let charge = pi.latest_charge;
  if (!charge) return null;
  if (typeof charge === "string" || typeof charge.balance_transaction !== "object" || !charge.balance_transaction) {
    const chargeId = typeof charge === "string" ? charge : charge.id;
    charge = await ctx.pacer.call((options) =>
      ctx.stripe.charges.retrieve(chargeId, { expand: ["balance_transaction"] }, options),
    );
  }
  const bt = charge.balance_transaction as Stripe.BalanceTransaction | null;
  if (!bt || typeof bt !== "object") throw new Error(`Charge ${charge.id} has no balance transaction yet`);
  return {
    paymentIntentId: pi.id,
    chargeId: charge.id,
    balanceTransactionId: bt.id,
    fee: bt.fee,
    amount: charge.amount,
  };
}

async function paymentOutcome(ctx: SettlementContext, job: AttemptJob, pi: Stripe.PaymentIntent): Promise<JobOutcome> {
  const paid = await paidFrom(ctx, pi);
  if (paid) return { job, kind: "paid", ...paid, payments: [paid] };
  if (pi.status === "requires_action") {
    return {
      job,
      kind: "failed",
      status: "requires_action",
      code: "authentication_required",
      declineCode: null,
      message: "Your bank asks you to confirm this payment.",
      stripeObjectId: pi.id,
    };
  }
  if (pi.status === "processing") return { job, kind: "unfinished", error: `Payment ${pi.id} is still processing` };
  const last = pi.last_payment_error;
  return {
    job,
    kind: "failed",
    status: "failed",
    code: last?.code ?? pi.status,
    declineCode: last?.decline_code ?? null,
    message: last?.message ?? `The payment is ${pi.status}.`,
    stripeObjectId: pi.id,
  };
}

function failureOutcome(ctx: SettlementContext, job: AttemptJob, error: unknown): JobOutcome {
  const e = error as Stripe.errors.StripeError & { raw?: { payment_intent?: { id?: string } } };
  if (e?.type === "StripeCardError") {
    const code = e.code ?? "card_declined";
    return {
      job,
      kind: "failed",
      status: code === "authentication_required" ? "requires_action" : "failed",
      code,
      declineCode: e.decline_code ?? null,
      message: e.message,
      stripeObjectId: e.payment_intent?.id ?? e.raw?.payment_intent?.id ?? null,
    };
  }
  if (isRetryable(error) || e?.type === "StripeIdempotencyError" || !(e?.type === "StripeInvalidRequestError")) {
    // Transient (retries ran out) or not the backer's doing: the attempt stays pending and the
    // next pass repeats it with the same key.
    ctx.log(
      `[settlement] ${job.kind} ${job.key} unfinished, will resume: ${e?.type ?? "Error"} ${e?.message ?? String(error)}`,
    );
    return { job, kind: "unfinished", error: e?.message ?? String(error) };
  }
  // Stripe refused the request itself (say, the saved card was removed): the backer can fix it.
  return {
    job,
    kind: "failed",
    status: "failed",
    code: e.code ?? "invalid_request",
    declineCode: null,
    message: e.message,
    stripeObjectId: null,
  };
}

/**
 * Step 3: the batch's outcomes with their pledge transitions, journal entries and emails, in the
 * caller's transaction, each once: an attempt that is no longer pending was recorded by someone
 * else. A few set-based statements per batch, not a dozen per pledge.
 */
export async function recordOutcomes(
  trx: Trx,
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  outcomes: JobOutcome[],
): Promise<BatchResult> {
  const result = emptyResult();
  const done: Exclude<JobOutcome, { kind: "unfinished" }>[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === "unfinished") {
      // Not picked up again in this pass; the next pass repeats it with the same key.
      ctx.deferred.add(outcome.job.attemptId);
      result.unfinished++;
    } else done.push(outcome);
  }
  if (done.length === 0) return result;

  const finished = await sql<{ id: number }>`
    update charge_attempts a
       set status = v.status, stripe_object_id = v.object_id, error_code = v.code, decline_code = v.decline_code,
           error_message = v.message, finished_at = now()
      from (values ${sql.join(
        done.map((o) =>
          o.kind === "failed"
            ? sql`(${o.job.attemptId}::bigint, ${o.status}::text, ${o.stripeObjectId}::text, ${o.code}::text, ${o.declineCode}::text, ${o.message.slice(0, 1000)}::text)`
            : sql`(${o.job.attemptId}::bigint, 'succeeded'::text, ${o.kind === "paid" ? o.paymentIntentId : (o.refunds[0]?.refundId ?? null)}::text, null::text, null::text, null::text)`,
        ),
      )}) as v(id, status, object_id, code, decline_code, message)
     where a.id = v.id and a.status = 'pending'
    returning a.id`.execute(trx);
  const mine = new Set(finished.rows.map((r) => Number(r.id)));
  const live = done.filter((o) => mine.has(o.job.attemptId));
  const appUrl = ctx.config.appUrl;
  const emails: OutgoingEmail[] = [];
  const booking = (job: AttemptJob) => ({ campaignId: campaign.id, pledgeId: job.pledgeId, currency: job.currency });
  const moved = async <O extends { job: AttemptJob }>(
    list: O[],
    from: PledgeState,
    to: PledgeState,
    reason: (o: O) => string,
    detail: (o: O) => Record<string, unknown>,
  ): Promise<O[]> => {
    const byPledge = new Map(list.map((o) => [o.job.pledgeId, o]));
    const ids = await transitionPledges(trx, {
      pledgeIds: [...byPledge.keys()],
      from,
      to,
      actorId: null,
      reason: (id) => reason(byPledge.get(id)!),
      detail: (id) => detail(byPledge.get(id)!),
    });
    if (ids.length < list.length) {
      // A pending attempt's pledge is always collecting/refunding; anything else is a bug to see.
      const lost = list.filter((o) => !ids.includes(o.job.pledgeId)).map((o) => o.job.key);
      ctx.log(`[settlement] ${lost.length} pledge(s) not ${from} when recording ${to}: ${lost.slice(0, 5).join(", ")}`);
    }
    const set = new Set(ids);
    return list.filter((o) => set.has(o.job.pledgeId));
  };

  type Paid_ = Extract<JobOutcome, { kind: "paid" }>;
  type Refunded_ = Extract<JobOutcome, { kind: "refunded" }>;
  type Failed_ = Extract<JobOutcome, { kind: "failed" }>;
  const paid = await moved(
    live.filter((o): o is Paid_ => o.kind === "paid"),
    "collecting",
    "collected",
    (o) => (o.job.kind === "keep" ? "Payment made at pledge time kept: the campaign is funded" : "Charged"),
    (o) => ({ attempt: o.job.attempt, payment_intent: o.paymentIntentId, charge: o.chargeId }),
  );
  if (paid.length > 0) {
    await sql`
      update pledges p
         set collected_amount = v.amount, stripe_payment_intent_id = v.payment_intent, next_charge_at = null, last_charge_error = null, updated_at = now()
        from (values ${sql.join(paid.map((o) => sql`(${o.job.pledgeId}::uuid, ${o.amount}::bigint, ${o.paymentIntentId}::text)`))}) as v(id, amount, payment_intent)
       where p.id = v.id`.execute(trx);
    for (const o of paid)
      emails.push(
        o.job.attempt === 1
          ? fundedNotice(o.job.notice, { appUrl, charged: o.job.kind === "charge" })
          : paymentFixedNotice(o.job.notice, { appUrl }),
      );
  }

  const refunded = await moved(
    live.filter((o): o is Refunded_ => o.kind === "refunded"),
    "refunding",
    "refunded",
    () =>
      campaign.decision === "cancelled"
        ? "Refunded: the campaign was cancelled"
        : "Refunded: the campaign was not funded",
    (o) => ({ refunds: o.refunds.map((r) => r.refundId) }),
  );
  if (refunded.length > 0) {
    const rows = refunded.flatMap((o) =>
      o.refunds.map((r) => ({
        pledge_id: o.job.pledgeId,
        amount: r.amount,
        currency: o.job.currency,
        reason: campaign.decision === "cancelled" ? "Campaign cancelled" : "Campaign not funded",
        idempotency_key: r.key,
        status: "succeeded" as const,
        stripe_refund_id: r.refundId,
        finished_at: new Date(),
        purpose: "settlement" as const,
        stripe_payment_intent_id: r.paymentIntentId,
      })),
    );
    if (rows.length > 0)
      await trx
        .insertInto("refunds")
        .values(rows)
        .onConflict((oc) => oc.column("idempotency_key").doNothing())
        .execute();
    for (const o of refunded) emails.push(refundIssuedNotice(o.job.notice, { appUrl, decision: campaign.decision }));
  }
  // Up-front payments enter the journal at settlement with every refund made on them (before
  // the deadline, or now because the campaign was not funded), so the statement shows both.
  const settledIds = [...paid, ...refunded].map((o) => o.job.pledgeId);
  const earlierRefunds = settledIds.length
    ? await trx
        .selectFrom("refunds")
        .select(["pledge_id", "amount", "stripe_refund_id"])
        .where("pledge_id", "in", settledIds)
        .where("purpose", "in", PLEDGE_REFUND_PURPOSES)
        .where("status", "=", "succeeded")
        .execute()
    : [];
  const jobOf = new Map([...paid, ...refunded].map((o) => [o.job.pledgeId, o.job]));
  await bookChargesAndRefunds(trx, {
    charges: [
      ...paid.map((o) => ({ job: o.job, payments: o.payments })),
      ...refunded.map((o) => ({ job: o.job, payments: o.originals })),
    ].flatMap(({ job, payments }) =>
      payments.map((p) => ({
        ...booking(job),
        amount: p.amount,
        fee: p.fee,
        paymentIntentId: p.paymentIntentId,
        chargeId: p.chargeId,
        balanceTransactionId: p.balanceTransactionId,
      })),
    ),
    refunds: [
      ...earlierRefunds.map((r) => ({
        ...booking(jobOf.get(r.pledge_id)!),
        amount: r.amount,
        refundId: r.stripe_refund_id!,
      })),
      ...refunded.flatMap((o) => o.refunds.map((r) => ({ ...booking(o.job), amount: r.amount, refundId: r.refundId }))),
    ],
  });
  await refreshRefundedAmounts(trx, settledIds);

  const failures = live.filter((o): o is Failed_ => o.kind === "failed");
  for (const o of failures.filter((f) => f.job.kind === "refund")) {
    // The pledge stays `refunding` for finance to resolve; the failure is on the attempt.
    ctx.log(`[settlement] refund for pledge ${o.job.pledgeId} failed: ${o.message}`);
  }
  const nextOf = (o: Failed_) =>
    campaign.graceEndsAt
      ? nextRetryAt({ attempt: o.job.attempt, failedAt: ctx.now, graceEndsAt: campaign.graceEndsAt })
      : null;
  const failed = await moved(
    failures.filter((f) => f.job.kind !== "refund"),
    "collecting",
    "errored",
    (o) => o.message.slice(0, 500),
    (o) => ({
      attempt: o.job.attempt,
      code: o.code,
      decline_code: o.declineCode,
      payment_intent: o.stripeObjectId,
      next_charge_at: nextOf(o)?.toISOString() ?? null,
    }),
  );
  if (failed.length > 0) {
    await sql`
      update pledges p set last_charge_error = v.message, next_charge_at = v.next_at, updated_at = now()
        from (values ${sql.join(failed.map((o) => sql`(${o.job.pledgeId}::uuid, ${o.message.slice(0, 500)}::text, ${nextOf(o)}::timestamptz)`))}) as v(id, message, next_at)
       where p.id = v.id`.execute(trx);
    for (const o of failed)
      emails.push(
        paymentFailedNotice(o.job.notice, {
          appUrl,
          attempt: o.job.attempt,
          reason: o.message,
          graceEndsAt: campaign.graceEndsAt,
        }),
      );
  }
  await queueEmails(trx, emails);

  result.paid = paid.length;
  result.collectedAmount = paid.reduce((n, o) => n + o.amount, 0);
  result.refunded = refunded.length;
  result.failed = failed.length + failures.filter((f) => f.job.kind === "refund").length;
  result.recorded = live.length;
  return result;
}
