// English, emails namespace: every email Colecta sends (subject lines and paragraphs). The
// builders in app/domain/emails.ts join the paragraphs; money and dates arrive formatted.

export const emails = {
  // What Stripe's payment page shows of a pledge (line items, a saved card's purpose).
  checkout: {
    pledge: "Pledge to {{campaign}}",
    pledgeAtDeadline: "Pledge to {{campaign}}, charged at the deadline if funded",
    raise: "Raise of your pledge to {{campaign}} (new total {{amount}})",
  },
  greeting: "Hi {{name}},",
  yourPledge: "Your pledge",
  managePledge: "Manage your pledge",
  yourCampaign: "Your campaign",
  signature: "— Colecta",
  pledgeConfirmed: {
    subject: "You're backing {{campaign}}",
    body: "Thank you for backing {{campaign}}. Your pledge of {{amount}} is confirmed.",
    atDeadline: "Your card is saved with Stripe and will be charged only under the project's terms, at its deadline.",
    immediate: "Your payment went through; it is refunded automatically if the project does not reach its goal.",
    late: "The project is already funded, so your payment went through now. The creator will keep you posted on delivery.",
  },
  pledgeChanged: {
    subject: "Your pledge to {{campaign}} was changed",
    withReward: 'Your pledge to {{campaign}} is now {{amount}} for "{{reward}}".',
    noReward: "Your pledge to {{campaign}} is now {{amount}} (no reward).",
    refunding:
      "We are refunding the {{difference}} difference to the card you paid with; it usually appears within 5-10 business days.",
    raised:
      "Your pledge to {{campaign}} is now {{amount}}. We charged the {{difference}} difference to your card; like the rest of your pledge, it is refunded automatically if the project does not reach its goal.",
  },
  changeRefused: {
    subject: "Your change to your pledge to {{campaign}} could not be made",
    body: "You paid {{paid}} to raise your pledge to {{campaign}}, but the change could not be made: {{reason}}.",
    refunding:
      "We are refunding that payment in full; it usually appears on your statement within 5-10 business days. Your pledge stays at {{amount}}.",
    reasons: {
      inactive: "the pledge is no longer active",
      ended: "the campaign had already ended",
      changedAgain: "the pledge was changed again in the meantime",
      rewardUnavailable: "the reward is no longer available",
      soldOut: "the reward sold out in the meantime",
      replaced: "It was replaced by a newer change",
      cancelled: "The pledge was cancelled",
    },
  },
  pledgeCancelled: {
    subject: "Your pledge to {{campaign}} is cancelled",
    refunding:
      "Your pledge of {{amount}} to {{campaign}} is cancelled. We are refunding the {{refunded}} you paid; it usually appears within 5-10 business days.",
    notCharged: "Your pledge of {{amount}} to {{campaign}} is cancelled. Your card will not be charged.",
  },
  refundIssued: {
    subject: "Refund issued: {{amount}} for {{campaign}}",
    body: 'We have refunded {{amount}} of your pledge to "{{campaign}}" to the card you paid with. It usually appears on your statement within 5-10 business days.',
    reference: "Reference: {{id}}",
  },
  refundFailed: {
    subject: "Your refund of {{amount}} for {{campaign}} could not be completed",
    body: 'Your card\'s bank could not accept the refund of {{amount}} for your pledge to "{{campaign}}", so the money did not reach you. Nothing is lost: we will contact you to return it another way.',
    reference: "Reference: {{id}}",
  },
  campaignUpdate: {
    subject: "{{campaign}}: {{title}}",
    posted: "{{campaign}} posted an update: {{title}}",
    postedForBackers: "{{campaign}} posted an update for backers: {{title}}",
    readIt: "Read it on Colecta",
  },
  funded: {
    subject: "{{campaign}} is funded",
    goodNews: "Good news: {{campaign}} reached its goal and is funded.",
    charged: "Your card was charged {{amount}} for your pledge.",
    final: "Your payment of {{amount}} is now final.",
  },
  paymentFailed: {
    subjectFirst: "Action needed: your payment to {{campaign}} failed",
    subjectAgain: "Your payment to {{campaign}} is still failing",
    body: "{{campaign}} is funded, but we could not charge {{amount}} for your pledge.\nYour bank said: {{reason}}",
    fix: "Fix your payment here (you can use another card)",
    retry:
      "We will try your card again automatically. If the payment is not completed by {{date}}, your pledge is cancelled and your reward released.",
  },
  paymentFixed: {
    subject: "Payment received for {{campaign}}",
    body: "Thank you: your payment of {{amount}} for {{campaign}} went through. Your pledge is complete.",
  },
  pledgeDropped: {
    subject: "Your pledge to {{campaign}} was cancelled",
    body: "We could not collect {{amount}} for your pledge to {{campaign}} before the payment grace period ended, so the pledge is cancelled and its reward released. You were not charged.",
  },
  released: {
    subjectCancelled: "{{campaign}} was cancelled",
    subjectUnfunded: "{{campaign}} did not reach its goal",
    bodyCancelled:
      "{{campaign}} was cancelled by its creator. Your pledge of {{amount}} is released and your card was not charged.",
    bodyUnfunded:
      "{{campaign}} did not reach its funding goal. Your pledge of {{amount}} is released and your card was not charged.",
  },
  settlementRefund: {
    subject: "Refund issued: {{campaign}}",
    bodyCancelled:
      "{{campaign}} was cancelled by its creator. We refunded your payment of {{amount}}; it usually shows on your statement within 5-10 business days.",
    bodyUnfunded:
      "{{campaign}} did not reach its funding goal. We refunded your payment of {{amount}}; it usually shows on your statement within 5-10 business days.",
  },
  creatorDecision: {
    subjectFunded: "{{campaign}} is funded",
    subjectUnfunded: "{{campaign}} was not funded",
    subjectCancelled: "{{campaign}} is cancelled",
    funded_one: "{{campaign}} is funded: {{count}} backer pledged {{amount}}. We are collecting the payments now.",
    funded_other: "{{campaign}} is funded: {{count}} backers pledged {{amount}}. We are collecting the payments now.",
    fundedGrace_one:
      "{{campaign}} is funded: {{count}} backer pledged {{amount}}. We are collecting the payments now; backers whose payment fails have until {{date}} to fix it.",
    fundedGrace_other:
      "{{campaign}} is funded: {{count}} backers pledged {{amount}}. We are collecting the payments now; backers whose payment fails have until {{date}} to fix it.",
    unfunded_one:
      "{{campaign}} did not reach its goal ({{amount}} pledged by {{count}} backer). No backer is charged; any up-front payments are refunded.",
    unfunded_other:
      "{{campaign}} did not reach its goal ({{amount}} pledged by {{count}} backers). No backer is charged; any up-front payments are refunded.",
    cancelled: "{{campaign}} is cancelled. No backer is charged; any up-front payments are refunded.",
  },
  creatorClosed: {
    subject: "{{campaign}}: payments collected",
    backers_one: "{{count}} backer",
    backers_other: "{{count}} backers",
    complete: "Settlement of {{campaign}} is complete: {{amount}} collected from {{backers}}.",
    completeDropped_one:
      "Settlement of {{campaign}} is complete: {{amount}} collected from {{backers}}; {{count}} pledge could not be collected and was dropped.",
    completeDropped_other:
      "Settlement of {{campaign}} is complete: {{amount}} collected from {{backers}}; {{count}} pledges could not be collected and were dropped.",
    payoutNext: "Our finance team prepares your payout next.",
  },
};
