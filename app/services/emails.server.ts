import { renderEmail, type RenderedEmail } from "../domain/email-render";
import type { EmailContent } from "../domain/emails";
import type { Locale, Translate } from "../domain/locale";
import { getConfig } from "../config.server";
import { translatorFor } from "../i18n";

// Writes an email in a language: the builders of app/domain/emails.ts take a translate function
// (the domain knows no i18next); this hands them the one of the recipient's language and
// renders the result as text + HTML with links absolute to APP_URL.

export function writeEmail<D>(
  build: (t: Translate, locale: Locale, data: D) => EmailContent,
  locale: Locale,
  data: D,
): RenderedEmail {
  return renderEmail(build(translatorFor(locale), locale, data), getConfig().appUrl);
}
