import { sql } from "kysely";
import type { PledgeState, Trx } from "../../../../db/schema.js";
import { nextRetryAt } from "../../../domain/settlement";
import { bookChargesAndRefunds } from "../../../models/ledger.server";
import { queueEmails, type OutgoingEmail } from "../../../models/outbox.server";
import { PLEDGE_REFUND_PURPOSES, refreshRefundedAmounts } from "../../../models/pledge-payments.server";
import { transitionPledges } from "../../../models/pledge-state.server";
import type { SettlementContext } from "../context.server";
import { parkRefusedRefunds, resolveRefusedRefunds } from "../refused-refunds.server";
import { fundedNotice, paymentFailedNotice, paymentFixedNotice, refundIssuedNotice } from "../notices.server";
import { emptyResult, type AttemptJob, type BatchResult, type JobOutcome, type SettlingCampaign } from "./types.server";

// Step 3 of the attempt protocol (../attempts.server.ts): every table an outcome touches is
// written in one transaction, so a result is either wholly recorded or still pending.

/**
 * The batch's outcomes with their pledge transitions, journal entries and emails, in the
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
  type Failed_ = Extract<JobOutcome, { kind: "failed" }>;
  const failures = live.filter((o): o is Failed_ => o.kind === "failed");
  // Refunds Stripe refused: the pledge stays `refunding` without a pending attempt (parked, the
  // settlement does not wait for it); what was read and refunded before the refusal is booked.
  const refused = failures
    .filter((f) => f.job.kind === "refund")
    .map((o) => ({ ...o, refunds: o.refunds ?? [], originals: o.originals ?? [] }));
  if (refunded.length > 0 || refused.length > 0) {
    const rows = [...refunded, ...refused].flatMap((o) =>
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
    for (const o of refunded) {
      const notice = refundIssuedNotice(o.job.notice, { appUrl, decision: campaign.decision });
      // A retried refund (the first failed or was refused) tells the backer again.
      emails.push(o.job.attempt > 1 ? { ...notice, dedupeKey: `${notice.dedupeKey}-${o.job.attempt}` } : notice);
    }
  }
  // Up-front payments enter the journal at settlement with every refund made on them (before
  // the deadline, or now because the campaign was not funded), so the statement shows both.
  const settledIds = [...paid, ...refunded, ...refused].map((o) => o.job.pledgeId);
  const earlierRefunds = settledIds.length
    ? await trx
        .selectFrom("refunds")
        .select(["pledge_id", "amount", "stripe_refund_id"])
        .where("pledge_id", "in", settledIds)
        .where("purpose", "in", PLEDGE_REFUND_PURPOSES)
        .where("status", "=", "succeeded")
        .execute()
    : [];
  const jobOf = new Map([...paid, ...refunded, ...refused].map((o) => [o.job.pledgeId, o.job]));
  await bookChargesAndRefunds(trx, {
    charges: [
      ...paid.map((o) => ({ job: o.job, payments: o.payments })),
      ...refunded.map((o) => ({ job: o.job, payments: o.originals })),
      ...refused.map((o) => ({ job: o.job, payments: o.originals })),
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
      ...[...refunded, ...refused].flatMap((o) =>
        o.refunds.map((r) => ({ ...booking(o.job), amount: r.amount, refundId: r.refundId })),
      ),
    ],
  });
  await refreshRefundedAmounts(trx, settledIds);
  await resolveRefusedRefunds(
    trx,
    refunded.map((o) => o.job.pledgeId),
  );
  for (const o of refused) ctx.log(`[settlement] refund for pledge ${o.job.pledgeId} refused: ${o.message}`);
  await parkRefusedRefunds(
    trx,
    refused.map((o) => ({
      campaignId: campaign.id,
      pledgeId: o.job.pledgeId,
      amount: o.job.amount - o.refunds.reduce((n, r) => n + r.amount, 0),
      currency: o.job.currency,
      message: o.message,
      reference: o.stripeObjectId,
    })),
  );
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
