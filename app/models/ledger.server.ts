import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { CurrencyCode, Db, JournalKind, LedgerAccount, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import type { Statement } from "../domain/statement";

export interface JournalLine {
  account: LedgerAccount;
  /** Signed minor units: debit positive, credit negative. */
  amount: number;
}

export interface JournalEntry {
  kind: JournalKind;
  campaignId: string;
  pledgeId?: string | null;
  currency: CurrencyCode;
  stripeObjectId?: string | null;
  /** One booking per money event; a replay with the same key books nothing. */
  idempotencyKey: string;
  memo?: string;
  createdBy?: string | null;
  /**
   * The late-pledge segment. Left out, it follows the pledge (a late pledge's charge, fee or
   * refund is late); entries without a pledge (platform fee, payout) say it.
   */
  late?: boolean;
  lines: JournalLine[];
}

/** The segment of an entry: given, or its pledge's. */
function segmentOf(entry: { late?: boolean; pledgeId?: string | null }) {
  if (entry.late !== undefined || !entry.pledgeId) return entry.late ?? false;
  return sql<boolean>`coalesce((select p.late from pledges p where p.id = ${entry.pledgeId}), false)`;
}

/**
 * Appends one balanced journal transaction. Returns false when the event was already booked.
 * The database refuses (at commit) any transaction whose lines do not sum to zero.
 */
export function postJournal(db: Db, entry: JournalEntry): Promise<boolean> {
  // Header and lines commit together or not at all (the balance check runs at commit).
  return inTransaction(db, (trx) => insertJournal(trx, entry));
}

async function insertJournal(trx: Trx, entry: JournalEntry): Promise<boolean> {
  const lines = entry.lines.filter((l) => l.amount !== 0);
  if (lines.length === 0) return false;
  const inserted = await trx
    .insertInto("journal_transactions")
    .values({
      kind: entry.kind,
      campaign_id: entry.campaignId,
      pledge_id: entry.pledgeId ?? null,
      stripe_object_id: entry.stripeObjectId ?? null,
      idempotency_key: entry.idempotencyKey,
      memo: entry.memo ?? null,
      created_by: entry.createdBy ?? null,
      late: segmentOf(entry),
    })
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning(["id", "late"])
    .executeTakeFirst();
  if (!inserted) return false;
  await trx
    .insertInto("journal_lines")
    .values(
      lines.map((l) => ({
        transaction_id: inserted.id,
        account_code: l.account,
        amount: l.amount,
        currency: entry.currency,
        campaign_id: entry.campaignId,
        pledge_id: entry.pledgeId ?? null,
        stripe_object_id: entry.stripeObjectId ?? null,
        late: inserted.late,
      })),
    )
    .execute();
  return true;
}

type Booking = {
  campaignId: string;
  pledgeId?: string | null;
  currency: CurrencyCode;
  createdBy?: string | null;
  /** See JournalEntry.late. */
  late?: boolean;
};

// Each money event as its journal entry. Signs: the creator's entitlement is
// collected - Stripe fees - refunds - disputes - platform fee - payouts.

/** A successful charge and Stripe's fee on it (from the balance transaction). */
export function bookCharge(db: Db, b: ChargeBooking): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const [charge, fee] = chargeEntries(b);
    const charged = await postJournal(trx, charge);
    await postJournal(trx, fee);
    return charged;
  });
}

export type ChargeBooking = Booking & {
  amount: number;
  fee: number;
  paymentIntentId: string;
  chargeId: string;
  balanceTransactionId: string;
};

