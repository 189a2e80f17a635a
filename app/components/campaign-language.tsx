import type { FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import type { CampaignLanguage } from "../../db/schema.js";
import { useLocale } from "./locale";
import { Select } from "./fields";

// The language a campaign is written in: chosen by its creator in the campaign form, shown to
// readers on its page, and on its card when it is not the page's language.

/** "In Spanish" / "En español": the campaign's language, in the page's language. */
export function useWrittenIn(): (language: CampaignLanguage) => string {
  const { t } = useTranslation();
  return (language) => (language === "es" ? t("content:language.writtenIn.es") : t("content:language.writtenIn.en"));
}

/** The campaign form's language select (the field `language`). */
export function CampaignLanguageSelect({
  field,
}: {
  field: FieldMetadata<CampaignLanguage | undefined, Record<string, unknown>, string[]>;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={t("content:language.label")}
      field={field}
      hint={t("content:language.hint")}
      options={[
        { value: "en", label: t("content:language.name.en") },
        { value: "es", label: t("content:language.name.es") },
      ]}
    />
  );
}

/** A card's language line, only when the campaign is written in another language than the page's. */
export function CardLanguage({ language }: { language: CampaignLanguage }) {
  const locale = useLocale();
  const writtenIn = useWrittenIn();
  if (language === locale) return null;
  return (
    <span className="campaign-language muted small" lang={locale}>
      {writtenIn(language)}
    </span>
  );
}
