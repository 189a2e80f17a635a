import { sql, type RawBuilder } from "kysely";
import type { CampaignLanguage, CampaignState, Collection, CurrencyCode, Db, FundingModel } from "../../db/schema.js";
import { DISCOVER_PAGE_SIZE, type CampaignCardData, type DiscoverSort, type DiscoverState } from "../domain/discovery";
import { COUNTED_STATES } from "../domain/pledge-states";
import { imageUrl } from "../domain/images";
import { isUuid } from "../domain/ids";
import { currentStory } from "../domain/markdown";

// Read-only queries behind the public pages. Every page runs a fixed number of them (no query per
// row), and every filter and sort has an index (db/migrations/*_discovery.ts, bench/results).

/** "Trending" counts pledges that became active in this window. */
const TRENDING_WINDOW_HOURS = 48;

export interface CampaignCardRow {
  id: string;
  slug: string;
  title: string;
  blurb: string;
  category: string;
  cover_image_id: string | null;
  cover_alt: string;
  goal_amount: number;
  pledged_amount: number;
  backer_count: number;
  currency: CurrencyCode;
  deadline: Date | null;
  launched_at: Date | null;
  ended_at: Date | null;
  state: CampaignState;
  featured: boolean;
  funding_model: FundingModel;
  language: CampaignLanguage;
  creator_name: string;
}

const CAMPAIGN_COLUMNS = sql`
  c.id, c.slug, c.title, c.blurb, c.category, c.cover_image_id, c.cover_alt, c.goal_amount,
  c.pledged_amount, c.backer_count, c.currency, c.deadline, c.launched_at, c.ended_at, c.state,
  c.featured, c.funding_model, c.language, c.creator_id`;
const CARD_COLUMNS = sql`${CAMPAIGN_COLUMNS}, u.name as creator_name`;

const counted = sql.join(COUNTED_STATES.map((s) => sql.lit(s)));
const PUBLIC_STATES = sql`('live', 'settling', 'funded', 'unfunded', 'cancelled')`;

/** How stale the trending snapshot may get before a page recomputes it. */
const TRENDING_REFRESH_MS = 60_000;
/**
 * The background jobs recount sooner (they pass every 30 s), so while they run a page view
 * never waits for a recount: it only reads the snapshot.
 */
export const TRENDING_BACKGROUND_REFRESH_MS = 20_000;

/**
 * Makes sure the trending snapshot (pledges activated in the 48 hours before `now`, per
 * campaign) is at most a minute old. Recounting is a range scan over every recent activation,
 * tens of milliseconds at a million pledges, so it happens once a minute, not once a page; one
 * process recounts (advisory lock) while the others keep reading the previous snapshot.
 */
