import { sql, type Kysely } from "kysely";

// Reconciliation as a work queue (issue 17): one item per distinct problem (a mismatch kind and
// the object it is about), kept across runs: open until a finance user resolves it with a note
// or a later run no longer sees it (auto-resolved), reopened when it comes back. Every status
// change is an event (who, from, to, note, when).
//
// The identity, frozen here as the code had it: the kind plus the booked Stripe object (ledger
// side), else the Stripe object (Stripe side), else the pledge, else the campaign.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("reconciliation_items")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'investigating', 'resolved', 'auto_resolved')`),
    )
    .addColumn("first_seen_run", "bigint", (c) => c.notNull().references("reconciliation_runs.id"))
    .addColumn("last_seen_run", "bigint", (c) => c.notNull().references("reconciliation_runs.id"))
    .addColumn("first_seen_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull())
    .addColumn("status_changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("assignee_id", "uuid", (c) => c.references("users.id"))
    .addColumn("note", "text")
    .addColumn("resolved_by", "uuid", (c) => c.references("users.id"))
    .addColumn("resolved_by_run", "bigint", (c) => c.references("reconciliation_runs.id"))
    .addColumn("resolved_at", "timestamptz")
    .addColumn("campaign_id", "uuid", (c) => c.references("campaigns.id"))
    .addColumn("pledge_id", "uuid", (c) => c.references("pledges.id"))
    .addColumn("currency", "text")
    .addColumn("ledger_object_id", "text")
    .addColumn("ledger_amount", "bigint")
    .addColumn("stripe_object_id", "text")
    .addColumn("stripe_amount", "bigint")
    .addColumn("stripe_status", "text")
    .addColumn("detail", "text", (c) => c.notNull())
    .addUniqueConstraint("reconciliation_items_problem", ["kind", "subject"])
    // Someone investigates an item; a person resolves with a note; a run auto-resolves.
    .addCheckConstraint("reconciliation_items_taken", sql`status <> 'investigating' or assignee_id is not null`)
    .addCheckConstraint(
      "reconciliation_items_resolved",
      sql`status <> 'resolved' or (note is not null and resolved_by is not null and resolved_at is not null)`,
    )
    .addCheckConstraint(
      "reconciliation_items_auto_resolved",
      sql`status <> 'auto_resolved' or (resolved_by_run is not null and resolved_at is not null)`,
    )
    .execute();
  await sql`create index reconciliation_items_status_idx on reconciliation_items (status, id desc)`.execute(db);
  await sql`create index reconciliation_items_campaign_idx on reconciliation_items (campaign_id) where campaign_id is not null`.execute(
    db,
  );
  await sql`create index reconciliation_items_assignee_idx on reconciliation_items (assignee_id) where assignee_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable("reconciliation_item_events")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("item_id", "bigint", (c) => c.notNull().references("reconciliation_items.id").onDelete("cascade"))
    // Null: a run moved it (run_id names which).
    .addColumn("actor_id", "uuid", (c) => c.references("users.id"))
    .addColumn("run_id", "bigint", (c) => c.references("reconciliation_runs.id"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("reconciliation_item_events_who", sql`actor_id is not null or run_id is not null`)
    .execute();
  await sql`create index reconciliation_item_events_item_idx on reconciliation_item_events (item_id, id)`.execute(db);

  // Backfill from the runs that finished: the latest run's problems open, the others
  // auto-resolved by the first finished run that no longer saw them.
  await sql`
    with finished as (
      select id, coalesce(finished_at, started_at) as at
      from reconciliation_runs where status in ('clean', 'mismatches')
    ),
    seen as (
      select m.*, f.at,
        m.kind || ':' || coalesce(m.ledger_object_id, m.stripe_object_id, 'pledge:' || m.pledge_id::text,
          'campaign:' || m.campaign_id::text, 'detail:' || left(m.detail, 200)) as key
      from reconciliation_mismatches m join finished f on f.id = m.run_id
    ),
    problems as (
      select distinct on (key) key, kind,
        coalesce(ledger_object_id, stripe_object_id, 'pledge:' || pledge_id::text,
          'campaign:' || campaign_id::text, 'detail:' || left(detail, 200)) as subject,
        run_id as last_run, at as last_at, campaign_id, pledge_id, currency, ledger_object_id, ledger_amount,
        stripe_object_id, stripe_amount, stripe_status, detail
      from seen order by key, run_id desc, id desc
    ),
    firsts as (
      select distinct on (key) key, run_id as first_run, at as first_at from seen order by key, run_id, id
    ),
    judged as (
      select p.*, f.first_run, f.first_at,
        (select min(id) from finished where finished.id > p.last_run) as gone_run
      from problems p join firsts f using (key)
    )
    insert into reconciliation_items (kind, subject, status, first_seen_run, last_seen_run, first_seen_at,
      last_seen_at, status_changed_at, resolved_by_run, resolved_at, campaign_id, pledge_id, currency,
      ledger_object_id, ledger_amount, stripe_object_id, stripe_amount, stripe_status, detail)
    select kind, subject,
      case when gone_run is null then 'open' else 'auto_resolved' end,
      first_run, last_run, first_at, last_at,
      coalesce((select at from finished where finished.id = gone_run), first_at),
      gone_run, (select at from finished where finished.id = gone_run),
      campaign_id, pledge_id, currency, ledger_object_id, ledger_amount, stripe_object_id, stripe_amount,
      stripe_status, detail
    from judged
    order by first_run, key
  `.execute(db);
  await sql`
    insert into reconciliation_item_events (item_id, run_id, from_status, to_status, created_at)
    select id, first_seen_run, null, 'open', first_seen_at from reconciliation_items
    union all
    select id, resolved_by_run, 'open', 'auto_resolved', resolved_at from reconciliation_items where status = 'auto_resolved'
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("reconciliation_item_events").execute();
  await db.schema.dropTable("reconciliation_items").execute();
}
