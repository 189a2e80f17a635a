import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { CampaignGrid } from "~/components/campaign-card";
import { useFormat } from "~/components/locale";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { CATEGORIES, categoryName } from "~/domain/catalog";
import {
  DISCOVER_SORTS,
  DISCOVER_STATES,
  MAX_QUERY_LENGTH,
  discoverHref,
  parseDiscoverParams,
  type DiscoverSort,
  type DiscoverState,
} from "~/domain/discovery";
import type { Translate } from "~/domain/locale";
import { metaTranslator } from "~/i18n";
import { decodeCursor, discoverCampaigns, toCampaignCard } from "~/models/campaign-query.server";
import styles from "~/styles/public.css";
import { alternateLinks, languageAlternates } from "~/web/alternates";
import { pageNow, publicPageHeaders, publicRouteHeaders } from "~/web/page-cache.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const headers = publicRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    {
      title: data?.params.q
        ? t("public:discover.meta.searchTitle", { q: data.params.q })
        : t("public:discover.meta.title"),
    },
    { name: "description", content: t("public:discover.meta.description") },
    ...alternateLinks(data?.alternates),
  ];
};

/** The sort menu's names (literal keys, so the catalogue check sees them). */
function sortLabel(t: Translate, sort: DiscoverSort): string {
  switch (sort) {
    case "trending":
      return t("public:discover.sort.trending");
    case "ending":
      return t("public:discover.sort.ending");
    case "newest":
      return t("public:discover.sort.newest");
    case "funded":
      return t("public:discover.sort.funded");
    case "relevance":
      return t("public:discover.sort.relevance");
  }
}

function stateLabel(t: Translate, state: DiscoverState): string {
  switch (state) {
    case "live":
      return t("public:discover.state.live");
    case "funded":
      return t("public:discover.state.funded");
    case "all":
      return t("public:discover.state.all");
  }
}

/** The state as it reads after the count, in lower case: "12 projects · open for pledges". */
function stateInSummary(t: Translate, state: DiscoverState): string {
  switch (state) {
    case "live":
      return t("public:discover.summary.state.live");
    case "funded":
      return t("public:discover.summary.state.funded");
    case "all":
      return t("public:discover.summary.state.all");
  }
}

/** Why nothing matched a search, for the state and category filtered on. */
function noMatchText(t: Translate, state: DiscoverState, category: string | null): string {
  const values = category ? { category } : {};
  switch (state) {
    case "live":
      return category ? t("public:discover.empty.noMatch.liveIn", values) : t("public:discover.empty.noMatch.live");
    case "funded":
      return category ? t("public:discover.empty.noMatch.fundedIn", values) : t("public:discover.empty.noMatch.funded");
    case "all":
      return category ? t("public:discover.empty.noMatch.allIn", values) : t("public:discover.empty.noMatch.all");
  }
}

/** Nothing to show without a search, for the state and category filtered on. */
function noneText(t: Translate, state: DiscoverState, category: string | null): string {
  const values = category ? { category } : {};
  switch (state) {
    case "live":
      return category ? t("public:discover.empty.none.liveIn", values) : t("public:discover.empty.none.live");
    case "funded":
      return category ? t("public:discover.empty.none.fundedIn", values) : t("public:discover.empty.none.funded");
    case "all":
      return category ? t("public:discover.empty.none.allIn", values) : t("public:discover.empty.none.all");
  }
}

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
  return json(
    {
      now: pageNow(now),
      alternates: languageAlternates(request, getConfig().appUrl),
      params: { ...params, cursor: cursor ? params.cursor : null },
      campaigns: result.campaigns.map(toCampaignCard),
      total: result.total,
      nextHref: result.nextCursor ? discoverHref(params, { cursor: result.nextCursor }) : null,
      firstHref: cursor ? discoverHref(params, { cursor: null }) : null,
    },
    { headers: publicPageHeaders(null) },
  );
}

