import { sql } from "kysely";
import type { CurrencyCode, Db, DisputeStatus } from "../../db/schema.js";
import { AWAITING_RESPONSE, EVIDENCE_DUE_SOON_MS, FINAL_STATUSES } from "../domain/disputes";
import { postJournal } from "./ledger.server";

// The disputes table: each Stripe dispute as the app last read it. One writer for its status
// (`applyDisputeState`), called with what Stripe says now; a row that reached an outcome is
// final, so a stale read delivered late cannot reopen it.

const STATUSES: readonly DisputeStatus[] = [
  "warning_needs_response",
  "warning_under_review",
  "warning_closed",
  "needs_response",
  "under_review",
  "appeal_needs_response",
  "appeal_under_review",
  "won",
  "lost",
  "prevented",
];

export function isDisputeStatus(status: string): status is DisputeStatus {
  return (STATUSES as readonly string[]).includes(status);
}

/** The dispute's row, created when first seen, locked for the caller's transaction. */
export async function lockDisputeRow(
  trx: Db,
  d: {
    stripeDisputeId: string;
    pledgeId: string;
    campaignId: string;
    amount: number;
    currency: CurrencyCode;
    reason: string | null;
    status: DisputeStatus;
    dueBy: Date | null;
  },
) {
  const inserted = await trx
    .insertInto("disputes")
    .values({
      stripe_dispute_id: d.stripeDisputeId,
      pledge_id: d.pledgeId,
      campaign_id: d.campaignId,
      amount: d.amount,
      currency: d.currency,
      reason: d.reason,
      status: d.status,
      evidence_due_by: d.dueBy,
    })
    .onConflict((oc) => oc.column("stripe_dispute_id").doNothing())
    .returning("id")
    .executeTakeFirst();
  const row = await trx
    .selectFrom("disputes")
    .selectAll()
    .where("stripe_dispute_id", "=", d.stripeDisputeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { row, created: Boolean(inserted) };
}

/**
 * Writes what Stripe says of the dispute now onto its (locked) row. An outcome is final: once
 * won or lost, later reads change nothing. Returns the outcome reached by this write, if any.
 */
export async function applyDisputeState(
  trx: Db,
  row: { id: string; outcome: "won" | "lost" | null; evidence_submitted_at: Date | null },
  s: { status: DisputeStatus; amount: number; reason: string | null; dueBy: Date | null; submitted: boolean },
): Promise<"won" | "lost" | null> {
  if (row.outcome) return null;
  const outcome = s.status === "won" ? "won" : FINAL_STATUSES.includes(s.status) ? "lost" : null;
  await trx
    .updateTable("disputes")
    .set({
      status: s.status,
      amount: s.amount,
      reason: s.reason,
      evidence_due_by: s.dueBy,
      // Submitted elsewhere (the Dashboard) or our call's answer lost in a crash: Stripe says so.
      evidence_submitted_at: row.evidence_submitted_at ?? (s.submitted ? new Date() : null),
      outcome,
      closed_at: outcome ? new Date() : null,
      updated_at: new Date(),
    })
    .where("id", "=", row.id)
    .execute();
  return outcome;
}

/**
 * A won dispute's money coming back: the reinstated amount leaves the disputes account for the
 * Stripe balance, booked once per dispute whichever event (funds_reinstated, closed) arrives first.
 */
export function bookDisputeReinstatement(
  db: Db,
  b: { campaignId: string; pledgeId: string; currency: CurrencyCode; amount: number; disputeId: string },
) {
  return postJournal(db, {
    kind: "dispute",
    campaignId: b.campaignId,
    pledgeId: b.pledgeId,
    currency: b.currency,
    stripeObjectId: b.disputeId,
    idempotencyKey: `dispute_won:${b.disputeId}`,
    memo: `Dispute ${b.disputeId} won: funds reinstated`,
    lines: [
      { account: "disputes", amount: -b.amount },
      { account: "stripe_balance", amount: b.amount },
    ],
  });
}

/** The pledge's disputes, newest first, with who submitted evidence. */
export function listDisputesOfPledge(db: Db, { pledgeId }: { pledgeId: string }) {
  return db
    .selectFrom("disputes")
    .leftJoin("users", "users.id", "disputes.evidence_submitted_by")
    .select([
      "disputes.id",
      "disputes.stripe_dispute_id",
      "disputes.amount",
      "disputes.currency",
      "disputes.reason",
      "disputes.status",
      "disputes.evidence_due_by",
      "disputes.evidence_submitted_at",
      "disputes.outcome",
      "disputes.closed_at",
      "disputes.created_at",
      "users.name as submitted_by_name",
    ])
    .where("disputes.pledge_id", "=", pledgeId)
    .orderBy("disputes.created_at", "desc")
    .execute();
}

/** The latest dispute of each pledge (the desk's list of disputed pledges). */
export async function latestDisputesOf(db: Db, { pledgeIds }: { pledgeIds: string[] }) {
  if (pledgeIds.length === 0)
    return new Map<
      string,
      { status: DisputeStatus; evidence_due_by: Date | null; evidence_submitted_at: Date | null }
    >();
  const rows = await db
    .selectFrom("disputes")
    .select(["pledge_id", "status", "evidence_due_by", "evidence_submitted_at"])
    .distinctOn("pledge_id")
    .where("pledge_id", "in", pledgeIds)
    .orderBy("pledge_id")
    .orderBy("created_at", "desc")
    .execute();
  return new Map(rows.map((r) => [r.pledge_id, r]));
}

/** The dispute on this pledge, locked (evidence from the desk); undefined when it is not the pledge's. */
export function lockDisputeOfPledge(trx: Db, { disputeId, pledgeId }: { disputeId: string; pledgeId: string }) {
  return trx
    .selectFrom("disputes")
    .selectAll()
    .where("id", "=", disputeId)
    .where("pledge_id", "=", pledgeId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Open disputes that still wait for evidence, due within three days of `now` (not yet past), and
 * never alerted about before (an alert a finance user resolved stays resolved).
 */
export function listDisputesDueSoon(db: Db, { now }: { now: Date }) {
  return db
    .selectFrom("disputes")
    .innerJoin("campaigns", "campaigns.id", "disputes.campaign_id")
    .select([
      "disputes.stripe_dispute_id",
      "disputes.pledge_id",
      "disputes.campaign_id",
      "disputes.amount",
      "disputes.currency",
      "disputes.evidence_due_by",
      "campaigns.title as campaign_title",
    ])
    .where("disputes.outcome", "is", null)
    .where("disputes.evidence_submitted_at", "is", null)
    .where("disputes.status", "in", AWAITING_RESPONSE)
    .where("disputes.evidence_due_by", ">", now)
    .where("disputes.evidence_due_by", "<=", new Date(now.getTime() + EVIDENCE_DUE_SOON_MS))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("finance_alerts")
            .select(sql.lit(1).as("one"))
            .whereRef(
              "finance_alerts.dedupe_key",
              "=",
              sql<string>`'dispute_evidence_due:' || disputes.stripe_dispute_id`,
            ),
        ),
      ),
    )
    .execute();
}

/** What the fulfilment record says of the reward's shipping (prefills the evidence form). */
export function shippingOfPledge(db: Db, { pledgeId }: { pledgeId: string }) {
  return db
    .selectFrom("fulfilments")
    .select(["carrier", "tracking_number", "delivered_at"])
    .where("pledge_id", "=", pledgeId)
    .executeTakeFirst();
}
