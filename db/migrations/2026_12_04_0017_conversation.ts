import { sql, type Kysely } from "kysely";

// Conversation and moderation (issue 13):
// - comments on a project page (update_id null) or on one update, with one level of replies
//   (parent_id), stored rendered like stories; campaigns.comment_count counts the visible
//   top-level and reply comments of a campaign, kept in the same transaction as each post.
// - campaigns.comment_policy: who may comment, backers only (the default) or anyone signed in.
// - faq_entries: the creator's question/answer pairs, ordered by position.
// - message_threads / messages: one private thread per (campaign, person who wrote to it), with
//   a read mark per side for unread counts.
// - reports: anyone signed in reports a comment or a message once; the moderation desk resolves it.
// - campaign_reviews: "Launch" with review on submits a draft; a moderator approves (it goes
//   live) or requests changes with a note. One open review per campaign.
// - users.suspended_at / suspension_reason, the `moderator` role, the `messages` mail category.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table user_roles drop constraint user_roles_role_check`.execute(db);
  await sql`alter table user_roles add constraint user_roles_role_check check (role in ('finance', 'admin', 'moderator'))`.execute(
    db,
  );
  await db.schema
    .alterTable("users")
    .addColumn("suspended_at", "timestamptz")
    .addColumn("suspension_reason", "text")
    .execute();

  await sql`alter table email_outbox drop constraint email_outbox_category_check`.execute(db);
  await sql`alter table email_outbox add constraint email_outbox_category_check check (category in ('transactional', 'updates', 'comments', 'messages', 'reminders'))`.execute(
    db,
  );
  await sql`alter table notification_preferences drop constraint notification_preferences_category_check`.execute(db);
  await sql`alter table notification_preferences add constraint notification_preferences_category_check check (category in ('updates', 'comments', 'messages', 'reminders'))`.execute(
    db,
  );

  await db.schema
    .alterTable("campaigns")
    .addColumn("comment_policy", "text", (c) =>
      c
        .notNull()
        .defaultTo("backers")
        .check(sql`comment_policy in ('backers', 'signed_in')`),
    )
    .addColumn("comment_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`comment_count >= 0`),
    )
    .execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("update_id", "uuid", (c) => c.references("campaign_updates.id"))
    .addColumn("parent_id", "uuid", (c) => c.references("comments.id"))
    .addColumn("author_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("body_md", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("markdown_version", "integer", (c) => c.notNull())
    .addColumn("reply_count", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`reply_count >= 0`),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("edited_at", "timestamptz")
    .addColumn("deleted_at", "timestamptz")
    .addColumn("deleted_by", "uuid", (c) => c.references("users.id"))
    .addColumn("hidden_at", "timestamptz")
    .addColumn("hidden_by", "uuid", (c) => c.references("users.id"))
    .addColumn("hidden_reason", "text")
    .execute();
  await sql`create index comments_thread_idx on comments (campaign_id, update_id, created_at desc, id desc) where parent_id is null`.execute(
    db,
  );
  await sql`create index comments_replies_idx on comments (parent_id, created_at, id) where parent_id is not null`.execute(
    db,
  );
  await sql`create index comments_author_idx on comments (author_id, created_at desc)`.execute(db);
  // The creators' daily digest reads one day of comments across campaigns.
  await sql`create index comments_created_idx on comments (created_at)`.execute(db);

  await db.schema
    .createTable("faq_entries")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("question", "text", (c) => c.notNull())
    .addColumn("answer_md", "text", (c) => c.notNull())
    .addColumn("answer_html", "text", (c) => c.notNull())
    .addColumn("markdown_version", "integer", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index faq_entries_campaign_idx on faq_entries (campaign_id, position)`.execute(db);

  await db.schema
    .createTable("message_threads")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("participant_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_message_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("participant_read_at", "timestamptz")
    .addColumn("creator_read_at", "timestamptz")
    .addUniqueConstraint("message_threads_campaign_participant_key", ["campaign_id", "participant_id"])
    .execute();
  await sql`create index message_threads_participant_idx on message_threads (participant_id, last_message_at desc)`.execute(
    db,
  );
  await sql`create index message_threads_campaign_idx on message_threads (campaign_id, last_message_at desc)`.execute(
    db,
  );

  await db.schema
    .createTable("messages")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("thread_id", "uuid", (c) => c.notNull().references("message_threads.id"))
    .addColumn("author_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("body_md", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("markdown_version", "integer", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("hidden_at", "timestamptz")
    .addColumn("hidden_by", "uuid", (c) => c.references("users.id"))
    .addColumn("hidden_reason", "text")
    .execute();
  await sql`create index messages_thread_idx on messages (thread_id, created_at, id)`.execute(db);
  await sql`create index messages_author_idx on messages (author_id, created_at desc)`.execute(db);

  await db.schema
    .createTable("reports")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("subject_type", "text", (c) => c.notNull().check(sql`subject_type in ('comment', 'message')`))
    .addColumn("subject_id", "uuid", (c) => c.notNull())
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("reporter_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("reason", "text", (c) => c.notNull().check(sql`reason in ('spam', 'abuse', 'off_topic', 'other')`))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("resolved_at", "timestamptz")
    .addColumn("resolved_by", "uuid", (c) => c.references("users.id"))
    .addColumn("resolution", "text", (c) =>
      c.check(sql`resolution is null or resolution in ('hidden', 'deleted', 'dismissed', 'suspended')`),
    )
    .addUniqueConstraint("reports_subject_reporter_key", ["subject_type", "subject_id", "reporter_id"])
    .execute();
  await sql`create index reports_open_idx on reports (created_at, id) where resolved_at is null`.execute(db);
  await sql`create index reports_subject_idx on reports (subject_type, subject_id)`.execute(db);

  await db.schema
    .createTable("campaign_reviews")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("submitted_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("submitted_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("decision", "text", (c) =>
      c.check(sql`decision is null or decision in ('approved', 'changes_requested', 'withdrawn')`),
    )
    .addColumn("decided_by", "uuid", (c) => c.references("users.id"))
    .addColumn("decided_at", "timestamptz")
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addCheckConstraint("campaign_reviews_decided_check", sql`(decision is null) = (decided_at is null)`)
    .execute();
  await sql`create unique index campaign_reviews_open_key on campaign_reviews (campaign_id) where decided_at is null`.execute(
    db,
  );
  await sql`create index campaign_reviews_queue_idx on campaign_reviews (submitted_at) where decided_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["campaign_reviews", "reports", "messages", "message_threads", "faq_entries", "comments"])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable("campaigns").dropColumn("comment_count").dropColumn("comment_policy").execute();
  await sql`delete from notification_preferences where category = 'messages'`.execute(db);
  await sql`alter table notification_preferences drop constraint notification_preferences_category_check`.execute(db);
  await sql`alter table notification_preferences add constraint notification_preferences_category_check check (category in ('updates', 'comments', 'reminders'))`.execute(
    db,
  );
  await sql`update email_outbox set category = 'transactional' where category = 'messages'`.execute(db);
  await sql`alter table email_outbox drop constraint email_outbox_category_check`.execute(db);
  await sql`alter table email_outbox add constraint email_outbox_category_check check (category in ('transactional', 'updates', 'comments', 'reminders'))`.execute(
    db,
  );
  await db.schema.alterTable("users").dropColumn("suspension_reason").dropColumn("suspended_at").execute();
  await sql`delete from user_roles where role = 'moderator'`.execute(db);
  await sql`alter table user_roles drop constraint user_roles_role_check`.execute(db);
  await sql`alter table user_roles add constraint user_roles_role_check check (role in ('finance', 'admin'))`.execute(
    db,
  );
}
