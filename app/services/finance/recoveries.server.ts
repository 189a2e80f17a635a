import { sql } from "kysely";
import Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import { computeStatement } from "../../domain/statement";
import { raiseFinanceAlert, resolveFinanceAlerts } from "../../models/finance-alerts.server";
import { payoutCarrying } from "../../models/finance-pledge.server";
import { bookPayoutReversal, journalSums, postJournal } from "../../models/ledger.server";
import { recordAudit } from "../../models/audit.server";

// Refunds after a payout. The money a backer gets back had already gone to the creator, so it is
// taken back from the transfer that carried it (a transfer reversal, up to what is left on that
// transfer); what Stripe will not reverse stays owed by the creator (the statement's payout due
// goes negative) and is netted from their next payout in that currency (planPayout).
//
// Crash safety: the recovery row is written in the transaction that books the refund, BEFORE the
// Stripe call; its id is the reversal's idempotency key; a row left pending (a crash, Stripe
// unreachable) is retried by the worker with the same key, so a transfer is reversed once.

/** A pending recovery younger than this is assumed to be in flight in another request. */
const IN_FLIGHT_MS = 60_000;

/**
 * In the refund's booking transaction: if the pledge's money was paid out, records what must be
 * recovered from the creator. Returns the recovery's id (or null when nothing was paid out).
 */
