// Money after a payout: transfers that wait or are refused, refunds recovered from the creator,
// and what the creator owes.
export const recovery = {
  payout: {
    waitingForFunds:
      "Approved. The campaign's funds are not available at Stripe yet, so the transfer waits and is retried automatically.",
    refused: "Stripe refused the transfer: {{message}} The payout is marked failed; fix the cause and retry it.",
    waitingNote: "Waiting for funds at Stripe; retried automatically after {{when}}.",
    failedNote: "Stripe refused the transfer: {{message}}",
  },
  refund: {
    afterPayout:
      "This pledge's money was paid out to the creator. A refund is taken back from the creator's transfer; what Stripe cannot take back is owed by the creator and netted from their next payout.",
    recovered: "{{amount}} taken back from the creator's transfer ({{reversal}}).",
    owed: "{{amount}} could not be taken back from the creator's transfer: the creator owes it.",
    pending: "Taking the refund back from the creator's transfer; this finishes in a moment.",
  },
  statement: {
    title: "After the payout",
    lead: "Money that moved after the statement was frozen.",
    refunded: "Refunded after the payout",
    recovered: "Taken back from the creator",
    netted: "Netted from a later payout",
    owed: "Owed by the creator",
    none: "Nothing moved after the payout.",
    recoveriesTitle: "Recoveries",
    columns: { refund: "Refund", amount: "Amount", recovered: "Recovered", status: "Status", when: "When" },
    status: {
      pending: "in progress",
      reversed: "taken back",
      owed: "owed",
      netted: "netted",
      cancelled: "cancelled (the refund failed)",
    },
  },
  plan: {
    credited:
      "Plus {{amount}} still owed to the creator after an earlier payout (a refund that failed after it was taken back).",
    recoveryPending: "A refund is being taken back from this creator's earlier transfer; wait a moment.",
    netted: "Less {{amount}} the creator owes from refunds after earlier payouts.",
  },
};
