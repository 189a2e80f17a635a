import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { destinationName } from "~/domain/catalog";
import { formatMoney } from "~/domain/money";
import { backersPage } from "~/models/campaign-dashboard.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import type { Translate } from "~/domain/locale";
import { csvRow } from "~/web/csv";
import { requestLocale, requestTranslator } from "~/web/locale.server";

/** A pledge's state in the export, lower case as a spreadsheet column reads best. */
function statusLabel(t: Translate, state: string): string {
  const labels: Record<string, string> = {
    active: t("creator:csv.active"),
    cancelled: t("creator:csv.cancelled"),
    collecting: t("creator:csv.collecting"),
    collected: t("creator:csv.collected"),
    errored: t("creator:csv.errored"),
    dropped: t("creator:csv.dropped"),
    released: t("creator:csv.released"),
    refunding: t("creator:csv.refunding"),
    refunded: t("creator:csv.refunded"),
    partially_refunded: t("creator:csv.partially_refunded"),
    disputed: t("creator:csv.disputed"),
  };
  return labels[state] ?? state.replace(/_/g, " ");
}
const PAGE = 1000;

/**
 * Every backer of the campaign as CSV, read in pages (one query per thousand, not per row), with
 * its headers, statuses and amounts in the creator's language.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const locale = requestLocale(request, user);
  const t = requestTranslator(request, user);
  const db = await getDb();
  const lines = [
    csvRow([
      t("creator:csv.name"),
      t("creator:csv.email"),
      t("creator:csv.tier"),
      t("creator:csv.amount"),
      t("creator:csv.status"),
      t("creator:csv.shippingDestination"),
      t("creator:csv.addOns"),
      t("creator:csv.addOnsAmount"),
      t("creator:csv.late"),
    ]),
  ];
  let after: { cursor: string; id: string } | undefined;
  for (;;) {
    const page = await backersPage(db, { campaignId: campaign.id, after, limit: PAGE });
    for (const p of page) {
      lines.push(
        csvRow([
          p.name,
          p.email,
          p.tier_title ?? t("creator:csv.noReward"),
          formatMoney(p.amount, p.currency, { locale }),
          statusLabel(t, p.state),
          p.shipping_destination ? destinationName(p.shipping_destination) : "",
          p.add_ons ?? "",
          p.add_ons_amount > 0 ? formatMoney(p.add_ons_amount, p.currency, { locale }) : "",
          p.late ? t("creator:csv.lateYes") : "",
        ]),
      );
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { cursor: last.cursor, id: last.id };
  }
  return new Response(lines.join(""), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${campaign.slug}-backers.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
