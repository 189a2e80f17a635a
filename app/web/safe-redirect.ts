const DEFAULT_REDIRECT = "/";

/**
 * Only same-site paths are followed after sign-in: `/pledges/1` yes; `//evil.example`,
 * `/\evil.example`, `https://evil.example` or `javascript:` no.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(to)) return fallback;
  try {
    const url = new URL(to, "http://colecta.invalid");
    if (url.origin !== "http://colecta.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
