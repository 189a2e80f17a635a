import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { formatDateTime, formatDay, Meter } from "~/components/creator-ui";
import { useFormat } from "~/components/locale";
import { FundingChart } from "~/components/funding-chart";
import { FulfilmentDashboard } from "~/components/fulfilment/dashboard-figures";
import { fulfilmentDashboard } from "~/models/fulfilment.server";
import { getDb } from "~/db.server";
import type { Translate } from "~/domain/locale";
import { formatMoney } from "~/domain/money";
import { cumulativeSeries, projectFinalTotal, PROJECTION_WINDOW_DAYS } from "~/domain/projection";
import { dailyPledgeTotals, recentPledges } from "~/models/campaign-dashboard.server";
import { checklistFor } from "~/models/campaign-lifecycle.server";
import { listTiers } from "~/models/campaign-tiers.server";
import { stretchGoalsToAnnounce } from "~/models/stretch-goals.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { metaTranslator } from "~/i18n";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import fulfilmentStyles from "~/styles/fulfilment.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: fulfilmentStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("creator:dashboard.meta") }];

function pledgeStateLabel(t: Translate, state: string): string {
  const labels: Record<string, string> = {
    active: t("creator:pledgeState.active"),
    cancelled: t("creator:pledgeState.cancelled"),
    collecting: t("creator:pledgeState.collecting"),
    collected: t("creator:pledgeState.collected"),
    errored: t("creator:pledgeState.errored"),
    dropped: t("creator:pledgeState.dropped"),
    released: t("creator:pledgeState.released"),
    refunding: t("creator:pledgeState.refunding"),
    refunded: t("creator:pledgeState.refunded"),
    partially_refunded: t("creator:pledgeState.partially_refunded"),
    disputed: t("creator:pledgeState.disputed"),
  };
  return labels[state] ?? state;
}

function termLabels(t: Translate, fundingModel: string, collection: string) {
  const models: Record<string, string> = {
    all_or_nothing: t("creator:fundingModel.all_or_nothing"),
    flexible: t("creator:fundingModel.flexible"),
  };
  const collections: Record<string, string> = {
    at_deadline: t("creator:collection.at_deadline"),
    immediate: t("creator:collection.immediate"),
  };
  return { fundingModel: models[fundingModel] ?? fundingModel, collection: collections[collection] ?? collection };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const locale = requestLocale(request, user);
  const t = requestTranslator(request, user);
  const db = await getDb();
  const now = new Date();
  const [tiers, daily, recent, fulfilment, toAnnounce] = await Promise.all([
    listTiers(db, { campaignId: campaign.id }),
    dailyPledgeTotals(db, { campaignId: campaign.id }),
    recentPledges(db, { campaignId: campaign.id }),
    campaign.state === "draft" ? null : fulfilmentDashboard(db, { campaignId: campaign.id, now }),
    stretchGoalsToAnnounce(db, { campaignId: campaign.id }),
  ]);
  const pledged = Number(campaign.pledged_amount);
  const goal = Number(campaign.goal_amount);
  const money = (n: number) => formatMoney(n, campaign.currency, { locale });
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
    campaign.state === "draft"
      ? checklistFor(campaign, tiers.filter((tier) => !tier.hidden).length, now, t, user.emailVerified)
      : null;

  return json({
    fulfilment: fulfilment && fulfilment.owed > 0 ? fulfilment : null,
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
      deadline: campaign.deadline && campaign.state !== "draft" ? formatDateTime(campaign.deadline, locale) : null,
      daysLeft:
        campaign.deadline && campaign.state === "live"
          ? Math.max(0, Math.ceil((campaign.deadline.getTime() - now.getTime()) / 86_400_000))
          : null,
      launchedAt: campaign.launched_at ? formatDay(campaign.launched_at, locale) : null,
      ...termLabels(t, campaign.funding_model, campaign.collection),
    },
    stretchToAnnounce: toAnnounce.map((g) => ({ id: g.id, title: g.title, reachedAt: g.reachedAt.toISOString() })),
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
      tier: p.tier_title ?? t("creator:dashboard.noReward"),
      amount: money(p.amount),
      state: pledgeStateLabel(t, p.state),
      at: formatDateTime(p.activated_at ?? p.created_at, locale),
    })),
  });
}

