import {
  fromAcceptLanguage,
  isLocale,
  LOCALE_COOKIE,
  LOCALE_PARAM,
  resolveLocale,
  type Locale,
} from "../domain/locale";
import { translatorFor } from "../i18n";

// The request's language, worked out once per request (the root loader and a route's action or
// loader ask for the same request) from the URL's ?lang=, the user's preference, the cookie and
// Accept-Language.

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const resolved = new WeakMap<Request, Locale>();

/** The value of one cookie in the request's Cookie header, or undefined. */
function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(value.join("="));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The URL's `?lang=` value (unchecked: resolveLocale ignores what the site does not speak). */
function langParam(request: Request): string | null {
  try {
    return new URL(request.url).searchParams.get(LOCALE_PARAM);
  } catch {
    return null;
  }
}

/**
 * The language to answer `request` in. `user` is the signed-in user (or null for a visitor): the
 * caller has usually loaded it already, so this asks the database nothing.
 */
export function requestLocale(request: Request, user: { locale: string | null } | null | undefined): Locale {
  let locale = resolved.get(request);
  if (!locale) {
    locale = resolveLocale({
      param: langParam(request),
      preference: user?.locale,
      cookie: readCookie(request, LOCALE_COOKIE),
      acceptLanguage: request.headers.get("Accept-Language"),
    });
    resolved.set(request, locale);
  }
  return locale;
}

/**
 * The language the visitor asked for (the URL, their cookie or their browser), or undefined when
 * the site would only be falling back to its default: a new account keeps what was asked for.
 */
export function askedLocale(request: Request): Locale | undefined {
  const param = langParam(request);
  const cookie = readCookie(request, LOCALE_COOKIE);
  return (
    (isLocale(param) ? param : undefined) ??
    (isLocale(cookie) ? cookie : undefined) ??
    fromAcceptLanguage(request.headers.get("Accept-Language"))
  );
}

/** The request's translate function, for an action's messages. */
export function requestTranslator(request: Request, user: { locale: string | null } | null | undefined) {
  return translatorFor(requestLocale(request, user));
}

/** The Set-Cookie header that remembers a visitor's language for a year. */
export function localeCookieHeader(locale: Locale, { secure }: { secure: boolean }): string {
  return `${LOCALE_COOKIE}=${locale}; Max-Age=${ONE_YEAR_SECONDS}; Path=/; SameSite=Lax${secure ? "; Secure" : ""}`;
}
