// A simulated 3D Secure challenge, the page an issuer shows in real life. Reached from the
// hosted checkout (3DS test cards) or from an intent's `next_action.redirect_to_url.url`.
// "Complete authentication" confirms the intent as authenticated; "Fail authentication" leaves
// it in requires_payment_method with a *_authentication_failure error.

import type { Emulator } from "../emulator.js";
import { formatAmount } from "../money.js";
import { resumeAfterAuthentication, successRedirect } from "../resources/checkout-sessions.js";
import { finishPaymentAuthentication } from "../resources/payment-intents.js";
import { finishSetupAuthentication } from "../resources/setup-intents.js";
import type { PaymentIntent, SetupIntent } from "../types.js";
import { initialCheckoutForm, pageLangOf, renderCheckoutForm } from "./checkout.js";
import {
  esc,
  formField,
  page,
  safeUrl,
  simpleCard,
  testModeBadge,
  type PageResponse,
  type PageRoute,
} from "./layout.js";

function findIntent(emu: Emulator, id: string): PaymentIntent | SetupIntent | undefined {
  return id.startsWith("seti_") ? emu.store.setupIntents.get(id) : emu.store.paymentIntents.get(id);
}

function notFound(): PageResponse {
  return page({
    status: 404,
    title: "Authentication",
    body: simpleCard(`<h1>Nothing to authenticate</h1><p>This authentication request does not exist.</p>`),
  });
}

function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

export const threeDSecurePageRoutes: PageRoute[] = [
  {
    method: "GET",
    path: "/3ds/:id",
    handler: (emu, req) => {
      const intent = findIntent(emu, req.pathParams.id!);
      if (!intent) return notFound();
      if (intent.status !== "requires_action") {
        return page({
          title: "Authentication",
          body: simpleCard(
            `<h1>Authentication finished</h1><p>This request was already handled. You can close this page.</p>`,
          ),
        });
      }
      const pm = intent.payment_method ? emu.store.paymentMethods.get(intent.payment_method as string) : undefined;
      const what =
        intent.object === "payment_intent"
          ? `<dt>Amount</dt><dd>${esc(formatAmount(intent.amount, intent.currency))}</dd>`
          : `<dt>Purpose</dt><dd>Save card for later payments</dd>`;
      return page({
        title: "3D Secure authentication",
        body: simpleCard(`<div class="bank"><span>Test issuer · 3D Secure</span>${testModeBadge()}</div>
          <h1>Confirm it's you</h1>
          <p>Your bank asks you to approve this request from <strong>${esc(emu.config.merchantName)}</strong>. This is a simulated challenge: choose the outcome.</p>
          <dl class="kv"><dt>Merchant</dt><dd>${esc(emu.config.merchantName)}</dd>${what}<dt>Card</dt><dd>${esc(brandName(pm?.card?.brand))} •••• ${esc(pm?.card?.last4 ?? "")}</dd></dl>
          <form method="post" action="/3ds/${esc(intent.id)}">
            <button class="btn btn-primary" name="outcome" value="complete" type="submit">Complete authentication</button>
            <button class="btn btn-secondary" name="outcome" value="fail" type="submit">Fail authentication</button>
          </form>`),
      });
    },
  },
  {
    method: "POST",
    path: "/3ds/:id",
    handler: (emu, req) => {
      const intent = findIntent(emu, req.pathParams.id!);
      if (!intent) return notFound();
      const passed = formField(req.form, "outcome") === "complete";
      const returnUrl = safeUrl(intent.next_action?.redirect_to_url?.return_url);
      const after =
        intent.object === "payment_intent"
          ? finishPaymentAuthentication(emu, intent, passed)
          : finishSetupAuthentication(emu, intent, passed);

      const checkout = resumeAfterAuthentication(emu, intent.id);
      if (checkout) {
        const { session, result } = checkout;
        // Found by a scan and maybe completed just now: named with get() so the step journals it.
        emu.store.checkoutSessions.get(session.id);
        if (result.kind === "complete") {
          const next = safeUrl(successRedirect(session));
          if (next) return { redirect: next };
          return { redirect: `/c/pay/${session.id}` };
        }
        const form = initialCheckoutForm(emu, session);
        const message = result.kind === "declined" ? result.message : "Authentication is still required.";
        return renderCheckoutForm(emu, session, { ...form, error: message }, 402, pageLangOf(session, req));
      }
      const status = after.status === "succeeded" ? "succeeded" : "failed";
      if (returnUrl) {
        const key = after.object === "payment_intent" ? "payment_intent" : "setup_intent";
        return {
          redirect: withParams(returnUrl, {
            [key]: after.id,
            [`${key}_client_secret`]: after.client_secret ?? "",
            redirect_status: status,
          }),
        };
      }
      return page({
        title: "Authentication",
        body: simpleCard(
          `<h1>Authentication ${status === "succeeded" ? "complete" : "failed"}</h1><p>You can close this page and return to ${esc(emu.config.merchantName)}.</p>`,
        ),
      });
    },
  },
];

function brandName(brand: string | undefined): string {
  const names: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express" };
  return brand ? (names[brand] ?? brand) : "Card";
}
