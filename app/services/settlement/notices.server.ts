import type { CurrencyCode, SettlementDecision } from "../../../db/schema.js";
import {
  creatorClosedEmail,
  creatorDecisionEmail,
  fundedEmail,
  paymentFailedEmail,
  paymentFixedEmail,
  pledgeDroppedEmail,
  recipientLocale,
  releasedEmail,
  settlementRefundEmail,
} from "../../domain/emails";
import type { Locale } from "../../domain/locale";
import type { OutgoingEmail } from "../../models/outbox.server";
import { writeEmail } from "../emails.server";

// The emails settlement sends. Each is queued in the same transaction as the pledge or campaign
// change it reports, with a dedupe key, so a retried or resumed step never sends twice. No request
// causes them: each is written in the recipient's saved language (English when none is saved),
// with the words from app/domain/emails.ts.

export interface NoticePledge {
  pledgeId: string;
  backerId: string;
  backerEmail: string;
  backerName: string;
  /** The language to write to the backer in. */
  locale: Locale;
  amount: number;
  currency: CurrencyCode;
  campaignTitle: string;
}

/**
 * The notice of a pledge row read with its backer (the campaign gives its title). `requestLocale`
 * is the language of the backer's request behind the email, if one caused it (a fix-payment
 * page paid): used when the backer saved no preference.
 */
export const noticeOf = (
  campaign: { title: string },
  row: {
    id: string;
    amount: number;
    currency: CurrencyCode;
    backer_id: string;
    email: string;
    name: string;
    locale: string | null;
  },
  requestLocale?: Locale,
): NoticePledge => ({
  pledgeId: row.id,
  backerId: row.backer_id,
  backerEmail: row.email,
  backerName: row.name,
  locale: recipientLocale(row.locale, requestLocale),
  amount: row.amount,
  currency: row.currency,
  campaignTitle: campaign.title,
});

const to = (p: NoticePledge) => ({ toEmail: p.backerEmail, toUserId: p.backerId });
const backer = (p: NoticePledge, appUrl: string) => ({
  backerName: p.backerName,
  campaignTitle: p.campaignTitle,
  amount: p.amount,
  currency: p.currency,
  pledgeUrl: `${appUrl}/me/pledges/${p.pledgeId}`,
});

export const fixPaymentUrl = (appUrl: string, pledgeId: string) => `${appUrl}/pledges/${pledgeId}/fix`;

/** Funded: the card was charged at the deadline, or the up-front payment is kept. */
export function fundedNotice(
  p: NoticePledge,
  { appUrl, charged }: { appUrl: string; charged: boolean },
): OutgoingEmail {
  return {
    ...to(p),
    kind: "settlement_funded",
    dedupeKey: `settlement-funded-${p.pledgeId}`,
    ...writeEmail(fundedEmail, p.locale, { ...backer(p, appUrl), charged }),
  };
}

/** Funded, but the charge failed: the backer gets a link to fix it before the grace period ends. */
export function paymentFailedNotice(
  p: NoticePledge,
  {
    appUrl,
    attempt,
    reason,
    graceEndsAt,
  }: { appUrl: string; attempt: number; reason: string; graceEndsAt: Date | null },
): OutgoingEmail {
  return {
    ...to(p),
    kind: "payment_failed",
    dedupeKey: `payment-failed-${p.pledgeId}-${attempt}`,
    ...writeEmail(paymentFailedEmail, p.locale, {
      ...backer(p, appUrl),
      attempt,
      reason,
      graceEndsAt,
      fixUrl: fixPaymentUrl(appUrl, p.pledgeId),
    }),
  };
}

/** A pledge that had failed is now paid (fix-payment page, an automatic retry, or finance). */
export function paymentFixedNotice(p: NoticePledge, { appUrl }: { appUrl: string }): OutgoingEmail {
  return {
    ...to(p),
    kind: "payment_fixed",
    dedupeKey: `payment-fixed-${p.pledgeId}`,
    ...writeEmail(paymentFixedEmail, p.locale, backer(p, appUrl)),
  };
}

export function pledgeDroppedNotice(p: NoticePledge, { appUrl }: { appUrl: string }): OutgoingEmail {
  return {
    ...to(p),
    kind: "pledge_dropped",
    dedupeKey: `pledge-dropped-${p.pledgeId}`,
    ...writeEmail(pledgeDroppedEmail, p.locale, backer(p, appUrl)),
  };
}

/** Not funded or cancelled, card saved for the deadline: nothing was ever charged. */
export function releasedNotice(
  p: NoticePledge,
  { appUrl, decision }: { appUrl: string; decision: SettlementDecision },
): OutgoingEmail {
  return {
    ...to(p),
    kind: decision === "cancelled" ? "campaign_cancelled" : "settlement_unfunded",
    dedupeKey: `settlement-released-${p.pledgeId}`,
    ...writeEmail(releasedEmail, p.locale, { ...backer(p, appUrl), decision }),
  };
}

/** Not funded or cancelled, paid up front: the payment is refunded. */
export function refundIssuedNotice(
  p: NoticePledge,
  { appUrl, decision }: { appUrl: string; decision: SettlementDecision },
): OutgoingEmail {
  return {
    ...to(p),
    kind: "refund_issued",
    dedupeKey: `refund-issued-${p.pledgeId}-settlement`,
    ...writeEmail(settlementRefundEmail, p.locale, { ...backer(p, appUrl), decision }),
  };
}

export interface NoticeCreator {
  campaignId: string;
  creatorId: string;
  creatorEmail: string;
  creatorName: string;
  /** The language to write to the creator in. */
  locale: Locale;
  campaignTitle: string;
  currency: CurrencyCode;
}

const creator = (c: NoticeCreator, appUrl: string) => ({
  creatorName: c.creatorName,
  campaignTitle: c.campaignTitle,
  currency: c.currency,
  campaignUrl: `${appUrl}/creator`,
});

/** To the creator when the outcome is decided at the deadline (or on cancellation). */
export function creatorDecisionNotice(
  c: NoticeCreator,
  {
    decision,
    pledged,
    backers,
    graceEndsAt,
    appUrl,
  }: { decision: SettlementDecision; pledged: number; backers: number; graceEndsAt: Date | null; appUrl: string },
): OutgoingEmail {
  return {
    toEmail: c.creatorEmail,
    toUserId: c.creatorId,
    kind: `creator_${decision}`,
    dedupeKey: `settlement-decided-${c.campaignId}`,
    ...writeEmail(creatorDecisionEmail, c.locale, { ...creator(c, appUrl), decision, pledged, backers, graceEndsAt }),
  };
}

/** To the creator when a funded campaign's settlement closes: what was collected. */
export function creatorClosedNotice(
  c: NoticeCreator,
  {
    collected,
    collectedCount,
    dropped,
    appUrl,
  }: { collected: number; collectedCount: number; dropped: number; appUrl: string },
): OutgoingEmail {
  return {
    toEmail: c.creatorEmail,
    toUserId: c.creatorId,
    kind: "creator_settled",
    dedupeKey: `settlement-closed-${c.campaignId}`,
    ...writeEmail(creatorClosedEmail, c.locale, { ...creator(c, appUrl), collected, collectedCount, dropped }),
  };
}
