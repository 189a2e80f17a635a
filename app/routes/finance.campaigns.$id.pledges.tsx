import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FinTable, Ref, StatusBadge } from "~/components/finance/finance-ui";
import { getDb } from "~/db.server";
import { drillDownSchema, pledgeStateLabels, statementLineLabels } from "~/domain/finance";
import { formatMoney } from "~/domain/money";
import { metaTranslator } from "~/i18n";
import { getCampaignForFinance, listPledgesForLine } from "~/models/finance.server";
import { requireRole } from "~/services/accounts/auth.server";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { invariantResponse, notFound } from "~/web/responses";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    {
      title: data
        ? t("finance:meta.line", { line: data.lineLabel, title: data.campaign.title })
        : t("finance:meta.lineFallback"),
    },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  if (!isUuid(params.id)) notFound(t("finance:notFound.campaign"));
  const url = new URL(request.url);
  const parsed = parseWithZod(url.searchParams, { schema: drillDownSchema(t) });
  const problem = parsed.status === "success" ? "" : Object.values(parsed.error ?? {})[0]?.[0];
  invariantResponse(parsed.status === "success", t("finance:validation.chooseLine", { problem }));
  const db = await getDb();
  const campaign = await getCampaignForFinance(db, { campaignId: params.id! });
  if (!campaign) notFound(t("finance:notFound.campaign"));
  const { line, page } = parsed.value;
  const { pledges, hasMore } = await listPledgesForLine(db, { campaignId: campaign.id, line, page });
  const m = (amount: number) => formatMoney(amount, campaign.currency, { locale });
  const states = pledgeStateLabels(t);
  // A separate column only for lines whose amount is not already one of the standard ones.
  const extra = line === "refunded" || line === "disputed" || line === "fees";
  const totalOf = (pick: (p: (typeof pledges)[number]) => number) => m(pledges.reduce((sum, p) => sum + pick(p), 0));
  return json({
    extra,
    totals: {
      pledged: totalOf((p) => p.amount),
      collected: totalOf((p) => p.collected),
      refunded: totalOf((p) => p.refunded),
      line: totalOf((p) => p.line_amount),
    },
    campaign: { id: campaign.id, title: campaign.title },
    line,
    lineLabel: statementLineLabels(t)[line],
    page,
    hasMore,
    pledges: pledges.map((p) => ({
      id: p.id,
      state: p.state,
      stateLabel: states[p.state],
      backer: p.backer_name,
      email: p.backer_email,
      pledged: m(p.amount),
      collected: p.collected ? m(p.collected) : "—",
      refunded: p.refunded ? m(p.refunded) : "—",
      lineAmount: m(p.line_amount),
      addOns: p.add_ons,
      stripeIds: (p.stripe_ids ?? "").split(" ").filter(Boolean),
    })),
  });
}

export default function StatementLinePledges() {
  const { campaign, line, lineLabel, page, hasMore, pledges, extra, totals } = useLoaderData<typeof loader>();
  const here = (p: number) => `/finance/campaigns/${campaign.id}/pledges?line=${line}&page=${p}`;
  const { t } = useTranslation();
  const paged = page > 1 || hasMore;
  return (
    <>
      <nav aria-label={t("finance:nav.breadcrumb")} className="fin-breadcrumb">
        <Link to="/finance">{t("finance:nav.desk")}</Link> /{" "}
        <Link to={`/finance/campaigns/${campaign.id}`}>{campaign.title}</Link> / {lineLabel}
      </nav>
      <div className="fin-top">
        <h1>{lineLabel}</h1>
        <p className="muted small">
          {paged
            ? t("finance:lines.countOnPage", { count: pledges.length, page })
            : t("finance:lines.count", { count: pledges.length })}
        </p>
      </div>
      <section className="fin-section" aria-label={t("finance:lines.sectionLabel", { line: lineLabel })}>
        {pledges.length === 0 ? (
          <p className="fin-empty">{t("finance:lines.empty")}</p>
        ) : (
          <FinTable
            columns={[
              t("finance:lines.columns.pledge"),
              t("finance:lines.columns.backer"),
              t("finance:lines.columns.state"),
              { label: t("finance:lines.columns.pledged"), num: true },
              { label: t("finance:lines.columns.collected"), num: true },
              { label: t("finance:lines.columns.refunded"), num: true },
              extra ? { label: lineLabel, num: true } : null,
              t("finance:lines.columns.stripe"),
            ]}
            foot={
              pledges.length > 1 ? (
                <tfoot>
                  <tr>
                    <td colSpan={3}>{paged ? t("finance:lines.totalOnPage") : t("finance:lines.total")}</td>
                    <td className="num">{totals.pledged}</td>
                    <td className="num">{totals.collected}</td>
                    <td className="num">{totals.refunded}</td>
                    {extra ? <td className="num">{totals.line}</td> : null}
                    <td />
                  </tr>
                </tfoot>
              ) : null
            }
          >
            {pledges.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/finance/pledges/${p.id}`} aria-label={t("finance:lines.pledgeBy", { backer: p.backer })}>
                    <code>{p.id.slice(0, 8)}</code>
                  </Link>
                </td>
                <td>
                  {p.backer}
                  <br />
                  <span className="muted small">{p.email}</span>
                  {p.addOns ? (
                    <>
                      <br />
                      <span className="muted small">{t("finance:lines.addOns", { addOns: p.addOns })}</span>
                    </>
                  ) : null}
                </td>
                <td>
                  <StatusBadge status={p.state} label={p.stateLabel} />
                </td>
                <td className="num">{p.pledged}</td>
                <td className="num">{p.collected}</td>
                <td className="num">{p.refunded}</td>
                {extra ? <td className="num">{p.lineAmount}</td> : null}
                <td>
                  {p.stripeIds.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <span className="fin-refs">
                      {p.stripeIds.map((id) => (
                        <Ref key={id} id={id} />
                      ))}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </FinTable>
        )}
        {paged ? (
          <nav className="fin-pager" aria-label={t("finance:nav.pages")}>
            {page > 1 ? <Link to={here(page - 1)}>{t("finance:nav.previous")}</Link> : <span />}
            {hasMore ? <Link to={here(page + 1)}>{t("finance:nav.next")}</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
