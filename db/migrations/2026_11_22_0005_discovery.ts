import { sql, type Kysely } from "kysely";

// Discovery (home and /discover): indexes for every filter and sort, and a trending snapshot.
// Checked with EXPLAIN against 10,000 campaigns and ~1,000,000 pledges (bench/results/pages.md).
const PUBLIC = sql.raw(`state in ('live', 'settling', 'funded', 'unfunded', 'cancelled')`);

export async function up(db: Kysely<any>): Promise<void> {
  // "Most funded" sorts by percent of goal (currency-neutral), in basis points: an integer, so
  // keyset cursors compare it exactly. The expression must match campaign-query.server.ts.
  await sql`create index campaigns_state_percent_idx on campaigns (state, ((pledged_amount * 10000) / goal_amount) desc, id desc)`.execute(
    db,
  );
  // "All projects" (every public state): the same sorts, as partial indexes over public states.
  await sql`create index campaigns_public_percent_idx on campaigns (((pledged_amount * 10000) / goal_amount) desc, id desc) where ${PUBLIC}`.execute(
    db,
  );
  await sql`create index campaigns_public_launched_idx on campaigns (launched_at desc, id desc) where ${PUBLIC}`.execute(
    db,
  );
  await sql`create index campaigns_public_deadline_idx on campaigns (deadline, id) where ${PUBLIC}`.execute(db);
  // The home page's featured row.
  await sql`create index campaigns_featured_idx on campaigns (deadline, id) where featured and state = 'live'`.execute(
    db,
  );

  // Trending = pledges activated in the last 48 hours per campaign. Counting them is a range
  // scan of tens of thousands of index entries at scale, so pages read a snapshot instead,
  // recomputed at most once a minute (campaign-query.server.ts, refreshTrending).
  await sql`create index pledges_trending_idx on pledges (activated_at, campaign_id) include (state) where activated_at is not null`.execute(
    db,
  );
  await db.schema
    .createTable("campaign_trending")
    .addColumn("campaign_id", "uuid", (c) => c.primaryKey().references("campaigns.id").onDelete("cascade"))
    .addColumn("recent", "integer", (c) => c.notNull())
    .execute();
  await sql`create index campaign_trending_rank_idx on campaign_trending (recent desc, campaign_id desc)`.execute(db);
  await db.schema
    .createTable("trending_snapshot")
    .addColumn("id", "boolean", (c) =>
      c
        .primaryKey()
        .defaultTo(true)
        .check(sql`id`),
    )
    .addColumn("window_end", "timestamptz", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("trending_snapshot").execute();
  await db.schema.dropTable("campaign_trending").execute();
  for (const index of [
    "pledges_trending_idx",
    "campaigns_featured_idx",
    "campaigns_public_deadline_idx",
    "campaigns_public_launched_idx",
    "campaigns_public_percent_idx",
    "campaigns_state_percent_idx",
  ]) {
    await sql`drop index ${sql.id(index)}`.execute(db);
  }
}
