import { action, blocks, type EmailContent } from "./emails";
import type { Locale, Translate } from "./locale";
import { formatDate } from "./time";

// The emails of fulfilment, in the shape of app/domain/emails.ts: to the backer when the reward
// ships (with its tracking link), when a digital reward is sent (with the link or key) and when
// the creator answers a problem; to the creator when a backer reports one. All transactional.

interface ToBacker {
  backerName: string;
  campaignTitle: string;
  pledgeUrl: string;
}

export function rewardShippedEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { carrier: string; trackingNumber: string; trackingUrl: string | null; shippedAt: Date },
): EmailContent {
  const values = {
    campaign: d.campaignTitle,
    carrier: d.carrier,
    tracking: d.trackingNumber,
    date: formatDate(d.shippedAt, "UTC", locale),
  };
  return {
    locale,
    subject: t("fulfilment:email.shipped.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("fulfilment:email.shipped.body", values),
      d.trackingUrl && action(t("fulfilment:email.shipped.track"), d.trackingUrl),
      t("fulfilment:email.shipped.confirm"),
      action(t("fulfilment:email.openPledge"), d.pledgeUrl),
    ),
  };
}

export function digitalRewardEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { kind: "link" | "key"; value: string },
): EmailContent {
  const values = { campaign: d.campaignTitle };
  return {
    locale,
    subject: t("fulfilment:email.digital.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("fulfilment:email.digital.body", values),
      d.kind === "link"
        ? action(t("fulfilment:email.digital.download"), d.value)
        : t("fulfilment:email.digital.key", { key: d.value }),
      action(t("fulfilment:email.openPledge"), d.pledgeUrl),
    ),
  };
}

export function problemAnsweredEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { answer: string; outcome: "answer" | "replacement" | "resolved" },
): EmailContent {
  const values = { campaign: d.campaignTitle };
  return {
    locale,
    subject: t("fulfilment:email.answered.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("fulfilment:email.answered.body", values),
      d.answer,
      d.outcome === "replacement" && t("fulfilment:email.answered.replacement"),
      d.outcome === "resolved" && t("fulfilment:email.answered.resolved"),
      action(t("fulfilment:email.openPledge"), d.pledgeUrl),
    ),
  };
}

export function problemReportedEmail(
  t: Translate,
  locale: Locale,
  d: {
    creatorName: string;
    backerName: string;
    campaignTitle: string;
    kindLabel: string;
    note: string;
    tableUrl: string;
  },
): EmailContent {
  const values = { campaign: d.campaignTitle, name: d.backerName, kind: d.kindLabel };
  return {
    locale,
    subject: t("fulfilment:email.problem.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.creatorName }),
      t("fulfilment:email.problem.body", values),
      d.note,
      action(t("fulfilment:email.problem.action"), d.tableUrl),
    ),
  };
}
