import type { Db } from "../../../db/schema.js";
import { payoutStatusLabels, statementLineLabels, type StatementLine } from "~/domain/finance";
import type { Locale, Translate } from "~/domain/locale";
import { formatMoney } from "~/domain/money";
import { furtherPayoutsOf, getCampaignForFinance, hasLatePledges } from "~/models/finance.server";
import { listParkedRefunds } from "~/services/settlement/refused-refunds.server";
import { addOnSales } from "~/models/pledge-add-ons.server";
import { planPayout } from "~/services/finance/payouts.server";
import { buildLateStatement, buildStatement } from "~/services/finance/statement.server";
import type { Statement } from "~/domain/statement";
import { journalSums } from "~/models/ledger.server";

// What the finance statement page shows: the campaign, its settlement statement (money lines and
// pledge lines, each drilling down to its pledges), its payout and the payout plan, as strings
// ready to draw in the reader's language (`t`, `locale`).

export type FinanceCampaignPage = NonNullable<Awaited<ReturnType<typeof getFinanceCampaignPage>>>;

export async function getFinanceCampaignPage(
  db: Db,
  {
    campaignId,
    userId,
    platformFeeBps,
    t,
    locale,
  }: { campaignId: string; userId: string; platformFeeBps: number; t: Translate; locale: Locale },
) {
  const campaign = await getCampaignForFinance(db, { campaignId });
  if (!campaign) return undefined;
  const [built, sales] = campaign.decision
    ? await Promise.all([buildStatement(db, { campaignId: campaign.id }), addOnSales(db, { campaignId: campaign.id })])
    : [undefined, []];
  const plan =
    campaign.decision && !campaign.payout
      ? await planPayout(db, { campaignId: campaign.id, platformFeeBps, t, locale })
      : null;
  const currency = campaign.currency;
  const m = (amount: number) => formatMoney(amount, currency, { locale });
  const labels = statementLineLabels(t);
  // Deductions show with a minus sign, but never as "-$0.00".
  const less = (amount: number) => m(amount === 0 ? 0 : -amount);
  const s = built?.statement;
  const pledgeLine = (line: StatementLine, count: number | null, amount: number, any: boolean) => ({
    line,
    label: labels[line],
    count,
    amount: m(amount),
    any,
  });
  const moneyLine = (line: StatementLine | null, label: string, amount: number, deduction = true) => ({
    line,
    label,
    amount: deduction ? less(amount) : m(amount),
    negative: deduction && amount > 0,
  });
  const payout = campaign.payout;
  const late =
    campaign.decision === "funded" && (await hasLatePledges(db, { campaignId: campaign.id }))
      ? await latePart(db, { campaignId: campaign.id, platformFeeBps, t, locale, firstPaid: payout?.status === "paid" })
      : null;
  // Settlement refunds Stripe refused: open items the campaign closed without.
  const openItems =
    campaign.decision && campaign.decision !== "funded"
      ? (await listParkedRefunds(db, { campaignId: campaign.id })).map((p) => ({
          pledgeId: p.pledgeId,
          held: formatMoney(p.held, p.currency, { locale }),
          message: p.message,
        }))
      : [];
  const afterPayout =
    built?.frozen && payout?.status === "paid"
      ? await afterPayoutPart(db, { campaignId: campaign.id, frozen: built.statement, t, locale })
      : null;
  return {
    late,
    openItems,
    afterPayout,
    userId,
    campaign: {
      id: campaign.id,
      title: campaign.title,
      slug: campaign.slug,
      state: campaign.state,
      currency,
      goal: m(campaign.goal_amount),
      fundingModel:
        campaign.funding_model === "all_or_nothing"
          ? t("finance:statement.allOrNothing")
          : t("finance:statement.flexible"),
      collection:
        campaign.collection === "at_deadline" ? t("finance:statement.atDeadline") : t("finance:statement.atPledge"),
      deadline: campaign.deadline?.toISOString() ?? null,
      creator: campaign.creator_name,
      creatorEmail: campaign.creator_email,
      decision: campaign.decision,
      stage: campaign.stage,
      decidedAt: campaign.decided_at?.toISOString() ?? null,
      graceEndsAt: campaign.grace_ends_at?.toISOString() ?? null,
      closedAt: campaign.closed_at?.toISOString() ?? null,
      account: campaign.stripe_account_id
        ? { id: campaign.stripe_account_id, payoutsEnabled: Boolean(campaign.payouts_enabled) }
        : null,
    },
    statement: s
      ? {
          frozen: built!.frozen,
          checksum: built!.checksum,
          pledges: [
            pledgeLine("deadline", s.pledgesAtDeadline, s.pledgedAtDeadline, s.pledgesAtDeadline > 0),
            pledgeLine("collected", null, s.collected, s.collected !== 0),
            pledgeLine("grace", s.inGrace.count, s.inGrace.amount, s.inGrace.count > 0),
            pledgeLine("dropped", s.dropped.count, s.dropped.amount, s.dropped.count > 0),
            pledgeLine("released", s.released.count, s.released.amount, s.released.count > 0),
          ],
          money: [
            moneyLine("collected", labels.collected, s.collected, false),
            moneyLine("refunded", labels.refunded, s.refunded),
            moneyLine("disputed", t("finance:statement.disputedMoney"), s.disputed),
            moneyLine("fees", labels.fees, s.stripeFees),
            moneyLine(
              null,
              s.platformFee === 0 && !payout
                ? t("finance:statement.platformFeePending")
                : t("finance:statement.platformFee"),
              s.platformFee,
            ),
            moneyLine(null, t("finance:statement.paidOut"), s.paidOut),
          ],
          addOns: sales.map((a) => ({
            id: a.id,
            title: a.title,
            units: a.units,
            pledges: a.pledges,
            amount: m(a.amount),
            shipping: m(a.shipping),
          })),
          payoutDue: m(s.payoutDue),
          feePending: !payout && s.platformFee === 0 && campaign.decision === "funded",
          zero: m(0),
          balanceCheck: s.balanceCheck,
          balanceCheckText: m(s.balanceCheck),
        }
      : null,
    payout: payout
      ? {
          id: payout.id,
          status: payout.status,
          statusLabel: payoutStatusLabels(t)[payout.status],
          amount: m(payout.amount),
          destination: payout.destination_account,
          preparedBy: payout.prepared_by_name,
          preparedById: payout.prepared_by,
          preparedAt: payout.prepared_at.toISOString(),
          approvedBy: payout.approved_by_name,
          approvedAt: payout.approved_at?.toISOString() ?? null,
          transferId: payout.stripe_transfer_id,
          failure: payout.failure,
          waitingUntil: payout.status === "approved" && payout.retry_after ? payout.retry_after.toISOString() : null,
        }
      : null,
    plan: plan
      ? {
          ready: plan.ready,
          waitingFor: plan.waitingFor,
          amount: m(Math.max(0, plan.amount)),
          platformFee: m(plan.platformFee),
          netted:
            [
              plan.credited > 0 ? t("recovery:plan.credited", { amount: m(plan.credited) }) : "",
              plan.netted > 0 ? t("recovery:plan.netted", { amount: m(plan.netted) }) : "",
            ]
              .filter(Boolean)
              .join(" ") || null,
          bps: platformFeeBps,
        }
      : null,
  };
}

