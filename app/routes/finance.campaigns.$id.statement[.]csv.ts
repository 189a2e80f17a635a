import type { LoaderFunctionArgs } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import { getDb } from "~/db.server";
import { formatMoney } from "~/domain/money";
import { getCampaignForFinance } from "~/models/finance.server";
import { requireRole } from "~/services/accounts/auth.server";
import { buildStatement } from "~/services/finance/statement.server";
import { toCsv, type CsvValue } from "~/web/csv";
import { notFound } from "~/web/responses";

/**
 * The campaign's settlement statement as CSV (RFC 4180, formula-safe via the shared encoder).
 * Amounts are unsigned with an "effect" column (add / less), so no cell starts with a minus
 * sign that the injection guard would have to escape.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  if (!isUuid(params.id)) notFound("Campaign not found.");
  const db = await getDb();
  const campaign = await getCampaignForFinance(db, { campaignId: params.id! });
  if (!campaign) notFound("Campaign not found.");
  const built = await buildStatement(db, { campaignId: campaign.id });
  if (!built) notFound("This campaign has no statement yet.");
  const s = built.statement;
  const c = s.currency;
  const row = (
    section: string,
    item: string,
    count: number | null,
    amount: number | null,
    effect: string,
    reference = "",
  ): CsvValue[] => [
    section,
    item,
    count,
    amount === null ? null : Math.abs(amount),
    amount === null ? null : formatMoney(Math.abs(amount), c),
    amount === null ? null : c.toUpperCase(),
    effect,
    reference,
  ];
  const rows: CsvValue[][] = [
    ["section", "item", "count", "amount_minor_units", "amount", "currency", "effect", "reference"],
    row("campaign", campaign.title, null, null, "", campaign.id),
    row("campaign", "Creator", null, null, "", campaign.creator_email),
    row("campaign", "Decision", null, null, campaign.decision ?? "", campaign.stage ?? ""),
    row("pledges", "Pledged at deadline", s.pledgesAtDeadline, s.pledgedAtDeadline, "memo"),
    row("pledges", "In grace", s.inGrace.count, s.inGrace.amount, "memo"),
    row("pledges", "Dropped", s.dropped.count, s.dropped.amount, "memo"),
    row("pledges", "Released", s.released.count, s.released.amount, "memo"),
    row("statement", "Collected", null, s.collected, "add"),
    row("statement", "Refunded", null, s.refunded, "less"),
    row("statement", "Disputed", null, s.disputed, "less"),
    row("statement", "Stripe fees", null, s.stripeFees, "less"),
    row("statement", "Platform fee", null, s.platformFee, "less"),
    row("statement", "Paid out", null, s.paidOut, "less", campaign.payout?.stripe_transfer_id ?? ""),
    row("statement", "Payout due", null, s.payoutDue, s.payoutDue < 0 ? "owed by creator" : "total"),
    row(
      "statement",
      "Balance check",
      null,
      s.balanceCheck,
      s.balanceCheck === 0 ? "balanced" : s.balanceCheck < 0 ? "short" : "over",
    ),
    row("frozen", built.frozen ? "sha256" : "not frozen", null, null, "", built.checksum ?? ""),
  ];
  const slug = campaign.slug.replace(/[^a-z0-9-]/gi, "");
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${slug}-statement.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
