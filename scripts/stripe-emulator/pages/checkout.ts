// The hosted Checkout page (`session.url`). GET renders the payment form; POST confirms the
// session with the card entered, then 303-redirects to `success_url`, re-renders with the
// decline message (HTTP 402), or sends the buyer to the 3D Secure challenge.

import { TEST_CARDS } from "../cards.js";
import type { Emulator } from "../emulator.js";
import { submitCheckout, successRedirect } from "../resources/checkout-sessions.js";
import type { CheckoutSession } from "../types.js";
import { formatMoneyFor, PAGE_STRINGS, pageLang, translateMessage, type PageLang } from "./i18n.js";
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
  type PageRequest,
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

function summaryPanel(emu: Emulator, session: CheckoutSession, lang: PageLang): string {
  const s = PAGE_STRINGS[lang];
  const merchant = emu.config.merchantName;
  const cancel = safeUrl(session.cancel_url);
  const brand = `<span class="logo">${initials(merchant)}</span><span>${esc(merchant)}</span>`;
  const top = `<div class="topline">${
    cancel
      ? `<a class="back" href="${esc(cancel)}" title="${esc(s.backTo(merchant))}" aria-label="${esc(s.backTo(merchant))}"><span class="arrow">←</span>${brand}</a>`
      : `<span class="back">${brand}</span>`
  }${testModeBadge(lang)}</div>`;

  if (session.mode === "setup") {
    const state = emu.store.internal.checkout[session.id];
    const description = state?.setupIntentData.description ?? s.setupDescription(merchant);
    return `<section class="summary">${top}
      <h1 class="setup-title">${esc(s.saveCardTitle)}</h1>
      <p class="muted">${esc(description)}</p>
      <div class="note">${ICON_INFO}<span>${esc(s.notChargedNow)}</span></div>
    </section>`;
  }
  const items = emu.store.internal.checkout[session.id]?.lineItems ?? [];
  const currency = session.currency ?? "usd";
  const money = (amount: number) => esc(formatMoneyFor(lang, amount, currency));
  const lines = items
    .map(
      (li) =>
        `<li><span>${esc(li.description)}${li.quantity && li.quantity > 1 ? `<span class="qty">${esc(s.qtyEach(li.quantity, formatMoneyFor(lang, li.price.unit_amount, currency)))}</span>` : ""}</span><span>${money(li.amount_total)}</span></li>`,
    )
    .join("");
  return `<section class="summary">${top}
    <p class="eyebrow">${esc(s.payMerchant(merchant))}</p>
    <p class="amount" data-testid="amount">${money(session.amount_total ?? 0)}</p>
    <ul class="lines">${lines}<li class="total"><span>${esc(s.totalDue)}</span><span>${money(session.amount_total ?? 0)}</span></li></ul>
  </section>`;
}

/** How card numbers are printed: 4-4-4-4, or 4-6-5 for American Express. */
function groupDigits(number: string): string {
  return /^3[47]/.test(number)
    ? number.replace(/^(\d{4})(\d{6})(\d+)$/, "$1 $2 $3")
    : number.replace(/(\d{4})(?=\d)/g, "$1 ");
}

function testCardList(lang: PageLang): string {
  const s = PAGE_STRINGS[lang];
  const items = TEST_CARDS.map(
    (c) =>
      `<li><button type="button" data-card="${esc(c.number)}"><code>${esc(groupDigits(c.number))}</code>${esc(s.cardLabels[c.label] ?? c.label)}</button></li>`,
  ).join("");
  return `<div class="testcards"><h3>${testModeBadge(lang)} ${esc(s.testCards)}</h3><ul>${items}</ul></div>`;
}

/**
 * The payment form, in the page's language (`lang`: the session's locale, or the browser's for
 * "auto"; see pageLangOf). `form.error` is English, as Stripe's API words it; the page shows it in
 * its language.
 */
function renderForm(
  emu: Emulator,
  session: CheckoutSession,
  form: FormState,
  status = 200,
  lang: PageLang = pageLang(session.locale, null),
): PageResponse {
  const s = PAGE_STRINGS[lang];
  const isSetup = session.mode === "setup";
  const label = isSetup
    ? s.saveCard
    : s.pay(formatMoneyFor(lang, session.amount_total ?? 0, session.currency ?? "usd"));
  const body = `<main class="shell"><div class="card checkout">
    ${summaryPanel(emu, session, lang)}
    <section class="pay">
      <form method="post" action="/c/pay/${esc(session.id)}" novalidate>
        <h2>${esc(s.contact)}</h2>
        <div class="field"><label for="email">${esc(s.email)}</label>
          <input id="email" name="email" type="email" autocomplete="email" placeholder="you@example.com" value="${esc(form.email)}"></div>
        <h2>${esc(s.paymentMethod)}</h2>
        <div class="field group"><label for="card_number">${esc(s.cardInformation)}</label>
          <input class="top" id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" value="${esc(form.number)}" aria-label="${esc(s.cardNumber)}">
          <div class="row">
            <input id="card_expiry" name="card_expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="${esc(s.expiryPlaceholder)}" value="${esc(form.expiry)}" aria-label="${esc(s.expiry)}">
            <input id="card_cvc" name="card_cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" value="${esc(form.cvc)}" aria-label="${esc(s.cvc)}">
          </div></div>
        <div class="field"><label for="name">${esc(s.cardholderName)}</label>
          <input id="name" name="name" autocomplete="cc-name" placeholder="${esc(s.cardholderPlaceholder)}" value="${esc(form.name)}"></div>
        ${form.error ? `<div class="alert" role="alert" data-testid="error">${ICON_ALERT}<span>${esc(translateMessage(lang, form.error))}</span></div>` : ""}
        <button class="btn btn-primary" type="submit">${esc(label)}</button>
        <p class="secure">${ICON_LOCK}<span>${esc(s.simulated)}</span></p>
      </form>
      ${testCardList(lang)}
    </section>
  </div>${footer(lang)}</main>`;
  return page({
    title: `${isSetup ? s.titleSave : s.titleCheckout} · ${emu.config.merchantName}`,
    body,
    status,
    script: CARD_PICKER,
    lang,
  });
}

