import type { Migration } from "kysely";
import * as accounts from "./2026_11_22_0001_accounts.js";
import * as stripeEvents from "./2026_11_22_0002_stripe_events.js";
import * as campaigns from "./2026_11_22_0003_campaigns.js";
import * as discovery from "./2026_11_22_0005_discovery.js";
import * as pledgePayments from "./2026_11_22_0006_pledge_payments.js";
import * as settlementLedger from "./2026_11_22_0007_settlement_ledger.js";
import * as finance from "./2026_11_22_0008_finance.js";
import * as upFrontChanges from "./2026_11_22_0009_up_front_changes.js";
import * as userLocale from "./2026_11_22_0010_user_locale.js";
import * as emailLocale from "./2026_12_01_0011_email_locale.js";
import * as campaignLanguage from "./2026_12_01_0012_campaign_language.js";
import * as emailDelivery from "./2026_12_02_0013_email_delivery.js";
import * as accountSecurity from "./2026_12_02_0014_account_security.js";
import * as twoFactor from "./2026_12_02_0015_two_factor.js";
import * as storedMarkdown from "./2026_12_03_0016_stored_markdown.js";
import * as conversation from "./2026_12_04_0017_conversation.js";
import * as fulfilment from "./2026_12_05_0018_fulfilment.js";
import * as fulfilmentExtra from "./2026_12_05_0020_fulfilment_extra.js";
import * as crowd from "./2026_12_06_0021_crowd.js";
import * as addOns from "./2026_12_07_0022_add_ons.js";
import * as stretchGoals from "./2026_12_07_0023_stretch_goals.js";
import * as latePledges from "./2026_12_07_0024_late_pledges.js";
import * as scheduledReconciliation from "./2026_12_08_0025_scheduled_reconciliation.js";
import * as financeAlerts from "./2026_12_09_0026_finance_alerts.js";
import * as reconciliationQueue from "./2026_12_09_0027_reconciliation_queue.js";
import * as periodClose from "./2026_12_09_0028_period_close.js";
import * as disputes from "./2026_12_09_0029_disputes.js";
import * as payoutRecoveries from "./2026_12_09_0030_payout_recoveries.js";
import * as refundFailures from "./2026_12_09_0031_refund_failures.js";

/**
 * Every migration, by name. Listed explicitly (not read from the folder at run time) because the
 * server bundle has no migrations folder; a test checks that this list matches the folder.
 */
export const migrations: Record<string, Migration> = {
  "2026_11_22_0001_accounts": accounts,
  "2026_11_22_0002_stripe_events": stripeEvents,
  "2026_11_22_0003_campaigns": campaigns,
  "2026_11_22_0005_discovery": discovery,
  "2026_11_22_0006_pledge_payments": pledgePayments,
  "2026_11_22_0007_settlement_ledger": settlementLedger,
  "2026_11_22_0008_finance": finance,
  "2026_11_22_0009_up_front_changes": upFrontChanges,
  "2026_11_22_0010_user_locale": userLocale,
  "2026_12_01_0011_email_locale": emailLocale,
  "2026_12_01_0012_campaign_language": campaignLanguage,
  "2026_12_02_0013_email_delivery": emailDelivery,
  "2026_12_02_0014_account_security": accountSecurity,
  "2026_12_02_0015_two_factor": twoFactor,
  "2026_12_03_0016_stored_markdown": storedMarkdown,
  "2026_12_04_0017_conversation": conversation,
  "2026_12_05_0018_fulfilment": fulfilment,
  "2026_12_05_0020_fulfilment_extra": fulfilmentExtra,
  "2026_12_06_0021_crowd": crowd,
  "2026_12_07_0022_add_ons": addOns,
  "2026_12_07_0023_stretch_goals": stretchGoals,
  "2026_12_07_0024_late_pledges": latePledges,
  "2026_12_08_0025_scheduled_reconciliation": scheduledReconciliation,
  "2026_12_09_0026_finance_alerts": financeAlerts,
  "2026_12_09_0027_reconciliation_queue": reconciliationQueue,
  "2026_12_09_0028_period_close": periodClose,
  "2026_12_09_0029_disputes": disputes,
  "2026_12_09_0030_payout_recoveries": payoutRecoveries,
  "2026_12_09_0031_refund_failures": refundFailures,
};
