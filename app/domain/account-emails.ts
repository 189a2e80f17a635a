import { paragraphs, type EmailText } from "./emails";
import type { Locale, Translate } from "./locale";

// The account's own emails (all transactional: always sent): the address check, the password
// reset link, the confirmation of a new address, and the notice to the old one. Same shape as
// app/domain/emails.ts: (t, locale, facts) -> subject and plain text; links arrive absolute.

interface ToPerson {
  name: string;
}

export function verifyEmailEmail(t: Translate, locale: Locale, d: ToPerson & { url: string }): EmailText {
  return {
    locale,
    subject: t("account:email.verify.subject"),
    bodyText:
      paragraphs(
        t("emails:greeting", { name: d.name }),
        t("account:email.verify.body"),
        d.url,
        t("account:email.verify.expires"),
        t("account:email.notYou"),
        t("emails:signature"),
      ) + "\n",
  };
}

export function passwordResetEmail(t: Translate, locale: Locale, d: ToPerson & { url: string }): EmailText {
  return {
    locale,
    subject: t("account:email.reset.subject"),
    bodyText:
      paragraphs(
        t("emails:greeting", { name: d.name }),
        t("account:email.reset.body"),
        d.url,
        t("account:email.reset.expires"),
        t("account:email.reset.notYou"),
        t("emails:signature"),
      ) + "\n",
  };
}

/** To the NEW address: the click proves it and makes the change. */
export function emailChangeConfirmEmail(
  t: Translate,
  locale: Locale,
  d: ToPerson & { url: string; newEmail: string },
): EmailText {
  return {
    locale,
    subject: t("account:email.change.subject"),
    bodyText:
      paragraphs(
        t("emails:greeting", { name: d.name }),
        t("account:email.change.body", { email: d.newEmail }),
        d.url,
        t("account:email.change.expires"),
        t("account:email.notYou"),
        t("emails:signature"),
      ) + "\n",
  };
}

/** To the OLD address, once the change is made: the owner learns of it even if someone else did it. */
export function emailChangedNoticeEmail(
  t: Translate,
  locale: Locale,
  d: ToPerson & { newEmail: string; resetUrl: string },
): EmailText {
  return {
    locale,
    subject: t("account:email.changed.subject"),
    bodyText:
      paragraphs(
        t("emails:greeting", { name: d.name }),
        t("account:email.changed.body", { email: d.newEmail }),
        t("account:email.changed.notYou", { url: d.resetUrl }),
        t("emails:signature"),
      ) + "\n",
  };
}
