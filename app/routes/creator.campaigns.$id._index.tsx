import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatDateTime, formatDay, Meter } from "~/components/creator-ui";
import { FundingChart } from "~/components/funding-chart";
import { getDb } from "~/db.server";
import { collectionLabel, fundingModelLabel } from "~/domain/campaign-terms";
import { formatMoney } from "~/domain/money";
import { cumulativeSeries, projectFinalTotal, PROJECTION_WINDOW_DAYS } from "~/domain/projection";
import { dailyPledgeTotals, recentPledges } from "~/models/campaign-dashboard.server";
import { checklistFor } from "~/models/campaign-lifecycle.server";
import { listTiers } from "~/models/campaign-tiers.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";

export const meta: MetaFunction = () => [{ title: "Campaign dashboard · Colecta" }];

const PLEDGE_STATE_LABELS: Record<string, string> = {
  active: "Active",
  cancelled: "Cancelled",
  collecting: "Charging",
  collected: "Paid",
  errored: "Payment failed",
  dropped: "Dropped",
  released: "Released",
  refunding: "Refunding",
  refunded: "Refunded",
  partially_refunded: "Partly refunded",
  disputed: "Disputed",
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const db = await getDb();
  const now = new Date();
  const [tiers, daily, recent] = await Promise.all([
    listTiers(db, { campaignId: campaign.id }),
    dailyPledgeTotals(db, { campaignId: campaign.id }),
    recentPledges(db, { campaignId: campaign.id }),
  ]);
  const pledged = Number(campaign.pledged_amount);
  const goal = Number(campaign.goal_amount);
  const money = (n: number) => formatMoney(n, campaign.currency);
  const endedAt = campaign.ended_at ?? (campaign.deadline && campaign.deadline < now ? campaign.deadline : null);
  const until = endedAt && endedAt < now ? endedAt : now;
  const points = campaign.launched_at ? cumulativeSeries({ launchedAt: campaign.launched_at, until, daily }) : [];
  const projection =
    campaign.state === "live"
      ? projectFinalTotal({
          pledgedAmount: pledged,
          launchedAt: campaign.launched_at,
          deadline: campaign.deadline,
          now,
          dailyTotals: daily,
        })
      : null;
  const checklist =
    campaign.state === "draft" ? checklistFor(campaign, tiers.filter((t) => !t.hidden).length, now) : null;

  return json({
    campaign: {
      id: campaign.id,
      state: campaign.state,
      currency: campaign.currency,
      goalAmount: goal,
      pledged: money(pledged),
      goal: money(goal),
      percent: Math.floor((pledged * 100) / goal),
      backers: campaign.backer_count,
      average: campaign.backer_count > 0 ? money(Math.round(pledged / campaign.backer_count)) : null,
      deadline: campaign.deadline && campaign.state !== "draft" ? formatDateTime(campaign.deadline) : null,
      daysLeft:
        campaign.deadline && campaign.state === "live"
          ? Math.max(0, Math.ceil((campaign.deadline.getTime() - now.getTime()) / 86_400_000))
          : null,
      launchedAt: campaign.launched_at ? formatDay(campaign.launched_at) : null,
      fundingModel: fundingModelLabel(campaign.funding_model),
      collection: collectionLabel(campaign.collection),
    },
    checklistMissing: checklist ? checklist.filter((i) => !i.done).map((i) => i.label) : null,
    tiers: tiers.map((t) => ({
      id: t.id,
      title: t.title,
      minimum: money(Number(t.minimum_amount)),
      claimed: t.claimed_count,
      limit: t.quantity_limit,
      remaining: t.quantity_limit === null ? null : Math.max(0, t.quantity_limit - t.claimed_count),
      hidden: t.hidden,
    })),
    points,
    projection: projection
      ? {
          expected: money(projection.expected),
          low: money(projection.low),
          high: money(projection.high),
          dailyRate: money(projection.dailyRate),
          basisDays: projection.basisDays,
          confidence: projection.confidence,
          reachesGoal: projection.low >= goal ? "likely" : projection.high < goal ? "unlikely" : "possible",
        }
      : null,
    recent: recent.map((p) => ({
      id: p.id,
      backer: p.backer_name,
      tier: p.tier_title ?? "No reward",
      amount: money(p.amount),
      state: PLEDGE_STATE_LABELS[p.state] ?? p.state,
      at: formatDateTime(p.activated_at ?? p.created_at),
    })),
  });
}

