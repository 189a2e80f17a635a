import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { destinationName } from "~/domain/catalog";
import { formatMoney } from "~/domain/money";
import { backersPage } from "~/models/campaign-dashboard.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { csvRow } from "~/web/csv";

const STATUS: Record<string, string> = { collected: "paid", collecting: "charging", errored: "payment failed" };
const PAGE = 1000;

/** Every backer of the campaign as CSV, read in pages (one query per thousand, not per row). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const db = await getDb();
  const lines = [csvRow(["name", "email", "tier", "amount", "status", "shipping destination"])];
  let after: { cursor: string; id: string } | undefined;
  for (;;) {
    const page = await backersPage(db, { campaignId: campaign.id, after, limit: PAGE });
    for (const p of page) {
      lines.push(
        csvRow([
          p.name,
          p.email,
          p.tier_title ?? "No reward",
          formatMoney(p.amount, p.currency),
          STATUS[p.state] ?? p.state.replace(/_/g, " "),
          p.shipping_destination ? destinationName(p.shipping_destination) : "",
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
