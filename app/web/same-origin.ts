/**
 * Cross-site form posts are refused: a state-changing request must come from a page of this
 * site. Browsers send `Origin` on every POST (and `Sec-Fetch-Site`), which a cross-site page
 * cannot forge; the SameSite=Lax cookie is the second line. Requests with neither header come from
 * non-browser clients, which carry no ambient cookies to abuse.
 */
export function isCrossSiteRequest({
  method,
  origin,
  secFetchSite,
  host,
  allowedOrigins = [],
}: {
  method: string;
  origin: string | null | undefined;
  secFetchSite: string | null | undefined;
  host: string | null | undefined;
  allowedOrigins?: string[];
}): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase())) return false;
  if (origin && origin !== "null") {
    if (allowedOrigins.includes(origin)) return false;
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  if (origin === "null") return true;
  if (secFetchSite) return secFetchSite !== "same-origin" && secFetchSite !== "none";
  return false;
}
