import { sql } from "kysely";
import type { CurrencyCode, Db, JournalKind, PledgeState } from "../../db/schema.js";
import { STATEMENT_LINES, type StatementLine } from "../domain/finance";
import { computeStatement, type PledgeTally, type Statement } from "../domain/statement";
import { journalTotal, type JournalSums } from "./ledger.server";
import { addOnSummary } from "./pledge-add-ons.server";

// The finance desk's read side: bounded queries over settlements, the journal and pledges, for
// the desk (settled campaigns and their statements, disputed pledges, stuck refunds) and one
// campaign's statement (the campaign, the pledges behind a statement line). One pledge is in
// finance-pledge.server.ts, reconciliation runs in reconciliation.server.ts.

/** How many settled campaigns the desk lists (newest decisions first). */
export const DESK_LIMIT = 300;

/** Every settled campaign (bounded), with its creator, payout and the creator's payout account. */
export async function listSettledCampaigns(db: Db, { limit = DESK_LIMIT }: { limit?: number } = {}) {
  return db
    .selectFrom("settlements")
    .innerJoin("campaigns", "campaigns.id", "settlements.campaign_id")
    .innerJoin("users as creator", "creator.id", "campaigns.creator_id")
    .leftJoin("payouts", (join) =>
      join.onRef("payouts.campaign_id", "=", "settlements.campaign_id").on("payouts.sequence", "=", 1),
    )
    .leftJoin("payout_accounts", "payout_accounts.user_id", "campaigns.creator_id")
    .select([
      "campaigns.id",
      "campaigns.title",
      "campaigns.slug",
      "campaigns.state as campaign_state",
      "campaigns.goal_amount",
      "campaigns.deadline",
      "creator.id as creator_id",
      "creator.name as creator_name",
      "creator.email as creator_email",
      "settlements.decision",
      "settlements.stage",
      "settlements.currency",
      "settlements.pledged_at_deadline",
      "settlements.pledges_at_deadline",
      "settlements.decided_at",
      "settlements.grace_ends_at",
      "settlements.closed_at",
      "settlements.statement_checksum",
      "payouts.id as payout_id",
      "payouts.status as payout_status",
      "payouts.amount as payout_amount",
      "payout_accounts.stripe_account_id",
      "payout_accounts.payouts_enabled",
    ])
    .orderBy("settlements.decided_at", "desc")
    .limit(limit)
    .execute();
}

/**
 * Statements for many campaigns at once: two aggregate queries (journal sums by campaign, kind
 * and account; pledge tallies by campaign and state), whatever the number of pledges.
 */
export async function statementsFor(
  db: Db,
  settlements: ReadonlyArray<{
    id: string;
    currency: CurrencyCode;
    pledged_at_deadline: number;
    pledges_at_deadline: number;
  }>,
): Promise<Map<string, Statement>> {
  const out = new Map<string, Statement>();
  if (settlements.length === 0) return out;
  const ids = settlements.map((s) => s.id);
  const [sumRows, tallyRows] = await Promise.all([
    db
      .selectFrom("journal_lines")
      .innerJoin("journal_transactions", "journal_transactions.id", "journal_lines.transaction_id")
      .select([
        "journal_lines.campaign_id",
        "journal_transactions.kind",
        "journal_lines.account_code",
        sql<number>`sum(journal_lines.amount)::bigint`.as("total"),
      ])
      .where("journal_lines.campaign_id", "in", ids)
      // The settlement's segment: late pledges' money has its own statement.
      .where("journal_lines.late", "=", false)
      .groupBy(["journal_lines.campaign_id", "journal_transactions.kind", "journal_lines.account_code"])
      .execute(),
    db
      .selectFrom("pledges")
      .select([
        "campaign_id",
        "state",
        sql<number>`count(*)::int`.as("count"),
        sql<number>`coalesce(sum(amount), 0)::bigint`.as("amount"),
      ])
      .where("campaign_id", "in", ids)
      .where("late", "=", false)
      .groupBy(["campaign_id", "state"])
      .execute(),
  ]);
  const sums = new Map<string, JournalSums>();
  for (const r of sumRows) {
    const s = sums.get(r.campaign_id) ?? {};
    s[`${r.kind}:${r.account_code}`] = Number(r.total);
    sums.set(r.campaign_id, s);
  }
  const tallies = new Map<string, PledgeTally[]>();
  for (const r of tallyRows) {
    const t = tallies.get(r.campaign_id) ?? [];
    t.push({ state: r.state, count: Number(r.count), amount: Number(r.amount) });
    tallies.set(r.campaign_id, t);
  }
  for (const s of settlements) {
    out.set(
      s.id,
      computeStatement({
        currency: s.currency,
        pledgedAtDeadline: s.pledged_at_deadline,
        pledgesAtDeadline: s.pledges_at_deadline,
        sums: sums.get(s.id) ?? {},
        tallies: tallies.get(s.id) ?? [],
      }),
    );
  }
  return out;
}