function chargeEntries(b: ChargeBooking): [JournalEntry, JournalEntry] {
  return [
    {
      ...b,
      kind: "charge",
      stripeObjectId: b.chargeId,
      idempotencyKey: `charge:${b.paymentIntentId}`,
      memo: `Charge ${b.chargeId} for pledge ${b.pledgeId ?? "-"}`,
      lines: [
        { account: "stripe_balance", amount: b.amount },
        { account: "backer_funds_held", amount: -b.amount },
      ],
    },
    {
      ...b,
      kind: "stripe_fee",
      stripeObjectId: b.balanceTransactionId,
      idempotencyKey: `stripe_fee:${b.balanceTransactionId}`,
      memo: `Stripe fee on ${b.chargeId}`,
      lines: [
        { account: "processing_fees", amount: b.fee },
        { account: "stripe_balance", amount: -b.fee },
      ],
    },
  ];
}

function refundEntry(b: Booking & { amount: number; refundId: string }): JournalEntry {
  return {
    ...b,
    kind: "refund",
    stripeObjectId: b.refundId,
    idempotencyKey: `refund:${b.refundId}`,
    memo: `Refund ${b.refundId}`,
    lines: [
      { account: "refunds", amount: b.amount },
      { account: "stripe_balance", amount: -b.amount },
    ],
  };
}

/**
 * Many charges (and refunds) at once, for settlement batches: the same entries as bookCharge and
 * bookRefund, each still booked once by its key, in two statements instead of four per event.
 */
export async function bookChargesAndRefunds(
  db: Trx,
  {
    charges = [],
    refunds = [],
  }: { charges?: ChargeBooking[]; refunds?: (Booking & { amount: number; refundId: string })[] },
) {
  const entries = [...charges.flatMap(chargeEntries), ...refunds.map(refundEntry)].filter((e) =>
    e.lines.some((l) => l.amount !== 0),
  );
  if (entries.length === 0) return 0;
  const inserted = await db
    .insertInto("journal_transactions")
    .values(
      entries.map((e) => ({
        kind: e.kind,
        campaign_id: e.campaignId,
        pledge_id: e.pledgeId ?? null,
        stripe_object_id: e.stripeObjectId ?? null,
        idempotency_key: e.idempotencyKey,
        memo: e.memo ?? null,
        created_by: e.createdBy ?? null,
        late: segmentOf(e),
      })),
    )
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning(["id", "idempotency_key", "late"])
    .execute();
  const byKey = new Map(entries.map((e) => [e.idempotencyKey, e]));
  const lines = inserted.flatMap(({ id, idempotency_key, late }) => {
    const e = byKey.get(idempotency_key)!;
    return e.lines
      .filter((l) => l.amount !== 0)
      .map((l) => ({
        transaction_id: id,
        account_code: l.account,
        amount: l.amount,
        currency: e.currency,
        campaign_id: e.campaignId,
        pledge_id: e.pledgeId ?? null,
        stripe_object_id: e.stripeObjectId ?? null,
        late,
      }));
  });
  if (lines.length > 0) await db.insertInto("journal_lines").values(lines).execute();
  return inserted.length;
}

export async function bookRefund(db: Db, b: Booking & { amount: number; refundId: string }) {
  return postJournal(db, refundEntry(b));
}

/** A dispute withdraws the disputed amount and Stripe's dispute fee from the balance. */
export async function bookDispute(db: Db, b: Booking & { amount: number; fee: number; disputeId: string }) {
  return postJournal(db, {
    ...b,
    kind: "dispute",
    stripeObjectId: b.disputeId,
    idempotencyKey: `dispute:${b.disputeId}`,
    memo: `Dispute ${b.disputeId}`,
    lines: [
      { account: "disputes", amount: b.amount + b.fee },
      { account: "stripe_balance", amount: -(b.amount + b.fee) },
    ],
  });
}

/** The platform's share, taken from the funds held for the creator when the payout is prepared. */
export async function bookPlatformFee(db: Db, b: Booking & { amount: number; payoutId: string }) {
  return postJournal(db, {
    ...b,
    kind: "platform_fee",
    idempotencyKey: `platform_fee:${b.payoutId}`,
    late: b.late ?? false,
    memo: "Platform fee",
    lines: [
      { account: "backer_funds_held", amount: b.amount },
      { account: "platform_revenue", amount: -b.amount },
    ],
  });
}

