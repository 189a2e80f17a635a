import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import type { Translate } from "~/domain/locale";
import { crowdInsights, insightIdeasPage, type IdeaExportRow } from "~/models/crowd-insights.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { csvRow } from "~/web/csv";
import { requestTranslator } from "~/web/locale.server";
import { notFound } from "~/web/responses";

const PAGE = 1000;
const DAY_MS = 24 * 3600_000;

const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

function thanks(t: Translate, idea: Pick<IdeaExportRow, "credit" | "rewardTier">): string {
  if (idea.credit === "mention") return t("insights:csv.mention");
  if (idea.credit === "reward") return t("insights:csv.reward", { tier: idea.rewardTier ?? "" });
  return "";
}

/**
 * The insights as CSV, in the creator's language: one row per visible idea (read a thousand at
 * a time), then each poll's final results, then its results at the end of each day. People are
 * named by their short name; no email or address is in it. Dates are ISO days and numbers plain,
 * so a spreadsheet reads them in any language.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const db = await getDb();
  const insights = await crowdInsights(db, { campaignId: campaign.id, viewer: actor });
  if (!insights) notFound(t("creator:common.campaignNotFound"));

  const lines = [
    csvRow([t("insights:csv.ideasSection")]),
    csvRow([
      t("insights:csv.title"),
      t("insights:csv.kind"),
      t("insights:csv.status"),
      t("insights:csv.votes"),
      t("insights:csv.comments"),
      t("insights:csv.author"),
      t("insights:csv.created"),
      t("insights:csv.answered"),
      t("insights:csv.daysToAnswer"),
      t("insights:csv.thanks"),
    ]),
  ];
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const page = await insightIdeasPage(db, { campaignId: campaign.id, viewer: actor, after, limit: PAGE });
    for (const idea of page) {
      const days = idea.answeredAt ? (idea.answeredAt.getTime() - idea.createdAt.getTime()) / DAY_MS : null;
      lines.push(
        csvRow([
          idea.title,
          t(`ideas:kind.${idea.kind}`),
          t(`ideas:status.${idea.status}`),
          idea.votes,
          idea.comments,
          idea.author,
          isoDay(idea.createdAt),
          isoDay(idea.answeredAt),
          days === null ? "" : days.toFixed(1),
          thanks(t, idea),
        ]),
      );
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
  }

  lines.push(
    "\r\n",
    csvRow([t("insights:csv.pollsSection")]),
    csvRow([t("insights:csv.poll"), t("insights:csv.closes"), t("insights:csv.option"), t("insights:csv.pollVotes")]),
  );
  for (const poll of insights.polls)
    for (const o of poll.options) lines.push(csvRow([poll.question, isoDay(poll.closesAt), o.label, o.votes]));

  lines.push(
    "\r\n",
    csvRow([t("insights:csv.overTimeSection")]),
    csvRow([t("insights:csv.poll"), t("insights:csv.day"), t("insights:csv.option"), t("insights:csv.votesThatDay")]),
  );
  for (const poll of insights.polls)
    for (const d of poll.days)
      poll.options.forEach((o, i) => lines.push(csvRow([poll.question, d.day, o.label, d.counts[i] ?? 0])));

  return new Response(lines.join(""), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${campaign.slug}-insights.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
