import type { CurrencyCode, SettlementDecision } from "../../../db/schema.js";
import { formatMoney } from "../../domain/money";
import { formatDate } from "../../domain/time";
import type { OutgoingEmail } from "../../models/outbox.server";

// The emails settlement sends. Each is queued in the same transaction as the pledge or campaign
// change it reports, with a dedupe key, so a retried or resumed step never sends twice.

export interface NoticePledge {
  pledgeId: string;
  backerId: string;
  backerEmail: string;
  backerName: string;
  amount: number;
  currency: CurrencyCode;
  campaignTitle: string;
}

/** The notice of a pledge row read with its backer (the campaign gives its title). */
export const noticeOf = (
  campaign: { title: string },
  row: { id: string; amount: number; currency: CurrencyCode; backer_id: string; email: string; name: string },
): NoticePledge => ({
  pledgeId: row.id,
  backerId: row.backer_id,
  backerEmail: row.email,
  backerName: row.name,
  amount: row.amount,
  currency: row.currency,
  campaignTitle: campaign.title,
});

const to = (p: NoticePledge) => ({ toEmail: p.backerEmail, toUserId: p.backerId });
const money = (p: NoticePledge) => formatMoney(p.amount, p.currency);

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
    subject: `${p.campaignTitle} is funded`,
    bodyText:
      `Hi ${p.backerName},\n\nGood news: ${p.campaignTitle} reached its goal and is funded.\n\n` +
      (charged
        ? `Your card was charged ${money(p)} for your pledge.\n`
        : `Your payment of ${money(p)} is now final.\n`) +
      `\nYour pledge: ${appUrl}/me/pledges/${p.pledgeId}\n`,
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
    subject:
      attempt === 1
        ? `Action needed: your payment to ${p.campaignTitle} failed`
        : `Your payment to ${p.campaignTitle} is still failing`,
    bodyText:
      `Hi ${p.backerName},\n\n${p.campaignTitle} is funded, but we could not charge ${money(p)} for your pledge.\n` +
      `Your bank said: ${reason}\n\n` +
      `Fix your payment here (you can use another card): ${fixPaymentUrl(appUrl, p.pledgeId)}\n` +
      (graceEndsAt
        ? `\nWe will try your card again automatically. If the payment is not completed by ${formatDate(graceEndsAt)}, your pledge is cancelled and your reward released.\n`
        : ""),
  };
}

/** A pledge that had failed is now paid (fix-payment page, an automatic retry, or finance). */
export function paymentFixedNotice(p: NoticePledge, { appUrl }: { appUrl: string }): OutgoingEmail {
  return {
    ...to(p),
    kind: "payment_fixed",
    dedupeKey: `payment-fixed-${p.pledgeId}`,
    subject: `Payment received for ${p.campaignTitle}`,
    bodyText: `Hi ${p.backerName},\n\nThank you: your payment of ${money(p)} for ${p.campaignTitle} went through. Your pledge is complete.\n\nYour pledge: ${appUrl}/me/pledges/${p.pledgeId}\n`,
  };
}

export function pledgeDroppedNotice(p: NoticePledge, { appUrl }: { appUrl: string }): OutgoingEmail {
  return {
    ...to(p),
    kind: "pledge_dropped",
    dedupeKey: `pledge-dropped-${p.pledgeId}`,
    subject: `Your pledge to ${p.campaignTitle} was cancelled`,
    bodyText:
      `Hi ${p.backerName},\n\nWe could not collect ${money(p)} for your pledge to ${p.campaignTitle} before the payment grace period ended, ` +
      `so the pledge is cancelled and its reward released. You were not charged.\n\nYour pledge: ${appUrl}/me/pledges/${p.pledgeId}\n`,
  };
}

/** Not funded or cancelled, card saved for the deadline: nothing was ever charged. */
export function releasedNotice(
  p: NoticePledge,
  { appUrl, decision }: { appUrl: string; decision: SettlementDecision },
): OutgoingEmail {
  const cancelled = decision === "cancelled";
  return {
    ...to(p),
    kind: cancelled ? "campaign_cancelled" : "settlement_unfunded",
    dedupeKey: `settlement-released-${p.pledgeId}`,
    subject: cancelled ? `${p.campaignTitle} was cancelled` : `${p.campaignTitle} did not reach its goal`,
    bodyText:
      `Hi ${p.backerName},\n\n` +
      (cancelled
        ? `${p.campaignTitle} was cancelled by its creator.`
        : `${p.campaignTitle} did not reach its funding goal.`) +
      ` Your pledge of ${money(p)} is released and your card was not charged.\n\nYour pledge: ${appUrl}/me/pledges/${p.pledgeId}\n`,
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
    subject: `Refund issued: ${p.campaignTitle}`,
    bodyText:
      `Hi ${p.backerName},\n\n` +
      (decision === "cancelled"
        ? `${p.campaignTitle} was cancelled by its creator.`
        : `${p.campaignTitle} did not reach its funding goal.`) +
      ` We refunded your payment of ${money(p)}; it usually shows on your statement within 5-10 business days.\n\nYour pledge: ${appUrl}/me/pledges/${p.pledgeId}\n`,
  };
}

export interface NoticeCreator {
  campaignId: string;
  creatorId: string;
  creatorEmail: string;
  creatorName: string;
  campaignTitle: string;
  currency: CurrencyCode;
}

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
  const amount = formatMoney(pledged, c.currency);
  const body =
    decision === "funded"
      ? `${c.campaignTitle} is funded: ${backers} backer${backers === 1 ? "" : "s"} pledged ${amount}. We are collecting the payments now` +
        (graceEndsAt ? `; backers whose payment fails have until ${formatDate(graceEndsAt)} to fix it.` : ".")
      : decision === "unfunded"
        ? `${c.campaignTitle} did not reach its goal (${amount} pledged by ${backers} backer${backers === 1 ? "" : "s"}). No backer is charged; any up-front payments are refunded.`
        : `${c.campaignTitle} is cancelled. No backer is charged; any up-front payments are refunded.`;
  return {
    toEmail: c.creatorEmail,
    toUserId: c.creatorId,
    kind: `creator_${decision}`,
    dedupeKey: `settlement-decided-${c.campaignId}`,
    subject:
      decision === "funded"
        ? `${c.campaignTitle} is funded`
        : decision === "unfunded"
          ? `${c.campaignTitle} was not funded`
          : `${c.campaignTitle} is cancelled`,
    bodyText: `Hi ${c.creatorName},\n\n${body}\n\nYour campaign: ${appUrl}/creator\n`,
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
    subject: `${c.campaignTitle}: payments collected`,
    bodyText:
      `Hi ${c.creatorName},\n\nSettlement of ${c.campaignTitle} is complete: ${formatMoney(collected, c.currency)} collected from ${collectedCount} backer${collectedCount === 1 ? "" : "s"}` +
      (dropped > 0
        ? `; ${dropped} pledge${dropped === 1 ? "" : "s"} could not be collected and ${dropped === 1 ? "was" : "were"} dropped`
        : "") +
      `.\nOur finance team prepares your payout next.\n\nYour campaign: ${appUrl}/creator\n`,
  };
}
