// The hosted Checkout page (`session.url`). GET renders the payment form; POST confirms the
// session with the card entered, then 303-redirects to `success_url`, re-renders with the
// decline message (HTTP 402), or sends the buyer to the 3D Secure challenge.

import { TEST_CARDS } from "../cards.js";
import type { Emulator } from "../emulator.js";
import { formatAmount } from "../money.js";
import { submitCheckout, successRedirect } from "../resources/checkout-sessions.js";
import type { CheckoutSession } from "../types.js";
import {
  ICON_ALERT,
  ICON_INFO,
  ICON_LOCK,
  esc,
  footer,
  formField,
  page,
  safeUrl,
  simpleCard,
  testModeBadge,
  type PageResponse,
  type PageRoute,
} from "./layout.js";

interface FormState {
  email: string;
  name: string;
  number: string;
  expiry: string;
  cvc: string;
  error: string | null;
}

function initials(name: string): string {
  return esc(name.trim().charAt(0).toUpperCase() || "·");
}

function summaryPanel(emu: Emulator, session: CheckoutSession): string {
  const merchant = emu.config.merchantName;
  const cancel = safeUrl(session.cancel_url);
  const brand = `<span class="logo">${initials(merchant)}</span><span>${esc(merchant)}</span>`;
  const top = `<div class="topline">${
    cancel
      ? `<a class="back" href="${esc(cancel)}"><span class="arrow">←</span>${brand}</a>`
      : `<span class="back">${brand}</span>`
  }${testModeBadge()}</div>`;

  if (session.mode === "setup") {
    const state = emu.store.internal.checkout[session.id];
    const description =
      state?.setupIntentData.description ??
      `${merchant} will keep this card on file and charge it later, only as you agreed.`;
    return `<section class="summary">${top}
      <h1 class="setup-title">Save your card for future payments</h1>
      <p class="muted">${esc(description)}</p>
      <div class="note">${ICON_INFO}<span>You will not be charged now.</span></div>
    </section>`;
  }
  const items = emu.store.internal.checkout[session.id]?.lineItems ?? [];
  const currency = session.currency ?? "usd";
  const lines = items
    .map(
      (li) =>
        `<li><span>${esc(li.description)}${li.quantity && li.quantity > 1 ? `<span class="qty">Qty ${li.quantity} · ${esc(formatAmount(li.price.unit_amount, currency))} each</span>` : ""}</span><span>${esc(formatAmount(li.amount_total, currency))}</span></li>`,
    )
    .join("");
  return `<section class="summary">${top}
    <p class="eyebrow">Pay ${esc(merchant)}</p>
    <p class="amount" data-testid="amount">${esc(formatAmount(session.amount_total ?? 0, currency))}</p>
    <ul class="lines">${lines}<li class="total"><span>Total due</span><span>${esc(formatAmount(session.amount_total ?? 0, currency))}</span></li></ul>
  </section>`;
}

/** How card numbers are printed: 4-4-4-4, or 4-6-5 for American Express. */
function groupDigits(number: string): string {
  return /^3[47]/.test(number)
    ? number.replace(/^(\d{4})(\d{6})(\d+)$/, "$1 $2 $3")
    : number.replace(/(\d{4})(?=\d)/g, "$1 ");
}

function testCardList(): string {
  const items = TEST_CARDS.map(
    (c) =>
      `<li><button type="button" data-card="${esc(c.number)}"><code>${esc(groupDigits(c.number))}</code>${esc(c.label)}</button></li>`,
  ).join("");
  return `<div class="testcards"><h3>${testModeBadge()} Test cards · any future date, any CVC</h3><ul>${items}</ul></div>`;
}

function renderForm(emu: Emulator, session: CheckoutSession, form: FormState, status = 200): PageResponse {
  const isSetup = session.mode === "setup";
  const label = isSetup ? "Save card" : `Pay ${formatAmount(session.amount_total ?? 0, session.currency ?? "usd")}`;
  const body = `<main class="shell"><div class="card checkout">
    ${summaryPanel(emu, session)}
    <section class="pay">
      <form method="post" action="/c/pay/${esc(session.id)}" novalidate>
        <h2>Contact information</h2>
        <div class="field"><label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" placeholder="you@example.com" value="${esc(form.email)}"></div>
        <h2>Payment method</h2>
        <div class="field group"><label for="card_number">Card information</label>
          <input class="top" id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" value="${esc(form.number)}" aria-label="Card number">
          <div class="row">
            <input id="card_expiry" name="card_expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY" value="${esc(form.expiry)}" aria-label="Expiration date">
            <input id="card_cvc" name="card_cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" value="${esc(form.cvc)}" aria-label="CVC">
          </div></div>
        <div class="field"><label for="name">Cardholder name</label>
          <input id="name" name="name" autocomplete="cc-name" placeholder="Full name on card" value="${esc(form.name)}"></div>
        ${form.error ? `<div class="alert" role="alert" data-testid="error">${ICON_ALERT}<span>${esc(form.error)}</span></div>` : ""}
        <button class="btn btn-primary" type="submit">${esc(label)}</button>
        <p class="secure">${ICON_LOCK}<span>Payments are simulated — this is a test page</span></p>
      </form>
      ${testCardList()}
    </section>
  </div>${footer()}</main>`;
  return page({
    title: `${isSetup ? "Save your card" : "Checkout"} · ${emu.config.merchantName}`,
    body,
    status,
    script: CARD_PICKER,
  });
}