/**
 * The late pledges' part of the page: their statement (the late segment of the journal), the
 * further payouts made of it, and the next one's plan once the first payout is paid.
 */
async function latePart(
  db: Db,
  {
    campaignId,
    platformFeeBps,
    t,
    locale,
    firstPaid,
  }: { campaignId: string; platformFeeBps: number; t: Translate; locale: Locale; firstPaid: boolean },
) {
  const [built, payouts] = await Promise.all([
    buildLateStatement(db, { campaignId }),
    furtherPayoutsOf(db, { campaignId }),
  ]);
  if (!built) return null;
  const s = built.statement;
  const m = (amount: number) => formatMoney(amount, s.currency, { locale });
  const less = (amount: number) => m(amount === 0 ? 0 : -amount);
  const open = payouts.find((p) => p.status !== "paid");
  const plan = firstPaid && !open ? await planPayout(db, { campaignId, platformFeeBps, late: true, t, locale }) : null;
  return {
    count: s.pledgesAtDeadline,
    lines: [
      { label: t("finance:late.collected"), amount: m(s.collected), negative: false },
      { label: t("finance:late.refunded"), amount: less(s.refunded), negative: s.refunded > 0 },
      { label: t("finance:statement.disputedMoney"), amount: less(s.disputed), negative: s.disputed > 0 },
      { label: t("finance:late.fees"), amount: less(s.stripeFees), negative: s.stripeFees > 0 },
      { label: t("finance:late.platformFee"), amount: less(s.platformFee), negative: s.platformFee > 0 },
      { label: t("finance:late.paidOut"), amount: less(s.paidOut), negative: s.paidOut > 0 },
    ],
    due: m(s.payoutDue),
    balanceCheck: s.balanceCheck,
    payouts: payouts.map((p) => ({
      id: p.id,
      sequence: p.sequence,
      status: p.status,
      statusLabel: payoutStatusLabels(t)[p.status],
      amount: m(p.amount),
      preparedBy: p.prepared_by_name,
      preparedById: p.prepared_by,
      preparedAt: p.prepared_at.toISOString(),
      approvedBy: p.approved_by_name,
      transferId: p.stripe_transfer_id,
      failure: p.failure,
    })),
    plan: plan
      ? {
          ready: plan.ready,
          waitingFor: plan.waitingFor,
          amount: m(Math.max(0, plan.amount)),
          platformFee: m(plan.platformFee),
        }
      : null,
    waitingForFirst: !firstPaid,
  };
}

