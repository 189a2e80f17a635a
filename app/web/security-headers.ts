import type { Config } from "../config.server";

// The headers every HTML page carries. The Content-Security-Policy lets scripts run only from
// this origin or when they are the page's own inline scripts, so an injected <script> never
// runs. A page rendered for one request names its inline scripts by a one-time nonce (Remix's
// hydration scripts carry it); a public page rendered once and served to many from the page
// cache names them by their SHA-256 hashes instead, since a replayed nonce is no secret (see
// docs/decisions/017-page-cache.md). Style attributes stay allowed because React renders the
// progress bars' widths as `style="width: …"`, but <style> elements need this origin.

type SecurityConfig = Pick<
  Config,
  "appUrl" | "stripeMode" | "STRIPE_EMULATOR_HOST" | "STRIPE_EMULATOR_PORT" | "NODE_ENV"
>;

/**
 * Where a form's redirect may lead besides this site: Stripe's hosted Checkout and Connect
 * onboarding (a browser without JavaScript follows the action's redirect under `form-action`).
 */
function paymentOrigins(config: SecurityConfig): string[] {
  if (config.stripeMode === "test") return ["https://checkout.stripe.com", "https://connect.stripe.com"];
  return [`http://${config.STRIPE_EMULATOR_HOST}:${config.STRIPE_EMULATOR_PORT}`];
}

/** The page's own inline scripts: a per-request nonce, or the hashes of a cached page's scripts. */
export type InlineScripts = { nonce: string } | { hashes: string[] };

function scriptSources(inline: InlineScripts): string[] {
  return "nonce" in inline ? [`'nonce-${inline.nonce}'`] : inline.hashes.map((hash) => `'sha256-${hash}'`);
}

export function contentSecurityPolicy(config: SecurityConfig, inline: InlineScripts): string {
  const https = config.appUrl.startsWith("https://");
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    ["script-src", "'self'", ...scriptSources(inline)],
    ["style-src", "'self'"],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    // Remix's live reload talks over a WebSocket in development only.
    ["connect-src", "'self'", ...(config.NODE_ENV === "development" ? ["ws:"] : [])],
    ["form-action", "'self'", ...paymentOrigins(config)],
    ["frame-ancestors", "'none'"],
    ["base-uri", "'self'"],
    ["object-src", "'none'"],
    ...(https ? ([["upgrade-insecure-requests"]] as Array<[string]>) : []),
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

export function securityHeaders(config: SecurityConfig, inline: InlineScripts): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(config, inline),
    // Only over https: a browser told this on plain http would lock a local site out of itself.
    ...(config.appUrl.startsWith("https://")
      ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" }
      : {}),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  };
}
