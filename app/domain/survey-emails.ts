import { action, blocks, type EmailContent } from "./emails";
import type { Locale, Translate } from "./locale";
import { formatDate } from "./time";

// The survey's emails to a backer: the invitation when the creator sends it (or when a late
// backer of an up-front campaign is owed it), and the reminders 3 and 7 days later to those who
// have not answered. The caller queues them with a dedupe key per survey, pledge and email.

export interface SurveyEmail {
  backerName: string;
  campaignTitle: string;
  lockAt: Date;
  surveyUrl: string;
}

export function surveyInvitationEmail(t: Translate, locale: Locale, d: SurveyEmail): EmailContent {
  const values = { campaign: d.campaignTitle, date: formatDate(d.lockAt, "UTC", locale) };
  return {
    locale,
    subject: t("surveys:email.invitation.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("surveys:email.invitation.body", values),
      action(t("surveys:email.answer"), d.surveyUrl),
      t("surveys:email.lock", values),
    ),
  };
}

export function surveyReminderEmail(t: Translate, locale: Locale, d: SurveyEmail & { number: 1 | 2 }): EmailContent {
  const values = { campaign: d.campaignTitle, date: formatDate(d.lockAt, "UTC", locale) };
  return {
    locale,
    subject: t(d.number === 1 ? "surveys:email.reminder.subject" : "surveys:email.reminder.lastSubject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.backerName }),
      t("surveys:email.reminder.body", values),
      action(t("surveys:email.answer"), d.surveyUrl),
      t("surveys:email.lock", values),
    ),
  };
}
