import { sql, type Kysely } from "kysely";

// Stretch goals (issue 16): amounts above a campaign's goal, each with what the creator adds when
// the total passes it.
// - stretch_goals: one row per rung, its amount in the campaign's currency (minor units), unique
//   per campaign; reached_at is when the campaign's total first covered it.
// - reached_at is the database's to keep: a trigger on campaigns follows pledged_amount, however
//   it moved (a new pledge, a cancellation, a changed amount, settlement), in the transaction that
//   moved it. A total that rises reaches every goal it covers, in any state (a late pledge after
//   funding too); a total that falls takes a goal back only while the campaign is live, so what a
//   campaign reached by its deadline stays reached when settlement drops, releases or refunds
//   pledges afterwards.
// - A goal written (added, or its amount changed) is reached at once when the total covers it.
//   That trigger reads the campaign's total FOR SHARE, so a pledge moving the total at the same
//   moment is ordered before or after the write, never missed by both.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("stretch_goals")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 80`))
    .addColumn("description", "text", (c) =>
      c
        .notNull()
        .defaultTo("")
        .check(sql`length(description) <= 500`),
    )
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount > 0`))
    .addColumn("reached_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // Also the index of a campaign's ladder, in order.
    .addUniqueConstraint("stretch_goals_campaign_amount_key", ["campaign_id", "amount"])
    .execute();

  await sql`
    create function stretch_goals_follow_pledged() returns trigger language plpgsql as $$
    begin
      update stretch_goals set reached_at = now()
        where campaign_id = new.id and reached_at is null and amount <= new.pledged_amount;
      if new.state = 'live' then
        update stretch_goals set reached_at = null
          where campaign_id = new.id and reached_at is not null and amount > new.pledged_amount;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger campaigns_stretch_goals after update of pledged_amount on campaigns
    for each row when (new.pledged_amount is distinct from old.pledged_amount)
    execute function stretch_goals_follow_pledged()`.execute(db);

  await sql`
    create function stretch_goal_reached_on_write() returns trigger language plpgsql as $$
    declare
      pledged bigint;
    begin
      select pledged_amount into pledged from campaigns where id = new.campaign_id for share;
      if new.amount <= pledged then
        new.reached_at := coalesce(new.reached_at, now());
      else
        new.reached_at := null;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger stretch_goals_reached_on_write before insert or update of amount on stretch_goals
    for each row execute function stretch_goal_reached_on_write()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger campaigns_stretch_goals on campaigns`.execute(db);
  await db.schema.dropTable("stretch_goals").execute();
  await sql`drop function stretch_goals_follow_pledged()`.execute(db);
  await sql`drop function stretch_goal_reached_on_write()`.execute(db);
}
