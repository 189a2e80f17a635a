import type { EmailText } from "../domain/emails";
import type { Locale, Translate } from "../domain/locale";
import { translatorFor } from "../i18n";

// Writes an email in a language: the builders of app/domain/emails.ts take a translate function
// (the domain knows no i18next); this hands them the one of the recipient's language.

export function writeEmail<D>(
  build: (t: Translate, locale: Locale, data: D) => EmailText,
  locale: Locale,
  data: D,
): EmailText {
  return build(translatorFor(locale), locale, data);
}
