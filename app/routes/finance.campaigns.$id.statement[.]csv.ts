import type { LoaderFunctionArgs } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import { getDb } from "~/db.server";
import { statusWord } from "~/domain/finance";
import { formatMoney } from "~/domain/money";
import { getCampaignForFinance } from "~/models/finance.server";
import { requireRole } from "~/services/accounts/auth.server";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { buildStatement } from "~/services/finance/statement.server";
import { toCsv, type CsvValue } from "~/web/csv";
import { notFound } from "~/web/responses";

/**
 * The campaign's settlement statement as CSV (RFC 4180, formula-safe via the shared encoder).
 * Amounts are unsigned with an "effect" column (add / less), so no cell starts with a minus
 * sign that the injection guard would have to escape.
 *
 * Written for the person reading it, in the request's language: the header row, the section,
 * item and effect words and the formatted amount. The machine columns stay the same in every
 * language: the count, the amount in minor units, the currency code and the reference (ids,
 * Stripe transfer, checksum); in English the file is exactly what it always was (tests and the
 * browser test read its header row).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  if (!isUuid(params.id)) notFound(t("finance:notFound.campaign"));
  const db = await getDb();
  const campaign = await getCampaignForFinance(db, { campaignId: params.id! });
  if (!campaign) notFound(t("finance:notFound.campaign"));
  const built = await buildStatement(db, { campaignId: campaign.id });
  if (!built) notFound(t("finance:notFound.noStatement"));
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
    amount === null ? null : formatMoney(Math.abs(amount), c, { locale }),
    amount === null ? null : c.toUpperCase(),
    effect,
    reference,
  ];
  const section = {
    campaign: t("finance:csv.sections.campaign"),
    pledges: t("finance:csv.sections.pledges"),
    statement: t("finance:csv.sections.statement"),
    frozen: t("finance:csv.sections.frozen"),
  };
  const memo = t("finance:csv.effects.memo");
  const add = t("finance:csv.effects.add");
  const less = t("finance:csv.effects.less");
  const balance =
    s.balanceCheck === 0
      ? t("finance:csv.effects.balanced")
      : s.balanceCheck < 0
        ? t("finance:csv.effects.short")
        : t("finance:csv.effects.over");
  const decision = campaign.decision ? statusWord(t, campaign.decision) : "";
  const rows: CsvValue[][] = [
    [
      t("finance:csv.headers.section"),
      t("finance:csv.headers.item"),
      t("finance:csv.headers.count"),
      t("finance:csv.headers.minor"),
      t("finance:csv.headers.amount"),
      t("finance:csv.headers.currency"),
      t("finance:csv.headers.effect"),
      t("finance:csv.headers.reference"),
    ],
    row(section.campaign, campaign.title, null, null, "", campaign.id),
    row(section.campaign, t("finance:csv.items.creator"), null, null, "", campaign.creator_email),
    row(section.campaign, t("finance:csv.items.decision"), null, null, decision, campaign.stage ?? ""),
    row(section.pledges, t("finance:csv.items.pledged"), s.pledgesAtDeadline, s.pledgedAtDeadline, memo),
    row(section.pledges, t("finance:csv.items.grace"), s.inGrace.count, s.inGrace.amount, memo),
    row(section.pledges, t("finance:csv.items.dropped"), s.dropped.count, s.dropped.amount, memo),
    row(section.pledges, t("finance:csv.items.released"), s.released.count, s.released.amount, memo),
    row(section.statement, t("finance:csv.items.collected"), null, s.collected, add),
    row(section.statement, t("finance:csv.items.refunded"), null, s.refunded, less),
    row(section.statement, t("finance:csv.items.disputed"), null, s.disputed, less),
    row(section.statement, t("finance:csv.items.stripeFees"), null, s.stripeFees, less),
    row(section.statement, t("finance:csv.items.platformFee"), null, s.platformFee, less),
    row(
      section.statement,
      t("finance:csv.items.paidOut"),
      null,
      s.paidOut,
      less,
      campaign.payout?.stripe_transfer_id ?? "",
    ),
    row(
      section.statement,
      t("finance:csv.items.payoutDue"),
      null,
      s.payoutDue,
      s.payoutDue < 0 ? t("finance:csv.effects.owed") : t("finance:csv.effects.total"),
    ),
    row(section.statement, t("finance:csv.items.balanceCheck"), null, s.balanceCheck, balance),
    row(
      section.frozen,
      built.frozen ? "sha256" : t("finance:csv.items.notFrozen"),
      null,
      null,
      "",
      built.checksum ?? "",
    ),
  ];
  const slug = campaign.slug.replace(/[^a-z0-9-]/gi, "");
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${slug}-${t("finance:csv.filename")}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
