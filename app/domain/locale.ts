// The site's languages and how a request's language is chosen. Pure: the caller reads the user's
// saved preference, the cookie and the Accept-Language header, and this module decides.

export const LOCALES = ["en", "es"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** The cookie that remembers a visitor's choice of language. */
export const LOCALE_COOKIE = "colecta_lang";

/** The query parameter that asks for one page in one language (`/discover?lang=es`). */
export const LOCALE_PARAM = "lang";

/** Each language's own name, as its speakers write it (the switch shows these). */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", es: "Español" };

/**
 * The Intl tag each language formats with. English numbers follow the US ("$1,250.00"), English
 * dates the UK ("4 December 2026"), as the site has always shown them; Spanish follows Spain.
 */
export const INTL_TAGS: Record<Locale, { numbers: string; dates: string }> = {
  en: { numbers: "en-US", dates: "en-GB" },
  es: { numbers: "es-ES", dates: "es-ES" },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** "es-MX" -> "es", "EN" -> "en"; anything the site does not speak -> undefined. */
export function toLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : undefined;
}

/**
 * The best language the site speaks from an Accept-Language header, honouring q-values
 * ("fr;q=1, es-MX;q=0.8, en;q=0.5" -> "es"). A malformed entry is skipped, q=0 means "not this".
 */
export function fromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.find((p) => /^\s*q\s*=/i.test(p));
      // A weight that is not a number between 0 and 1 makes the entry unreadable: it is skipped.
      const weight =
        q === undefined ? 1 : /^\s*q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/i.test(q) ? Number(q.split("=")[1]) : 0;
      return { locale: toLocale(tag), quality: weight, index };
    })
    .filter((entry) => entry.locale && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked[0]?.locale;
}

/**
 * The request's language: the URL's `?lang=` (a page's alternate-language link), else the
 * signed-in user's preference, else the cookie, else the header, else English.
 */
export function resolveLocale({
  param,
  preference,
  cookie,
  acceptLanguage,
}: {
  /** The `lang` query parameter: it names the language of that one URL, so it wins. */
  param?: string | null;
  preference?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  return (
    (isLocale(param) ? param : undefined) ??
    (isLocale(preference) ? preference : undefined) ??
    (isLocale(cookie) ? cookie : undefined) ??
    fromAcceptLanguage(acceptLanguage) ??
    DEFAULT_LOCALE
  );
}

/**
 * A translate function: a catalogue key ("auth:validation.nameRequired") and its values in, the
 * text in the request's language out. Rules that speak to the user (a form's schema) take one, so
 * the domain chooses the message and the catalogue its words.
 */
export type Translate = (key: string, options?: Record<string, unknown>) => string;
