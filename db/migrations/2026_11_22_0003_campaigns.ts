import { sql, type Kysely } from "kysely";

const CAMPAIGN_STATES = ["draft", "live", "settling", "funded", "unfunded", "cancelled", "deleted"];
const PLEDGE_STATES = [
  "checkout",
  "active",
  "abandoned",
  "cancelled",
  "collecting",
  "collected",
  "errored",
  "dropped",
  "released",
  "refunding",
  "refunded",
  "partially_refunded",
  "disputed",
];
const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

// Campaigns, reward tiers with shipping, updates, pledges (with maintained counters), the
// state-change history of each, uploaded images and the email outbox.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("images")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("owner_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("content_type", "text", (c) =>
      c.notNull().check(sql`content_type in ('image/png', 'image/jpeg', 'image/webp')`),
    )
    .addColumn("byte_size", "integer", (c) => c.notNull())
    .addColumn("width", "integer")
    .addColumn("height", "integer")
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("campaigns")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("creator_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("slug", "text", (c) =>
      c
        .notNull()
        .unique()
        .check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) between 3 and 80`),
    )
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("blurb", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("story_md", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("cover_image_id", "uuid", (c) => c.references("images.id"))
    .addColumn("cover_alt", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("goal_amount", "bigint", (c) => c.notNull().check(sql`goal_amount > 0`))
    .addColumn("currency", "text", (c) => c.notNull().check(sql`currency in ('usd', 'eur', 'gbp', 'jpy')`))
    .addColumn("duration_days", "integer", (c) => c.check(sql`duration_days between 1 and 60`))
    .addColumn("deadline", "timestamptz")
    .addColumn("funding_model", "text", (c) =>
      c
        .notNull()
        .defaultTo("all_or_nothing")
        .check(sql`funding_model in ('all_or_nothing', 'flexible')`),
    )
    .addColumn("collection", "text", (c) =>
      c
        .notNull()
        .defaultTo("at_deadline")
        .check(sql`collection in ('at_deadline', 'immediate')`),
    )
    .addColumn("state", "text", (c) =>
      c
        .notNull()
        .defaultTo("draft")
        .check(sql`state in (${list(CAMPAIGN_STATES)})`),
    )
    .addColumn("featured", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("launched_at", "timestamptz")
    .addColumn("ended_at", "timestamptz")
    // Maintained by pledge transitions in the same transaction: pages never scan pledges for totals.
    .addColumn("pledged_amount", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("backer_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "campaigns_live_has_deadline",
      sql`state in ('draft', 'deleted') or (deadline is not null and launched_at is not null)`,
    )
    .execute();
  await sql`
    alter table campaigns add column search tsvector generated always as (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(blurb, '')), 'B') ||
      setweight(to_tsvector('english', coalesce(story_md, '')), 'C')
    ) stored`.execute(db);
  await sql`create index campaigns_search_idx on campaigns using gin (search)`.execute(db);
  await sql`create index campaigns_state_deadline_idx on campaigns (state, deadline, id)`.execute(db);
  await sql`create index campaigns_state_launched_idx on campaigns (state, launched_at desc, id desc)`.execute(db);
  await sql`create index campaigns_state_pledged_idx on campaigns (state, pledged_amount desc, id desc)`.execute(db);
  await sql`create index campaigns_category_state_idx on campaigns (category, state, deadline, id)`.execute(db);
  await sql`create index campaigns_state_ended_idx on campaigns (state, ended_at desc, id desc)`.execute(db);
  await sql`create index campaigns_creator_idx on campaigns (creator_id, created_at desc)`.execute(db);

  await db.schema
    .createTable("campaign_transitions")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("from_state", "text")
    .addColumn("to_state", "text", (c) => c.notNull())
    .addColumn("actor_id", "uuid", (c) => c.references("users.id"))
    .addColumn("reason", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index campaign_transitions_campaign_idx on campaign_transitions (campaign_id, id)`.execute(db);

  await db.schema
    .createTable("tiers")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("minimum_amount", "bigint", (c) => c.notNull().check(sql`minimum_amount > 0`))
    .addColumn("quantity_limit", "integer", (c) => c.check(sql`quantity_limit > 0`))
    // Held (checkout) + active + collected pledges: the number a limit is checked against.
    .addColumn("claimed_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`claimed_count >= 0`),
    )
    .addColumn("estimated_delivery", "date")
    .addColumn("ships", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("hidden", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // The never-oversell rule, enforced by the database itself as the last line.
    .addCheckConstraint("tiers_claimed_within_limit", sql`quantity_limit is null or claimed_count <= quantity_limit`)
    .execute();
  await sql`create index tiers_campaign_idx on tiers (campaign_id, position)`.execute(db);

  await db.schema
    .createTable("tier_shipping_rates")
    .addColumn("tier_id", "uuid", (c) => c.notNull().references("tiers.id").onDelete("cascade"))
    .addColumn("destination", "text", (c) => c.notNull())
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount >= 0`))
    .addPrimaryKeyConstraint("tier_shipping_rates_pkey", ["tier_id", "destination"])
    .execute();

  await db.schema
    .createTable("campaign_updates")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("author_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body_md", "text", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull().check(sql`visibility in ('public', 'backers')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index campaign_updates_campaign_idx on campaign_updates (campaign_id, created_at desc)`.execute(db);

  await db.schema
    .createTable("pledges")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("backer_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("tier_id", "uuid", (c) => c.references("tiers.id"))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("base_amount", "bigint", (c) => c.notNull().check(sql`base_amount > 0`))
    .addColumn("shipping_amount", "bigint", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`shipping_amount >= 0`),
    )
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("shipping_destination", "text")
    .addColumn("state", "text", (c) =>
      c
        .notNull()
        .defaultTo("checkout")
        .check(sql`state in (${list(PLEDGE_STATES)})`),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("activated_at", "timestamptz")
    .addCheckConstraint("pledges_amount_adds_up", sql`amount = base_amount + shipping_amount`)
    .execute();
  // One live pledge per backer per campaign; an abandoned or cancelled one does not block a new one.
  await sql`create unique index pledges_one_per_backer on pledges (campaign_id, backer_id) where state not in ('abandoned', 'cancelled')`.execute(
    db,
  );
  await sql`create index pledges_campaign_state_idx on pledges (campaign_id, state, created_at desc)`.execute(db);
  await sql`create index pledges_backer_idx on pledges (backer_id, created_at desc)`.execute(db);
  await sql`create index pledges_activated_idx on pledges (activated_at) where activated_at is not null`.execute(db);

  await db.schema
    .createTable("pledge_transitions")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id"))
    .addColumn("from_state", "text")
    .addColumn("to_state", "text", (c) => c.notNull())
    .addColumn("actor_id", "uuid", (c) => c.references("users.id"))
    .addColumn("reason", "text")
    .addColumn("detail", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index pledge_transitions_pledge_idx on pledge_transitions (pledge_id, id)`.execute(db);

  await db.schema
    .createTable("email_outbox")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("to_email", "text", (c) => c.notNull())
    .addColumn("to_user_id", "uuid", (c) => c.references("users.id"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    // Makes queuing idempotent: the same notice for the same thing is queued once.
    .addColumn("dedupe_key", "text", (c) => c.unique())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("send_after", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .execute();
  await sql`create index email_outbox_pending_idx on email_outbox (send_after) where sent_at is null`.execute(db);
  await sql`create index email_outbox_recipient_idx on email_outbox (to_email, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "email_outbox",
    "pledge_transitions",
    "pledges",
    "campaign_updates",
    "tier_shipping_rates",
    "tiers",
    "campaign_transitions",
    "campaigns",
    "images",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
