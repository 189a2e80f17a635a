import type { ColumnType, Generated, JSONColumnType, Kysely, Transaction } from "kysely";

/** A timestamp column that the database fills in. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type Role = "finance" | "admin" | "moderator";

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  stripe_customer_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The language the user chose ("en", "es"); null until they pick one. */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the user proved they read mail at `email` (a verification link); null until then. */
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the account was deleted: its personal data anonymised, the row kept for the ledger. */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When a moderator suspended the account (it cannot post, pledge or message); null otherwise. */
  suspended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  suspension_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export type AccountTokenPurpose = "reset_password" | "verify_email" | "change_email";

export interface AccountTokensTable {
  /** SHA-256 (hex) of the random token in the emailed link; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  purpose: AccountTokenPurpose;
  /** The address the link was sent to prove (verify_email, change_email). */
  email: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface UserRolesTable {
  user_id: string;
  role: Role;
  granted_at: CreatedAt;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  /** When this session passed the second factor; null when it never did. */
  two_factor_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A user's authenticator (TOTP); the secret is encrypted by the application. */
export interface UserTwoFactorTable {
  user_id: string;
  secret_encrypted: string;
  /** When this secret was made (a pending enrolment restarts with a new one). */
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Null while enrolment waits for its first code. */
  confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The time step of the last accepted code: a code at or before it is refused. */
  last_used_step: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface TwoFactorRecoveryCodesTable {
  id: Generated<number>;
  user_id: string;
  code_hash: string;
  created_at: CreatedAt;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface RateLimitsTable {
  key: string;
  window_started_at: Timestamp;
  hits: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  reason: string | null;
  detail: JSONColumnType<Record<string, unknown>, string | undefined, never>;
  ip: string | null;
}

export interface StripeEventsTable {
  id: string;
  type: string;
  livemode: boolean;
  stripe_created_at: Timestamp;
  received_at: CreatedAt;
  payload: JSONColumnType<Record<string, unknown>, string, never>;
  processed_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export type CampaignState = "draft" | "live" | "settling" | "funded" | "unfunded" | "cancelled" | "deleted";
export type PledgeState =
  | "checkout"
  | "active"
  | "abandoned"
  | "cancelled"
  | "collecting"
  | "collected"
  | "errored"
  | "dropped"
  | "released"
  | "refunding"
  | "refunded"
  | "partially_refunded"
  | "disputed";
export type CurrencyCode = "usd" | "eur" | "gbp" | "jpy";
/** The languages a campaign may be written in (the site's languages, app/domain/locale.ts). */
export type CampaignLanguage = "en" | "es";
export type FundingModel = "all_or_nothing" | "flexible";
export type Collection = "at_deadline" | "immediate";

export interface ImagesTable {
  id: Generated<string>;
  owner_id: string;
  content_type: "image/png" | "image/jpeg" | "image/webp";
  byte_size: number;
  width: number | null;
  height: number | null;
  sha256: string;
  created_at: CreatedAt;
}

export interface CampaignsTable {
  id: Generated<string>;
  creator_id: string;
  slug: string;
  title: string;
  blurb: Generated<string>;
  story_md: Generated<string>;
  /** story_md rendered and sanitised, and its plain-text summary: written with story_md (storyColumns). */
  story_html: Generated<string>;
  story_summary: Generated<string>;
  /** The renderer version that made story_html and story_summary (0: not rendered yet). */
  markdown_version: Generated<number>;
  category: string;
  cover_image_id: string | null;
  cover_alt: Generated<string>;
  goal_amount: number;
  currency: CurrencyCode;
  duration_days: number | null;
  deadline: Date | null;
  funding_model: Generated<FundingModel>;
  collection: Generated<Collection>;
  state: Generated<CampaignState>;
  featured: Generated<boolean>;
  launched_at: Date | null;
  ended_at: Date | null;
  pledged_amount: Generated<number>;
  backer_count: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The language its creator writes it in; its search index is built in that language. */
  language: Generated<CampaignLanguage>;
  search: ColumnType<string, never, never>;
  /** Who may comment: backers only (the default) or anyone signed in. */
  comment_policy: Generated<CommentPolicy>;
  /** Visible comments and replies on the campaign and its updates, kept with each post. */
  comment_count: Generated<number>;
  /** The creator has opened an Ideas board; idea_policy says who may post on it. */
  /** Late pledges are taken while the campaign is funded and this moment is ahead. */
  late_pledges_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  ideas_enabled: Generated<boolean>;
  idea_policy: Generated<CommentPolicy>;
  /** Visible ideas, and how many of them are adopted: the public counts, kept with each change. */
  idea_count: Generated<number>;
  ideas_adopted_count: Generated<number>;
}

export type CommentPolicy = "backers" | "signed_in";

export interface CampaignTransitionsTable {
  id: Generated<number>;
  campaign_id: string;
  from_state: CampaignState | null;
  to_state: CampaignState;
  actor_id: string | null;
  reason: string | null;
  at: CreatedAt;
}

export interface TiersTable {
  id: Generated<string>;
  campaign_id: string;
  title: string;
  description: Generated<string>;
  minimum_amount: number;
  quantity_limit: number | null;
  claimed_count: Generated<number>;
  estimated_delivery: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  ships: Generated<boolean>;
  position: Generated<number>;
  hidden: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Offered to late pledges at this price (at least the minimum); null: not offered late. */
  late_price: number | null;
  late_limit: number | null;
  late_claimed_count: Generated<number>;
}

export interface TierShippingRatesTable {
  tier_id: string;
  destination: string;
  amount: number;
}

export interface CampaignUpdatesTable {
  id: Generated<string>;
  campaign_id: string;
  author_id: string;
  title: string;
  body_md: string;
  /** body_md rendered and sanitised: written with body_md (updateBodyColumns). */
  body_html: Generated<string>;
  /** The renderer version that made body_html (0: not rendered yet). */
  markdown_version: Generated<number>;
  visibility: "public" | "backers";
  created_at: CreatedAt;
}

export interface PledgesTable {
  id: Generated<string>;
  campaign_id: string;
  backer_id: string;
  tier_id: string | null;
  currency: CurrencyCode;
  base_amount: number;
  shipping_amount: Generated<number>;
  amount: number;
  shipping_destination: string | null;
  state: Generated<PledgeState>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  activated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  checkout_session_id: ColumnType<string | null, string | null | undefined, string | null>;
  checkout_url: ColumnType<string | null, string | null | undefined, string | null>;
  checkout_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  stripe_customer_id: ColumnType<string | null, string | null | undefined, string | null>;
  stripe_payment_method_id: ColumnType<string | null, string | null | undefined, string | null>;
  stripe_payment_intent_id: ColumnType<string | null, string | null | undefined, string | null>;
  card_brand: ColumnType<string | null, string | null | undefined, string | null>;
  card_last4: ColumnType<string | null, string | null | undefined, string | null>;
  card_update_session_id: ColumnType<string | null, string | null | undefined, string | null>;
  next_charge_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  charge_attempts: Generated<number>;
  collected_amount: Generated<number>;
  refunded_amount: Generated<number>;
  last_charge_error: ColumnType<string | null, string | null | undefined, string | null>;
  /** The add-on lines' prices (their shipping is in shipping_amount). */
  add_ons_amount: Generated<number>;
  /** Made after the deadline of a funded campaign: paid at once, booked in the late segment. */
  late: Generated<boolean>;
  /** The further payout that carried this late pledge's money. */
  late_payout_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AddOnsTable {
  id: Generated<string>;
  campaign_id: string;
  title: string;
  description: Generated<string>;
  price: number;
  quantity_limit: number | null;
  per_backer_max: number | null;
  claimed_count: Generated<number>;
  ships: Generated<boolean>;
  hidden: Generated<boolean>;
  position: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface AddOnShippingRatesTable {
  add_on_id: string;
  destination: string;
  amount: number;
}

export interface AddOnTiersTable {
  add_on_id: string;
  tier_id: string;
}

export interface PledgeAddOnsTable {
  pledge_id: string;
  add_on_id: string;
  quantity: number;
  unit_price: number;
  amount: number;
  shipping_amount: Generated<number>;
}

/** An add-on line as a pledge (or a raise waiting for its payment) carries it. */
export interface AddOnLine {
  add_on_id: string;
  quantity: number;
  unit_price: number;
  amount: number;
  shipping_amount: number;
}

export interface PledgeTransitionsTable {
  id: Generated<number>;
  pledge_id: string;
  from_state: PledgeState | null;
  to_state: PledgeState;
  actor_id: string | null;
  reason: string | null;
  detail: JSONColumnType<Record<string, unknown>, string | undefined, never>;
  at: CreatedAt;
}

export interface EmailOutboxTable {
  id: Generated<number>;
  kind: string;
  to_email: string;
  to_user_id: string | null;
  subject: string;
  body_text: string;
  /** The language the email is written in ("en", "es"). */
  locale: ColumnType<string, string | undefined, string>;
  dedupe_key: string | null;
  created_at: CreatedAt;
  send_after: ColumnType<Date, Date | string | undefined, Date | string>;
  sent_at: Date | null;
  attempts: Generated<number>;
  /** The last server reply or network error (a temporary one while pending, the final one when failed). */
  last_error: string | null;
  body_html: string | null;
  category: ColumnType<EmailCategory, EmailCategory | undefined, EmailCategory>;
  status: ColumnType<EmailStatus, EmailStatus | undefined, EmailStatus>;
  /** A worker's lease on the row while it sends; a lapsed lease lets another worker take it. */
  claimed_until: Date | null;
  /** Fixed on first claim, `<outbox-ID@host>`: a resend after a crash is the same message. */
  message_id: string | null;
  failed_at: Date | null;
}

export type EmailCategory = "transactional" | "updates" | "comments" | "messages" | "reminders";
export type EmailStatus = "pending" | "sent" | "failed" | "suppressed";

export interface NotificationPreferencesTable {
  user_id: string;
  category: Exclude<EmailCategory, "transactional">;
  enabled: boolean;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A message the embedded SMTP catcher received, one row per recipient (the demo mailbox). */
export interface CaughtEmailsTable {
  id: Generated<number>;
  to_email: string;
  mail_from: string | null;
  message_id: string | null;
  subject: ColumnType<string, string | undefined, string>;
  body_text: string | null;
  body_html: string | null;
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  received_at: CreatedAt;
}

export type SettlementDecision = "funded" | "unfunded" | "cancelled";
export type SettlementStage = "collecting" | "grace" | "closed";
export type LedgerAccount =
  | "stripe_balance"
  | "backer_funds_held"
  | "processing_fees"
  | "platform_revenue"
  | "refunds"
  | "disputes"
  | "creator_payouts";
export type JournalKind =
  "charge" | "stripe_fee" | "refund" | "dispute" | "platform_fee" | "payout" | "payout_reversal";

export interface SettlementsTable {
  campaign_id: string;
  decision: SettlementDecision;
  stage: SettlementStage;
  currency: CurrencyCode;
  pledged_at_deadline: number;
  pledges_at_deadline: number;
  decided_at: CreatedAt;
  grace_ends_at: Date | null;
  closed_at: Date | null;
  statement: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  statement_checksum: string | null;
}

export interface ChargeAttemptsTable {
  id: Generated<number>;
  pledge_id: string;
  attempt: number;
  kind: "charge" | "refund";
  idempotency_key: string;
  amount: number;
  currency: CurrencyCode;
  status: Generated<"pending" | "succeeded" | "failed" | "requires_action">;
  stripe_object_id: string | null;
  error_code: string | null;
  decline_code: string | null;
  error_message: string | null;
  started_at: CreatedAt;
  finished_at: Date | null;
}

export interface LedgerAccountsTable {
  code: LedgerAccount;
  name: string;
  kind: "asset" | "liability" | "revenue" | "expense" | "clearing";
}

export interface JournalTransactionsTable {
  id: Generated<number>;
  kind: JournalKind;
  campaign_id: string;
  pledge_id: string | null;
  stripe_object_id: string | null;
  idempotency_key: string;
  memo: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  /** Late pledges' money (and the fee and payouts covering it), kept apart from the settlement's. */
  late: Generated<boolean>;
}

export interface JournalLinesTable {
  id: Generated<number>;
  transaction_id: number;
  account_code: LedgerAccount;
  amount: number;
  currency: CurrencyCode;
  campaign_id: string;
  pledge_id: string | null;
  stripe_object_id: string | null;
  late: Generated<boolean>;
}

export interface RefundsTable {
  id: Generated<string>;
  pledge_id: string;
  amount: number;
  currency: CurrencyCode;
  reason: string;
  requested_by: string | null;
  idempotency_key: string;
  status: Generated<"pending" | "succeeded" | "failed">;
  stripe_refund_id: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
  purpose: Generated<RefundPurpose>;
  stripe_payment_intent_id: ColumnType<string | null, string | null | undefined, string | null>;
  stripe_charge_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Stripe's failure_reason when a refund it accepted failed later (refund.failed). */
  failure_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** desk: finance refunds a collected pledge; settlement: not funded; the rest happen before the deadline. */
export type RefundPurpose = "desk" | "settlement" | "pledge_lowered" | "pledge_cancelled" | "change_refused";

export interface PledgePaymentsTable {
  id: Generated<number>;
  pledge_id: string;
  stripe_payment_intent_id: string;
  amount: number;
  currency: CurrencyCode;
  purpose: "pledge" | "top_up";
  created_at: CreatedAt;
}

export interface PledgeChangesTable {
  id: Generated<string>;
  pledge_id: string;
  status: Generated<"open" | "applied" | "expired" | "refused">;
  from_amount: number;
  tier_id: string | null;
  base_amount: number;
  shipping_amount: number;
  shipping_destination: string | null;
  amount: number;
  difference: number;
  currency: CurrencyCode;
  checkout_session_id: string | null;
  checkout_url: string | null;
  expires_at: Date;
  note: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
  add_ons_amount: Generated<number>;
  add_ons: JSONColumnType<AddOnLine[], string | undefined, string>;
}

export type FinanceAlertSeverity = "info" | "warning" | "critical";

export interface FinanceAlertsTable {
  id: Generated<string>;
  kind: string;
  severity: ColumnType<FinanceAlertSeverity, FinanceAlertSeverity | undefined, FinanceAlertSeverity>;
  dedupe_key: string;
  campaign_id: string | null;
  pledge_id: string | null;
  payout_id: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  raised_at: CreatedAt;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface PayoutsTable {
  id: Generated<string>;
  campaign_id: string;
  amount: number;
  currency: CurrencyCode;
  destination_account: string | null;
  status: Generated<"prepared" | "approved" | "paid" | "failed">;
  prepared_by: string;
  prepared_at: CreatedAt;
  approved_by: string | null;
  approved_at: Date | null;
  stripe_transfer_id: string | null;
  failure: string | null;
  /** 1: the payout of the settlement; 2 and on: further payouts of late pledges' money. */
  sequence: Generated<number>;
  /** Part of the transfer's idempotency key: a new one after each refusal Stripe gave. */
  transfer_attempt: Generated<number>;
  /** A transfer waiting for funds is tried again by the worker after this. */
  retry_after: Date | null;
}

export type PayoutRecoveryStatus = "pending" | "reversed" | "owed" | "netted" | "cancelled";

export interface PayoutRecoveriesTable {
  id: Generated<string>;
  refund_id: string;
  payout_id: string;
  campaign_id: string;
  late: boolean;
  amount: number;
  currency: CurrencyCode;
  status: Generated<PayoutRecoveryStatus>;
  requested_amount: number | null;
  reversed_amount: Generated<number>;
  stripe_reversal_id: string | null;
  failure: string | null;
  netted_by_payout_id: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

/** Stripe's dispute statuses. */
export type DisputeStatus =
  | "warning_needs_response"
  | "warning_under_review"
  | "warning_closed"
  | "needs_response"
  | "under_review"
  | "appeal_needs_response"
  | "appeal_under_review"
  | "won"
  | "lost"
  | "prevented";

/** A Stripe dispute as the app last read it; the money is in the journal (kind dispute). */
export interface DisputesTable {
  id: Generated<string>;
  stripe_dispute_id: string;
  pledge_id: string;
  campaign_id: string;
  amount: number;
  currency: CurrencyCode;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  status: DisputeStatus;
  evidence_due_by: ColumnType<Date | null, Date | null | undefined, Date | null>;
  evidence_request_key: ColumnType<string | null, string | null | undefined, string | null>;
  evidence_submitted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  evidence_submitted_by: ColumnType<string | null, string | null | undefined, string | null>;
  outcome: ColumnType<"won" | "lost" | null, "won" | "lost" | null | undefined, "won" | "lost" | null>;
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PayoutAccountsTable {
  user_id: string;
  stripe_account_id: string;
  details_submitted: Generated<boolean>;
  charges_enabled: Generated<boolean>;
  payouts_enabled: Generated<boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Pledges activated in the trending window, per campaign: a snapshot (see refreshTrending). */
export interface CampaignTrendingTable {
  campaign_id: string;
  recent: number;
}

export interface TrendingSnapshotTable {
  id: ColumnType<boolean, boolean | undefined, boolean>;
  window_end: Timestamp;
}

export interface ReconciliationRunsTable {
  id: Generated<number>;
  started_at: CreatedAt;
  finished_at: Date | null;
  started_by: string | null;
  source: Generated<"desk" | "cli" | "schedule">;
  status: Generated<"running" | "clean" | "mismatches" | "failed">;
  /** A scheduled run's UTC day: one per day, whichever worker claims it. */
  scheduled_day: ColumnType<Date | null, string | null | undefined, string | null>;
  objects_checked: Generated<number>;
  mismatch_count: Generated<number>;
  error: string | null;
}

export interface ReconciliationMismatchesTable {
  id: Generated<number>;
  run_id: number;
  kind: string;
  campaign_id: string | null;
  pledge_id: string | null;
  currency: string | null;
  ledger_object_id: string | null;
  ledger_amount: number | null;
  stripe_object_id: string | null;
  stripe_amount: number | null;
  stripe_status: string | null;
  detail: string;
}

export type ReconciliationItemStatus = "open" | "investigating" | "resolved" | "auto_resolved";

/** One distinct reconciliation problem (kind + subject), kept across runs as a work item. */
export interface ReconciliationItemsTable {
  id: Generated<number>;
  kind: string;
  /** What the problem is about: the booked or Stripe object's id, else `pledge:<id>` / `campaign:<id>`. */
  subject: string;
  status: ColumnType<ReconciliationItemStatus, ReconciliationItemStatus | undefined, ReconciliationItemStatus>;
  first_seen_run: number;
  last_seen_run: number;
  first_seen_at: Date;
  last_seen_at: Date;
  status_changed_at: ColumnType<Date, Date | undefined, Date>;
  assignee_id: string | null;
  note: string | null;
  resolved_by: string | null;
  resolved_by_run: number | null;
  resolved_at: Date | null;
  campaign_id: string | null;
  pledge_id: string | null;
  currency: string | null;
  ledger_object_id: string | null;
  ledger_amount: number | null;
  stripe_object_id: string | null;
  stripe_amount: number | null;
  stripe_status: string | null;
  detail: string;
}

/** A reconciliation item's status change: by a person (actor_id) or a run (run_id). */
export interface ReconciliationItemEventsTable {
  id: Generated<number>;
  item_id: number;
  actor_id: string | null;
  run_id: number | null;
  from_status: ReconciliationItemStatus | null;
  to_status: ReconciliationItemStatus;
  note: string | null;
  created_at: CreatedAt;
}

/** A comment on a project page (update_id null) or an update; parent_id set on a reply (one level). */
export interface CommentsTable {
  id: Generated<string>;
  campaign_id: string;
  update_id: string | null;
  parent_id: string | null;
  author_id: string;
  body_md: string;
  /** body_md rendered and sanitised (links nofollow ugc), written with body_md. */
  body_html: string;
  markdown_version: number;
  reply_count: Generated<number>;
  /** The idea whose thread this is (update_id is then null); null on project and update threads. */
  idea_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  edited_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Deleted by its author or a moderator: the text is gone, a placeholder keeps the thread. */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deleted_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** Hidden by the creator or a moderator: a placeholder shows instead. */
  hidden_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  hidden_by: ColumnType<string | null, string | null | undefined, string | null>;
  hidden_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FaqEntriesTable {
  id: Generated<string>;
  campaign_id: string;
  question: string;
  answer_md: string;
  answer_html: string;
  markdown_version: number;
  position: number;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One private conversation between a campaign's creator and one person who wrote to it. */
export interface MessageThreadsTable {
  id: Generated<string>;
  campaign_id: string;
  participant_id: string;
  subject: string;
  created_at: CreatedAt;
  last_message_at: ColumnType<Date, Date | string | undefined, Date | string>;
  participant_read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  creator_read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface MessagesTable {
  id: Generated<string>;
  thread_id: string;
  author_id: string;
  body_md: string;
  body_html: string;
  markdown_version: number;
  created_at: CreatedAt;
  hidden_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  hidden_by: ColumnType<string | null, string | null | undefined, string | null>;
  hidden_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ReportSubject = "comment" | "message" | "idea";
export type ReportReason = "spam" | "abuse" | "off_topic" | "other";
export type ReportResolution = "hidden" | "deleted" | "dismissed" | "suspended";

export interface ReportsTable {
  id: Generated<string>;
  subject_type: ReportSubject;
  subject_id: string;
  campaign_id: string;
  reporter_id: string;
  reason: ReportReason;
  note: Generated<string>;
  created_at: CreatedAt;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  resolved_by: ColumnType<string | null, string | null | undefined, string | null>;
  resolution: ColumnType<ReportResolution | null, ReportResolution | null | undefined, ReportResolution | null>;
}

export type ReviewDecision = "approved" | "changes_requested" | "withdrawn";

/** A draft submitted for review before launch; decision null while it waits in the queue. */
export interface CampaignReviewsTable {
  id: Generated<string>;
  campaign_id: string;
  submitted_by: string;
  submitted_at: CreatedAt;
  decision: ColumnType<ReviewDecision | null, ReviewDecision | null | undefined, ReviewDecision | null>;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  note: Generated<string>;
}

// After funding (issue 14): surveys, addresses, fulfilment.
type Stamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Text = ColumnType<string | null, string | null | undefined, string | null>;
type Updated = ColumnType<Date, Date | string | undefined, Date | string>;

export type SurveyState = "draft" | "sent";
export type SurveyQuestionKind = "address" | "single" | "multiple" | "text";
export type FulfilmentStatus = "awaiting_survey" | "ready" | "shipped" | "delivered" | "received" | "problem";
export type ProblemKind = "not_received" | "damaged" | "other";

export interface SurveysTable {
  id: Generated<string>;
  campaign_id: string;
  state: Generated<SurveyState>;
  intro: Generated<string>;
  lock_at: Stamp;
  sent_at: Stamp;
  created_at: CreatedAt;
  updated_at: Updated;
}

export interface SurveyQuestionsTable {
  id: Generated<string>;
  survey_id: string;
  kind: SurveyQuestionKind;
  prompt: string;
  help: Generated<string>;
  required: Generated<boolean>;
  /** Asked of every tier's backers; otherwise only of the tiers in survey_question_tiers. */
  all_tiers: Generated<boolean>;
  position: Generated<number>;
  created_at: CreatedAt;
}

export interface SurveyQuestionTiersTable {
  question_id: string;
  tier_id: string;
}

export interface SurveyOptionsTable {
  id: Generated<string>;
  question_id: string;
  label: string;
  position: Generated<number>;
  /** null: unlimited. taken_count can never pass it (a check constraint). */
  stock_limit: number | null;
  taken_count: Generated<number>;
}

export interface SurveyResponsesTable {
  pledge_id: string;
  survey_id: string;
  submitted_at: Stamp;
  updated_at: Updated;
  /** The creator reopened this backer's answers after the lock, until then. */
  unlocked_until: Stamp;
  reminders_sent: Generated<number>;
  last_reminded_at: Stamp;
}

export interface SurveyAnswersTable {
  pledge_id: string;
  question_id: string;
  text_value: Text;
  updated_at: Updated;
}

export interface SurveyAnswerChoicesTable {
  pledge_id: string;
  question_id: string;
  option_id: string;
}

/** Personal data: read only by the campaign's creator and finance staff, checked in the query. */
export interface ShippingAddressesTable {
  pledge_id: string;
  full_name: string;
  line1: string;
  line2: Generated<string>;
  city: string;
  region: Generated<string>;
  postal_code: Generated<string>;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phone: Generated<string>;
  created_at: CreatedAt;
  updated_at: Updated;
  anonymised_at: Stamp;
}

export interface FulfilmentsTable {
  pledge_id: string;
  campaign_id: string;
  status: Generated<FulfilmentStatus>;
  carrier: Text;
  tracking_number: Text;
  tracking_url: Text;
  shipped_at: Stamp;
  delivered_at: Stamp;
  received_at: Stamp;
  digital_kind: ColumnType<"link" | "key" | null, "link" | "key" | null | undefined, "link" | "key" | null>;
  digital_value: Text;
  problem_kind: ColumnType<ProblemKind | null, ProblemKind | null | undefined, ProblemKind | null>;
  problem_note: Text;
  problem_reported_at: Stamp;
  problem_answer: Text;
  problem_answered_at: Stamp;
  problem_resolved_at: Stamp;
  created_at: CreatedAt;
  updated_at: Updated;
}

export interface FulfilmentEventsTable {
  id: Generated<string>;
  pledge_id: string;
  from_status: FulfilmentStatus;
  to_status: FulfilmentStatus;
  actor_id: string | null;
  note: string | null;
  at: CreatedAt;
}

// The crowd's ideas and polls (issue 15).
export type IdeaKind = "feature" | "design" | "reward" | "other";
export type IdeaStatus = "new" | "under_review" | "planned" | "adopted" | "declined";
export type IdeaCreditKind = "mention" | "reward";
/** Who may post ideas on a board or vote in a poll: the same two choices as comments. */
export type CrowdPolicy = CommentPolicy;

export interface IdeasTable {
  id: Generated<string>;
  campaign_id: string;
  author_id: string;
  title: string;
  kind: IdeaKind;
  body_md: string;
  /** body_md rendered and sanitised (links nofollow ugc), written with body_md. */
  body_html: string;
  markdown_version: number;
  status: Generated<IdeaStatus>;
  /** The creator's public note with the status. */
  status_note: Generated<string>;
  status_changed_at: Stamp;
  /** When the creator first answered (status or note): the insights' time to answer. */
  answered_at: Stamp;
  /** Votes of accounts that are not suspended; kept by crowd-votes.server.ts. */
  vote_count: Generated<number>;
  /** Visible comments and replies on the idea's thread. */
  comment_count: Generated<number>;
  created_at: CreatedAt;
  edited_at: Stamp;
  hidden_at: Stamp;
  hidden_by: Text;
  hidden_reason: Text;
  deleted_at: Stamp;
  deleted_by: Text;
}

export interface IdeaVotesTable {
  idea_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface IdeaStatusChangesTable {
  id: Generated<string>;
  idea_id: string;
  from_status: IdeaStatus;
  to_status: IdeaStatus;
  note: Generated<string>;
  actor_id: string;
  at: CreatedAt;
}

/** The thank-you for an adopted idea: a mention in the credits, or a tier's reward free on the author's pledge. */
export interface IdeaCreditsTable {
  idea_id: string;
  kind: IdeaCreditKind;
  tier_id: string | null;
  pledge_id: string | null;
  created_by: string;
  created_at: CreatedAt;
}

export interface PollsTable {
  id: Generated<string>;
  campaign_id: string;
  /** The update it was asked in; null when it is on the project page. */
  update_id: string | null;
  question: string;
  policy: CrowdPolicy;
  closes_at: ColumnType<Date, Date | string, Date | string>;
  /** Votes of accounts that are not suspended (one per account). */
  vote_count: Generated<number>;
  created_by: string;
  created_at: CreatedAt;
}

export interface PollOptionsTable {
  id: Generated<string>;
  poll_id: string;
  label: string;
  position: number;
  vote_count: Generated<number>;
}

export interface PollVotesTable {
  poll_id: string;
  user_id: string;
  option_id: string;
  created_at: CreatedAt;
  updated_at: Updated;
}

/** Each vote and each change of one, in order: the results-over-time chart replays them. */
export interface PollVoteEventsTable {
  id: Generated<string>;
  poll_id: string;
  user_id: string;
  from_option_id: string | null;
  to_option_id: string;
  /** Ordered by (at, id): one event per vote or change. */
  at: CreatedAt;
}

/**
 * A rung above the campaign's goal: when the campaign's total reaches `amount` (minor units of its
 * currency), the creator adds what the title says. reached_at is kept by the database's triggers
 * (db/migrations/2026_12_07_0023_stretch_goals.ts), never written by the application.
 */
export interface StretchGoalsTable {
  id: Generated<string>;
  campaign_id: string;
  title: string;
  description: Generated<string>;
  amount: number;
  reached_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: Updated;
}

/**
 * A closed month (issue 17, decision 029). `month` is its first day (UTC), read as text with
 * to_char(month, 'YYYY-MM') (a `date` parsed by a driver lands in the process's time zone).
 * `document` is the canonical JSON of the month's journal lines and statement rows, exactly the
 * text `checksum` (SHA-256, hex) was computed over.
 */
export interface PeriodClosesTable {
  month: ColumnType<string, string, never>;
  closed_by: string;
  closed_at: CreatedAt;
  reason: string;
  document: string;
  checksum: string;
  line_count: number;
  totals: JSONColumnType<Record<string, unknown>, string, never>;
}

export interface Database {
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  user_two_factor: UserTwoFactorTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  account_tokens: AccountTokensTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
  period_closes: PeriodClosesTable;
  finance_alerts: FinanceAlertsTable;
  stripe_events: StripeEventsTable;
  images: ImagesTable;
  campaigns: CampaignsTable;
  campaign_trending: CampaignTrendingTable;
  trending_snapshot: TrendingSnapshotTable;
  campaign_transitions: CampaignTransitionsTable;
  tiers: TiersTable;
  tier_shipping_rates: TierShippingRatesTable;
  campaign_updates: CampaignUpdatesTable;
  pledges: PledgesTable;
  add_ons: AddOnsTable;
  add_on_shipping_rates: AddOnShippingRatesTable;
  add_on_tiers: AddOnTiersTable;
  pledge_add_ons: PledgeAddOnsTable;
  pledge_transitions: PledgeTransitionsTable;
  email_outbox: EmailOutboxTable;
  notification_preferences: NotificationPreferencesTable;
  caught_emails: CaughtEmailsTable;
  settlements: SettlementsTable;
  charge_attempts: ChargeAttemptsTable;
  ledger_accounts: LedgerAccountsTable;
  journal_transactions: JournalTransactionsTable;
  journal_lines: JournalLinesTable;
  refunds: RefundsTable;
  pledge_payments: PledgePaymentsTable;
  pledge_changes: PledgeChangesTable;
  payouts: PayoutsTable;
  payout_recoveries: PayoutRecoveriesTable;
  disputes: DisputesTable;
  payout_accounts: PayoutAccountsTable;
  reconciliation_runs: ReconciliationRunsTable;
  reconciliation_mismatches: ReconciliationMismatchesTable;
  reconciliation_items: ReconciliationItemsTable;
  reconciliation_item_events: ReconciliationItemEventsTable;
  comments: CommentsTable;
  faq_entries: FaqEntriesTable;
  message_threads: MessageThreadsTable;
  messages: MessagesTable;
  reports: ReportsTable;
  campaign_reviews: CampaignReviewsTable;
  surveys: SurveysTable;
  survey_questions: SurveyQuestionsTable;
  survey_question_tiers: SurveyQuestionTiersTable;
  survey_options: SurveyOptionsTable;
  survey_responses: SurveyResponsesTable;
  survey_answers: SurveyAnswersTable;
  survey_answer_choices: SurveyAnswerChoicesTable;
  shipping_addresses: ShippingAddressesTable;
  fulfilments: FulfilmentsTable;
  fulfilment_events: FulfilmentEventsTable;
  ideas: IdeasTable;
  idea_votes: IdeaVotesTable;
  idea_status_changes: IdeaStatusChangesTable;
  idea_credits: IdeaCreditsTable;
  polls: PollsTable;
  poll_options: PollOptionsTable;
  poll_votes: PollVotesTable;
  poll_vote_events: PollVoteEventsTable;
  stretch_goals: StretchGoalsTable;
}

/** The database handle every model and service takes first: the process's `db`, or a transaction. */
export type Db = Kysely<Database>;
/** An open transaction; what a function needs when it must run inside its caller's transaction. */
export type Trx = Transaction<Database>;
