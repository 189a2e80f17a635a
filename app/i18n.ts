import i18next, { type i18n as I18n, type TFunction } from "i18next";
import { setI18n } from "react-i18next";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./domain/locale";
import { en, type Catalogue } from "./locales/en";
import { es } from "./locales/es";

// The translation setup shared by the server render and the browser. Every catalogue is bundled
// (they are small), so a page renders in its language at once on both sides, with no loading step
// and no flash of English; the root loader's locale picks the instance.

export const CATALOGUES: Record<Locale, Catalogue> = { en, es };
export const NAMESPACES = Object.keys(en) as (keyof Catalogue)[];

const instances = new Map<Locale, I18n>();

/** One initialised i18next per language, never switched in place, so concurrent requests cannot mix. */
export function i18nFor(locale: Locale): I18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      lng: locale,
      fallbackLng: false,
      supportedLngs: Object.keys(CATALOGUES),
      resources: CATALOGUES,
      ns: NAMESPACES,
      defaultNS: "common",
      initAsync: false,
      // React escapes what it renders; escaping here too would show "&amp;".
      interpolation: { escapeValue: false },
      react: { useSuspense: false },
      returnNull: false,
      showSupportNotice: false,
    });
    instances.set(locale, instance);
  }
  return instance;
}

/** The translate function of one language, for code outside React (actions, meta). */
export function translatorFor(locale: Locale): TFunction {
  return i18nFor(locale).t;
}

/**
 * What `build` makes from a language's translator, built once per language and kept: a form's
 * zod schema, say, which costs more to construct than to run and would otherwise be rebuilt
 * on every render of the page.
 */
export function perLocale<T>(build: (t: TFunction) => T): (locale: Locale) => T {
  const made = new Map<Locale, T>();
  return (locale) => {
    let value = made.get(locale);
    if (value === undefined) made.set(locale, (value = build(translatorFor(locale))));
    return value;
  };
}

// Components rendered outside the root (tests of one route) speak the default language. The
// instances are not registered with react-i18next globally, so creating one never changes this.
setI18n(i18nFor(DEFAULT_LOCALE));

/**
 * The translate function for a route's `meta`, which runs outside React: the language the root
 * loader chose, or the default when the root had no data (an error before it loaded).
 */
export function metaTranslator(matches: ReadonlyArray<{ id: string; data: unknown }>): TFunction {
  const root = matches.find((match) => match.id === "root")?.data as { locale?: unknown } | undefined;
  return translatorFor(isLocale(root?.locale) ? root.locale : DEFAULT_LOCALE);
}
