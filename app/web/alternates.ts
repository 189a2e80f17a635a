import { LOCALE_PARAM, LOCALES, type Locale } from "../domain/locale";

// A public page's addresses in each language, for `<link rel="alternate" hreflang>`: the same
// path and query with `?lang=` set (which wins for that request, see resolveLocale), and the
// plain address as x-default (the language the visitor's cookie or browser picks).

export interface Alternate {
  hrefLang: Locale | "x-default";
  href: string;
}

/** Absolute addresses from the configured base URL (`appUrl`, no trailing slash) and the request's path and query. */
export function languageAlternates(request: Request, appUrl: string): Alternate[] {
  const url = new URL(request.url);
  const href = (locale: Locale | null) => {
    const search = new URLSearchParams(url.search);
    search.delete(LOCALE_PARAM);
    // Remix's own parameter for a loader's data request is never part of a page's address.
    search.delete("_data");
    if (locale) search.set(LOCALE_PARAM, locale);
    const query = search.toString();
    return `${appUrl}${url.pathname}${query ? `?${query}` : ""}`;
  };
  return [
    ...LOCALES.map((locale) => ({ hrefLang: locale, href: href(locale) })),
    { hrefLang: "x-default" as const, href: href(null) },
  ];
}

/** The alternates as `meta` descriptors (Remix renders `tagName: "link"` as a link element). */
export function alternateLinks(alternates: readonly Alternate[] | undefined) {
  return (alternates ?? []).map((a) => ({ tagName: "link", rel: "alternate", hrefLang: a.hrefLang, href: a.href }));
}
