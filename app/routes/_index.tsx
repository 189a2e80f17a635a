import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CampaignGrid, type CampaignCardData } from "~/components/campaign-card";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import type { Translate } from "~/domain/locale";
import { metaTranslator } from "~/i18n";
import { listHomeSections, toCampaignCard } from "~/models/campaign-query.server";
import type { loader as rootLoader } from "~/root";
import styles from "~/styles/public.css";
import { alternateLinks, languageAlternates } from "~/web/alternates";
import { pageNow, publicPageHeaders, publicRouteHeaders } from "~/web/page-cache.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const headers = publicRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    { title: t("public:home.meta.title") },
    { name: "description", content: t("public:home.meta.description") },
    ...alternateLinks(data?.alternates),
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const now = new Date();
  const sections = await listHomeSections(await getDb(), { now });
  return json(
    {
      now: pageNow(now),
      alternates: languageAlternates(request, getConfig().appUrl),
      featured: sections.featured.map(toCampaignCard),
      trending: sections.trending.map(toCampaignCard),
      endingSoon: sections.endingSoon.map(toCampaignCard),
      recentlyFunded: sections.recentlyFunded.map(toCampaignCard),
    },
    { headers: publicPageHeaders(null) },
  );
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const { t } = useTranslation();
  const nothingYet =
    data.featured.length + data.trending.length + data.endingSoon.length + data.recentlyFunded.length === 0;
  return (
    <>
      <section className="hero-compact" aria-labelledby="hero-title">
        <div className="container hero-compact-grid">
          <div>
            <p className="eyebrow">{t("public:home.eyebrow")}</p>
            <h1 id="hero-title">{t("public:home.title")}</h1>
            <p className="lead">{t("public:home.lead")}</p>
            <Form method="get" action="/discover" className="hero-search" role="search">
              <label htmlFor="home-search" className="visually-hidden">
                {t("public:home.searchLabel")}
              </label>
              <input
                id="home-search"
                type="search"
                name="q"
                placeholder={t("public:home.searchPlaceholder")}
                maxLength={100}
              />
              <button type="submit" className="button button-primary button-large">
                {t("public:home.search")}
              </button>
            </Form>
          </div>
          <ul className="promise-list" aria-label={t("public:home.promisesLabel")}>
            {promises(t).map((promise, i) => (
              <li key={promise.title}>
                <span className="promise-icon" aria-hidden="true">
                  {i + 1}
                </span>
                <div>
                  <strong>{promise.title}</strong>
                  <span>{promise.text}</span>
                </div>
              </li>
            ))}
          </ul>
        </div>
      </section>

      <div className="container">
        {nothingYet ? (
          <section className="empty-state" aria-labelledby="empty-title">
            <h2 id="empty-title">{t("public:home.empty.title")}</h2>
            <p>{t("public:home.empty.text")}</p>
            <Link to={root?.user ? "/creator" : "/signup"} className="button button-primary">
              {t("public:home.empty.start")}
            </Link>
          </section>
        ) : (
          homeSections(t).map(({ list, ...section }) => (
            <HomeSection key={section.id} {...section} campaigns={data[list]} now={data.now} />
          ))
        )}
      </div>
    </>
  );
}

/** What backing a project promises, in the order the home page numbers it. */
const promises = (t: Translate) => [
  { title: t("public:home.promises.pledge.title"), text: t("public:home.promises.pledge.text") },
  { title: t("public:home.promises.funded.title"), text: t("public:home.promises.funded.text") },
  { title: t("public:home.promises.change.title"), text: t("public:home.promises.change.text") },
];

interface HomeSectionProps {
  id: string;
  title: string;
  subtitle: string;
  more?: { to: string; label: string };
  campaigns: CampaignCardData[];
  now: string;
  empty?: string;
}

/** The home page's rows, top to bottom; each shows the loader's list of the same name. */
const homeSections = (
  t: Translate,
): (Omit<HomeSectionProps, "campaigns" | "now"> & {
  list: "featured" | "trending" | "endingSoon" | "recentlyFunded";
})[] => [
  {
    id: "featured",
    list: "featured",
    title: t("public:home.sections.featured.title"),
    subtitle: t("public:home.sections.featured.subtitle"),
  },
  {
    id: "trending",
    list: "trending",
    title: t("public:home.sections.trending.title"),
    subtitle: t("public:home.sections.trending.subtitle"),
    more: { to: "/discover?sort=trending", label: t("public:home.sections.trending.more") },
    empty: t("public:home.sections.trending.empty"),
  },
  {
    id: "ending-soon",
    list: "endingSoon",
    title: t("public:home.sections.endingSoon.title"),
    subtitle: t("public:home.sections.endingSoon.subtitle"),
    more: { to: "/discover?sort=ending", label: t("public:home.sections.endingSoon.more") },
    empty: t("public:home.sections.endingSoon.empty"),
  },
  {
    id: "recently-funded",
    list: "recentlyFunded",
    title: t("public:home.sections.recentlyFunded.title"),
    subtitle: t("public:home.sections.recentlyFunded.subtitle"),
    more: { to: "/discover?state=funded&sort=newest", label: t("public:home.sections.recentlyFunded.more") },
    empty: t("public:home.sections.recentlyFunded.empty"),
  },
];

function HomeSection({ id, title, subtitle, more, campaigns, now, empty }: HomeSectionProps) {
  const { t } = useTranslation();
  if (campaigns.length === 0 && !empty) return null;
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          <p className="muted">{subtitle}</p>
        </div>
        {more && campaigns.length > 0 ? <Link to={more.to}>{more.label} →</Link> : null}
      </div>
      {campaigns.length > 0 ? (
        <CampaignGrid campaigns={campaigns} now={now} />
      ) : (
        <div className="empty-state">
          <p>{empty}</p>
          <Link to="/discover" className="button button-secondary">
            {t("public:home.browseAll")}
          </Link>
        </div>
      )}
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