export async function bookPayout(db: Db, b: Booking & { amount: number; transferId: string }) {
  return postJournal(db, {
    ...b,
    kind: "payout",
    stripeObjectId: b.transferId,
    idempotencyKey: `payout:${b.transferId}`,
    late: b.late ?? false,
    memo: `Transfer ${b.transferId} to the creator`,
    lines: [
      { account: "creator_payouts", amount: b.amount },
      { account: "stripe_balance", amount: -b.amount },
    ],
  });
}

/**
 * Money taken back from a creator's transfer (a refund after the payout): Stripe reversed part
 * of the transfer, so it is back in the platform's balance and no longer paid out. Booked in the
 * segment of the payout it reverses.
 */
export async function bookPayoutReversal(db: Db, b: Booking & { amount: number; reversalId: string; late: boolean }) {
  return postJournal(db, {
    ...b,
    kind: "payout_reversal",
    stripeObjectId: b.reversalId,
    idempotencyKey: `payout_reversal:${b.reversalId}`,
    memo: `Transfer reversal ${b.reversalId}: recovered from the creator`,
    lines: [
      { account: "stripe_balance", amount: b.amount },
      { account: "creator_payouts", amount: -b.amount },
    ],
  });
}

/**
 * In a query over journal_lines joined to journal_transactions: the total of one kind's lines on
 * one account (0 when there are none), e.g. what was collected: `journalTotal("charge", "stripe_balance")`.
 */
export function journalTotal(kind: JournalKind, account: LedgerAccount) {
  return sql<number>`coalesce(sum(journal_lines.amount) filter (where journal_transactions.kind = ${sql.lit(kind)} and journal_lines.account_code = ${sql.lit(account)}), 0)::bigint`;
}

export type JournalSums = Partial<Record<`${JournalKind}:${LedgerAccount}`, number>>;

/**
 * Sums of the campaign's journal lines by (transaction kind, account), in one segment: the
 * settlement's (default) or the late pledges' (`late: true`). One aggregate query.
 */
export async function journalSums(
  db: Db,
  { campaignId, late = false }: { campaignId: string; late?: boolean },
): Promise<JournalSums> {
  const rows = await db
    .selectFrom("journal_lines")
    .innerJoin("journal_transactions", "journal_transactions.id", "journal_lines.transaction_id")
    .select([
      "journal_transactions.kind",
      "journal_lines.account_code",
      sql<number>`sum(journal_lines.amount)::bigint`.as("total"),
    ])
    .where("journal_lines.campaign_id", "=", campaignId)
    .where("journal_lines.late", "=", late)
    .groupBy(["journal_transactions.kind", "journal_lines.account_code"])
    .execute();
  const sums: JournalSums = {};
  for (const r of rows) sums[`${r.kind}:${r.account_code}`] = Number(r.total);
  return sums;
}

/** Journal lines touching one pledge, with their transaction, for the drill-down. */
export async function journalForPledge(db: Db, { pledgeId }: { pledgeId: string }) {
  return db
    .selectFrom("journal_lines")
    .innerJoin("journal_transactions", "journal_transactions.id", "journal_lines.transaction_id")
    .select([
      "journal_transactions.id as transaction_id",
      "journal_transactions.kind",
      "journal_transactions.created_at",
      "journal_transactions.memo",
      "journal_lines.account_code",
      "journal_lines.amount",
      "journal_lines.currency",
      "journal_lines.stripe_object_id",
    ])
    .where("journal_lines.pledge_id", "=", pledgeId)
    .orderBy("journal_lines.id")
    .execute();
}

/** A stable checksum of a frozen statement (keys sorted), so any later change is detectable. */
export function statementChecksum(statement: Statement): string {
  const canonical = JSON.stringify(statement, (_key, value) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash("sha256").update(canonical).digest("hex");
}
