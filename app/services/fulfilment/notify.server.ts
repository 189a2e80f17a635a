import type { Db } from "../../../db/schema.js";
import { recipientLocale } from "../../domain/emails";
import {
  digitalRewardEmail,
  problemAnsweredEmail,
  problemReportedEmail,
  rewardShippedEmail,
} from "../../domain/fulfilment-emails";
import { isLocale } from "../../domain/locale";
import { translatorFor } from "../../i18n";
import { queueEmails } from "../../models/outbox.server";
import { writeEmail } from "../emails.server";

// Queues fulfilment emails in the caller's transaction (they go out only if the change commits),
// each with a dedupe key naming the fulfilment event that caused it, in the recipient's language
// (their saved one, else the campaign's).

interface Backer {
  backer_id: string;
  backer_name: string;
  backer_email: string;
  backer_locale: string | null;
  backer_deleted_at: Date | null;
  campaign_title: string;
  campaign_language: string;
  pledge_id: string;
}

const localeOf = (saved: string | null, campaignLanguage: string) =>
  recipientLocale(saved, isLocale(campaignLanguage) ? campaignLanguage : null);

async function toBacker(
  trx: Db,
  f: Backer,
  kind: string,
  dedupeKey: string,
  written: { subject: string; bodyText: string; bodyHtml: string; locale: "en" | "es" },
) {
  if (f.backer_deleted_at) return;
  await queueEmails(trx, [{ kind, toEmail: f.backer_email, toUserId: f.backer_id, dedupeKey, ...written }]);
}

const base = (f: Backer) => ({
  backerName: f.backer_name,
  campaignTitle: f.campaign_title,
  pledgeUrl: `/me/pledges/${f.pledge_id}`,
});

export async function queueShippedEmail(
  trx: Db,
  f: Backer,
  eventId: string,
  s: { carrier: string; trackingNumber: string; trackingUrl: string | null; shippedAt: Date },
) {
  const written = writeEmail(rewardShippedEmail, localeOf(f.backer_locale, f.campaign_language), { ...base(f), ...s });
  await toBacker(trx, f, "reward_shipped", `fulfilment-shipped:${eventId}`, written);
}

export async function queueDigitalEmail(
  trx: Db,
  f: Backer,
  eventId: string,
  d: { kind: "link" | "key"; value: string },
) {
  const written = writeEmail(digitalRewardEmail, localeOf(f.backer_locale, f.campaign_language), { ...base(f), ...d });
  await toBacker(trx, f, "reward_digital", `fulfilment-digital:${eventId}`, written);
}

export async function queueAnswerEmail(
  trx: Db,
  f: Backer,
  key: string,
  d: { answer: string; outcome: "answer" | "replacement" | "resolved" },
) {
  const written = writeEmail(problemAnsweredEmail, localeOf(f.backer_locale, f.campaign_language), {
    ...base(f),
    ...d,
  });
  await toBacker(trx, f, "reward_problem_answered", `fulfilment-answer:${key}`, written);
}

export async function queueProblemEmail(
  trx: Db,
  c: {
    creator_id: string;
    creator_name: string;
    creator_email: string;
    creator_locale: string | null;
    creator_deleted_at: Date | null;
    campaign_id: string;
    campaign_title: string;
    campaign_language: string;
    backer_name: string;
  },
  eventId: string,
  d: { kind: "not_received" | "damaged" | "other"; note: string },
) {
  if (c.creator_deleted_at) return;
  const locale = localeOf(c.creator_locale, c.campaign_language);
  const written = writeEmail(problemReportedEmail, locale, {
    creatorName: c.creator_name,
    backerName: c.backer_name,
    campaignTitle: c.campaign_title,
    kindLabel: translatorFor(locale)(`fulfilment:problemKind.${d.kind}`),
    note: d.note,
    tableUrl: `/creator/campaigns/${c.campaign_id}/fulfilment?status=problem`,
  });
  await queueEmails(trx, [
    {
      kind: "reward_problem_reported",
      toEmail: c.creator_email,
      toUserId: c.creator_id,
      dedupeKey: `fulfilment-problem:${eventId}`,
      ...written,
    },
  ]);
}
