import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FinTable, Ref, StatusBadge } from "~/components/finance/finance-ui";
import { getDb } from "~/db.server";
import { drillDownSchema, STATEMENT_LINES } from "~/domain/finance";
import { formatMoney } from "~/domain/money";
import { PLEDGE_STATE_LABELS } from "~/domain/pledge-rules";
import { getCampaignForFinance, listPledgesForLine } from "~/models/finance.server";
import { requireRole } from "~/services/accounts/auth.server";
import { invariantResponse, notFound } from "~/web/responses";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.lineLabel}: ${data.campaign.title} · Finance · Colecta` : "Pledges · Finance · Colecta" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  if (!isUuid(params.id)) notFound("Campaign not found.");
  const url = new URL(request.url);
  const parsed = parseWithZod(url.searchParams, { schema: drillDownSchema });
  const problem = parsed.status === "success" ? "" : Object.values(parsed.error ?? {})[0]?.[0];
  invariantResponse(parsed.status === "success", `${problem} Choose a line from the statement.`);
  const db = await getDb();
  const campaign = await getCampaignForFinance(db, { campaignId: params.id! });
  if (!campaign) notFound("Campaign not found.");
  const { line, page } = parsed.value;
  const { pledges, hasMore } = await listPledgesForLine(db, { campaignId: campaign.id, line, page });
  const m = (amount: number) => formatMoney(amount, campaign.currency);
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
    lineLabel: STATEMENT_LINES[line].label,
    page,
    hasMore,
    pledges: pledges.map((p) => ({
      id: p.id,
      state: p.state,
      stateLabel: PLEDGE_STATE_LABELS[p.state],
      backer: p.backer_name,
      email: p.backer_email,
      pledged: m(p.amount),
      collected: p.collected ? m(p.collected) : "—",
      refunded: p.refunded ? m(p.refunded) : "—",
      lineAmount: m(p.line_amount),
      stripeIds: (p.stripe_ids ?? "").split(" ").filter(Boolean),
    })),
  });
}

export default function StatementLinePledges() {
  const { campaign, line, lineLabel, page, hasMore, pledges, extra, totals } = useLoaderData<typeof loader>();
  const here = (p: number) => `/finance/campaigns/${campaign.id}/pledges?line=${line}&page=${p}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="fin-breadcrumb">
        <Link to="/finance">Finance desk</Link> / <Link to={`/finance/campaigns/${campaign.id}`}>{campaign.title}</Link>{" "}
        / {lineLabel}
      </nav>
      <div className="fin-top">
        <h1>{lineLabel}</h1>
        <p className="muted small">
          {pledges.length} pledge{pledges.length === 1 ? "" : "s"}
          {page > 1 || hasMore ? ` on page ${page}` : ""}
        </p>
      </div>
      <section className="fin-section" aria-label={`Pledges: ${lineLabel}`}>
        {pledges.length === 0 ? (
          <p className="fin-empty">No pledge is behind this line.</p>
        ) : (
          <FinTable
            columns={[
              "Pledge",
              "Backer",
              "State",
              { label: "Pledged", num: true },
              { label: "Collected", num: true },
              { label: "Refunded", num: true },
              extra ? { label: lineLabel, num: true } : null,
              "Stripe objects",
            ]}
            foot={
              pledges.length > 1 ? (
                <tfoot>
                  <tr>
                    <td colSpan={3}>{page > 1 || hasMore ? "Total on this page" : "Total"}</td>
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
                  <Link to={`/finance/pledges/${p.id}`} aria-label={`Pledge by ${p.backer}`}>
                    <code>{p.id.slice(0, 8)}</code>
                  </Link>
                </td>
                <td>
                  {p.backer}
                  <br />
                  <span className="muted small">{p.email}</span>
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
        {page > 1 || hasMore ? (
          <nav className="fin-pager" aria-label="Pages">
            {page > 1 ? <Link to={here(page - 1)}>← Previous</Link> : <span />}
            {hasMore ? <Link to={here(page + 1)}>Next →</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
