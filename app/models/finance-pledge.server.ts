import { sql } from "kysely";
import type { Db } from "../../db/schema.js";
import { journalTotal } from "./ledger.server";

// One pledge as the finance desk reads it: its row with history, attempts, payments, refunds and
// audit trail, and what the ledger says about its money.

/** Everything the pledge drill-down shows: the pledge, its history, attempts, payments, refunds, audit, payout. */
export async function getPledgeForFinance(db: Db, { pledgeId }: { pledgeId: string }) {
  const pledge = await db
    .selectFrom("pledges")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .innerJoin("users as backer", "backer.id", "pledges.backer_id")
    .leftJoin("tiers", "tiers.id", "pledges.tier_id")
    .selectAll("pledges")
    .select([
      "campaigns.title as campaign_title",
      "campaigns.state as campaign_state",
      "campaigns.collection",
      "backer.name as backer_name",
      "backer.email as backer_email",
      "tiers.title as tier_title",
    ])
    .where("pledges.id", "=", pledgeId)
    .executeTakeFirst();
  if (!pledge) return undefined;
  const [transitions, attempts, payments, refunds, audit, payout] = await Promise.all([
    db
      .selectFrom("pledge_transitions")
      .leftJoin("users", "users.id", "pledge_transitions.actor_id")
      .select(["pledge_transitions.id", "from_state", "to_state", "reason", "detail", "at", "users.name as actor_name"])
      .where("pledge_id", "=", pledgeId)
      .orderBy("pledge_transitions.id")
      .execute(),
    db.selectFrom("charge_attempts").selectAll().where("pledge_id", "=", pledgeId).orderBy("id").execute(),
    // Paid up front and raised: one PaymentIntent per payment.
    db
      .selectFrom("pledge_payments")
      .select(["stripe_payment_intent_id", "amount", "purpose"])
      .where("pledge_id", "=", pledgeId)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("refunds")
      .leftJoin("users", "users.id", "refunds.requested_by")
      .selectAll("refunds")
      .select("users.name as requested_by_name")
      .where("pledge_id", "=", pledgeId)
      .orderBy("refunds.created_at")
      .execute(),
    db
      .selectFrom("audit_log")
      .leftJoin("users", "users.id", "audit_log.actor_id")
      .select(["audit_log.id", "audit_log.at", "audit_log.action", "audit_log.reason", "users.name as actor_name"])
      .where("subject_type", "=", "pledge")
      .where("subject_id", "=", pledgeId)
      .orderBy("audit_log.id")
      .execute(),
    payoutCarrying(db, pledge),
  ]);
  return { pledge, transitions, attempts, payments, refunds, audit, payout: payout ?? null };
}

/** What the ledger says about one pledge's money: charged, refunded (booked) and refunds in flight. */
export async function pledgeMoney(db: Db, { pledgeId }: { pledgeId: string }) {
  const row = await db
    .selectFrom("journal_lines")
    .innerJoin("journal_transactions", "journal_transactions.id", "journal_lines.transaction_id")
    .select([
      journalTotal("charge", "stripe_balance").as("collected"),
      journalTotal("refund", "refunds").as("refunded"),
      sql<string | null>`max(journal_lines.stripe_object_id) filter (where journal_transactions.kind = 'charge')`.as(
        "charge_id",
      ),
    ])
    .where("journal_lines.pledge_id", "=", pledgeId)
    .executeTakeFirstOrThrow();
  const pending = await db
    .selectFrom("refunds")
    .select(sql<number>`coalesce(sum(amount), 0)::bigint`.as("amount"))
    .where("pledge_id", "=", pledgeId)
    .where("status", "=", "pending")
    .where("purpose", "!=", "change_refused")
    .executeTakeFirstOrThrow();
  const collected = Number(row.collected);
  const refunded = Number(row.refunded);
  const pendingAmount = Number(pending.amount);
  return {
    collected,
    refunded,
    pending: pendingAmount,
    refundable: Math.max(0, collected - refunded - pendingAmount),
    chargeId: row.charge_id,
  };
}

const PAYOUT_FIELDS = ["id", "status", "sequence", "amount", "currency", "stripe_transfer_id"] as const;

/**
 * The payout that carries a pledge's money: the settlement's (the first) for a pledge of the
 * deadline; for a late pledge, the further payout that took it (none yet: nothing paid out).
 * Refund rules read its status.
 */
export function payoutCarrying(db: Db, pledge: { campaign_id: string; late: boolean; late_payout_id: string | null }) {
  if (pledge.late) {
    return pledge.late_payout_id
      ? db.selectFrom("payouts").select(PAYOUT_FIELDS).where("id", "=", pledge.late_payout_id).executeTakeFirst()
      : Promise.resolve(undefined);
  }
  return db
    .selectFrom("payouts")
    .select(PAYOUT_FIELDS)
    .where("campaign_id", "=", pledge.campaign_id)
    .where("sequence", "=", 1)
    .executeTakeFirst();
}