export default function Discover() {
  const { params, campaigns, total, nextHref, firstHref, now } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/discover";
  const filtered = Boolean(params.q || params.category || params.state !== "live");
  const { t } = useTranslation();
  const f = useFormat();
  const category = params.category ? categoryName(params.category, t) : null;

  return (
    <div className="container">
      <header className="discover-head">
        <h1>{t("public:discover.title")}</h1>
        <p className="muted">{t("public:discover.lead")}</p>
      </header>

      <Form
        method="get"
        action="/discover"
        className="discover-filters"
        role="search"
        aria-label={t("public:discover.formLabel")}
      >
        <div className="field field-search">
          <label htmlFor="discover-q">{t("public:discover.search")}</label>
          <input
            id="discover-q"
            type="search"
            name="q"
            defaultValue={params.q}
            maxLength={MAX_QUERY_LENGTH}
            placeholder={t("public:discover.searchPlaceholder")}
            key={params.q}
          />
        </div>
        <div className="field">
          <label htmlFor="discover-category">{t("public:discover.category")}</label>
          <select
            id="discover-category"
            name="category"
            defaultValue={params.category ?? ""}
            key={params.category ?? ""}
          >
            <option value="">{t("public:discover.allCategories")}</option>
            {CATEGORIES.map((c) => (
              <option key={c.slug} value={c.slug}>
                {categoryName(c.slug, t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="discover-state">{t("public:discover.show")}</label>
          <select id="discover-state" name="state" defaultValue={params.state} key={params.state}>
            {DISCOVER_STATES.map((s) => (
              <option key={s.value} value={s.value}>
                {stateLabel(t, s.value)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="discover-sort">{t("public:discover.sortBy")}</label>
          <select
            id="discover-sort"
            name="sort"
            defaultValue={params.sortChosen ? params.sort : ""}
            key={`${params.sort}-${params.q}`}
          >
            <option value="">{params.q ? sortLabel(t, "relevance") : sortLabel(t, "trending")}</option>
            {DISCOVER_SORTS.filter((s) => s.value !== "relevance").map((s) => (
              <option key={s.value} value={s.value}>
                {sortLabel(t, s.value)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" disabled={searching}>
          {searching ? t("public:discover.searching") : t("public:discover.search")}
        </button>
      </Form>

      <div className="discover-summary" aria-live="polite">
        <p>
          <Summary total={total} q={params.q} category={category} number={f.number(total)} />
          {" · "}
          {stateInSummary(t, params.state)}
        </p>
        {filtered ? (
          <Link to="/discover" className="button button-ghost">
            {t("public:discover.clearFilters")}
          </Link>
        ) : null}
      </div>

      {campaigns.length > 0 ? (
        <section aria-label={t("public:discover.resultsLabel")}>
          <CampaignGrid campaigns={campaigns} now={now} headingLevel={2} />
          {nextHref || firstHref ? (
            <nav className="pager" aria-label={t("public:discover.pagerLabel")}>
              {firstHref ? (
                <Link to={firstHref} className="button button-secondary">
                  {t("public:discover.firstPage")}
                </Link>
              ) : null}
              {nextHref ? (
                <Link to={nextHref} className="button button-primary">
                  {t("public:discover.nextPage")}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      ) : (
        <section className="empty-state" aria-labelledby="no-results">
          <h2 id="no-results">
            {params.q
              ? t("public:discover.empty.noMatchTitle", { q: params.q })
              : firstHref
                ? t("public:discover.empty.noMoreTitle")
                : t("public:discover.empty.noneTitle")}
          </h2>
          <p>
            {params.q
              ? noMatchText(t, params.state, category)
              : firstHref
                ? t("public:discover.empty.end")
                : noneText(t, params.state, category)}
          </p>
          <p>
            {params.state !== "all" ? (
              <Link to={discoverHref({ ...params, state: "all", cursor: null })} className="button button-primary">
                {t("public:discover.empty.includeFinished")}
              </Link>
            ) : null}
            {filtered ? (
              <Link to="/discover" className="button button-secondary">
                {t("public:discover.clearFilters")}
              </Link>
            ) : null}
          </p>
        </section>
      )}
    </div>
  );
}

/** "12 projects matching “lantern” in Design": one sentence per combination, so each language orders its own. */
function Summary({
  total,
  q,
  category,
  number,
}: {
  total: number;
  q: string;
  category: string | null;
  number: string;
}) {
  const { t } = useTranslation();
  const values = { q, category: category ?? "" };
  if (total < 0) {
    if (q && category) return <>{t("public:discover.summary.moreMatchingIn", values)}</>;
    if (q) return <>{t("public:discover.summary.moreMatching", values)}</>;
    if (category) return <>{t("public:discover.summary.moreIn", values)}</>;
    return <>{t("public:discover.summary.more")}</>;
  }
  // The search is the reader's own text: escaped before Trans reads the sentence's markup, then
  // shown as typed (so a search for "<strong>" is words, not a tag).
  const props = {
    t,
    count: total,
    values: { ...values, number },
    components: { strong: <strong /> },
    tOptions: { interpolation: { escapeValue: true } },
    shouldUnescape: true,
  };
  if (q && category) return <Trans i18nKey="public:discover.summary.countMatchingIn" {...props} />;
  if (q) return <Trans i18nKey="public:discover.summary.countMatching" {...props} />;
  if (category) return <Trans i18nKey="public:discover.summary.countIn" {...props} />;
  return <Trans i18nKey="public:discover.summary.count" {...props} />;
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
