import { action, blocks, type EmailContent } from "./emails";
import type { Locale, Translate } from "./locale";
import { formatDate } from "./time";

// The emails a campaign review sends its creator, in the shape of app/domain/emails.ts: the
// recipient language's translate function, that language, the facts; subject and blocks back.

interface ReviewFacts {
  creatorName: string;
  campaignTitle: string;
  /** Where the creator acts next: the live campaign's dashboard, or the launch checklist. */
  url: string;
}

/** The campaign passed review and is live. */
export function reviewApprovedEmail(
  t: Translate,
  locale: Locale,
  d: ReviewFacts & { deadline: Date; note: string },
): EmailContent {
  const values = { campaign: d.campaignTitle, date: formatDate(d.deadline, "UTC", locale) };
  return {
    locale,
    subject: t("moderation:email.approved.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.creatorName }),
      t("moderation:email.approved.body", values),
      d.note && t("moderation:email.noteFromModerator", { note: d.note }),
      action(t("moderation:email.approved.action"), d.url),
    ),
  };
}

/** A moderator asked for changes before the campaign can launch. */
export function changesRequestedEmail(t: Translate, locale: Locale, d: ReviewFacts & { note: string }): EmailContent {
  const values = { campaign: d.campaignTitle };
  return {
    locale,
    subject: t("moderation:email.changes.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.creatorName }),
      t("moderation:email.changes.body", values),
      t("moderation:email.noteFromModerator", { note: d.note }),
      t("moderation:email.changes.next"),
      action(t("moderation:email.changes.action"), d.url),
    ),
  };
}