/** Fills the card fields from the test card list and groups digits as the buyer types. */
const CARD_PICKER = `
(function(){var f=document.forms[0];if(!f)return;
document.querySelectorAll('[data-card]').forEach(function(b){b.addEventListener('click',function(){
f.card_number.value=b.querySelector('code').textContent;
if(!f.card_expiry.value)f.card_expiry.value='12 / 34';if(!f.card_cvc.value)f.card_cvc.value='123';f.card_number.focus();});});
f.card_number.addEventListener('input',function(){var d=this.value.replace(/\\D/g,'').slice(0,19);this.value=d.replace(/(\\d{4})(?=\\d)/g,'$1 ');});
})();`;

function goneCard(emu: Emulator, session: CheckoutSession | undefined): PageResponse {
  if (session?.status === "complete") {
    const next = safeUrl(successRedirect(session));
    return page({
      title: `Complete · ${emu.config.merchantName}`,
      body: simpleCard(`<div class="check" aria-hidden="true">✓</div><h1>${session.mode === "setup" ? "Your card is saved" : "Payment complete"}</h1>
        <p>This checkout session is already complete. Nothing more to do here.</p>
        ${next ? `<a class="btn btn-primary" href="${esc(next)}">Return to ${esc(emu.config.merchantName)}</a>` : ""}`),
    });
  }
  const back = safeUrl(session?.cancel_url);
  return page({
    status: session ? 410 : 404,
    title: `Session unavailable · ${emu.config.merchantName}`,
    body: simpleCard(`<h1>${session ? "This checkout session has expired" : "Checkout session not found"}</h1>
      <p>${session ? "The time to complete this payment ran out. Please start again from the merchant's site." : "The link may be mistyped or the session belongs to another emulator instance."}</p>
      ${back ? `<a class="btn btn-secondary" href="${esc(back)}">Return to ${esc(emu.config.merchantName)}</a>` : ""}`),
  });
}

function parseExpiry(raw: string): { month: number; year: number } | null {
  const m = /^(\d{1,2})\s*\/?\s*(\d{2}|\d{4})$/.exec(raw.replace(/\s+/g, ""));
  if (!m) return null;
  return { month: Number(m[1]), year: Number(m[2]) };
}

function initialForm(emu: Emulator, session: CheckoutSession): FormState {
  const customer = session.customer ? emu.store.customers.get(session.customer as string) : undefined;
  return {
    email: customer?.email ?? session.customer_email ?? "",
    name: customer?.name ?? "",
    number: "",
    expiry: "",
    cvc: "",
    error: null,
  };
}

export const checkoutPageRoutes: PageRoute[] = [
  {
    method: "GET",
    path: "/c/pay/:id",
    handler: (emu, req) => {
      const session = emu.store.checkoutSessions.get(req.pathParams.id!);
      if (!session || session.status !== "open") return goneCard(emu, session);
      return renderForm(emu, session, initialForm(emu, session));
    },
  },
  {
    method: "POST",
    path: "/c/pay/:id",
    handler: (emu, req) => {
      const session = emu.store.checkoutSessions.get(req.pathParams.id!);
      if (!session || session.status !== "open") return goneCard(emu, session);
      const form: FormState = {
        email: formField(req.form, "email"),
        name: formField(req.form, "name"),
        number: formField(req.form, "card_number"),
        expiry: formField(req.form, "card_expiry"),
        cvc: formField(req.form, "card_cvc"),
        error: null,
      };
      if (form.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email)) {
        return renderForm(emu, session, { ...form, error: "Your email address is invalid." }, 400);
      }
      if (form.number.replace(/\D/g, "").length === 0)
        return renderForm(emu, session, { ...form, error: "Your card number is incomplete." }, 400);
      const expiry = parseExpiry(form.expiry);
      if (!expiry)
        return renderForm(emu, session, { ...form, error: "Your card's expiration date is incomplete." }, 400);
      if (!/^\d{3,4}$/.test(form.cvc))
        return renderForm(emu, session, { ...form, error: "Your card's security code is incomplete." }, 400);

      const result = submitCheckout(
        emu,
        session,
        { number: form.number, expMonth: expiry.month, expYear: expiry.year, cvc: form.cvc },
        { email: form.email || null, name: form.name || null },
      );
      if (result.kind === "authenticate") return { redirect: `/3ds/${result.intentId}` };
      if (result.kind === "declined") return renderForm(emu, session, { ...form, error: result.message }, 402);
      const next = safeUrl(successRedirect(result.session));
      return next ? { redirect: next } : goneCard(emu, result.session);
    },
  },
];

export { renderForm as renderCheckoutForm, initialForm as initialCheckoutForm };
