import { sql, type Kysely } from "kysely";

// Late pledges (issue 16): after a campaign is funded its creator may keep taking pledges, paid
// at once, until a closing date.
// - campaigns.late_pledges_until: open while the campaign is funded and this moment is ahead.
// - tiers.late_price / late_limit / late_claimed_count: a tier offered late has a price (never
//   under its minimum, checked here) and optionally its own limit, held from checkout like a slot.
// - pledges.late: the pledge was made after the deadline (charged at once, booked apart).
// - journal_transactions.late / journal_lines.late: the late pledges' money (charges, fees,
//   refunds, and the platform fee and payouts that cover them) is its own segment, so the
//   campaign's statement and first payout stay exactly what settlement made them.
// - payouts.sequence: the first payout is 1; each further payout (of late pledges' money) takes
//   the next number, prepared and approved by two people like the first.
// - pledges.late_payout_id: the further payout that carried a late pledge's money, marked when
//   it is prepared (a late pledge's collection and a payout's preparation take the settlement
//   row's lock, so each collected late pledge is carried by exactly the next payout).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("campaigns").addColumn("late_pledges_until", "timestamptz").execute();

  await db.schema
    .alterTable("tiers")
    .addColumn("late_price", "bigint")
    .addColumn("late_limit", "integer", (c) => c.check(sql`late_limit > 0`))
    .addColumn("late_claimed_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`late_claimed_count >= 0`),
    )
    .execute();
  await sql`alter table tiers add constraint tiers_late_price_at_least_minimum check (late_price is null or late_price >= minimum_amount)`.execute(
    db,
  );
  await sql`alter table tiers add constraint tiers_late_claimed_within_limit check (late_limit is null or late_claimed_count <= late_limit)`.execute(
    db,
  );

  await db.schema
    .alterTable("pledges")
    .addColumn("late", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`create index pledges_late_idx on pledges (campaign_id) where late`.execute(db);

  for (const table of ["journal_transactions", "journal_lines"])
    await db.schema
      .alterTable(table)
      .addColumn("late", "boolean", (c) => c.notNull().defaultTo(false))
      .execute();

  await db.schema
    .alterTable("payouts")
    .addColumn("sequence", "integer", (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`sequence >= 1`),
    )
    .execute();
  await sql`alter table payouts drop constraint payouts_campaign_id_key`.execute(db);
  await sql`alter table payouts add constraint payouts_campaign_sequence_key unique (campaign_id, sequence)`.execute(
    db,
  );
  // The further payout that carried a late pledge's money (set when it is prepared).
  await db.schema
    .alterTable("pledges")
    .addColumn("late_payout_id", "uuid", (c) => c.references("payouts.id"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("pledges").dropColumn("late_payout_id").execute();
  await sql`alter table payouts drop constraint payouts_campaign_sequence_key`.execute(db);
  await sql`delete from payouts where sequence > 1`.execute(db);
  await sql`alter table payouts add constraint payouts_campaign_id_key unique (campaign_id)`.execute(db);
  await db.schema.alterTable("payouts").dropColumn("sequence").execute();
  for (const table of ["journal_lines", "journal_transactions"])
    await db.schema.alterTable(table).dropColumn("late").execute();
  await sql`drop index pledges_late_idx`.execute(db);
  await db.schema.alterTable("pledges").dropColumn("late").execute();
  await sql`alter table tiers drop constraint tiers_late_claimed_within_limit`.execute(db);
  await sql`alter table tiers drop constraint tiers_late_price_at_least_minimum`.execute(db);
  await db.schema
    .alterTable("tiers")
    .dropColumn("late_price")
    .dropColumn("late_limit")
    .dropColumn("late_claimed_count")
    .execute();
  await db.schema.alterTable("campaigns").dropColumn("late_pledges_until").execute();
}
