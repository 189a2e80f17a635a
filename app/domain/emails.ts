import type { CurrencyCode, SettlementDecision } from "../../db/schema.js";
import { DEFAULT_LOCALE, isLocale, type Locale, type Translate } from "./locale";
import { formatMoney } from "./money";
import { formatDate } from "./time";

// The words of every email Colecta sends: one function per kind of email, each taking the
// recipient language's translate function, that language (for money and dates) and the facts,
// and returning the subject and the content once, as blocks (paragraphs and call-to-action
// links); app/domain/email-render.tsx turns them into the text part and the HTML part. Pure: the
// caller queues the result, with its recipient, kind and dedupe key, in the transaction that
// caused it.

/** A paragraph, or a call to action: a button in HTML, `label: url` in text. */
export type EmailBlock = { kind: "text"; text: string } | { kind: "action"; label: string; url: string };

export interface EmailContent {
  subject: string;
  blocks: EmailBlock[];
  /** The language the text is written in, recorded with the email (and the HTML's `lang`). */
  locale: Locale;
}

/**
 * The language to write to someone in: their saved preference, else the language of the request
 * that caused the email (a backer's own action), else English.
 */
export function recipientLocale(saved: string | null | undefined, requestLocale?: Locale | null): Locale {
  if (isLocale(saved)) return saved;
  return requestLocale ?? DEFAULT_LOCALE;
}

/** An email's blocks in order; a string is a paragraph, a `false` or missing part is left out. */
export function blocks(...parts: Array<string | EmailBlock | false | null | undefined>): EmailBlock[] {
  return parts.flatMap((p) => (typeof p === "string" ? [{ kind: "text" as const, text: p }] : p ? [p] : []));
}

/** A call to action: relative URLs are made absolute (APP_URL) when the email is rendered. */
export const action = (label: string, url: string): EmailBlock => ({ kind: "action", label, url });

const money = (amount: number, currency: CurrencyCode, locale: Locale) => formatMoney(amount, currency, { locale });
const date = (value: Date, locale: Locale) => formatDate(value, "UTC", locale);

interface ToBacker {
  backerName: string;
  campaignTitle: string;
}

/** What most emails about a pledge interpolate: the campaign's title and the amount, formatted. */
const pledgeValues = (d: { campaignTitle: string; amount: number; currency: CurrencyCode }, locale: Locale) => ({
  campaign: d.campaignTitle,
  amount: money(d.amount, d.currency, locale),
});

// --- Pledges (checkout, changes, cancellation, refunds) ---------------------------------------

export function pledgeConfirmedEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & {
    amount: number;
    currency: CurrencyCode;
    atDeadline: boolean;
    /** A late pledge: the campaign is already funded and the card was charged now. */
    late?: boolean;
    manageUrl: string;
  },
): EmailContent {
  const values = pledgeValues(d, locale);
  return {
    locale,
    subject: t("emails:pledgeConfirmed.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:pledgeConfirmed.body", values),
      d.late
        ? t("emails:pledgeConfirmed.late")
        : d.atDeadline
          ? t("emails:pledgeConfirmed.atDeadline")
          : t("emails:pledgeConfirmed.immediate"),
      action(t("emails:managePledge"), d.manageUrl),
    ),
  };
}

/** A pledge changed before the deadline (card saved, or a cut of one paid up front). */
export function pledgeChangedEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & {
    amount: number;
    currency: CurrencyCode;
    rewardTitle: string | null;
    /** The difference being refunded, when the pledge was paid up front and lowered. */
    refunding: number | null;
    manageUrl: string;
  },
): EmailContent {
  const values = pledgeValues(d, locale);
  return {
    locale,
    subject: t("emails:pledgeChanged.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      d.rewardTitle === null
        ? t("emails:pledgeChanged.noReward", values)
        : t("emails:pledgeChanged.withReward", { ...values, reward: d.rewardTitle }),
      d.refunding !== null &&
        t("emails:pledgeChanged.refunding", { difference: money(d.refunding, d.currency, locale) }),
      action(t("emails:managePledge"), d.manageUrl),
    ),
  };
}

/** A raise of a pledge paid up front, applied once its difference was paid. */
export function pledgeRaisedEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { amount: number; difference: number; currency: CurrencyCode; manageUrl: string },
): EmailContent {
  const campaign = d.campaignTitle;
  return {
    locale,
    subject: t("emails:pledgeChanged.subject", { campaign }),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:pledgeChanged.raised", {
        campaign,
        amount: money(d.amount, d.currency, locale),
        difference: money(d.difference, d.currency, locale),
      }),
      action(t("emails:managePledge"), d.manageUrl),
    ),
  };
}

