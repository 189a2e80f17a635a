import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PollChart } from "~/components/insights/poll-chart";
import { useFormat } from "~/components/locale";
import { getDb } from "~/db.server";
import { IDEA_STATUSES, percentOf } from "~/domain/crowd";
import type { Translate } from "~/domain/locale";
import { metaTranslator } from "~/i18n";
import { crowdInsights } from "~/models/crowd-insights.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { requestTranslator } from "~/web/locale.server";
import { notFound } from "~/web/responses";
import styles from "~/styles/insights.css";

// The creator's Crowd insights: participation, what became of the ideas, and each poll's results
// over time. Everything is computed by crowdInsights, which checks who is asking in its query.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("insights:meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const insights = await crowdInsights(await getDb(), { campaignId: campaign.id, viewer: actor });
  if (!insights) notFound(requestTranslator(request, user)("creator:common.campaignNotFound"));
  return json(insights);
}

/** A median wait, in the largest unit that keeps it readable: minutes, hours, then days. */
function formatWait(seconds: number, t: Translate): string {
  const hours = seconds / 3600;
  if (hours < 1) return t("insights:duration.minutes", { count: Math.max(1, Math.round(seconds / 60)) });
  if (hours < 48) return t("insights:duration.hours", { count: Math.round(hours) });
  return t("insights:duration.days", { count: Math.round(hours / 24) });
}

