import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { destinationName } from "~/domain/catalog";
import { shortReference } from "~/domain/fulfilment-forms";
import { isUuid } from "~/domain/ids";
import { formatMoney } from "~/domain/money";
import { addressViewerCampaign, exportPage, exportQuestions } from "~/models/fulfilment.server";
import { ensureFulfilments } from "~/models/fulfilment-state.server";
import { requireRole, requireUser } from "~/services/accounts/auth.server";
import { csvRow } from "~/web/csv";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { notFound } from "~/web/responses";

const PAGE = 1000;

/**
 * The export for a shipping house: one row per pledge owed a reward, with the backer's name,
 * email, tier, amount, address, one column per survey question and the fulfilment. Addresses
 * are for the campaign's creator and finance staff only: anyone else, 404 (checked in the query).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Finance staff see addresses only from a session that passed their second factor.
  if (user.roles.includes("finance")) await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  if (!isUuid(params.id)) notFound(t("creator:common.campaignNotFound"));
  const db = await getDb();
  const campaign = await addressViewerCampaign(db, { campaignId: params.id, viewerId: user.id })
    .select("campaigns.slug")
    .executeTakeFirst();
  if (!campaign) notFound(t("creator:common.campaignNotFound"));
  await ensureFulfilments(db, campaign.id);
  const questions = await exportQuestions(db, { campaignId: campaign.id, viewerId: user.id });
  const lines = [
    csvRow([
      t("fulfilment:csv.reference"),
      t("fulfilment:csv.pledgeId"),
      t("fulfilment:csv.name"),
      t("fulfilment:csv.email"),
      t("fulfilment:csv.tier"),
      t("fulfilment:csv.addOns"),
      t("fulfilment:csv.amount"),
      t("fulfilment:csv.destination"),
      t("fulfilment:csv.fullName"),
      t("fulfilment:csv.line1"),
      t("fulfilment:csv.line2"),
      t("fulfilment:csv.city"),
      t("fulfilment:csv.region"),
      t("fulfilment:csv.postalCode"),
      t("fulfilment:csv.country"),
      t("fulfilment:csv.phone"),
      ...questions.map((q) => q.prompt),
      t("fulfilment:csv.status"),
      t("fulfilment:csv.carrier"),
      t("fulfilment:csv.trackingNumber"),
      t("fulfilment:csv.trackingUrl"),
      t("fulfilment:csv.shippedOn"),
    ]),
  ];
  let after: { cursor: string; id: string } | undefined;
  for (;;) {
    const page = await exportPage(db, { campaignId: campaign.id, viewerId: user.id, after, limit: PAGE });
    for (const p of page) {
      lines.push(
        csvRow([
          shortReference(p.id),
          p.id,
          p.name,
          p.email,
          p.tier_title,
          p.add_ons ?? "",
          formatMoney(p.amount, p.currency, { locale }),
          p.shipping_destination ? destinationName(p.shipping_destination, t) : "",
          p.full_name,
          p.line1,
          p.line2,
          p.city,
          p.region,
          p.postal_code,
          p.country,
          p.phone,
          ...questions.map((q) => p.answerTo(q.id)),
          p.status ? t(`fulfilment:status.${p.status}`) : "",
          p.carrier,
          p.tracking_number,
          p.tracking_url,
          p.shipped_at ? p.shipped_at.toISOString().slice(0, 10) : "",
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
      "Content-Disposition": `attachment; filename="${campaign.slug}-fulfilment.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
