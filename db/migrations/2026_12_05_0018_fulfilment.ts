import { sql, type Kysely } from "kysely";

// After funding (issue 14): backer surveys, shipping addresses and fulfilment.
// - surveys: one per campaign, built by its creator (draft), then sent; answers freeze at lock_at.
// - survey_questions: address | single | multiple | text, in order; all_tiers, or the tiers listed
//   in survey_question_tiers (an address question applies only to tiers that ship).
// - survey_options: the choices of a single or multiple question, each with an optional stock
//   limit; taken_count is kept in the answer's transaction and can never pass stock_limit.
// - survey_responses: one per pledge answering; survey_answers / survey_answer_choices hold the
//   answers; reminders_sent counts the 3- and 7-day reminders; unlocked_until lets the creator
//   reopen one backer's answers after the lock.
// - shipping_addresses: personal data, one per pledge; anonymised ADDRESS_RETENTION_DAYS after
//   the reward is confirmed received (fields blanked, anonymised_at set).
// - fulfilments: one per pledge to fulfil, its status (awaiting_survey -> ready -> shipped ->
//   delivered -> received, or problem), shipment and digital reward, and the problem thread;
//   fulfilment_events records every status change with who and why.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("surveys")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().unique().references("campaigns.id"))
    .addColumn("state", "text", (c) =>
      c
        .notNull()
        .defaultTo("draft")
        .check(sql`state in ('draft', 'sent')`),
    )
    .addColumn("intro", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("lock_at", "timestamptz")
    .addColumn("sent_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("surveys_sent_has_lock", sql`state = 'draft' or (sent_at is not null and lock_at is not null)`)
    .execute();

  await db.schema
    .createTable("survey_questions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("survey_id", "uuid", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('address', 'single', 'multiple', 'text')`))
    .addColumn("prompt", "text", (c) => c.notNull())
    .addColumn("help", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("required", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("all_tiers", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index survey_questions_survey_idx on survey_questions (survey_id, position)`.execute(db);
  // One address question per survey.
  await sql`create unique index survey_questions_one_address on survey_questions (survey_id) where kind = 'address'`.execute(
    db,
  );

  await db.schema
    .createTable("survey_question_tiers")
    .addColumn("question_id", "uuid", (c) => c.notNull().references("survey_questions.id").onDelete("cascade"))
    .addColumn("tier_id", "uuid", (c) => c.notNull().references("tiers.id"))
    .addPrimaryKeyConstraint("survey_question_tiers_pkey", ["question_id", "tier_id"])
    .execute();

  await db.schema
    .createTable("survey_options")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("question_id", "uuid", (c) => c.notNull().references("survey_questions.id").onDelete("cascade"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("stock_limit", "integer", (c) => c.check(sql`stock_limit is null or stock_limit >= 0`))
    .addColumn("taken_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`taken_count >= 0`),
    )
    // Never oversold, whatever the concurrency: the database refuses the update that would.
    .addCheckConstraint("survey_options_within_stock", sql`stock_limit is null or taken_count <= stock_limit`)
    .execute();
  await sql`create index survey_options_question_idx on survey_options (question_id, position)`.execute(db);

  await db.schema
    .createTable("survey_responses")
    .addColumn("pledge_id", "uuid", (c) => c.primaryKey().references("pledges.id"))
    .addColumn("survey_id", "uuid", (c) => c.notNull().references("surveys.id"))
    .addColumn("submitted_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("unlocked_until", "timestamptz")
    .addColumn("reminders_sent", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`reminders_sent between 0 and 2`),
    )
    .addColumn("last_reminded_at", "timestamptz")
    .execute();
  await sql`create index survey_responses_survey_idx on survey_responses (survey_id, submitted_at)`.execute(db);

  await db.schema
    .createTable("survey_answers")
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id"))
    .addColumn("question_id", "uuid", (c) => c.notNull().references("survey_questions.id").onDelete("cascade"))
    .addColumn("text_value", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("survey_answers_pkey", ["pledge_id", "question_id"])
    .execute();

  await db.schema
    .createTable("survey_answer_choices")
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id"))
    .addColumn("question_id", "uuid", (c) => c.notNull().references("survey_questions.id").onDelete("cascade"))
    .addColumn("option_id", "uuid", (c) => c.notNull().references("survey_options.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("survey_answer_choices_pkey", ["pledge_id", "option_id"])
    .execute();
  await sql`create index survey_answer_choices_question_idx on survey_answer_choices (question_id, pledge_id)`.execute(
    db,
  );

  await db.schema
    .createTable("shipping_addresses")
    .addColumn("pledge_id", "uuid", (c) => c.primaryKey().references("pledges.id"))
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("line1", "text", (c) => c.notNull())
    .addColumn("line2", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("city", "text", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("postal_code", "text", (c) => c.notNull().defaultTo(""))
    // ISO 3166-1 alpha-2
    .addColumn("country", "text", (c) => c.notNull().check(sql`country ~ '^[A-Z]{2}$'`))
    .addColumn("phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("anonymised_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("fulfilments")
    .addColumn("pledge_id", "uuid", (c) => c.primaryKey().references("pledges.id"))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("awaiting_survey")
        .check(sql`status in ('awaiting_survey', 'ready', 'shipped', 'delivered', 'received', 'problem')`),
    )
    .addColumn("carrier", "text")
    .addColumn("tracking_number", "text")
    .addColumn("tracking_url", "text")
    .addColumn("shipped_at", "timestamptz")
    .addColumn("delivered_at", "timestamptz")
    .addColumn("received_at", "timestamptz")
    // Digital rewards: a link or a key the creator enters, emailed to the backer.
    .addColumn("digital_kind", "text", (c) => c.check(sql`digital_kind in ('link', 'key')`))
    .addColumn("digital_value", "text")
    .addColumn("problem_kind", "text", (c) => c.check(sql`problem_kind in ('not_received', 'damaged', 'other')`))
    .addColumn("problem_note", "text")
    .addColumn("problem_reported_at", "timestamptz")
    .addColumn("problem_answer", "text")
    .addColumn("problem_answered_at", "timestamptz")
    .addColumn("problem_resolved_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index fulfilments_campaign_status_idx on fulfilments (campaign_id, status)`.execute(db);

  await db.schema
    .createTable("fulfilment_events")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("fulfilments.pledge_id"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("actor_id", "uuid", (c) => c.references("users.id"))
    .addColumn("note", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index fulfilment_events_pledge_idx on fulfilment_events (pledge_id, at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "fulfilment_events",
    "fulfilments",
    "shipping_addresses",
    "survey_answer_choices",
    "survey_answers",
    "survey_responses",
    "survey_options",
    "survey_question_tiers",
    "survey_questions",
    "surveys",
  ])
    await db.schema.dropTable(table).execute();
}