/** The language of a session's hosted page for this request. */
export function pageLangOf(session: CheckoutSession | undefined, req: PageRequest): PageLang {
  return pageLang(session?.locale, req.acceptLanguage);
}

/** Fills the card fields from the test card list and groups digits as the buyer types. */
const CARD_PICKER = `
(function(){var f=document.forms[0];if(!f)return;
document.querySelectorAll('[data-card]').forEach(function(b){b.addEventListener('click',function(){
f.card_number.value=b.querySelector('code').textContent;
if(!f.card_expiry.value)f.card_expiry.value='12 / 34';if(!f.card_cvc.value)f.card_cvc.value='123';f.card_number.focus();});});
f.card_number.addEventListener('input',function(){var d=this.value.replace(/\\D/g,'').slice(0,19);this.value=d.replace(/(\\d{4})(?=\\d)/g,'$1 ');});
})();`;

function goneCard(emu: Emulator, session: CheckoutSession | undefined, lang: PageLang): PageResponse {
  const s = PAGE_STRINGS[lang];
  const merchant = emu.config.merchantName;
  if (session?.status === "complete") {
    const next = safeUrl(successRedirect(session));
    return page({
      title: `${s.titleComplete} · ${merchant}`,
      lang,
      body: simpleCard(
        `<div class="check" aria-hidden="true">✓</div><h1>${esc(session.mode === "setup" ? s.cardSaved : s.paymentComplete)}</h1>
        <p>${esc(s.alreadyComplete)}</p>
        ${next ? `<a class="btn btn-primary" href="${esc(next)}">${esc(s.returnTo(merchant))}</a>` : ""}`,
        lang,
      ),
    });
  }
  const back = safeUrl(session?.cancel_url);
  return page({
    status: session ? 410 : 404,
    title: `${s.titleUnavailable} · ${merchant}`,
    lang,
    body: simpleCard(
      `<h1>${esc(session ? s.expired : s.notFound)}</h1>
      <p>${esc(session ? s.expiredText : s.notFoundText)}</p>
      ${back ? `<a class="btn btn-secondary" href="${esc(back)}">${esc(s.returnTo(merchant))}</a>` : ""}`,
      lang,
    ),
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
      const lang = pageLangOf(session, req);
      if (!session || session.status !== "open") return goneCard(emu, session, lang);
      return renderForm(emu, session, initialForm(emu, session), 200, lang);
    },
  },
  {
    method: "POST",
    path: "/c/pay/:id",
    handler: (emu, req) => {
      const session = emu.store.checkoutSessions.get(req.pathParams.id!);
      const lang = pageLangOf(session, req);
      if (!session || session.status !== "open") return goneCard(emu, session, lang);
      const form: FormState = {
        email: formField(req.form, "email"),
        name: formField(req.form, "name"),
        number: formField(req.form, "card_number"),
        expiry: formField(req.form, "card_expiry"),
        cvc: formField(req.form, "card_cvc"),
        error: null,
      };
      const invalid = (error: string) => renderForm(emu, session, { ...form, error }, 400, lang);
      if (form.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email)) {
        return invalid("Your email address is invalid.");
      }
      if (form.number.replace(/\D/g, "").length === 0) return invalid("Your card number is incomplete.");
      const expiry = parseExpiry(form.expiry);
      if (!expiry) return invalid("Your card's expiration date is incomplete.");
      if (!/^\d{3,4}$/.test(form.cvc)) return invalid("Your card's security code is incomplete.");

      const result = submitCheckout(
        emu,
        session,
        { number: form.number, expMonth: expiry.month, expYear: expiry.year, cvc: form.cvc },
        { email: form.email || null, name: form.name || null },
      );
      if (result.kind === "authenticate") return { redirect: `/3ds/${result.intentId}` };
      if (result.kind === "declined") return renderForm(emu, session, { ...form, error: result.message }, 402, lang);
      const next = safeUrl(successRedirect(result.session));
      return next ? { redirect: next } : goneCard(emu, result.session, lang);
    },
  },
];

export { renderForm as renderCheckoutForm, initialForm as initialCheckoutForm };