export async function listDisputedPledges(db: Db, { limit = 50 } = {}) {
  return db
    .selectFrom("pledges")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .innerJoin("users", "users.id", "pledges.backer_id")
    .select([
      "pledges.id",
      "pledges.amount",
      "pledges.currency",
      "pledges.updated_at",
      "campaigns.id as campaign_id",
      "campaigns.title as campaign_title",
      "users.name as backer_name",
    ])
    .where("pledges.state", "=", "disputed")
    .orderBy("pledges.updated_at", "desc")
    .limit(limit)
    .execute();
}

/** Refunds still pending a minute after they started: the Stripe call may need a retry. */
export async function listStuckRefunds(db: Db, { limit = 50 } = {}) {
  return db
    .selectFrom("refunds")
    .innerJoin("pledges", "pledges.id", "refunds.pledge_id")
    .innerJoin("campaigns", "campaigns.id", "pledges.campaign_id")
    .select([
      "refunds.id",
      "refunds.pledge_id",
      "refunds.amount",
      "refunds.currency",
      "refunds.created_at",
      "campaigns.title as campaign_title",
    ])
    .where("refunds.status", "=", "pending")
    .where("refunds.created_at", "<", new Date(Date.now() - 60_000))
    .orderBy("refunds.created_at")
    .limit(limit)
    .execute();
}

/** One campaign as the finance desk sees it: settlement, creator, payout (with who did what). */
export async function getCampaignForFinance(db: Db, { campaignId }: { campaignId: string }) {
  const row = await db
    .selectFrom("campaigns")
    .innerJoin("users as creator", "creator.id", "campaigns.creator_id")
    .leftJoin("settlements", "settlements.campaign_id", "campaigns.id")
    .leftJoin("payout_accounts", "payout_accounts.user_id", "campaigns.creator_id")
    .select([
      "campaigns.id",
      "campaigns.title",
      "campaigns.slug",
      "campaigns.state",
      "campaigns.goal_amount",
      "campaigns.currency",
      "campaigns.deadline",
      "campaigns.funding_model",
      "campaigns.collection",
      "creator.id as creator_id",
      "creator.name as creator_name",
      "creator.email as creator_email",
      "settlements.decision",
      "settlements.stage",
      "settlements.decided_at",
      "settlements.grace_ends_at",
      "settlements.closed_at",
      "settlements.statement_checksum",
      "payout_accounts.stripe_account_id",
      "payout_accounts.payouts_enabled",
      "payout_accounts.details_submitted",
    ])
    .where("campaigns.id", "=", campaignId)
    .executeTakeFirst();
  if (!row) return undefined;
  const payout = await db
    .selectFrom("payouts")
    .innerJoin("users as preparer", "preparer.id", "payouts.prepared_by")
    .leftJoin("users as approver", "approver.id", "payouts.approved_by")
    .selectAll("payouts")
    .select(["preparer.name as prepared_by_name", "approver.name as approved_by_name"])
    .where("payouts.campaign_id", "=", campaignId)
    .where("payouts.sequence", "=", 1)
    .executeTakeFirst();
  return { ...row, payout: payout ?? null };
}

export interface LinePledge {
  id: string;
  state: PledgeState;
  amount: number;
  currency: CurrencyCode;
  backer_name: string;
  backer_email: string;
  collected: number;
  refunded: number;
  line_amount: number;
  stripe_ids: string | null;
  /** "2 × Spare lantern; 1 × Stickers", or null. */
  add_ons: string | null;
}