export default function CampaignDashboard() {
  const { campaign, checklistMissing, tiers, points, projection, recent, fulfilment, stretchToAnnounce } =
    useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="creator-section dashboard">
      {searchParams.has("launched") ? (
        <p className="notice notice-success" role="status">
          {t("creator:dashboard.launched")}
        </p>
      ) : null}
      {searchParams.has("cancelled") ? (
        <p className="notice notice-info" role="status">
          {t("creator:dashboard.cancelled")}
        </p>
      ) : null}
      {stretchToAnnounce.map((goal) => (
        <p key={goal.id} className="notice notice-info">
          <Trans
            i18nKey="stretch:dashboard.reached"
            t={t}
            values={{ title: goal.title, date: f.date(goal.reachedAt) }}
            components={{ updates: <Link to={`/creator/campaigns/${campaign.id}/updates`} /> }}
            // The title is the creator's text: escaped before Trans reads the markup, shown as typed.
            tOptions={{ interpolation: { escapeValue: true } }}
            shouldUnescape
          />
        </p>
      ))}
      {checklistMissing ? (
        <section className="card draft-callout" aria-labelledby="draft-heading">
          <h2 id="draft-heading">{t("creator:dashboard.draftTitle")}</h2>
          {checklistMissing.length === 0 ? (
            <p>{t("creator:dashboard.draftReady")}</p>
          ) : (
            <p>{t("creator:dashboard.draftMissing", { items: checklistMissing.join(", ").toLowerCase() })}</p>
          )}
          <Link to={`/creator/campaigns/${campaign.id}/launch`} className="button button-primary">
            {checklistMissing.length === 0
              ? t("creator:dashboard.reviewAndLaunch")
              : t("creator:dashboard.seeChecklist")}
          </Link>
        </section>
      ) : null}

      <section className="stat-grid" aria-label={t("creator:dashboard.keyFigures")}>
        <div className="card stat stat-primary">
          <p className="stat-label">{t("creator:dashboard.pledged")}</p>
          <p className="stat-value">{campaign.pledged}</p>
          <Meter
            percent={campaign.percent}
            label={t("creator:dashboard.meterLabel", { percent: campaign.percent, goal: campaign.goal })}
          />
          <p className="stat-note">
            {t("creator:dashboard.percentOf", { percent: campaign.percent, goal: campaign.goal })}
          </p>
        </div>
        <div className="card stat">
          <p className="stat-label">{t("creator:dashboard.backers")}</p>
          <p className="stat-value">{campaign.backers}</p>
          <p className="stat-note">{t("creator:dashboard.averagePledge", { amount: campaign.average ?? "—" })}</p>
        </div>
        <div className="card stat">
          <p className="stat-label">
            {campaign.state === "live" ? t("creator:dashboard.timeLeft") : t("creator:dashboard.deadline")}
          </p>
          <p className="stat-value">
            {campaign.daysLeft !== null
              ? t("creator:dashboard.days", { count: campaign.daysLeft })
              : campaign.state === "draft"
                ? t("creator:dashboard.notLaunched")
                : t("creator:dashboard.ended")}
          </p>
          <p className="stat-note">
            {campaign.deadline
              ? t("creator:dashboard.ends", { date: campaign.deadline })
              : t("creator:dashboard.fixedAtLaunch")}
          </p>
        </div>
        <div className="card stat">
          <p className="stat-label">{t("creator:dashboard.terms")}</p>
          <p className="stat-value stat-value-small">{campaign.fundingModel}</p>
          <p className="stat-note">{campaign.collection}</p>
        </div>
      </section>

      {fulfilment ? <FulfilmentDashboard campaignId={campaign.id} figures={fulfilment} /> : null}

      {campaign.state !== "draft" ? (
        <div className="dashboard-grid">
          <section className="card" aria-labelledby="chart-heading">
            <div className="section-heading-row">
              <h2 id="chart-heading">{t("creator:dashboard.fundingOverTime")}</h2>
              {campaign.launchedAt ? (
                <p className="muted small">{t("creator:dashboard.sinceLaunch", { date: campaign.launchedAt })}</p>
              ) : null}
            </div>
            <FundingChart points={points} goal={campaign.goalAmount} currency={campaign.currency} />
          </section>
          <section className="card projection" aria-labelledby="projection-heading">
            <h2 id="projection-heading">{t("creator:dashboard.projection")}</h2>
            {projection && campaign.backers === 0 ? (
              <p className="muted">{t("creator:dashboard.noPledgesProjection")}</p>
            ) : projection ? (
              <>
                <p className="stat-value">{projection.expected}</p>
                <p>
                  <Trans
                    i18nKey="creator:dashboard.likelyRange"
                    values={{ low: projection.low, high: projection.high }}
                    components={{ strong: <strong /> }}
                  />{" "}
                  {projection.reachesGoal === "likely"
                    ? t("creator:dashboard.reachLikely")
                    : projection.reachesGoal === "unlikely"
                      ? t("creator:dashboard.reachUnlikely")
                      : t("creator:dashboard.reachPossible")}
                </p>
                {projection.confidence === "low" ? (
                  <p className="notice notice-info">{t("creator:dashboard.earlyDays")}</p>
                ) : null}
                <p className="muted small how-computed">
                  {t("creator:dashboard.howComputed", {
                    count: projection.basisDays,
                    rate: projection.dailyRate,
                    window: PROJECTION_WINDOW_DAYS,
                  })}
                </p>
              </>
            ) : (
              <p className="muted">
                {campaign.state === "live"
                  ? t("creator:dashboard.tooLateToProject")
                  : t("creator:dashboard.finalTotal", { amount: campaign.pledged })}
              </p>
            )}
          </section>
        </div>
      ) : null}

      <div className="dashboard-grid">
        <section className="card" aria-labelledby="tiers-heading">
          <div className="section-heading-row">
            <h2 id="tiers-heading">{t("creator:dashboard.rewards")}</h2>
            <Link to={`/creator/campaigns/${campaign.id}/tiers`}>{t("creator:dashboard.manageRewards")}</Link>
          </div>
          {tiers.length === 0 ? (
            <p className="muted">{t("creator:dashboard.noRewards")}</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t("creator:dashboard.reward")}</th>
                  <th scope="col" className="num">
                    {t("creator:dashboard.claimed")}
                  </th>
                  <th scope="col" className="num">
                    {t("creator:dashboard.remaining")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {tiers.map((tier) => (
                  <tr key={tier.id}>
                    <th scope="row">
                      {tier.title} <span className="muted small">{tier.minimum}+</span>{" "}
                      {tier.hidden ? (
                        <span className="state-badge state-hidden">{t("creator:dashboard.hidden")}</span>
                      ) : null}
                    </th>
                    <td className="num">{tier.claimed}</td>
                    <td className="num">
                      {tier.remaining === null
                        ? t("creator:dashboard.noLimit")
                        : t("creator:dashboard.remainingOf", { remaining: tier.remaining, limit: tier.limit })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="recent-heading">
          <div className="section-heading-row">
            <h2 id="recent-heading">{t("creator:dashboard.recentPledges")}</h2>
            {campaign.state !== "draft" ? (
              <a href={`/creator/campaigns/${campaign.id}/backers.csv`} download>
                {t("creator:dashboard.exportBackers")}
              </a>
            ) : null}
          </div>
          {recent.length === 0 ? (
            <p className="muted">
              {campaign.state === "draft"
                ? t("creator:dashboard.pledgesAfterLaunch")
                : t("creator:dashboard.noPledgesYet")}
            </p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t("creator:dashboard.backer")}</th>
                  <th scope="col">{t("creator:dashboard.reward")}</th>
                  <th scope="col" className="num">
                    {t("creator:dashboard.amount")}
                  </th>
                  <th scope="col">{t("creator:dashboard.status")}</th>
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
