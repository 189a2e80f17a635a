import { action, blocks, type EmailContent } from "./emails";
import type { Locale, Translate } from "./locale";

// The account's own emails (all transactional: always sent): the address check, the password
// reset link, the confirmation of a new address, and the notice to the old one. Same shape as
// app/domain/emails.ts: (t, locale, facts) -> subject and blocks, rendered as text and HTML.

interface ToPerson {
  name: string;
}

export function verifyEmailEmail(t: Translate, locale: Locale, d: ToPerson & { url: string }): EmailContent {
  return {
    locale,
    subject: t("account:email.verify.subject"),
    blocks: blocks(
      t("emails:greeting", { name: d.name }),
      t("account:email.verify.body"),
      action(t("account:email.verify.action"), d.url),
      t("account:email.verify.expires"),
      t("account:email.notYou"),
      t("emails:signature"),
    ),
  };
}

export function passwordResetEmail(t: Translate, locale: Locale, d: ToPerson & { url: string }): EmailContent {
  return {
    locale,
    subject: t("account:email.reset.subject"),
    blocks: blocks(
      t("emails:greeting", { name: d.name }),
      t("account:email.reset.body"),
      action(t("account:email.reset.action"), d.url),
      t("account:email.reset.expires"),
      t("account:email.reset.notYou"),
      t("emails:signature"),
    ),
  };
}

/** To the NEW address: the click proves it and makes the change. */
export function emailChangeConfirmEmail(
  t: Translate,
  locale: Locale,
  d: ToPerson & { url: string; newEmail: string },
): EmailContent {
  return {
    locale,
    subject: t("account:email.change.subject"),
    blocks: blocks(
      t("emails:greeting", { name: d.name }),
      t("account:email.change.body", { email: d.newEmail }),
      action(t("account:email.change.action"), d.url),
      t("account:email.change.expires"),
      t("account:email.notYou"),
      t("emails:signature"),
    ),
  };
}

/** To the OLD address, once the change is made: the owner learns of it even if someone else did it. */
export function emailChangedNoticeEmail(
  t: Translate,
  locale: Locale,
  d: ToPerson & { newEmail: string; resetUrl: string },
): EmailContent {
  return {
    locale,
    subject: t("account:email.changed.subject"),
    blocks: blocks(
      t("emails:greeting", { name: d.name }),
      t("account:email.changed.body", { email: d.newEmail }),
      t("account:email.changed.notYou"),
      action(t("account:email.changed.action"), d.resetUrl),
      t("emails:signature"),
    ),
  };
}
