// Finance alerts: what each kind says on the desk and in the email to finance staff.
export const alerts = {
  title: "Alerts",
  intro:
    "Money that needs a person. An alert closes by itself when the problem goes away, or when you resolve it with a note.",
  empty: "No open alerts.",
  severity: { info: "info", warning: "warning", critical: "critical" },
  columns: { raised: "Raised", resolved: "Resolved", alert: "Alert", about: "About", action: "Note" },
  resolve: "Resolve",
  resolveNote: "Note (what was done)",
  resolved: "Alert resolved.",
  resolvedList: "Recently resolved",
  resolvedBy: "Resolved {{when}} by {{who}}: {{note}}",
  resolvedAuto: "Resolved {{when}} by the system: {{note}}",
  openCount_one: "{{count}} open alert",
  openCount_other: "{{count}} open alerts",
  viewAll: "See all alerts",
  notFound: "That alert does not exist or is already resolved.",
  email: {
    subject: "Finance alert: {{title}}",
    intro: "The finance desk has a new alert:",
    action: "Open the alerts",
  },
  kinds: {
    refund_failed: {
      title: "Refund failed at Stripe",
      body: "Stripe failed refund {{reference}} of {{amount}} after accepting it. It was booked back and the pledge can be refunded again.",
    },
    settlement_refund_refused: {
      title: "Settlement refund refused",
      body: "Stripe refused the settlement's refund of {{amount}}: {{message}} Retry it from the pledge's page.",
    },
    transfer_failed: {
      title: "Payout transfer refused",
      body: "Stripe refused the transfer of {{amount}} to the creator: {{message}} The payout is failed; retry it from the campaign's statement.",
    },
    payout_waiting_for_funds: {
      title: "Payout waiting for funds",
      body: "The transfer of {{amount}} waits until Stripe makes the campaign's funds available. It is retried automatically.",
    },
    recovery_failed: {
      title: "Refund not recovered from the creator",
      body: "{{amount}} refunded after the payout could not be taken back from the creator's transfer ({{message}}). The creator owes it; it is netted from their next payout.",
    },
    dispute_opened: {
      title: "Charge disputed",
      body: "A backer's bank disputed {{amount}} ({{reference}}). Evidence is due by {{until}}.",
    },
    dispute_evidence_due: {
      title: "Dispute evidence due soon",
      body: "Evidence for dispute {{reference}} ({{amount}}) is due by {{until}} and none was submitted.",
    },
    dispute_won: {
      title: "Dispute won",
      body: "Dispute {{reference}} was won: {{amount}} came back and was booked.",
    },
    dispute_lost: {
      title: "Dispute lost",
      body: "Dispute {{reference}} was lost: {{amount}} is gone for good.",
    },
    reconciliation_mismatch: {
      title: "Reconciliation found a difference",
      body: "{{message}}",
    },
  },
};