export async function openRecovery(
  trx: Db,
  {
    refundId,
    pledge,
    amount,
  }: {
    refundId: string;
    pledge: { campaign_id: string; late: boolean; late_payout_id: string | null; currency: string };
    amount: number;
  },
): Promise<string | null> {
  const payout = await payoutCarrying(trx, pledge);
  if (payout?.status !== "paid" || amount <= 0) return null;
  const row = await trx
    .insertInto("payout_recoveries")
    .values({
      refund_id: refundId,
      payout_id: payout.id,
      campaign_id: pledge.campaign_id,
      late: payout.sequence > 1,
      amount,
      currency: payout.currency,
    })
    .onConflict((oc) => oc.column("refund_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export type RecoveryOutcome =
  | { status: "reversed"; reversed: number; reversalId: string }
  | { status: "owed"; reversed: number; owed: number; message: string }
  | { status: "pending"; message: string }
  | { status: "cancelled" };

type RecoveryRow = {
  id: string;
  campaign_id: string;
  payout_id: string;
  refund_id: string;
  late: boolean;
  amount: number;
  currency: string;
};

/** What a finished recovery says, read back. */
function outcomeOf(row: {
  status: string;
  amount: number;
  reversed_amount: number;
  stripe_reversal_id: string | null;
  failure: string | null;
}): RecoveryOutcome {
  if (row.status === "cancelled") return { status: "cancelled" };
  if (row.status === "reversed")
    return { status: "reversed", reversed: row.reversed_amount, reversalId: row.stripe_reversal_id ?? "" };
  return {
    status: "owed",
    reversed: row.reversed_amount,
    owed: row.amount - row.reversed_amount,
    message: row.failure ?? "",
  };
}

/**
 * Takes a recovery's amount back from the payout's transfer, as far as the transfer allows, and
 * records the answer once: reversed (booked as a payout reversal), owed (in part or whole, with
 * an alert), still pending (Stripe unreachable; retried later with the same key and amount) or
 * cancelled (Stripe failed the refund meanwhile: nothing is owed).
 */
export async function recoverFromPayout(db: Db, stripe: Stripe, recoveryId: string): Promise<RecoveryOutcome> {
  const claimed = await db.transaction().execute(async (trx) => {
    // The payout first: requests against one transfer are sized one at a time.
    const head = await trx
      .selectFrom("payout_recoveries")
      .select("payout_id")
      .where("id", "=", recoveryId)
      .executeTakeFirstOrThrow();
    const payout = await trx
      .selectFrom("payouts")
      .select(["stripe_transfer_id", "amount"])
      .where("id", "=", head.payout_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const recovery = await trx
      .selectFrom("payout_recoveries")
      .innerJoin("refunds", "refunds.id", "payout_recoveries.refund_id")
      .selectAll("payout_recoveries")
      .select("refunds.status as refund_status")
      .where("payout_recoveries.id", "=", recoveryId)
      .forUpdate(["payout_recoveries"])
      .executeTakeFirstOrThrow();
    if (recovery.status !== "pending") return { done: outcomeOf(recovery) };
    if (recovery.refund_status === "failed") {
      await cancel(trx, recovery.id);
      return { done: { status: "cancelled" } as RecoveryOutcome };
    }
    if (recovery.requested_amount !== null)
      return { recovery, transferId: payout.stripe_transfer_id, amount: recovery.requested_amount };
    // What is left on the transfer: less what others took and what others are asking for.
    const taken = await trx
      .selectFrom("payout_recoveries")
      .select((eb) => [
        eb.fn.coalesce(eb.fn.sum<number>("reversed_amount"), eb.lit(0)).as("reversed"),
        eb.fn
          .coalesce(eb.fn.sum<number>(sql`case when status = 'pending' then requested_amount else 0 end`), eb.lit(0))
          .as("asked"),
      ])
      .where("payout_id", "=", recovery.payout_id)
      .where("id", "!=", recovery.id)
      .executeTakeFirstOrThrow();
    const left = payout.stripe_transfer_id
      ? Math.max(0, Number(payout.amount) - Number(taken.reversed) - Number(taken.asked))
      : 0;
    const amount = Math.min(recovery.amount, left);
    await trx
      .updateTable("payout_recoveries")
      .set({ requested_amount: amount })
      .where("id", "=", recovery.id)
      .execute();
    return { recovery, transferId: payout.stripe_transfer_id, amount };
  });
  if ("done" in claimed) return claimed.done!;
  const { recovery, transferId, amount } = claimed;
  if (amount === 0 || !transferId)
    return finish(db, recovery, { reversed: 0, message: "Nothing is left on the payout's transfer." });
  let reversal: Stripe.TransferReversal;
  try {
    reversal = await stripe.transfers.createReversal(
      transferId,
      {
        amount,
        metadata: { recovery_id: recovery.id, refund_id: recovery.refund_id, campaign_id: recovery.campaign_id },
      },
      { idempotencyKey: `colecta-recovery-${recovery.id}` },
    );
  } catch (error) {
    const message = (error as Error).message.slice(0, 1000);
    if (
      (error instanceof Stripe.errors.StripeInvalidRequestError ||
        error instanceof Stripe.errors.StripePermissionError) &&
      (error as { type?: string }).type !== "idempotency_error"
    )
      return finish(db, recovery, { reversed: 0, message });
    console.warn(`[recovery ${recovery.id}] Stripe call failed, left pending: ${message}`);
    return { status: "pending", message };
  }
  return finish(db, recovery, {
    reversed: reversal.amount,
    reversalId: reversal.id,
    message: amount < recovery.amount ? "Only part of the refund was left on the payout's transfer." : "",
  });
}

async function cancel(trx: Db, recoveryId: string) {
  await trx
    .updateTable("payout_recoveries")
    .set({ status: "cancelled", finished_at: new Date() })
    .where("id", "=", recoveryId)
    .where("status", "=", "pending")
    .execute();
}

/**
 * Stripe failed a refund: a recovery still pending for it is cancelled (in the caller's
 * transaction). One that already took money back leaves the creator owed it: their payout due
 * turns positive, and it is added to their next payout (planPayout).
 */
export async function cancelRecoveryOf(trx: Db, { refundId }: { refundId: string }) {
  const row = await trx
    .selectFrom("payout_recoveries")
    .select(["id", "status"])
    .where("refund_id", "=", refundId)
    .executeTakeFirst();
  if (row?.status === "pending" || row?.status === "owed") {
    await trx
      .updateTable("payout_recoveries")
      .set({ status: "cancelled", finished_at: new Date() })
      .where("id", "=", row.id)
      .execute();
    await resolveFinanceAlerts(trx, {
      dedupeKeys: [`recovery_failed:${row.id}`],
      note: "The refund failed at Stripe.",
    });
  }
}

async function finish(
  db: Db,
  recovery: RecoveryRow,
  { reversed, reversalId, message }: { reversed: number; reversalId?: string; message: string },
): Promise<RecoveryOutcome> {
  return db.transaction().execute(async (trx): Promise<RecoveryOutcome> => {
    const row = await trx
      .selectFrom("payout_recoveries")
      .innerJoin("refunds", "refunds.id", "payout_recoveries.refund_id")
      .select([
        "payout_recoveries.status",
        "payout_recoveries.amount",
        "payout_recoveries.reversed_amount",
        "payout_recoveries.stripe_reversal_id",
        "payout_recoveries.failure",
        "refunds.status as refund_status",
      ])
      .where("payout_recoveries.id", "=", recovery.id)
      .forUpdate(["payout_recoveries"])
      .executeTakeFirstOrThrow();
    const currency = recovery.currency as Parameters<typeof bookPayoutReversal>[1]["currency"];
    // What Stripe reversed is booked whatever happened meanwhile: the money moved.
    if (reversed > 0 && reversalId)
      await bookPayoutReversal(trx, {
        campaignId: recovery.campaign_id,
        currency,
        amount: reversed,
        reversalId,
        late: recovery.late,
      });
    if (row.status !== "pending") {
      if (reversed > 0 && reversalId)
        await trx
          .updateTable("payout_recoveries")
          .set({ reversed_amount: reversed, stripe_reversal_id: reversalId })
          .where("id", "=", recovery.id)
          .where("stripe_reversal_id", "is", null)
          .execute();
      return outcomeOf(row);
    }
    const cancelled = row.refund_status === "failed";
    const owed = cancelled ? 0 : recovery.amount - reversed;
    await trx
      .updateTable("payout_recoveries")
      .set({
        status: cancelled ? "cancelled" : owed === 0 ? "reversed" : "owed",
        reversed_amount: reversed,
        stripe_reversal_id: reversalId ?? null,
        failure: owed === 0 ? null : message,
        finished_at: new Date(),
      })
      .where("id", "=", recovery.id)
      .execute();
    await recordAudit(trx, {
      actorId: null,
      action: cancelled ? "payout.recovery_cancelled" : owed === 0 ? "payout.recovered" : "payout.recovery_owed",
      subjectType: "campaign",
      subjectId: recovery.campaign_id,
      detail: {
        payout_id: recovery.payout_id,
        refund_id: recovery.refund_id,
        recovered: reversed,
        owed,
        currency: recovery.currency,
        stripe_reversal_id: reversalId ?? null,
        ...(message ? { stripe_error: message } : {}),
      },
    });
    if (cancelled) return { status: "cancelled" };
    if (owed > 0) {
      await raiseFinanceAlert(trx, {
        kind: "recovery_failed",
        dedupeKey: `recovery_failed:${recovery.id}`,
        campaignId: recovery.campaign_id,
        payoutId: recovery.payout_id,
        detail: { amount: owed, currency, reference: recovery.refund_id, message },
      });
      return { status: "owed", reversed, owed, message };
    }
    return { status: "reversed", reversed, reversalId: reversalId! };
  });
}

/** The worker's part: recoveries left pending (a crash, Stripe unreachable), tried again. */
export async function retryPendingRecoveries(db: Db, stripe: Stripe, { olderThanMs = IN_FLIGHT_MS, limit = 20 } = {}) {
  const due = await db
    .selectFrom("payout_recoveries")
    .select("id")
    .where("status", "=", "pending")
    .where("created_at", "<", new Date(Date.now() - olderThanMs))
    .orderBy("created_at")
    .limit(limit)
    .execute();
  for (const r of due) await recoverFromPayout(db, stripe, r.id);
  return due.length;
}

export interface OwedSegment {
  campaignId: string;
  /** The late pledges' segment (its further payouts) or the settlement's. */
  late: boolean;
  /** What the creator owes on the segment; negative: what the segment still owes the creator. */
  amount: number;
}

/**
 * What the creator of `campaignId` owes in `currency`, segment by segment: every segment whose
 * payout is paid and whose payout due went negative (refunds or disputes after the payout that
 * Stripe could not take back); and, as negative amounts, settlement segments whose due turned
 * positive after their payout (a refund Stripe failed after it was recovered, a dispute won
 * after it was netted), which no further payout of theirs would pay. `pending` is true while a
 * recovery in that currency is still asking Stripe: its amount must not be netted as well.
 */
export async function creatorOwed(
  db: Db,
  { campaignId, currency }: { campaignId: string; currency: string },
): Promise<{ owed: OwedSegment[]; pending: boolean }> {
  const creator = await db
    .selectFrom("campaigns")
    .select("creator_id")
    .where("id", "=", campaignId)
    .executeTakeFirstOrThrow();
  const segments = await db
    .selectFrom("payouts")
    .innerJoin("campaigns", "campaigns.id", "payouts.campaign_id")
    .select(["payouts.campaign_id", sql<boolean>`payouts.sequence > 1`.as("late")])
    .where("campaigns.creator_id", "=", creator.creator_id)
    .where("payouts.currency", "=", currency as never)
    .where("payouts.status", "=", "paid")
    .groupBy(["payouts.campaign_id", sql`payouts.sequence > 1`])
    .execute();
  const pending = await db
    .selectFrom("payout_recoveries")
    .innerJoin("campaigns", "campaigns.id", "payout_recoveries.campaign_id")
    .select("payout_recoveries.id")
    .where("campaigns.creator_id", "=", creator.creator_id)
    .where("payout_recoveries.currency", "=", currency as never)
    .where("payout_recoveries.status", "=", "pending")
    .executeTakeFirst();
  const owed: OwedSegment[] = [];
  for (const s of segments) {
    const sums = await journalSums(db, { campaignId: s.campaign_id, late: s.late });
    const due = computeStatement({
      currency: currency as never,
      pledgedAtDeadline: 0,
      pledgesAtDeadline: 0,
      sums,
      tallies: [],
    }).payoutDue;
    // A late segment's positive due is late money its own further payout will carry.
    if (due < 0 || (due > 0 && !s.late)) owed.push({ campaignId: s.campaign_id, late: s.late, amount: -due });
  }
  return { owed, pending: Boolean(pending) };
}

/**
 * Books the netting of owed segments against the payout being prepared (in its transaction): on
 * the paying segment the owed amount counts as paid out to the creator, on the owing segment as
 * money taken back, each side balanced in its own segment's Stripe balance (a negative amount, a
 * credit, the other way round). The owed recoveries
 * of a segment cleared in full are marked netted by this payout.
 */
export async function bookNetting(
  trx: Db,
  {
    payoutId,
    paying,
    netting,
    currency,
    createdBy,
  }: {
    payoutId: string;
    paying: { campaignId: string; late: boolean };
    netting: (OwedSegment & { owedInFull: number })[];
    currency: string;
    createdBy: string;
  },
) {
  for (const n of netting) {
    const owing = `${n.campaignId}:${n.late ? "late" : "settlement"}`;
    await postJournal(trx, {
      kind: "payout",
      campaignId: paying.campaignId,
      currency: currency as never,
      late: paying.late,
      createdBy,
      idempotencyKey: `payout_netting:${payoutId}:${owing}:paid`,
      memo: `Paid to the creator by clearing what they owed on ${owing} (payout ${payoutId})`,
      lines: [
        { account: "creator_payouts", amount: n.amount },
        { account: "stripe_balance", amount: -n.amount },
      ],
    });
    await postJournal(trx, {
      kind: "payout_reversal",
      campaignId: n.campaignId,
      currency: currency as never,
      late: n.late,
      createdBy,
      idempotencyKey: `payout_netting:${payoutId}:${owing}:owed`,
      memo: `Owed by the creator, netted from payout ${payoutId}`,
      lines: [
        { account: "stripe_balance", amount: n.amount },
        { account: "creator_payouts", amount: -n.amount },
      ],
    });
    if (n.amount > 0 && n.amount >= n.owedInFull)
      await trx
        .updateTable("payout_recoveries")
        .set({ status: "netted", netted_by_payout_id: payoutId })
        .where("campaign_id", "=", n.campaignId)
        .where("late", "=", n.late)
        .where("status", "=", "owed")
        .execute();
  }
}