/**
 * What moved after the settlement's statement froze with its payout: the live journal against
 * the frozen figures (refunds and disputes since, money taken back from the creator, what they
 * still owe), and each recovery of a refund from the creator's transfer.
 */
async function afterPayoutPart(
  db: Db,
  { campaignId, frozen, t, locale }: { campaignId: string; frozen: Statement; t: Translate; locale: Locale },
) {
  const live = (await buildStatement(db, { campaignId, live: true }))!.statement;
  const sums = await journalSums(db, { campaignId });
  const m = (amount: number) => formatMoney(amount, live.currency, { locale });
  const recovered = -(sums["payout_reversal:creator_payouts"] ?? 0) || 0;
  const refunded = live.refunded - frozen.refunded;
  const disputed = live.disputed - frozen.disputed;
  const owed = Math.max(0, -live.payoutDue);
  const lines = [
    refunded !== 0 && { label: t("recovery:statement.refunded"), amount: m(-refunded), negative: refunded > 0 },
    disputed !== 0 && { label: t("finance:statement.disputedMoney"), amount: m(-disputed), negative: disputed > 0 },
    recovered !== 0 && { label: t("recovery:statement.recovered"), amount: m(recovered), negative: false },
    owed !== 0 && { label: t("recovery:statement.owed"), amount: m(owed), negative: true },
  ].filter((l): l is { label: string; amount: string; negative: boolean } => Boolean(l));
  const recoveries = await db
    .selectFrom("payout_recoveries")
    .innerJoin("refunds", "refunds.id", "payout_recoveries.refund_id")
    .select([
      "payout_recoveries.id",
      "payout_recoveries.amount",
      "payout_recoveries.reversed_amount",
      "payout_recoveries.status",
      "payout_recoveries.stripe_reversal_id",
      "payout_recoveries.failure",
      "payout_recoveries.created_at",
      "refunds.pledge_id",
      "refunds.stripe_refund_id",
    ])
    .where("payout_recoveries.campaign_id", "=", campaignId)
    .where("payout_recoveries.late", "=", false)
    .orderBy("payout_recoveries.created_at", "desc")
    .execute();
  return {
    lines,
    recoveries: recoveries.map((r) => ({
      id: r.id,
      pledgeId: r.pledge_id,
      refundReference: r.stripe_refund_id ?? r.id,
      refundShort: (r.stripe_refund_id ?? r.id).slice(0, 12) + "…",
      amount: m(r.amount),
      recovered: m(r.reversed_amount),
      status: r.status,
      statusLabel: t(`recovery:statement.status.${r.status}`),
      reversalId: r.stripe_reversal_id,
      failure: r.failure,
      at: r.created_at.toISOString(),
    })),
  };
}