/** Why a paid raise could not be applied (its payment is refunded). */
export type RaiseRefusal =
  "inactive" | "ended" | "changedAgain" | "rewardUnavailable" | "soldOut" | "replaced" | "cancelled";

/** The reason in words; `translatorFor("en")` gives the English the history rows keep. */
export function raiseRefusalText(t: Translate, reason: RaiseRefusal): string {
  switch (reason) {
    case "inactive":
      return t("emails:changeRefused.reasons.inactive");
    case "ended":
      return t("emails:changeRefused.reasons.ended");
    case "changedAgain":
      return t("emails:changeRefused.reasons.changedAgain");
    case "rewardUnavailable":
      return t("emails:changeRefused.reasons.rewardUnavailable");
    case "soldOut":
      return t("emails:changeRefused.reasons.soldOut");
    case "replaced":
      return t("emails:changeRefused.reasons.replaced");
    case "cancelled":
      return t("emails:changeRefused.reasons.cancelled");
  }
}

export function changeRefusedEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { paid: number; amount: number; currency: CurrencyCode; reason: RaiseRefusal; manageUrl: string },
): EmailContent {
  const campaign = d.campaignTitle;
  return {
    locale,
    subject: t("emails:changeRefused.subject", { campaign }),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:changeRefused.body", {
        campaign,
        paid: money(d.paid, d.currency, locale),
        reason: raiseRefusalText(t, d.reason),
      }),
      t("emails:changeRefused.refunding", { amount: money(d.amount, d.currency, locale) }),
      action(t("emails:managePledge"), d.manageUrl),
    ),
  };
}

export function pledgeCancelledEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { amount: number; refunded: number; currency: CurrencyCode },
): EmailContent {
  const values = {
    campaign: d.campaignTitle,
    amount: money(d.amount, d.currency, locale),
    refunded: money(d.refunded, d.currency, locale),
  };
  return {
    locale,
    subject: t("emails:pledgeCancelled.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      d.refunded > 0 ? t("emails:pledgeCancelled.refunding", values) : t("emails:pledgeCancelled.notCharged", values),
    ),
  };
}

/** A refund finance issued (or a backer's cancellation refund, once Stripe confirmed it). */
export function refundIssuedEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { amount: number; currency: CurrencyCode; reference: string },
): EmailContent {
  const values = pledgeValues(d, locale);
  return {
    locale,
    subject: t("emails:refundIssued.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:refundIssued.body", values),
      t("emails:refundIssued.reference", { id: d.reference }),
      t("emails:signature"),
    ),
  };
}

/** A refund Stripe accepted and later failed: the money did not reach the backer; finance will be in touch. */
export function refundFailedEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { amount: number; currency: CurrencyCode; reference: string },
): EmailContent {
  const values = pledgeValues(d, locale);
  return {
    locale,
    subject: t("emails:refundFailed.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:refundFailed.body", values),
      t("emails:refundFailed.reference", { id: d.reference }),
      t("emails:signature"),
    ),
  };
}

// --- Campaign updates -------------------------------------------------------------------------

export function campaignUpdateEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & { title: string; text: string; forBackers: boolean; url: string },
): EmailContent {
  const values = { campaign: d.campaignTitle, title: d.title };
  return {
    locale,
    subject: t("emails:campaignUpdate.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      d.forBackers ? t("emails:campaignUpdate.postedForBackers", values) : t("emails:campaignUpdate.posted", values),
      d.text,
      action(t("emails:campaignUpdate.readIt"), d.url),
    ),
  };
}

// --- Settlement -------------------------------------------------------------------------------

interface SettlementBacker extends ToBacker {
  amount: number;
  currency: CurrencyCode;
  pledgeUrl: string;
}

/** Funded: the card was charged at the deadline, or the up-front payment is kept. */
export function fundedEmail(t: Translate, locale: Locale, d: SettlementBacker & { charged: boolean }): EmailContent {
  const values = pledgeValues(d, locale);
  return {
    locale,
    subject: t("emails:funded.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:funded.goodNews", values),
      d.charged ? t("emails:funded.charged", values) : t("emails:funded.final", values),
      action(t("emails:yourPledge"), d.pledgeUrl),
    ),
  };
}

