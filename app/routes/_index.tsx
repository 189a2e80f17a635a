import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { CampaignGrid, type CampaignCardData } from "~/components/campaign-card";
import { getDb } from "~/db.server";
import { listHomeSections, toCampaignCard } from "~/models/campaign-query.server";
import type { loader as rootLoader } from "~/root";
import styles from "~/styles/public.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [
  { title: "Colecta — back the projects you believe in" },
  {
    name: "description",
    content: "Crowdfunding for innovation projects. Pledge to a campaign; you are charged only if it reaches its goal.",
  },
];

export async function loader() {
  const now = new Date();
  const sections = await listHomeSections(await getDb(), { now });
  return json({
    now: now.toISOString(),
    featured: sections.featured.map(toCampaignCard),
    trending: sections.trending.map(toCampaignCard),
    endingSoon: sections.endingSoon.map(toCampaignCard),
    recentlyFunded: sections.recentlyFunded.map(toCampaignCard),
  });
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const nothingYet =
    data.featured.length + data.trending.length + data.endingSoon.length + data.recentlyFunded.length === 0;
  return (
    <>
      <section className="hero-compact" aria-labelledby="hero-title">
        <div className="container hero-compact-grid">
          <div>
            <p className="eyebrow">Crowdfunding for innovation projects</p>
            <h1 id="hero-title">Back the ideas you want to exist.</h1>
            <p className="lead">
              Creators set a goal and a deadline. On all-or-nothing projects you&apos;re charged only if the goal is met
              — on the deadline, never before.
            </p>
            <Form method="get" action="/discover" className="hero-search" role="search">
              <label htmlFor="home-search" className="visually-hidden">
                Search projects
              </label>
              <input
                id="home-search"
                type="search"
                name="q"
                placeholder="Search projects, e.g. solar lantern"
                maxLength={100}
              />
              <button type="submit" className="button button-primary button-large">
                Search
              </button>
            </Form>
          </div>
          <ul className="promise-list" aria-label="How backing works">
            {PROMISES.map((promise, i) => (
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
            <h2 id="empty-title">No projects are live yet</h2>
            <p>
              Colecta is brand new here. Be the first: start a project and it will appear on this page once it launches.
            </p>
            <Link to={root?.user ? "/creator" : "/signup"} className="button button-primary">
              Start a project
            </Link>
          </section>
        ) : (
          HOME_SECTIONS.map(({ list, ...section }) => (
            <HomeSection key={section.id} {...section} campaigns={data[list]} now={data.now} />
          ))
        )}
      </div>
    </>
  );
}

/** What backing a project promises, in the order the home page numbers it. */
const PROMISES = [
  { title: "Pledge in a minute", text: "Pick a reward; Stripe saves your card. Nothing is charged yet." },
  {
    title: "Charged only if funded",
    text: "At the deadline, a funded project collects every pledge. If not, nobody pays.",
  },
  { title: "Change your mind", text: "Change or cancel your pledge any time before the deadline." },
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
const HOME_SECTIONS: (Omit<HomeSectionProps, "campaigns" | "now"> & {
  list: "featured" | "trending" | "endingSoon" | "recentlyFunded";
})[] = [
  { id: "featured", list: "featured", title: "Featured projects", subtitle: "Picked by the Colecta team." },
  {
    id: "trending",
    list: "trending",
    title: "Trending",
    subtitle: "Most new backers in the last 48 hours.",
    more: { to: "/discover?sort=trending", label: "See all trending" },
    empty: "No project has picked up new backers in the last two days.",
  },
  {
    id: "ending-soon",
    list: "endingSoon",
    title: "Ending soon",
    subtitle: "Last chance to back these.",
    more: { to: "/discover?sort=ending", label: "See all ending soon" },
    empty: "No open project is close to its deadline.",
  },
  {
    id: "recently-funded",
    list: "recentlyFunded",
    title: "Recently funded",
    subtitle: "Goals met; now they get building.",
    more: { to: "/discover?state=funded&sort=newest", label: "See all funded" },
    empty: "No project has finished funding yet.",
  },
];

function HomeSection({ id, title, subtitle, more, campaigns, now, empty }: HomeSectionProps) {
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
            Browse all projects
          </Link>
        </div>
      )}
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
