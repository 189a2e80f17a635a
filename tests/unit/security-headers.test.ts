import { parseConfig } from "~/config.server";
import { contentSecurityPolicy, securityHeaders } from "~/web/security-headers";

const directive = (policy: string, name: string) =>
  policy
    .split("; ")
    .find((d) => d.split(" ")[0] === name)
    ?.split(" ")
    .slice(1);

describe("the security headers of an HTML page", () => {
  it("allows scripts only from the site or with the page's nonce, and no framing", () => {
    const policy = contentSecurityPolicy(parseConfig({}), { nonce: "abc123" });
    expect(directive(policy, "script-src")).toEqual(["'self'", "'nonce-abc123'"]);
    expect(directive(policy, "frame-ancestors")).toEqual(["'none'"]);
    expect(directive(policy, "object-src")).toEqual(["'none'"]);
    expect(directive(policy, "style-src")).toEqual(["'self'"]);
  });

  it("names a cached page's inline scripts by their hashes, with no nonce to replay", () => {
    const policy = contentSecurityPolicy(parseConfig({}), { hashes: ["AAA=", "BBB="] });
    expect(directive(policy, "script-src")).toEqual(["'self'", "'sha256-AAA='", "'sha256-BBB='"]);
    expect(policy).not.toContain("nonce");
  });

  it("lets a form's redirect reach Stripe's hosted pages: the emulator locally, Stripe in test mode", () => {
    const local = contentSecurityPolicy(parseConfig({ STRIPE_EMULATOR_PORT: "4010" }), { nonce: "n" });
    expect(directive(local, "form-action")).toEqual(["'self'", "http://127.0.0.1:4010"]);
    const stripe = contentSecurityPolicy(
      parseConfig({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x" }),
      { nonce: "n" },
    );
    expect(directive(stripe, "form-action")).toEqual([
      "'self'",
      "https://checkout.stripe.com",
      "https://connect.stripe.com",
    ]);
  });

  it("sends Strict-Transport-Security and upgrades requests only when the site is served over https", () => {
    const https = securityHeaders(parseConfig({ APP_URL: "https://colecta.example" }), { nonce: "n" });
    expect(https["Strict-Transport-Security"]).toMatch(/max-age=\d{7,}/);
    expect(https["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
    const http = securityHeaders(parseConfig({}), { nonce: "n" });
    expect(http["Strict-Transport-Security"]).toBeUndefined();
    expect(http["Content-Security-Policy"]).not.toContain("upgrade-insecure-requests");
    expect(http["Permissions-Policy"]).toContain("camera=()");
  });
});
