import type { CampaignLanguage, CampaignState, CurrencyCode } from "../../db/schema.js";
import { CATEGORIES } from "./catalog";

// What /discover accepts in its query string, read leniently: anything unknown falls back to the
// default, so a hand-edited or stale URL shows results instead of an error.

export const DISCOVER_SORTS = [
  { value: "trending", label: "Trending" },
  { value: "ending", label: "Ending soon" },
  { value: "newest", label: "Newest" },
  { value: "funded", label: "Most funded" },
  { value: "relevance", label: "Best match" },
] as const;
export type DiscoverSort = (typeof DISCOVER_SORTS)[number]["value"];

export const DISCOVER_STATES = [
  { value: "live", label: "Open for pledges" },
  { value: "funded", label: "Funded" },
  { value: "all", label: "All projects" },
] as const;
export type DiscoverState = (typeof DISCOVER_STATES)[number]["value"];

export const MAX_QUERY_LENGTH = 100;
export const DISCOVER_PAGE_SIZE = 12;

export interface DiscoverParams {
  q: string;
  category: string | null;
  state: DiscoverState;
  sort: DiscoverSort;
  /** Whether the sort was chosen (shown in the form) or defaulted. */
  sortChosen: boolean;
  cursor: string | null;
}

const isSort = (v: string): v is DiscoverSort => DISCOVER_SORTS.some((s) => s.value === v);
const isState = (v: string): v is DiscoverState => DISCOVER_STATES.some((s) => s.value === v);
const isCategory = (v: string) => CATEGORIES.some((c) => c.slug === v);

/** Best match when searching, trending otherwise; "Best match" without a query means trending. */
export function parseDiscoverParams(search: URLSearchParams): DiscoverParams {
  // Control characters (a NUL would make PostgreSQL refuse the query) become spaces.
  const q = (search.get("q") ?? "")
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f\s]+/g, " ")
    .trim()
    .slice(0, MAX_QUERY_LENGTH)
    .trim();
  const category = search.get("category") ?? "";
  const state = search.get("state") ?? "";
  const sortParam = search.get("sort") ?? "";
  let sort: DiscoverSort = q ? "relevance" : "trending";
  let sortChosen = false;
  if (isSort(sortParam) && (sortParam !== "relevance" || q)) {
    sort = sortParam;
    sortChosen = true;
  }
  const cursor = search.get("cursor");
  return {
    q,
    category: isCategory(category) ? category : null,
    state: isState(state) ? state : "live",
    sort,
    sortChosen,
    cursor: cursor && cursor.length <= 300 ? cursor : null,
  };
}

/** The query string for these params (defaults left out), plus any overrides. */
export function discoverHref(
  params: Partial<DiscoverParams>,
  overrides: Partial<Record<keyof DiscoverParams, string | null>> = {},
) {
  const merged: Record<string, string | null | undefined> = {
    q: params.q || null,
    category: params.category ?? null,
    state: params.state && params.state !== "live" ? params.state : null,
    sort: params.sortChosen ? params.sort : null,
    cursor: params.cursor ?? null,
    ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, v === undefined ? undefined : v])),
  };
  const search = new URLSearchParams();
  for (const key of ["q", "category", "state", "sort", "cursor"]) {
    const value = merged[key];
    if (value) search.set(key, value);
  }
  const query = search.toString();
  return query ? `/discover?${query}` : "/discover";
}

/** What a campaign card shows; built on the server (cover URL included) and sent as JSON. */
export interface CampaignCardData {
  id: string;
  slug: string;
  title: string;
  blurb: string;
  category: string;
  coverUrl: string | null;
  coverAlt: string;
  goalAmount: number;
  pledgedAmount: number;
  backerCount: number;
  currency: CurrencyCode;
  deadline: string | null;
  endedAt: string | null;
  state: CampaignState;
  creatorName: string;
  /** The language the campaign is written in. */
  language: CampaignLanguage;
}
