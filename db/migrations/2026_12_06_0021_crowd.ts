import { sql, type Kysely } from "kysely";

// The crowd's ideas, polls and what they add up to (issue 15):
// - campaigns.ideas_enabled / idea_policy: the creator opens an Ideas board and says who may post
//   (backers only or anyone signed in); idea_count and ideas_adopted_count are the public counts,
//   kept in the transaction of each post, status change, hide and delete.
// - ideas: a title, sanitised Markdown, a kind, the creator's status and public note.
//   vote_count counts the votes of accounts that are not suspended, kept with each vote and
//   recounted when an account's suspension changes; comment_count counts its visible comments
//   (comments.idea_id: an idea's thread reuses the comments table).
// - idea_votes: one row per (idea, account); the primary key decides under any race.
// - idea_status_changes: every answer the creator gives, for the history and the time to answer.
// - idea_credits: the thank-you for an adopted idea: a mention, or a tier's reward given free,
//   recorded against the author's pledge.
// - polls / poll_options / poll_votes: one vote per (poll, account), changeable until closes_at;
//   the composite foreign key makes an option of another poll impossible to store.
//   poll_vote_events keeps each vote and change, for the results-over-time chart.
// - reports may name an idea; the moderation desk hides or deletes it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("campaigns")
    .addColumn("ideas_enabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("idea_policy", "text", (c) =>
      c
        .notNull()
        .defaultTo("backers")
        .check(sql`idea_policy in ('backers', 'signed_in')`),
    )
    .addColumn("idea_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`idea_count >= 0`),
    )
    .addColumn("ideas_adopted_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`ideas_adopted_count >= 0`),
    )
    .execute();

  await db.schema
    .createTable("ideas")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("author_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 140`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('feature', 'design', 'reward', 'other')`))
    .addColumn("body_md", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("markdown_version", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("new")
        .check(sql`status in ('new', 'under_review', 'planned', 'adopted', 'declined')`),
    )
    .addColumn("status_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status_changed_at", "timestamptz")
    .addColumn("answered_at", "timestamptz")
    .addColumn("vote_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`vote_count >= 0`),
    )
    .addColumn("comment_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`comment_count >= 0`),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("edited_at", "timestamptz")
    .addColumn("hidden_at", "timestamptz")
    .addColumn("hidden_by", "uuid", (c) => c.references("users.id"))
    .addColumn("hidden_reason", "text")
    .addColumn("deleted_at", "timestamptz")
    .addColumn("deleted_by", "uuid", (c) => c.references("users.id"))
    .execute();
  await sql`create index ideas_board_idx on ideas (campaign_id, created_at desc, id desc) where hidden_at is null and deleted_at is null`.execute(
    db,
  );
  await sql`create index ideas_top_idx on ideas (campaign_id, vote_count desc, created_at desc) where hidden_at is null and deleted_at is null`.execute(
    db,
  );
  await sql`create index ideas_author_idx on ideas (author_id, created_at desc)`.execute(db);

  await db.schema
    .createTable("idea_votes")
    .addColumn("idea_id", "uuid", (c) => c.notNull().references("ideas.id"))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("idea_votes_pkey", ["idea_id", "user_id"])
    .execute();
  await sql`create index idea_votes_user_idx on idea_votes (user_id)`.execute(db);
  await sql`create index idea_votes_recent_idx on idea_votes (idea_id, created_at)`.execute(db);

  await db.schema
    .createTable("idea_status_changes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("idea_id", "uuid", (c) => c.notNull().references("ideas.id"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("actor_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index idea_status_changes_idea_idx on idea_status_changes (idea_id, at)`.execute(db);

  await db.schema
    .createTable("idea_credits")
    .addColumn("idea_id", "uuid", (c) => c.primaryKey().references("ideas.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('mention', 'reward')`))
    .addColumn("tier_id", "uuid", (c) => c.references("tiers.id"))
    .addColumn("pledge_id", "uuid", (c) => c.references("pledges.id"))
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "idea_credits_reward_check",
      sql`(kind = 'mention' and tier_id is null and pledge_id is null) or (kind = 'reward' and tier_id is not null and pledge_id is not null)`,
    )
    .execute();
  await sql`create index idea_credits_pledge_idx on idea_credits (pledge_id) where pledge_id is not null`.execute(db);

  await db.schema
    .alterTable("comments")
    .addColumn("idea_id", "uuid", (c) => c.references("ideas.id"))
    .execute();
  await sql`alter table comments add constraint comments_one_thread_check check (update_id is null or idea_id is null)`.execute(
    db,
  );
  await sql`create index comments_idea_thread_idx on comments (idea_id, created_at desc, id desc) where parent_id is null and idea_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable("polls")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("update_id", "uuid", (c) => c.references("campaign_updates.id"))
    .addColumn("question", "text", (c) => c.notNull().check(sql`length(question) between 1 and 200`))
    .addColumn("policy", "text", (c) => c.notNull().check(sql`policy in ('backers', 'signed_in')`))
    .addColumn("closes_at", "timestamptz", (c) => c.notNull())
    .addColumn("vote_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`vote_count >= 0`),
    )
    .addColumn("created_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index polls_campaign_idx on polls (campaign_id, created_at desc)`.execute(db);

  await db.schema
    .createTable("poll_options")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("poll_id", "uuid", (c) => c.notNull().references("polls.id"))
    .addColumn("label", "text", (c) => c.notNull().check(sql`length(label) between 1 and 120`))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("vote_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`vote_count >= 0`),
    )
    .addUniqueConstraint("poll_options_poll_id_key", ["poll_id", "id"])
    .addUniqueConstraint("poll_options_position_key", ["poll_id", "position"])
    .execute();

  await db.schema
    .createTable("poll_votes")
    .addColumn("poll_id", "uuid", (c) => c.notNull().references("polls.id"))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("option_id", "uuid", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("poll_votes_pkey", ["poll_id", "user_id"])
    .addForeignKeyConstraint("poll_votes_option_of_poll_fkey", ["poll_id", "option_id"], "poll_options", [
      "poll_id",
      "id",
    ])
    .execute();
  await sql`create index poll_votes_user_idx on poll_votes (user_id)`.execute(db);

  await db.schema
    .createTable("poll_vote_events")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("poll_id", "uuid", (c) => c.notNull().references("polls.id"))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("from_option_id", "uuid")
    .addColumn("to_option_id", "uuid", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index poll_vote_events_poll_idx on poll_vote_events (poll_id, at)`.execute(db);

  await sql`alter table reports drop constraint reports_subject_type_check`.execute(db);
  await sql`alter table reports add constraint reports_subject_type_check check (subject_type in ('comment', 'message', 'idea'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from reports where subject_type = 'idea'`.execute(db);
  await sql`alter table reports drop constraint reports_subject_type_check`.execute(db);
  await sql`alter table reports add constraint reports_subject_type_check check (subject_type in ('comment', 'message'))`.execute(
    db,
  );
  await sql`delete from comments where idea_id is not null`.execute(db);
  await db.schema.alterTable("comments").dropConstraint("comments_one_thread_check").execute();
  await db.schema.alterTable("comments").dropColumn("idea_id").execute();
  for (const table of [
    "poll_vote_events",
    "poll_votes",
    "poll_options",
    "polls",
    "idea_credits",
    "idea_status_changes",
    "idea_votes",
    "ideas",
  ])
    await db.schema.dropTable(table).execute();
  await db.schema
    .alterTable("campaigns")
    .dropColumn("ideas_adopted_count")
    .dropColumn("idea_count")
    .dropColumn("idea_policy")
    .dropColumn("ideas_enabled")
    .execute();
}