/** The pledges behind one statement line, a page at a time, with their journal amounts. */
export async function listPledgesForLine(
  db: Db,
  {
    campaignId,
    line,
    page,
    pageSize = 100,
  }: { campaignId: string; line: StatementLine; page: number; pageSize?: number },
) {
  const spec = STATEMENT_LINES[line] as { states?: readonly PledgeState[]; journal?: JournalKind };
  const journalByPledge = db
    .selectFrom("journal_lines")
    .innerJoin("journal_transactions", "journal_transactions.id", "journal_lines.transaction_id")
    .select([
      "journal_lines.pledge_id",
      journalTotal("charge", "stripe_balance").as("collected"),
      journalTotal("refund", "refunds").as("refunded"),
      journalTotal("dispute", "disputes").as("disputed"),
      journalTotal("stripe_fee", "processing_fees").as("fees"),
      sql<string>`string_agg(distinct journal_lines.stripe_object_id, ' ')`.as("stripe_ids"),
    ])
    .where("journal_lines.campaign_id", "=", campaignId)
    .where("journal_lines.pledge_id", "is not", null)
    .groupBy("journal_lines.pledge_id")
    .as("j");
  let query = db
    .selectFrom("pledges")
    .innerJoin("users", "users.id", "pledges.backer_id")
    .leftJoin(journalByPledge, "j.pledge_id", "pledges.id")
    // The settlement statement's lines: late pledges have their own statement.
    .where("pledges.late", "=", false)
    .select([
      "pledges.id",
      "pledges.state",
      "pledges.amount",
      "pledges.currency",
      "users.name as backer_name",
      "users.email as backer_email",
      sql<number>`coalesce(j.collected, 0)`.as("collected"),
      sql<number>`coalesce(j.refunded, 0)`.as("refunded"),
      sql<number>`coalesce(j.disputed, 0)`.as("disputed"),
      sql<number>`coalesce(j.fees, 0)`.as("fees"),
      "j.stripe_ids",
      addOnSummary("pledges.id").as("add_ons"),
    ])
    .where("pledges.campaign_id", "=", campaignId);
  if (spec.states) query = query.where("pledges.state", "in", [...spec.states]);
  if (spec.journal === "charge") query = query.where(sql<boolean>`coalesce(j.collected, 0) <> 0`);
  if (spec.journal === "refund") query = query.where(sql<boolean>`coalesce(j.refunded, 0) <> 0`);
  if (spec.journal === "dispute")
    query = query.where(sql<boolean>`coalesce(j.disputed, 0) <> 0 or pledges.state = 'disputed'`);
  if (spec.journal === "stripe_fee") query = query.where(sql<boolean>`coalesce(j.fees, 0) <> 0`);
  const rows = await query
    .orderBy("pledges.created_at")
    .orderBy("pledges.id")
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute();
  const pick = (r: (typeof rows)[number]) =>
    spec.journal === "refund"
      ? Number(r.refunded)
      : spec.journal === "dispute"
        ? Number(r.disputed)
        : spec.journal === "stripe_fee"
          ? Number(r.fees)
          : spec.journal === "charge"
            ? Number(r.collected)
            : r.amount;
  return {
    pledges: rows.slice(0, pageSize).map((r): LinePledge => ({
      id: r.id,
      state: r.state,
      amount: r.amount,
      currency: r.currency,
      backer_name: r.backer_name,
      backer_email: r.backer_email,
      collected: Number(r.collected),
      refunded: Number(r.refunded),
      line_amount: pick(r),
      stripe_ids: r.stripe_ids,
      add_ons: r.add_ons,
    })),
    hasMore: rows.length > pageSize,
  };
}

/** A campaign's further payouts (of late pledges' money), in order, with who prepared and approved each. */
export async function furtherPayoutsOf(db: Db, { campaignId }: { campaignId: string }) {
  return db
    .selectFrom("payouts")
    .innerJoin("users as preparer", "preparer.id", "payouts.prepared_by")
    .leftJoin("users as approver", "approver.id", "payouts.approved_by")
    .selectAll("payouts")
    .select(["preparer.name as prepared_by_name", "approver.name as approved_by_name"])
    .where("payouts.campaign_id", "=", campaignId)
    .where("payouts.sequence", ">", 1)
    .orderBy("payouts.sequence")
    .execute();
}

/** Whether a campaign has late pledges to show the finance desk (any, in any state). */
export async function hasLatePledges(db: Db, { campaignId }: { campaignId: string }) {
  const row = await db
    .selectFrom("pledges")
    .select("id")
    .where("campaign_id", "=", campaignId)
    .where("late", "=", true)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}
