import { sql, type Kysely } from "kysely";

// Add-ons (issue 16): extras a backer buys with a reward, priced and limited like tiers.
// - add_ons: title, description, a unit price, an optional quantity limit and per-backer maximum;
//   claimed_count counts the units held by pledges in a slot-holding state (checkout, active,
//   collected...), kept in the transaction of every pledge move; the check constraint makes an
//   oversold add-on impossible to store, whatever the code does.
// - add_on_shipping_rates: the surcharge per unit for a destination (an add-on that ships).
// - add_on_tiers: the tiers that offer the add-on.
// - pledge_add_ons: a pledge's lines, each with the unit price and shipping it was priced at, so
//   a later price change never touches a pledge already made.
// - pledges.add_ons_amount: the lines' prices; the pledge's amount is base + shipping (the tier's
//   and the add-ons') + add-ons, checked by the database.
// - pledge_changes.add_ons: a raise paid up front carries the add-on lines it applies.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("add_ons")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 80`))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("price", "bigint", (c) => c.notNull().check(sql`price > 0`))
    .addColumn("quantity_limit", "integer", (c) => c.check(sql`quantity_limit > 0`))
    .addColumn("per_backer_max", "integer", (c) => c.check(sql`per_backer_max > 0`))
    .addColumn("claimed_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`claimed_count >= 0`),
    )
    .addColumn("ships", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("hidden", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("add_ons_claimed_within_limit", sql`quantity_limit is null or claimed_count <= quantity_limit`)
    .execute();
  await sql`create index add_ons_campaign_idx on add_ons (campaign_id, position, created_at)`.execute(db);

  await db.schema
    .createTable("add_on_shipping_rates")
    .addColumn("add_on_id", "uuid", (c) => c.notNull().references("add_ons.id").onDelete("cascade"))
    .addColumn("destination", "text", (c) => c.notNull())
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount >= 0`))
    .addPrimaryKeyConstraint("add_on_shipping_rates_pkey", ["add_on_id", "destination"])
    .execute();

  await db.schema
    .createTable("add_on_tiers")
    .addColumn("add_on_id", "uuid", (c) => c.notNull().references("add_ons.id").onDelete("cascade"))
    .addColumn("tier_id", "uuid", (c) => c.notNull().references("tiers.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("add_on_tiers_pkey", ["add_on_id", "tier_id"])
    .execute();
  await sql`create index add_on_tiers_tier_idx on add_on_tiers (tier_id)`.execute(db);

  await db.schema
    .createTable("pledge_add_ons")
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id").onDelete("cascade"))
    .addColumn("add_on_id", "uuid", (c) => c.notNull().references("add_ons.id"))
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity between 1 and 1000`))
    .addColumn("unit_price", "bigint", (c) => c.notNull().check(sql`unit_price > 0`))
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("shipping_amount", "bigint", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`shipping_amount >= 0`),
    )
    .addPrimaryKeyConstraint("pledge_add_ons_pkey", ["pledge_id", "add_on_id"])
    .addCheckConstraint("pledge_add_ons_amount_adds_up", sql`amount = unit_price * quantity`)
    .execute();
  await sql`create index pledge_add_ons_add_on_idx on pledge_add_ons (add_on_id)`.execute(db);

  await db.schema
    .alterTable("pledges")
    .addColumn("add_ons_amount", "bigint", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`add_ons_amount >= 0`),
    )
    .execute();
  await sql`alter table pledges drop constraint pledges_amount_adds_up`.execute(db);
  await sql`alter table pledges add constraint pledges_amount_adds_up check (amount = base_amount + shipping_amount + add_ons_amount)`.execute(
    db,
  );

  await db.schema
    .alterTable("pledge_changes")
    .addColumn("add_ons_amount", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("add_ons", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("pledge_changes").dropColumn("add_ons").dropColumn("add_ons_amount").execute();
  await sql`alter table pledges drop constraint pledges_amount_adds_up`.execute(db);
  await db.schema.alterTable("pledges").dropColumn("add_ons_amount").execute();
  await sql`alter table pledges add constraint pledges_amount_adds_up check (amount = base_amount + shipping_amount)`.execute(
    db,
  );
  await db.schema.dropTable("pledge_add_ons").execute();
  await db.schema.dropTable("add_on_tiers").execute();
  await db.schema.dropTable("add_on_shipping_rates").execute();
  await db.schema.dropTable("add_ons").execute();
}
