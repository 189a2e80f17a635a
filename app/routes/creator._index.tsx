import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CampaignStateBadge, formatDay, Meter } from "~/components/creator-ui";
import { useLocale } from "~/components/locale";
import { getDb } from "~/db.server";
import { formatMoney } from "~/domain/money";
import { listCreatorCampaigns } from "~/models/campaign.server";
import { requireCreator } from "~/services/campaigns/creator.server";
import { imageUrl } from "~/domain/images";
import { metaTranslator } from "~/i18n";
import { requestLocale } from "~/web/locale.server";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("creator:home.meta") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, actor } = await requireCreator(request, context);
  const locale = requestLocale(request, user);
  const campaigns = await listCreatorCampaigns(await getDb(), { userId: actor.userId });
  return json({
    campaigns: campaigns.map((c) => ({
      id: c.id,
      title: c.title,
      state: c.state,
      pledged: formatMoney(Number(c.pledged_amount), c.currency, { locale }),
      goal: formatMoney(Number(c.goal_amount), c.currency, { locale }),
      percent: Math.floor((Number(c.pledged_amount) * 100) / Number(c.goal_amount)),
      backers: c.backer_count,
      deadline: c.deadline ? c.deadline.toISOString() : null,
      durationDays: c.duration_days,
      coverUrl: c.cover_image_id ? imageUrl(c.cover_image_id) : null,
    })),
  });
}

export default function CreatorHome() {
  const { campaigns } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="container creator-page">
      <header className="creator-heading">
        <div>
          <p className="eyebrow">{t("creator:home.eyebrow")}</p>
          <h1>{t("creator:home.title")}</h1>
        </div>
        {campaigns.length > 0 ? (
          <Link to="/creator/new" className="button button-primary">
            {t("creator:home.startNew")}
          </Link>
        ) : null}
      </header>
      {searchParams.has("deleted") ? (
        <p className="notice notice-success" role="status">
          {t("creator:home.deleted")}
        </p>
      ) : null}

      {campaigns.length === 0 ? (
        <section className="card empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">{t("creator:home.emptyTitle")}</h2>
          <p className="lead">{t("creator:home.emptyLead")}</p>
          <ol className="timeline empty-steps">
            <li>
              <strong>{t("creator:home.stepStoryTitle")}</strong>
              <span>{t("creator:home.stepStoryBody")}</span>
            </li>
            <li>
              <strong>{t("creator:home.stepRewardsTitle")}</strong>
              <span>{t("creator:home.stepRewardsBody")}</span>
            </li>
            <li>
              <strong>{t("creator:home.stepLaunchTitle")}</strong>
              <span>{t("creator:home.stepLaunchBody")}</span>
            </li>
          </ol>
          <Link to="/creator/new" className="button button-primary button-large">
            {t("creator:home.startNew")}
          </Link>
        </section>
      ) : (
        <ul className="creator-campaign-list" aria-label={t("creator:home.listLabel")}>
          {campaigns.map((c) => (
            <li key={c.id} className="card creator-campaign-row">
              <div className="row-cover" aria-hidden="true">
                {c.coverUrl ? <img src={c.coverUrl} alt="" /> : <span className="row-cover-empty" />}
              </div>
              <div className="row-main">
                <h2>
                  <Link to={`/creator/campaigns/${c.id}`}>{c.title}</Link>
                </h2>
                <CampaignStateBadge state={c.state} />
              </div>
              <div className="row-money">
                <p>
                  <strong>{c.pledged}</strong>{" "}
                  <span className="muted">{t("creator:home.ofGoal", { goal: c.goal })}</span>
                </p>
                <Meter percent={c.percent} label={t("creator:home.percentOfGoal", { percent: c.percent })} />
              </div>
              <dl className="row-facts">
                <div>
                  <dt>{t("creator:home.backers")}</dt>
                  <dd>{c.backers}</dd>
                </div>
                <div>
                  <dt>{c.state === "draft" ? t("creator:home.runsFor") : t("creator:home.deadline")}</dt>
                  <dd>
                    {c.deadline && c.state !== "draft" ? (
                      <time dateTime={c.deadline}>{formatDay(c.deadline, locale)}</time>
                    ) : c.durationDays ? (
                      t("creator:home.days", { count: c.durationDays })
                    ) : c.deadline ? (
                      t("creator:home.until", { date: formatDay(c.deadline, locale) })
                    ) : (
                      "—"
                    )}
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