export function paymentFailedEmail(
  t: Translate,
  locale: Locale,
  d: ToBacker & {
    amount: number;
    currency: CurrencyCode;
    attempt: number;
    reason: string;
    graceEndsAt: Date | null;
    fixUrl: string;
  },
): EmailContent {
  const values = { campaign: d.campaignTitle, amount: money(d.amount, d.currency, locale), reason: d.reason };
  return {
    locale,
    subject:
      d.attempt === 1 ? t("emails:paymentFailed.subjectFirst", values) : t("emails:paymentFailed.subjectAgain", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:paymentFailed.body", values),
      action(t("emails:paymentFailed.fix"), d.fixUrl),
      d.graceEndsAt && t("emails:paymentFailed.retry", { date: date(d.graceEndsAt, locale) }),
    ),
  };
}

export function paymentFixedEmail(t: Translate, locale: Locale, d: SettlementBacker): EmailContent {
  const values = pledgeValues(d, locale);
  return {
    locale,
    subject: t("emails:paymentFixed.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:paymentFixed.body", values),
      action(t("emails:yourPledge"), d.pledgeUrl),
    ),
  };
}

export function pledgeDroppedEmail(t: Translate, locale: Locale, d: SettlementBacker): EmailContent {
  const values = pledgeValues(d, locale);
  return {
    locale,
    subject: t("emails:pledgeDropped.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("emails:pledgeDropped.body", values),
      action(t("emails:yourPledge"), d.pledgeUrl),
    ),
  };
}

/** Not funded or cancelled, card saved for the deadline: nothing was ever charged. */
export function releasedEmail(
  t: Translate,
  locale: Locale,
  d: SettlementBacker & { decision: SettlementDecision },
): EmailContent {
  const values = pledgeValues(d, locale);
  const cancelled = d.decision === "cancelled";
  return {
    locale,
    subject: cancelled ? t("emails:released.subjectCancelled", values) : t("emails:released.subjectUnfunded", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      cancelled ? t("emails:released.bodyCancelled", values) : t("emails:released.bodyUnfunded", values),
      action(t("emails:yourPledge"), d.pledgeUrl),
    ),
  };
}

/** Not funded or cancelled, paid up front: the payment is refunded. */
export function settlementRefundEmail(
  t: Translate,
  locale: Locale,
  d: SettlementBacker & { decision: SettlementDecision },
): EmailContent {
  const values = pledgeValues(d, locale);
  return {
    locale,
    subject: t("emails:settlementRefund.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      d.decision === "cancelled"
        ? t("emails:settlementRefund.bodyCancelled", values)
        : t("emails:settlementRefund.bodyUnfunded", values),
      action(t("emails:yourPledge"), d.pledgeUrl),
    ),
  };
}

interface ToCreator {
  creatorName: string;
  campaignTitle: string;
  currency: CurrencyCode;
  campaignUrl: string;
}

/** To the creator when the outcome is decided at the deadline (or on cancellation). */
export function creatorDecisionEmail(
  t: Translate,
  locale: Locale,
  d: ToCreator & { decision: SettlementDecision; pledged: number; backers: number; graceEndsAt: Date | null },
): EmailContent {
  const values = { campaign: d.campaignTitle, amount: money(d.pledged, d.currency, locale), count: d.backers };
  const body =
    d.decision === "funded"
      ? d.graceEndsAt
        ? t("emails:creatorDecision.fundedGrace", { ...values, date: date(d.graceEndsAt, locale) })
        : t("emails:creatorDecision.funded", values)
      : d.decision === "unfunded"
        ? t("emails:creatorDecision.unfunded", values)
        : t("emails:creatorDecision.cancelled", values);
  return {
    locale,
    subject:
      d.decision === "funded"
        ? t("emails:creatorDecision.subjectFunded", values)
        : d.decision === "unfunded"
          ? t("emails:creatorDecision.subjectUnfunded", values)
          : t("emails:creatorDecision.subjectCancelled", values),
    blocks: blocks(
      t("emails:greeting", { name: d.creatorName }),
      body,
      action(t("emails:yourCampaign"), d.campaignUrl),
    ),
  };
}

/** To the creator when a funded campaign's settlement closes: what was collected. */
export function creatorClosedEmail(
  t: Translate,
  locale: Locale,
  d: ToCreator & { collected: number; collectedCount: number; dropped: number },
): EmailContent {
  const values = {
    campaign: d.campaignTitle,
    amount: money(d.collected, d.currency, locale),
    backers: t("emails:creatorClosed.backers", { count: d.collectedCount }),
  };
  const summary =
    d.dropped > 0
      ? t("emails:creatorClosed.completeDropped", { ...values, count: d.dropped })
      : t("emails:creatorClosed.complete", values);
  return {
    locale,
    subject: t("emails:creatorClosed.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.creatorName }),
      `${summary}\n${t("emails:creatorClosed.payoutNext")}`,
      action(t("emails:yourCampaign"), d.campaignUrl),
    ),
  };
}
