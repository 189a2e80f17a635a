// Connect Express onboarding, reached through an AccountLink url. Links are single-use and
// expire after 5 minutes; a stale link redirects to `refresh_url` as Stripe does, so the app's
// "generate a fresh link" path gets exercised.

import { completeOnboarding } from "../resources/accounts.js";
import type { Emulator } from "../emulator.js";
import { esc, page, safeUrl, simpleCard, testModeBadge, type PageResponse, type PageRoute } from "./layout.js";

type AccountLink = Emulator["store"]["internal"]["accountLinks"][string];

/** The link behind a token, or the page to answer instead: 404 when unknown, `refresh_url` when used or stale. */
function openLink(emu: Emulator, token: string): { link: AccountLink } | { response: PageResponse } {
  const link = emu.store.internal.accountLinks[token];
  if (!link) {
    const body = simpleCard(`<h1>Link not found</h1><p>Ask the platform for a new onboarding link.</p>`);
    return { response: page({ status: 404, title: "Onboarding", body }) };
  }
  if (link.used || link.expires_at < emu.unix()) return { response: { redirect: safeUrl(link.refresh_url) ?? "/" } };
  return { link };
}

export const onboardingPageRoutes: PageRoute[] = [
  {
    method: "GET",
    path: "/connect/onboarding/:token",
    handler: (emu, req) => {
      const opened = openLink(emu, req.pathParams.token!);
      if ("response" in opened) return opened.response;
      const { link } = opened;
      const account = emu.store.accounts.require(link.account);
      const merchant = emu.config.merchantName;
      return page({
        title: `Set up payouts · ${merchant}`,
        body: simpleCard(`<div class="bank"><span>${esc(merchant)} partners with Stripe</span>${testModeBadge()}</div>
          <h1>Get paid by ${esc(merchant)}</h1>
          <p>In live mode this is where you would verify your identity and add a bank account. In test mode, one click completes onboarding.</p>
          <dl class="kv"><dt>Account</dt><dd>${esc(account.id)}</dd><dt>Email</dt><dd>${esc(account.email ?? "—")}</dd><dt>Country</dt><dd>${esc(account.country ?? "—")}</dd></dl>
          <form method="post" action="/connect/onboarding/${esc(req.pathParams.token!)}">
            <button class="btn btn-primary" type="submit">Complete onboarding (test mode)</button>
          </form>
          ${safeUrl(link.return_url) ? `<a class="btn btn-secondary" href="${esc(link.return_url)}">Finish later</a>` : ""}`),
      });
    },
  },
  {
    method: "POST",
    path: "/connect/onboarding/:token",
    handler: (emu, req) => {
      const opened = openLink(emu, req.pathParams.token!);
      if ("response" in opened) return opened.response;
      const { link } = opened;
      link.used = true;
      completeOnboarding(emu, emu.store.accounts.require(link.account));
      return { redirect: safeUrl(link.return_url) ?? "/" };
    },
  },
];