export default function CampaignDashboard() {
  const { campaign, checklistMissing, tiers, points, projection, recent } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <div className="creator-section dashboard">
      {searchParams.has("launched") ? (
        <p className="notice notice-success" role="status">
          Your campaign is live! Share your project page: the first days matter most.
        </p>
      ) : null}
      {searchParams.has("cancelled") ? (
        <p className="notice notice-info" role="status">
          The campaign is cancelled. Pledges will be released or refunded by settlement; backers are emailed when that
          happens.
        </p>
      ) : null}
      {checklistMissing ? (
        <section className="card draft-callout" aria-labelledby="draft-heading">
          <h2 id="draft-heading">This campaign is a draft</h2>
          {checklistMissing.length === 0 ? (
            <p>Everything is ready. Review the terms and launch when you are.</p>
          ) : (
            <p>Still to do before launch: {checklistMissing.join(", ").toLowerCase()}.</p>
          )}
          <Link to={`/creator/campaigns/${campaign.id}/launch`} className="button button-primary">
            {checklistMissing.length === 0 ? "Review and launch" : "See the launch checklist"}
          </Link>
        </section>
      ) : null}

      <section className="stat-grid" aria-label="Key figures">
        <div className="card stat stat-primary">
          <p className="stat-label">Pledged</p>
          <p className="stat-value">{campaign.pledged}</p>
          <Meter percent={campaign.percent} label={`${campaign.percent}% of the ${campaign.goal} goal`} />
          <p className="stat-note">
            {campaign.percent}% of {campaign.goal}
          </p>
        </div>
        <div className="card stat">
          <p className="stat-label">Backers</p>
          <p className="stat-value">{campaign.backers}</p>
          <p className="stat-note">Average pledge {campaign.average ?? "—"}</p>
        </div>
        <div className="card stat">
          <p className="stat-label">{campaign.state === "live" ? "Time left" : "Deadline"}</p>
          <p className="stat-value">
            {campaign.daysLeft !== null
              ? `${campaign.daysLeft} ${campaign.daysLeft === 1 ? "day" : "days"}`
              : campaign.state === "draft"
                ? "Not launched"
                : "Ended"}
          </p>
          <p className="stat-note">{campaign.deadline ? `Ends ${campaign.deadline}` : "Fixed when you launch"}</p>
        </div>
        <div className="card stat">
          <p className="stat-label">Terms</p>
          <p className="stat-value stat-value-small">{campaign.fundingModel}</p>
          <p className="stat-note">{campaign.collection}</p>
        </div>
      </section>

      {campaign.state !== "draft" ? (
        <div className="dashboard-grid">
          <section className="card" aria-labelledby="chart-heading">
            <div className="section-heading-row">
              <h2 id="chart-heading">Funding over time</h2>
              {campaign.launchedAt ? <p className="muted small">Since launch on {campaign.launchedAt}</p> : null}
            </div>
            <FundingChart points={points} goal={campaign.goalAmount} currency={campaign.currency} />
          </section>
          <section className="card projection" aria-labelledby="projection-heading">
            <h2 id="projection-heading">Projection</h2>
            {projection && campaign.backers === 0 ? (
              <p className="muted">
                No pledges yet. Once backers start pledging, this shows where your total is heading by the deadline,
                with a range, and how it is worked out.
              </p>
            ) : projection ? (
              <>
                <p className="stat-value">{projection.expected}</p>
                <p>
                  Likely final total: <strong>{projection.low}</strong> to <strong>{projection.high}</strong>.{" "}
                  {projection.reachesGoal === "likely"
                    ? "At this pace you should reach your goal."
                    : projection.reachesGoal === "unlikely"
                      ? "At this pace you would fall short of your goal."
                      : "Reaching your goal is within the range."}
                </p>
                {projection.confidence === "low" ? (
                  <p className="notice notice-info">
                    It is early days: with under three days of pledges, treat this as a rough guess.
                  </p>
                ) : null}
                <p className="muted small how-computed">
                  How this is computed: the average pledged per day over the last {projection.basisDays}{" "}
                  {projection.basisDays === 1 ? "day" : "days"} ({projection.dailyRate} a day, quiet days counted as
                  zero, from pledges that are still active; at most {PROJECTION_WINDOW_DAYS} days), continued in a
                  straight line to the deadline. The range is plus or minus two standard deviations of those daily
                  totals, scaled to the days left. Campaigns often speed up near the end, so treat it as a guide, not a
                  promise.
                </p>
              </>
            ) : (
              <p className="muted">
                {campaign.state === "live"
                  ? "Not enough time left to project."
                  : `The campaign has ended: ${campaign.pledged} is the final pledged total.`}
              </p>
            )}
          </section>
        </div>
      ) : null}

      <div className="dashboard-grid">
        <section className="card" aria-labelledby="tiers-heading">
          <div className="section-heading-row">
            <h2 id="tiers-heading">Rewards</h2>
            <Link to={`/creator/campaigns/${campaign.id}/tiers`}>Manage rewards</Link>
          </div>
          {tiers.length === 0 ? (
            <p className="muted">No rewards yet.</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Reward</th>
                  <th scope="col" className="num">
                    Claimed
                  </th>
                  <th scope="col" className="num">
                    Remaining
                  </th>
                </tr>
              </thead>
              <tbody>
                {tiers.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">
                      {t.title} <span className="muted small">{t.minimum}+</span>{" "}
                      {t.hidden ? <span className="state-badge state-hidden">Hidden</span> : null}
                    </th>
                    <td className="num">{t.claimed}</td>
                    <td className="num">{t.remaining === null ? "No limit" : `${t.remaining} of ${t.limit}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="recent-heading">
          <div className="section-heading-row">
            <h2 id="recent-heading">Recent pledges</h2>
            {campaign.state !== "draft" ? (
              <a href={`/creator/campaigns/${campaign.id}/backers.csv`} download>
                Export backers (CSV)
              </a>
            ) : null}
          </div>
          {recent.length === 0 ? (
            <p className="muted">
              {campaign.state === "draft"
                ? "Pledges appear here after you launch."
                : "No pledges yet. Share your page to get the first ones."}
            </p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Backer</th>
                  <th scope="col">Reward</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      {p.backer}
                      <span className="muted small block">{p.at}</span>
                    </th>
                    <td>{p.tier}</td>
                    <td className="num">{p.amount}</td>
                    <td>{p.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
