import type Stripe from "stripe";
import { inflightAttempts, type SettlementContext } from "../context.server";
import { isRetryable } from "../pacer.server";
import { recordOutcomes } from "./record.server";
import {
  emptyResult,
  type AttemptJob,
  type BatchResult,
  type JobOutcome,
  type Paid,
  type SettlementRefund,
  type SettlingCampaign,
} from "./types.server";

// Step 2 of the attempt protocol (../attempts.server.ts): the Stripe calls, each with its
// attempt's key, and what their answers mean for the pledge. executeAttempts carries a claimed
// batch through this step and the next, so a caller never records without having called.

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

/** A failure without a decline code: one found before the call (no card, nothing paid) or a refund Stripe could not make. */
const failed = (job: AttemptJob, code: string, message: string, stripeObjectId: string | null = null): JobOutcome => ({
  job,
  kind: "failed",
  status: "failed",
  code,
  declineCode: null,
  message,
  stripeObjectId,
});

/** One attempt's Stripe calls; an error that is not the backer's to fix leaves it unfinished. */
async function runJob(ctx: SettlementContext, campaign: SettlingCampaign, job: AttemptJob): Promise<JobOutcome> {
  const { stripe, pacer } = ctx;
  try {
    if (job.kind === "charge") {
      if (!job.customerId || !job.paymentMethodId) {
        return failed(job, "no_payment_method", "There is no saved card for this pledge.");
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
      // Awaited here so a failure reading the charge is this attempt's outcome, not the whole batch's.
      return await paymentOutcome(ctx, job, pi);
    }
    const intents = await paymentIntentsOf(ctx, job);
    if (intents.length === 0) {
      return failed(job, "no_payment", "The pledge has no payment to confirm or refund.");
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
        return failed(job, "not_paid", `Payment ${pi.id} is ${pi.status}; there is nothing to refund.`, pi.id);
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
          // Refused for good (say, the charge is disputed): the pledge is parked for finance with
          // what was read and refunded so far, so the payments are booked and the rest retried.
          if (error?.type === "StripeInvalidRequestError" || error?.type === "StripeCardError")
            return { refused: error };
          throw error;
        });
      if (!refund) continue;
      if ("refused" in refund) {
        const e = refund.refused;
        return {
          ...failed(job, e.code ?? "refund_refused", e.message, paymentIntentId),
          originals,
          refunds,
        } as JobOutcome;
      }
      if (refund.status === "failed" || refund.status === "canceled") {
        return {
          ...failed(job, "refund_failed", refund.failure_reason ?? `Refund ${refund.id} ${refund.status}`, refund.id),
          originals,
          refunds,
        } as JobOutcome;
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
