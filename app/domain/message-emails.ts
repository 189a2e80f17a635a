import { action, blocks, type EmailContent } from "./emails";
import type { Locale, Translate } from "./locale";

// The email a new private message sends to the other side of the thread. One per thread until
// its recipient reads it (the caller's dedupe key carries their read mark), so a lively
// conversation does not fill an inbox: it says so, and how to stop these emails.

export interface NewMessageEmail {
  recipientName: string;
  senderName: string;
  campaignTitle: string;
  subject: string;
  /** The message as plain text. */
  text: string;
  threadUrl: string;
  unsubscribeUrl: string;
}

export function newMessageEmail(t: Translate, locale: Locale, d: NewMessageEmail): EmailContent {
  const values = { sender: d.senderName, campaign: d.campaignTitle, subject: d.subject };
  return {
    locale,
    subject: t("messages:email.subject", values),
    blocks: blocks(
      t("emails:greeting", { name: d.recipientName }),
      t("messages:email.wrote", values),
      d.text,
      action(t("messages:email.reply"), d.threadUrl),
      t("messages:email.coalesced"),
      action(t("messages:email.unsubscribe"), d.unsubscribeUrl),
    ),
  };
}
