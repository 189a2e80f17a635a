import type { Config } from "../config.server";

// The headers every HTML page carries. The Content-Security-Policy lets scripts run only from
// this origin or with the page's one-time nonce (Remix's inline hydration scripts carry it), so
// an injected <script> never runs; style attributes stay allowed because React renders the
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

export function contentSecurityPolicy(config: SecurityConfig, nonce: string): string {
  const https = config.appUrl.startsWith("https://");
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`],
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

export function securityHeaders(config: SecurityConfig, nonce: string): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(config, nonce),
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