export async function refreshTrending(
  db: Db,
  { now, force = false, maxAgeMs = TRENDING_REFRESH_MS }: { now: Date; force?: boolean; maxAgeMs?: number },
) {
  const fresh = (windowEnd: Date | undefined) =>
    !force && windowEnd !== undefined && Math.abs(now.getTime() - windowEnd.getTime()) < maxAgeMs;
  const snapshot = await db.selectFrom("trending_snapshot").select("window_end").executeTakeFirst();
  if (fresh(snapshot?.window_end)) return false;
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_xact_lock(hashtext('colecta.trending')) as locked`.execute(trx);
    if (!rows[0]?.locked) return false;
    const again = await trx.selectFrom("trending_snapshot").select("window_end").executeTakeFirst();
    if (fresh(again?.window_end)) return false;
    await trx.deleteFrom("campaign_trending").execute();
    await sql`
      insert into campaign_trending (campaign_id, recent)
      select campaign_id, count(*)::int
      from pledges
      where activated_at > ${now}::timestamptz - make_interval(hours => ${TRENDING_WINDOW_HOURS})
        and activated_at <= ${now}::timestamptz
        and state in (${counted})
      group by campaign_id`.execute(trx);
    await trx
      .insertInto("trending_snapshot")
      .values({ id: true, window_end: now })
      .onConflict((oc) => oc.column("id").doUpdateSet({ window_end: now }))
      .execute();
    return true;
  });
}

/** A row as the card component wants it: camelCase, cover URL resolved, dates as ISO strings. */
export function toCampaignCard(row: CampaignCardRow): CampaignCardData {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    blurb: row.blurb,
    category: row.category,
    coverUrl: row.cover_image_id ? imageUrl(row.cover_image_id) : null,
    coverAlt: row.cover_alt,
    goalAmount: row.goal_amount,
    pledgedAmount: row.pledged_amount,
    backerCount: row.backer_count,
    currency: row.currency,
    deadline: row.deadline ? new Date(row.deadline).toISOString() : null,
    endedAt: row.ended_at ? new Date(row.ended_at).toISOString() : null,
    state: row.state,
    creatorName: row.creator_name,
    language: row.language,
  };
}

async function rows<T>(db: Db, query: RawBuilder<T>) {
  return (await query.execute(db)).rows;
}

// ---------------------------------------------------------------------------------------------
// Home page

export interface HomeSections {
  featured: CampaignCardRow[];
  trending: (CampaignCardRow & { recent: number })[];
  endingSoon: CampaignCardRow[];
  recentlyFunded: CampaignCardRow[];
}

/** The home page's rows: four queries, each a short index scan (plus the trending snapshot check). */
export async function listHomeSections(db: Db, { now, size = 3 }: { now: Date; size?: number }): Promise<HomeSections> {
  const spare = size * 3;
  await refreshTrending(db, { now });
  const [featured, trending, endingSoon, recentlyFunded] = await Promise.all([
    rows(
      db,
      sql<CampaignCardRow>`
      select ${CARD_COLUMNS} from campaigns c join users u on u.id = c.creator_id
      where c.featured and c.state = 'live' and c.deadline > ${now}
      order by c.deadline, c.id limit ${size}`,
    ),
    rows(
      db,
      sql<CampaignCardRow & { recent: number }>`
      select ${CARD_COLUMNS}, r.recent
      from campaign_trending r
      join campaigns c on c.id = r.campaign_id
      join users u on u.id = c.creator_id
      where c.state = 'live' and c.deadline > ${now}
      order by r.recent desc, r.campaign_id desc limit ${size * 2 + spare}`,
    ),
    rows(
      db,
      sql<CampaignCardRow>`
      select ${CARD_COLUMNS} from campaigns c join users u on u.id = c.creator_id
      where c.state = 'live' and c.deadline > ${now}
      order by c.deadline, c.id limit ${size}`,
    ),
    rows(
      db,
      sql<CampaignCardRow>`
      select ${CARD_COLUMNS} from campaigns c join users u on u.id = c.creator_id
      where c.state = 'funded' and c.ended_at is not null
      order by c.ended_at desc, c.id desc limit ${size}`,
    ),
  ]);
  const shown = new Set(featured.map((c) => c.id));
  const take = <T extends { id: string }>(list: T[], n: number) => {
    const picked = list.filter((c) => !shown.has(c.id)).slice(0, n);
    for (const c of picked) shown.add(c.id);
    return picked;
  };
  return {
    featured,
    trending: take(trending, size * 2),
    // Deadlines matter more than variety here: a featured project ending tonight shows in both.
    endingSoon: endingSoon.slice(0, size),
    recentlyFunded,
  };
}

// ---------------------------------------------------------------------------------------------
// Discover: filters, full-text search, four sorts, keyset pagination

interface SortSpec {
  /** The sort key as SQL over `c` (campaigns), `r.recent` (trending) and `rank` (search). */
  key: RawBuilder<unknown>;
  direction: "asc" | "desc";
  /** How the key travels in a cursor and back into SQL, exactly. */
  kind: "int" | "timestamp" | "real";
}

const SORTS: Record<DiscoverSort, SortSpec> = {
  trending: { key: sql`coalesce(r.recent, 0)`, direction: "desc", kind: "int" },
  ending: { key: sql`c.deadline`, direction: "asc", kind: "timestamp" },
  newest: { key: sql`c.launched_at`, direction: "desc", kind: "timestamp" },
  // Percent of goal in basis points, an integer: currency-neutral and exactly comparable. The
  // expression matches the index campaigns_state_percent_idx.
  funded: { key: sql`((c.pledged_amount * 10000) / c.goal_amount)`, direction: "desc", kind: "int" },
  // Built per query: ts_rank against the search terms (see discoverCampaigns).
  relevance: { key: sql`0`, direction: "desc", kind: "real" },
};

/**
 * The search terms as each campaign's language reads them: a Spanish campaign's index is built
 * in Spanish (with its accent-folded stems too, db/migrations/*_campaign_language.ts), an English
 * one's in English, so the terms are parsed both ways and each campaign is matched against its
 * own language's query. Both arms use the one GIN index (a BitmapOr).
 */
export function searchTerms(q: string) {
  const english = sql`websearch_to_tsquery('english', ${q})`;
  const spanish = sql`websearch_to_tsquery('spanish', ${q})`;
  return {
    matches: sql`((c.language = 'es' and c.search @@ ${spanish}) or (c.language <> 'es' and c.search @@ ${english}))`,
    rank: sql`ts_rank(c.search, case when c.language = 'es' then ${spanish} else ${english} end)`,
  };
}

export interface DiscoverCursor {
  sort: DiscoverSort;
  key: number | string;
  id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(cursor: DiscoverCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString("base64url");
}

/** The cursor, or null when it is malformed or belongs to another sort (callers start over). */
export function decodeCursor(value: string | null | undefined, sort: DiscoverSort): DiscoverCursor | null {
  if (!value) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [s, key, id] = parsed as unknown[];
  if (s !== sort || !isUuid(id)) return null;
  const kind = SORTS[sort].kind;
  if (kind === "int" && !(typeof key === "number" && Number.isSafeInteger(key))) return null;
  if (kind === "real" && !(typeof key === "number" && Number.isFinite(key))) return null;
  if (kind === "timestamp" && !(typeof key === "string" && TIMESTAMP.test(key) && !Number.isNaN(Date.parse(key))))
    return null;
  return { sort, key: key as number | string, id };
}

export interface DiscoverResult {
  campaigns: CampaignCardRow[];
  /** Cursor for the next page, or null on the last page. */
  nextCursor: string | null;
  total: number;
}

export interface DiscoverOptions {
  q?: string;
  category?: string | null;
  state?: DiscoverState;
  sort?: DiscoverSort;
  cursor?: DiscoverCursor | null;
  limit?: number;
  now: Date;
}

/**
 * One page of public campaigns. Keyset pagination: the cursor carries the last row's sort key and
 * id, so page 500 costs what page 1 costs and a campaign never shows twice.
 */
export async function discoverCampaigns(db: Db, options: DiscoverOptions): Promise<DiscoverResult> {
  const { now, category = null, state = "live", limit = DISCOVER_PAGE_SIZE } = options;
  const q = options.q?.trim() ?? "";
  const sort: DiscoverSort =
    options.sort === "relevance" && !q ? "trending" : (options.sort ?? (q ? "relevance" : "trending"));
  const spec = SORTS[sort];
  const cursor = options.cursor && options.cursor.sort === sort ? options.cursor : null;
  const search = searchTerms(q);
  const key = sort === "relevance" ? search.rank : spec.key;

  const filters: RawBuilder<unknown>[] = [];
  if (state === "live") filters.push(sql`c.state = 'live' and c.deadline > ${now}`);
  else if (state === "funded") filters.push(sql`c.state = 'funded'`);
  else filters.push(sql`c.state in ${PUBLIC_STATES}`);
  if (category) filters.push(sql`c.category = ${category}`);
  if (q) filters.push(search.matches);
  const where = sql.join(filters, sql` and `);

  const page: RawBuilder<unknown>[] = [];
  if (cursor) {
    const value =
      spec.kind === "timestamp"
        ? sql`${cursor.key}::timestamptz`
        : spec.kind === "real"
          ? sql`${cursor.key}::real`
          : sql`${cursor.key}::bigint`;
    page.push(
      spec.direction === "asc"
        ? sql`(${key}, c.id) > (${value}, ${cursor.id}::uuid)`
        : sql`(${key}, c.id) < (${value}, ${cursor.id}::uuid)`,
    );
  }
  if (sort === "trending") await refreshTrending(db, { now });
  const keyOut =
    spec.kind === "timestamp" ? sql`to_char(${key} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : key;
  const direction = sql.raw(spec.direction);
  type Found = CampaignCardRow & { sort_key: number | string; sort_raw: unknown; creator_id: string };

  // The page is chosen first (an index scan in sort order, stopped by the limit), and only its
  // rows are joined to their creators.
  const pageOf = (inner: RawBuilder<unknown>) =>
    rows(
      db,
      sql<Found>`
    select p.*, u.name as creator_name from (${inner}) p
    join users u on u.id = p.creator_id
    order by p.sort_raw ${direction}, p.id ${direction}`,
    );

  const found = async (): Promise<Found[]> => {
    if (sort !== "trending") {
      return pageOf(sql`
        select ${CAMPAIGN_COLUMNS}, ${keyOut} as sort_key, ${key} as sort_raw
        from campaigns c
        where ${where} ${page.length ? sql`and ${sql.join(page, sql` and `)}` : sql``}
        order by ${key} ${direction}, c.id ${direction}
        limit ${limit + 1}`);
    }
    // Trending orders by (recent pledges, id), descending. Campaigns in the snapshot come first,
    // read in the snapshot's index order; then the rest (no recent pledges) by id. Neither part
    // sorts every live campaign.
    const ranked =
      cursor && Number(cursor.key) === 0
        ? []
        : await pageOf(sql`
            select ${CAMPAIGN_COLUMNS}, r.recent as sort_key, r.recent as sort_raw
            from campaign_trending r join campaigns c on c.id = r.campaign_id
            where ${where} ${cursor ? sql`and (r.recent, r.campaign_id) < (${cursor.key}::int, ${cursor.id}::uuid)` : sql``}
            order by r.recent desc, r.campaign_id desc
            limit ${limit + 1}`);
    if (ranked.length > limit) return ranked;
    const rest = await pageOf(sql`
      select ${CAMPAIGN_COLUMNS}, 0 as sort_key, 0 as sort_raw
      from campaigns c
      where ${where} and not exists (select 1 from campaign_trending r where r.campaign_id = c.id)
        ${cursor && Number(cursor.key) === 0 ? sql`and c.id < ${cursor.id}::uuid` : sql``}
      order by c.id desc
      limit ${limit + 1 - ranked.length}`);
    return [...ranked, ...rest];
  };

  const [pageRows, totalRow] = await Promise.all([
    found(),
    cursor
      ? Promise.resolve(null)
      : rows(db, sql<{ n: number }>`select count(*)::int as n from campaigns c where ${where}`),
  ]);
  const hasMore = pageRows.length > limit;
  const campaigns = pageRows.slice(0, limit);
  const last = campaigns[campaigns.length - 1];
  return {
    campaigns: campaigns.map(
      ({ sort_key: _key, sort_raw: _raw, creator_id: _creator, ...row }) => row as CampaignCardRow,
    ),
    nextCursor: hasMore && last ? encodeCursor({ sort, key: last.sort_key, id: last.id }) : null,
    total: totalRow ? (totalRow[0]?.n ?? 0) : -1,
  };
}

// ---------------------------------------------------------------------------------------------
// Project page

export interface PublicCampaign extends CampaignCardRow {
  creator_id: string;
  /** The story as sanitised HTML, and its plain-text summary. */
  story_html: string;
  story_summary: string;
  collection: Collection;
  created_at: Date;
  /** Visible comments and replies on the project and its updates (maintained with each one). */
  comment_count: number;
  /** Late pledges are taken while the campaign is funded and this moment is ahead. */
  late_pledges_until: Date | null;
  ideas_enabled: boolean;
  idea_count: number;
  ideas_adopted_count: number;
}

export interface PublicTier {
  id: string;
  title: string;
  description: string;
  minimum_amount: number;
  quantity_limit: number | null;
  claimed_count: number;
  estimated_delivery: string | null;
  ships: boolean;
  shipping: { destination: string; amount: number }[];
  /** Offered to late pledges at this price (null: not offered late). */
  late_price: number | null;
  late_limit: number | null;
  late_claimed_count: number;
}

/**
 * A campaign as its public page shows it, or undefined when the viewer may not see it: drafts
 * only to their creator and moderators (as a preview), deleted ones to nobody. Two queries: the campaign, then
 * its visible tiers with their shipping rates aggregated in the same statement.
 */
export async function getPublicCampaignBySlug(
  db: Db,
  {
    slug,
    viewerId,
    viewerReviewsDrafts = false,
  }: {
    slug: string;
    viewerId?: string | null;
    /** A moderator previews drafts waiting for review (and any other draft). */
    viewerReviewsDrafts?: boolean;
  },
): Promise<{ campaign: PublicCampaign; tiers: PublicTier[] } | undefined> {
  const [campaign] = await rows(
    db,
    sql<PublicCampaign & { story_md: string; markdown_version: number }>`
    select ${CARD_COLUMNS}, c.story_md, c.story_html, c.story_summary, c.markdown_version, c.collection, c.created_at,
      c.comment_count, c.ideas_enabled, c.idea_count, c.ideas_adopted_count, c.late_pledges_until
    from campaigns c join users u on u.id = c.creator_id
    where c.slug = ${slug}
      and (c.state in ${PUBLIC_STATES}
        or (c.state = 'draft' and (c.creator_id = ${viewerId ?? null}::uuid or ${viewerReviewsDrafts})))`,
  );
  if (!campaign) return undefined;
  const { story_md: _md, markdown_version: _version, ...stored } = campaign;
  const tiers = await rows(
    db,
    sql<PublicTier>`
    select t.id, t.title, t.description, t.minimum_amount, t.quantity_limit, t.claimed_count,
      t.late_price, t.late_limit, t.late_claimed_count,
      to_char(t.estimated_delivery, 'YYYY-MM-DD') as estimated_delivery, t.ships,
      coalesce(
        (select json_agg(json_build_object('destination', s.destination, 'amount', s.amount) order by s.amount, s.destination)
         from tier_shipping_rates s where s.tier_id = t.id),
        '[]'::json) as shipping
    from tiers t
    where t.campaign_id = ${campaign.id} and not t.hidden
    order by t.position, t.minimum_amount, t.id`,
  );
  return {
    campaign: { ...stored, ...currentStory(campaign) },
    tiers: tiers.map((t) => ({
      ...t,
      late_price: t.late_price === null ? null : Number(t.late_price),
      shipping: t.shipping.map((s) => ({ ...s, amount: Number(s.amount) })),
    })),
  };
}
