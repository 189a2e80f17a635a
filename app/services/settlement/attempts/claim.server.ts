import { sql, type ExpressionBuilder } from "kysely";
import type { Database, Db, PledgeState } from "../../../../db/schema.js";
import { chargeKey, keepKey, refundKey } from "../../../domain/settlement";
import { transitionPledges } from "../../../models/pledge-state.server";
import { inflightAttempts, type SettlementContext } from "../context.server";
import { noticeOf } from "../notices.server";
import type { AttemptJob, JobKind, SettlingCampaign } from "./types.server";

// Step 1 of the attempt protocol (../attempts.server.ts): the intent, durable before any call.
// Pledges are claimed under their row locks and leave with a pending attempt and its key; a
// pending attempt left by a worker that died is taken over as it is, never renumbered.

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
      "users.locale",
    ]);
}

type PledgeRow = Awaited<ReturnType<ReturnType<typeof selectPledgesWithBacker>["execute"]>>[number];

/** A pledge with a pending attempt is someone's to finish: a live call, or a payment page the backer has open. */
export const noPendingAttempt = (eb: ExpressionBuilder<Database, "pledges" | "users">) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom("charge_attempts")
        .select("charge_attempts.id")
        .whereRef("charge_attempts.pledge_id", "=", "pledges.id")
        .where("charge_attempts.status", "=", "pending"),
    ),
  );

function jobKindOf(kind: "charge" | "refund", key: string): JobKind {
  if (kind === "refund") return "refund";
  return key.startsWith("colecta-keep-") ? "keep" : "charge";
}

/** Keeps only ids nobody in this process works on, and marks them as ours (synchronously). */
function takeOwnership<T extends { attemptId: number }>(jobs: T[], limit: number, skip: ReadonlySet<number>): T[] {
  const mine = jobs.filter((j) => !inflightAttempts.has(j.attemptId) && !skip.has(j.attemptId)).slice(0, limit);
  for (const j of mine) inflightAttempts.add(j.attemptId);
  return mine;
}

export type ClaimSource = "active" | "retry" | { pledgeId: string };

/**
 * Claims up to `limit` pledges and records their attempts. `active` takes fresh pledges
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
        // A backer paying on the fix-payment page right now is not charged behind their back.
        query = query.where("pledges.state", "=", "errored").where(noPendingAttempt);
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
  const rows = await selectPledgesWithBacker(ctx.db)
    .innerJoin("charge_attempts", "charge_attempts.pledge_id", "pledges.id")
    .select([
      "charge_attempts.id as attempt_id",
      "charge_attempts.attempt",
      "charge_attempts.kind",
      "charge_attempts.idempotency_key",
      "charge_attempts.amount as attempt_amount",
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

/** A pending retry younger than this may still be someone's live call. */
const RETRY_IN_FLIGHT_MS = 60_000;

/**
 * Finance's retry of a settlement refund Stripe refused (or failed later): under the pledge's
 * lock, a parked `refunding` pledge (no pending attempt) gets a new refund attempt with its own
 * number and key, durable before the call. Null when the pledge is not parked (someone else is
 * refunding it, or it is not waiting for a refund).
 */
export async function claimRefundRetry(
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  pledgeId: string,
): Promise<AttemptJob | null> {
  const job = await ctx.db.transaction().execute(async (trx) => {
    const row = await selectPledgesWithBacker(trx)
      .where("pledges.id", "=", pledgeId)
      .where("pledges.campaign_id", "=", campaign.id)
      .where("pledges.state", "=", "refunding")
      .forUpdate(["pledges"])
      .skipLocked()
      .executeTakeFirst();
    if (!row) return null;
    const pending = await trx
      .selectFrom("charge_attempts")
      .select(["id", "attempt", "idempotency_key", "amount", "started_at"])
      .where("pledge_id", "=", pledgeId)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (pending) {
      // A retry whose answer never came back (nobody else resumes a closed campaign's attempt):
      // repeated as it is, same key and amount, once it is clearly nobody's live call.
      const stale = ctx.now.getTime() - pending.started_at.getTime() > RETRY_IN_FLIGHT_MS;
      if (!stale || inflightAttempts.has(pending.id)) return null;
      inflightAttempts.add(pending.id);
      return toJob(
        campaign,
        "refund",
        { ...row, amount: pending.amount },
        { attemptId: pending.id, attempt: pending.attempt, key: pending.idempotency_key },
      );
    }
    const last = await trx
      .selectFrom("charge_attempts")
      .select((eb) => eb.fn.max("attempt").as("n"))
      .where("pledge_id", "=", pledgeId)
      .where("kind", "=", "refund")
      .executeTakeFirst();
    const attempt = Number(last?.n ?? 0) + 1;
    const key = `${refundKey(row.id, "unfunded")}-retry-${attempt}`;
    const inserted = await trx
      .insertInto("charge_attempts")
      .values({
        pledge_id: row.id,
        attempt,
        kind: "refund",
        idempotency_key: key,
        amount: row.amount,
        currency: row.currency,
        started_at: ctx.now,
      })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    inflightAttempts.add(inserted.id);
    return toJob(campaign, "refund", row, { attemptId: inserted.id, attempt, key });
  });
  return job;
}
