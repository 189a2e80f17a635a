import { action, blocks, type EmailContent } from "./emails";
import type { Locale, Translate } from "./locale";

// The emails comments send, in the shape of app/domain/emails.ts: the recipient language's
// translate function, that language and the facts; subject and blocks back. Both are in the
// "comments" category, so they can be turned off and carry a one-click unsubscribe.

/** Someone replied to your comment. */
export function commentReplyEmail(
  t: Translate,
  locale: Locale,
  d: { recipientName: string; replierName: string; campaignTitle: string; text: string; url: string },
): EmailContent {
  const values = { name: d.replierName, campaign: d.campaignTitle };
  return {
    locale,
    subject: t("comments:email.reply.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.recipientName }),
      t("comments:email.reply.body", values),
      d.text,
      action(t("comments:email.reply.action"), d.url),
    ),
  };
}

export interface DigestComment {
  authorName: string;
  text: string;
}

/** The creator's daily digest of the comments others wrote on one campaign yesterday. */
export function commentDigestEmail(
  t: Translate,
  locale: Locale,
  d: { creatorName: string; campaignTitle: string; count: number; comments: DigestComment[]; url: string },
): EmailContent {
  const values = { campaign: d.campaignTitle, count: d.count };
  const shown = d.comments.slice(0, 5);
  return {
    locale,
    subject: t("comments:email.digest.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.creatorName }),
      t("comments:email.digest.body", values),
      ...shown.map((c) => t("comments:email.digest.line", { name: c.authorName, text: c.text })),
      d.count > shown.length && t("comments:email.digest.more", { count: d.count - shown.length }),
      action(t("comments:email.digest.action"), d.url),
    ),
  };
}
