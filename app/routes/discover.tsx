import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { CampaignGrid } from "~/components/campaign-card";
import { getDb } from "~/db.server";
import { CATEGORIES, categoryName } from "~/domain/catalog";
import {
  DISCOVER_SORTS,
  DISCOVER_STATES,
  MAX_QUERY_LENGTH,
  discoverHref,
  parseDiscoverParams,
} from "~/domain/discovery";
import { decodeCursor, discoverCampaigns, toCampaignCard } from "~/models/campaign-query.server";
import styles from "~/styles/public.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.params.q ? `“${data.params.q}” · Discover projects · Colecta` : "Discover projects · Colecta" },
  {
    name: "description",
    content: "Find crowdfunding projects on Colecta: search, filter by category, and see what is trending.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = parseDiscoverParams(new URL(request.url).searchParams);
  // A cursor that doesn't decode (edited, or from another sort) starts again at the first page.
  const cursor = decodeCursor(params.cursor, params.sort);
  const now = new Date();
  const result = await discoverCampaigns(await getDb(), {
    q: params.q,
    category: params.category,
    state: params.state,
    sort: params.sort,
    cursor,
    now,
  });
  return json({
    now: now.toISOString(),
    params: { ...params, cursor: cursor ? params.cursor : null },
    campaigns: result.campaigns.map(toCampaignCard),
    total: result.total,
    nextHref: result.nextCursor ? discoverHref(params, { cursor: result.nextCursor }) : null,
    firstHref: cursor ? discoverHref(params, { cursor: null }) : null,
  });
}

export default function Discover() {
  const { params, campaigns, total, nextHref, firstHref, now } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/discover";
  const filtered = Boolean(params.q || params.category || params.state !== "live");
  const stateLabel = DISCOVER_STATES.find((s) => s.value === params.state)!.label;

  return (
    <div className="container">
      <header className="discover-head">
        <h1>Discover projects</h1>
        <p className="muted">Search every project on Colecta, or browse by category.</p>
      </header>

      <Form method="get" action="/discover" className="discover-filters" role="search" aria-label="Find projects">
        <div className="field field-search">
          <label htmlFor="discover-q">Search</label>
          <input
            id="discover-q"
            type="search"
            name="q"
            defaultValue={params.q}
            maxLength={MAX_QUERY_LENGTH}
            placeholder="Title, description or story"
            key={params.q}
          />
        </div>
        <div className="field">
          <label htmlFor="discover-category">Category</label>
          <select
            id="discover-category"
            name="category"
            defaultValue={params.category ?? ""}
            key={params.category ?? ""}
          >
            <option value="">All categories</option>
            {CATEGORIES.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="discover-state">Show</label>
          <select id="discover-state" name="state" defaultValue={params.state} key={params.state}>
            {DISCOVER_STATES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="discover-sort">Sort by</label>
          <select
            id="discover-sort"
            name="sort"
            defaultValue={params.sortChosen ? params.sort : ""}
            key={`${params.sort}-${params.q}`}
          >
            <option value="">{params.q ? "Best match" : "Trending"}</option>
            {DISCOVER_SORTS.filter((s) => s.value !== "relevance").map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" disabled={searching}>
          {searching ? "Searching…" : "Search"}
        </button>
      </Form>

      <div className="discover-summary" aria-live="polite">
        <p>
          {total >= 0 ? (
            <>
              <strong>{total.toLocaleString("en-US")}</strong> {total === 1 ? "project" : "projects"}
            </>
          ) : (
            <>More projects</>
          )}
          {params.q ? <> matching “{params.q}”</> : null}
          {params.category ? <> in {categoryName(params.category)}</> : null}
          {" · "}
          {stateLabel.toLowerCase()}
        </p>
        {filtered ? (
          <Link to="/discover" className="button button-ghost">
            Clear filters
          </Link>
        ) : null}
      </div>

      {campaigns.length > 0 ? (
        <section aria-label="Results">
          <CampaignGrid campaigns={campaigns} now={now} headingLevel={2} />
          {nextHref || firstHref ? (
            <nav className="pager" aria-label="More results">
              {firstHref ? (
                <Link to={firstHref} className="button button-secondary">
                  ← First page
                </Link>
              ) : null}
              {nextHref ? (
                <Link to={nextHref} className="button button-primary">
                  Next page →
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      ) : (
        <section className="empty-state" aria-labelledby="no-results">
          <h2 id="no-results">
            {params.q ? `No projects match “${params.q}”` : firstHref ? "No more projects" : "No projects here yet"}
          </h2>
          <p>
            {params.q
              ? `Nothing ${params.category ? `in ${categoryName(params.category)} ` : ""}${params.state === "all" ? "" : `that is ${stateLabel.toLowerCase()} `}matches those words. Try fewer or different words, or widen the filters.`
              : firstHref
                ? "You've reached the end of the list."
                : `No ${params.category ? `${categoryName(params.category)} ` : ""}projects are ${stateLabel.toLowerCase()} right now.`}
          </p>
          <p>
            {params.state !== "all" ? (
              <Link to={discoverHref({ ...params, state: "all", cursor: null })} className="button button-primary">
                Include finished projects
              </Link>
            ) : null}
            {filtered ? (
              <Link to="/discover" className="button button-secondary">
                Clear filters
              </Link>
            ) : null}
          </p>
        </section>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
