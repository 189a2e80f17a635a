import { sql, type Kysely } from "kysely";

// Settlement (one row per campaign that reached its deadline or was cancelled), charge attempts
// recorded before every Stripe call, the double-entry journal, refunds, payouts and creators'
// connected accounts.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("settlements")
    .addColumn("campaign_id", "uuid", (c) => c.primaryKey().references("campaigns.id"))
    .addColumn("decision", "text", (c) => c.notNull().check(sql`decision in ('funded', 'unfunded', 'cancelled')`))
    .addColumn("stage", "text", (c) => c.notNull().check(sql`stage in ('collecting', 'grace', 'closed')`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("pledged_at_deadline", "bigint", (c) => c.notNull())
    .addColumn("pledges_at_deadline", "integer", (c) => c.notNull())
    .addColumn("decided_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("grace_ends_at", "timestamptz")
    .addColumn("closed_at", "timestamptz")
    .addColumn("statement", "jsonb")
    .addColumn("statement_checksum", "text")
    .execute();
  await sql`create index settlements_stage_idx on settlements (stage, grace_ends_at)`.execute(db);

  await db.schema
    .createTable("charge_attempts")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id"))
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('charge', 'refund')`))
    // Derived from pledge id and attempt number; written BEFORE the Stripe call, reused on retry.
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'succeeded', 'failed', 'requires_action')`),
    )
    .addColumn("stripe_object_id", "text")
    .addColumn("error_code", "text")
    .addColumn("decline_code", "text")
    .addColumn("error_message", "text")
    .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .addUniqueConstraint("charge_attempts_pledge_attempt_key", ["pledge_id", "kind", "attempt"])
    .execute();

  await db.schema
    .alterTable("pledges")
    .addColumn("next_charge_at", "timestamptz")
    .addColumn("charge_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("collected_amount", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("refunded_amount", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("last_charge_error", "text")
    .execute();
  await sql`create index pledges_settlement_work_idx on pledges (campaign_id, state, next_charge_at)`.execute(db);

  await db.schema
    .createTable("ledger_accounts")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('asset', 'liability', 'revenue', 'expense', 'clearing')`),
    )
    .execute();
  await db
    .insertInto("ledger_accounts")
    .values([
      { code: "stripe_balance", name: "Stripe balance", kind: "asset" },
      { code: "backer_funds_held", name: "Backer funds held for creators", kind: "liability" },
      { code: "processing_fees", name: "Stripe processing fees", kind: "expense" },
      { code: "platform_revenue", name: "Platform fee revenue", kind: "revenue" },
      { code: "refunds", name: "Refunds to backers", kind: "clearing" },
      { code: "disputes", name: "Disputes (amount and fees)", kind: "expense" },
      { code: "creator_payouts", name: "Payouts to creators", kind: "clearing" },
    ])
    .execute();

  await db.schema
    .createTable("journal_transactions")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('charge', 'stripe_fee', 'refund', 'dispute', 'platform_fee', 'payout')`),
    )
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("pledge_id", "uuid", (c) => c.references("pledges.id"))
    .addColumn("stripe_object_id", "text")
    // One booking per money event: a replayed event finds its key and books nothing.
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("memo", "text")
    .addColumn("created_by", "uuid", (c) => c.references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index journal_transactions_campaign_idx on journal_transactions (campaign_id, id)`.execute(db);
  await sql`create index journal_transactions_pledge_idx on journal_transactions (pledge_id) where pledge_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable("journal_lines")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("transaction_id", "bigint", (c) => c.notNull().references("journal_transactions.id"))
    .addColumn("account_code", "text", (c) => c.notNull().references("ledger_accounts.code"))
    // Signed minor units: debits positive, credits negative.
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount <> 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("campaign_id", "uuid", (c) => c.notNull().references("campaigns.id"))
    .addColumn("pledge_id", "uuid", (c) => c.references("pledges.id"))
    .addColumn("stripe_object_id", "text")
    .execute();
  await sql`create index journal_lines_transaction_idx on journal_lines (transaction_id)`.execute(db);
  await sql`create index journal_lines_campaign_idx on journal_lines (campaign_id, account_code)`.execute(db);

  // Every journal transaction balances to zero per currency, checked by the database at commit
  // (a deferred constraint trigger), so no code path and no hand-written SQL can leave it lopsided.
  await sql`
    create function journal_transaction_balances() returns trigger language plpgsql as $$
    declare
      unbalanced record;
    begin
      select currency, sum(amount) as total into unbalanced
        from journal_lines where transaction_id = new.transaction_id
        group by currency having sum(amount) <> 0 limit 1;
      if found then
        raise exception 'journal transaction % does not balance in %: off by %', new.transaction_id, unbalanced.currency, unbalanced.total
          using errcode = 'check_violation';
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger journal_lines_balance after insert on journal_lines
    deferrable initially deferred for each row execute function journal_transaction_balances()`.execute(db);
  await sql`
    create function journal_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the journal is append-only (% on % refused)', tg_op, tg_table_name;
    end $$`.execute(db);
  await sql`create trigger journal_lines_append_only before update or delete on journal_lines for each row execute function journal_append_only()`.execute(
    db,
  );
  await sql`create trigger journal_transactions_append_only before update or delete on journal_transactions for each row execute function journal_append_only()`.execute(
    db,
  );

  await db.schema
    .createTable("refunds")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("pledge_id", "uuid", (c) => c.notNull().references("pledges.id"))
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount > 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("requested_by", "uuid", (c) => c.references("users.id"))
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'succeeded', 'failed')`),
    )
    .addColumn("stripe_refund_id", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .execute();
  await sql`create index refunds_pledge_idx on refunds (pledge_id)`.execute(db);

  await db.schema
    .createTable("payouts")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("campaign_id", "uuid", (c) => c.notNull().unique().references("campaigns.id"))
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("destination_account", "text")
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("prepared")
        .check(sql`status in ('prepared', 'approved', 'paid', 'failed')`),
    )
    .addColumn("prepared_by", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("prepared_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("approved_by", "uuid", (c) => c.references("users.id"))
    .addColumn("approved_at", "timestamptz")
    .addColumn("stripe_transfer_id", "text")
    .addColumn("failure", "text")
    // Four eyes: whoever prepared a payout cannot approve it.
    .addCheckConstraint("payouts_four_eyes", sql`approved_by is null or approved_by <> prepared_by`)
    .execute();

  await db.schema
    .createTable("payout_accounts")
    .addColumn("user_id", "uuid", (c) => c.primaryKey().references("users.id"))
    .addColumn("stripe_account_id", "text", (c) => c.notNull().unique())
    .addColumn("details_submitted", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("charges_enabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("payouts_enabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "payout_accounts",
    "payouts",
    "refunds",
    "journal_lines",
    "journal_transactions",
    "ledger_accounts",
    "charge_attempts",
    "settlements",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function journal_transaction_balances()`.execute(db);
  await sql`drop function journal_append_only()`.execute(db);
  await db.schema
    .alterTable("pledges")
    .dropColumn("next_charge_at")
    .dropColumn("charge_attempts")
    .dropColumn("collected_amount")
    .dropColumn("refunded_amount")
    .dropColumn("last_charge_error")
    .execute();
}