export default function CrowdInsightsPage() {
  const insights = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const { campaign, ideas } = insights;
  const base = `/creator/campaigns/${campaign.id}`;
  const nothingYet = ideas.total === 0 && insights.polls.length === 0 && insights.participants === 0;
  const adoptionRate = percentOf(ideas.byStatus.adopted, ideas.total);

  return (
    <div className="insights-page">
      <div className="section-heading-row">
        <h2>{t("insights:title")}</h2>
        {!nothingYet ? (
          <a href={`${base}/insights.csv`} download>
            {t("insights:exportCsv")}
          </a>
        ) : null}
      </div>
      <p className="muted">{t("insights:intro")}</p>

      {nothingYet ? (
        <section className="card insights-empty" aria-labelledby="insights-empty-heading">
          <h3 id="insights-empty-heading">{t("insights:empty.title")}</h3>
          <p>{t("insights:empty.body")}</p>
          <p className="insights-empty-actions">
            <Link to={`${base}/ideas`} className="button button-secondary">
              {t("insights:empty.openBoard")}
            </Link>
            {campaign.state !== "draft" ? (
              <Link to={`${base}/polls`} className="button button-secondary">
                {t("insights:empty.askPoll")}
              </Link>
            ) : null}
          </p>
        </section>
      ) : (
        <>
          <section className="stat-grid insights-figures" aria-label={t("insights:figures.label")}>
            <div className="card stat stat-primary">
              <p className="stat-label">{t("insights:figures.participants")}</p>
              <p className="stat-value">{f.number(insights.participants)}</p>
              <p className="stat-note">{t("insights:figures.participantsNote")}</p>
            </div>
            <div className="card stat">
              <p className="stat-label">{t("insights:figures.backersShare")}</p>
              <p className="stat-value">
                {insights.backers > 0
                  ? t("insights:percent", {
                      percent: percentOf(insights.backersTookPart, insights.backers),
                    })
                  : "—"}
              </p>
              <p className="stat-note">
                {insights.backers > 0
                  ? t("insights:figures.backersShareNote", {
                      part: f.number(insights.backersTookPart),
                      count: insights.backers,
                    })
                  : t("insights:figures.noBackers")}
              </p>
            </div>
            <div className="card stat">
              <p className="stat-label">{t("insights:figures.ideas")}</p>
              <p className="stat-value">{f.number(ideas.total)}</p>
              <p className="stat-note">
                {ideas.total > 0
                  ? t("insights:figures.adoptionNote", {
                      adopted: f.number(ideas.byStatus.adopted),
                      percent: adoptionRate,
                    })
                  : t("insights:figures.noIdeas")}
              </p>
            </div>
            <div className="card stat">
              <p className="stat-label">{t("insights:figures.timeToAnswer")}</p>
              <p className={ideas.medianSecondsToAnswer === null ? "stat-value stat-value-small" : "stat-value"}>
                {ideas.medianSecondsToAnswer === null
                  ? t("insights:figures.noAnswers")
                  : formatWait(ideas.medianSecondsToAnswer, t)}
              </p>
              <p className="stat-note">
                {ideas.unanswered > 0
                  ? t("insights:figures.unanswered", { count: ideas.unanswered })
                  : ideas.total > 0
                    ? t("insights:figures.allAnswered")
                    : t("insights:figures.noIdeas")}
              </p>
            </div>
          </section>

          <div className="dashboard-grid">
            <section className="card" aria-labelledby="by-status-heading">
              <h3 id="by-status-heading">{t("insights:byStatus.title")}</h3>
              {ideas.total === 0 ? (
                <p className="muted">{t("insights:byStatus.empty")}</p>
              ) : (
                <dl className="status-bars">
                  {IDEA_STATUSES.map((status) => {
                    const count = ideas.byStatus[status];
                    const percent = percentOf(count, ideas.total);
                    return (
                      <div key={status} className="status-bar">
                        <dt>{t(`ideas:status.${status}`)}</dt>
                        <dd>
                          <span className="status-bar-track" aria-hidden="true">
                            <span className={`status-bar-fill status-bar-${status}`} style={{ width: `${percent}%` }} />
                          </span>
                          <span className="status-bar-value">
                            {t("insights:byStatus.row", { count: f.number(count), percent })}
                          </span>
                        </dd>
                      </div>
                    );
                  })}
                </dl>
              )}
            </section>
            <section className="card" aria-labelledby="adopted-heading">
              <h3 id="adopted-heading">{t("insights:adopted.title")}</h3>
              {insights.adopted.length === 0 ? (
                <p className="muted">{t("insights:adopted.empty")}</p>
              ) : (
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("insights:adopted.contributor")}</th>
                      <th scope="col">{t("insights:adopted.idea")}</th>
                      <th scope="col">{t("insights:adopted.thanks")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {insights.adopted.map((a) => (
                      <tr key={a.id}>
                        <th scope="row">{a.author}</th>
                        <td>
                          <Link to={`/projects/${campaign.slug}/ideas/${a.id}`}>{a.title}</Link>
                        </td>
                        <td>
                          {a.credit === "mention"
                            ? t("insights:adopted.mention")
                            : a.credit === "reward"
                              ? t("insights:adopted.reward", { tier: a.rewardTier ?? "" })
                              : t("insights:adopted.none")}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>

          <section className="card" aria-labelledby="top-heading">
            <h3 id="top-heading">{t("insights:top.title")}</h3>
            {insights.topIdeas.length === 0 ? (
              <p className="muted">{t("insights:top.empty")}</p>
            ) : (
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t("insights:top.idea")}</th>
                    <th scope="col">{t("insights:top.kind")}</th>
                    <th scope="col">{t("insights:top.status")}</th>
                    <th scope="col" className="num">
                      {t("insights:top.votes")}
                    </th>
                    <th scope="col" className="num">
                      {t("insights:top.comments")}
                    </th>
                    <th scope="col">{t("insights:top.author")}</th>
                  </tr>
                </thead>
                <tbody>
                  {insights.topIdeas.map((idea) => (
                    <tr key={idea.id}>
                      <th scope="row">
                        <Link to={`/projects/${campaign.slug}/ideas/${idea.id}`}>{idea.title}</Link>
                      </th>
                      <td>{t(`ideas:kind.${idea.kind}`)}</td>
                      <td>{t(`ideas:status.${idea.status}`)}</td>
                      <td className="num">{f.number(idea.votes)}</td>
                      <td className="num">{f.number(idea.comments)}</td>
                      <td>{idea.author}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section className="insights-polls" aria-labelledby="polls-heading">
            <h3 id="polls-heading">{t("insights:polls.title")}</h3>
            {insights.polls.length === 0 ? (
              <p className="card muted">{t("insights:polls.empty")}</p>
            ) : (
              insights.polls.map((poll) => (
                <article key={poll.id} className="card insights-poll" aria-labelledby={`poll-${poll.id}`}>
                  <div className="section-heading-row">
                    <h4 id={`poll-${poll.id}`}>{poll.question}</h4>
                    <p className="muted small">
                      {poll.closed
                        ? t("insights:polls.closedOn", { date: f.date(poll.closesAt) })
                        : t("insights:polls.openUntil", { date: f.date(poll.closesAt) })}
                      {" · "}
                      {t("insights:polls.votes", { count: poll.voteCount })}
                    </p>
                  </div>
                  <PollChart question={poll.question} options={poll.options} days={poll.days} />
                  <table className="data-table poll-results">
                    <caption className="visually-hidden">{t("insights:polls.finalResults")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t("insights:polls.option")}</th>
                        <th scope="col" className="num">
                          {t("insights:top.votes")}
                        </th>
                        <th scope="col" className="num">
                          {t("insights:polls.share")}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {poll.options.map((o) => (
                        <tr key={o.id}>
                          <th scope="row">{o.label}</th>
                          <td className="num">{f.number(o.votes)}</td>
                          <td className="num">
                            {t("insights:percent", { percent: percentOf(o.votes, poll.voteCount) })}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </article>
              ))
            )}
          </section>
        </>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
