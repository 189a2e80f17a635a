// Contract: Checkout Sessions (setup and payment mode), their hosted page (driven without a
// browser here; see hosted-checkout.browser.test.ts for the real browser), and expiry.

import type Stripe from "stripe";
import { emulatorOnly, submitHostedCheckout, useTarget, VISA_FORM } from "../support/stripe";
import { admin, stripeError, useLocalServer } from "./support.js";

const target = await useTarget();
const { stripe } = target;
const site = await useLocalServer();

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

function setupSession(customer: string, extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create({
    mode: "setup",
    customer,
    allowed_payment_method_types: ["card"],
    setup_intent_data: { metadata: { pledge_id: "p_42" } },
    success_url: `${site.url}/pledges/p_42/return?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${site.url}/projects/solar-kiln`,
    expires_at: inAnHour(),
    metadata: { pledge_id: "p_42" },
    client_reference_id: "p_42",
    ...extra,
  });
}

function paymentSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [
      { price_data: { currency: "usd", unit_amount: 2500, product_data: { name: "Early bird kiln" } }, quantity: 2 },
    ],
    payment_intent_data: { metadata: { pledge_id: "p_7" } },
    success_url: `${site.url}/ok?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${site.url}/cancel`,
    ...extra,
  });
}

describe("checkout sessions API", () => {
  it("creates a setup-mode session with a SetupIntent and a hosted url", async () => {
    const customer = await stripe.customers.create({ email: "backer@example.com" });
    const session = await setupSession(customer.id);
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "setup",
      status: "open",
      customer: customer.id,
      client_reference_id: "p_42",
      metadata: { pledge_id: "p_42" },
    });
    expect(session.url).toMatch(/^https?:\/\//);
    const expanded = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent"] });
    const si = expanded.setup_intent as Stripe.SetupIntent;
    expect(si.id).toMatch(/^seti_/);
    expect(si.metadata).toEqual({ pledge_id: "p_42" });
  });

  it("creates a payment-mode session totalling its line items", async () => {
    const session = await paymentSession();
    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 5000,
      currency: "usd",
      payment_status: "unpaid",
      status: "open",
    });
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data[0]).toMatchObject({ quantity: 2, amount_total: 5000, description: "Early bird kiln" });
  });

  it("validates expires_at (30 minutes to 24 hours) and line items", async () => {
    const customer = await stripe.customers.create({});
    const tooSoon = await stripeError(setupSession(customer.id, { expires_at: Math.floor(Date.now() / 1000) + 60 }));
    expect(tooSoon.statusCode).toBe(400);
    expect(tooSoon.param).toBe("expires_at");
    const tooLate = await stripeError(
      setupSession(customer.id, { expires_at: Math.floor(Date.now() / 1000) + 2 * 86400 }),
    );
    expect(tooLate.param).toBe("expires_at");
    const noItems = await stripeError(
      stripe.checkout.sessions.create({ mode: "payment", success_url: `${site.url}/ok` }),
    );
    expect(noItems.statusCode).toBe(400);
  });

  it("expires an open session on request", async () => {
    const session = await paymentSession();
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired.status).toBe("expired");
    const again = await stripeError(stripe.checkout.sessions.expire(session.id));
    expect(again.statusCode).toBe(400);
  });

  it("lists sessions", async () => {
    const customer = await stripe.customers.create({});
    const a = await setupSession(customer.id);
    const b = await setupSession(customer.id);
    const list = await stripe.checkout.sessions.list({ customer: customer.id });
    expect(list.data.map((s) => s.id)).toEqual([b.id, a.id]);
  });
});

emulatorOnly("hosted checkout page (emulator)", () => {
  it("setup mode: saving a card completes the session and redirects to success_url", async () => {
    const customer = await stripe.customers.create({ email: "backer@example.com" });
    const session = await setupSession(customer.id);
    const page = await fetch(session.url!);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Save your card for future payments");
    expect(html).toContain("You will not be charged now");

    const res = await submitHostedCheckout(session.url!, VISA_FORM);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${site.url}/pledges/p_42/return?session_id=${session.id}`);

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent.payment_method"] });
    expect(done.status).toBe("complete");
    const si = done.setup_intent as Stripe.SetupIntent;
    expect(si.status).toBe("succeeded");
    expect((si.payment_method as Stripe.PaymentMethod).customer).toBe(customer.id);
    const events = await stripe.events.list({ type: "checkout.session.completed", limit: 5 });
    expect(events.data.some((e) => (e.data.object as Stripe.Checkout.Session).id === session.id)).toBe(true);
  });

  it("payment mode: paying creates the PaymentIntent and charge", async () => {
    const session = await paymentSession({
      payment_intent_data: { metadata: { pledge_id: "p_7" }, setup_future_usage: "off_session" },
    });
    const res = await submitHostedCheckout(session.url!, VISA_FORM);
    expect(res.status).toBe(303);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    expect(done).toMatchObject({ status: "complete", payment_status: "paid" });
    const pi = done.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ status: "succeeded", amount: 5000, metadata: { pledge_id: "p_7" } });
    expect((pi.latest_charge as Stripe.Charge).paid).toBe(true);
    expect(done.customer).toMatch(/^cus_/); // created because the card is saved for later
  });

  it("a declined card re-renders the page with Stripe's message and a 402; the session stays open", async () => {
    const session = await paymentSession();
    const res = await submitHostedCheckout(session.url!, { ...VISA_FORM, card_number: "4000000000009995" });
    expect(res.status).toBe(402);
    expect(await res.text()).toContain("Your card has insufficient funds.");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    const bad = await submitHostedCheckout(session.url!, { ...VISA_FORM, card_number: "4242424242424241" });
    expect(await bad.text()).toContain("Your card number is incorrect.");
  });

  it("3D Secure cards go through the challenge page; failing it keeps the session open", async () => {
    const customer = await stripe.customers.create({});
    const session = await setupSession(customer.id);
    const res = await submitHostedCheckout(session.url!, { ...VISA_FORM, card_number: "4000002500003155" });
    expect(res.status).toBe(303);
    const challenge = new URL(res.headers.get("location")!, session.url!).toString();
    const challengePage = await (await fetch(challenge)).text();
    expect(challengePage).toContain("Complete authentication");
    expect(challengePage).toContain("Fail authentication");
    const failed = await fetch(challenge, {
      method: "POST",
      body: new URLSearchParams({ outcome: "fail" }),
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(failed.status).toBe(402);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");

    const retry = await submitHostedCheckout(session.url!, { ...VISA_FORM, card_number: "4000002500003155" });
    const challenge2 = new URL(retry.headers.get("location")!, session.url!).toString();
    const passed = await fetch(challenge2, {
      method: "POST",
      body: new URLSearchParams({ outcome: "complete" }),
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(passed.status).toBe(303);
    expect(passed.headers.get("location")).toContain(session.id);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("complete");
  });

  it("escapes merchant-supplied text and shows a clear page for finished sessions", async () => {
    const session = await paymentSession({
      line_items: [
        {
          price_data: { currency: "jpy", unit_amount: 5000, product_data: { name: `<script>alert("x")</script>` } },
          quantity: 1,
        },
      ],
    });
    const html = await (await fetch(session.url!)).text();
    expect(html).not.toContain(`<script>alert("x")</script>`);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("¥5,000");
    await stripe.checkout.sessions.expire(session.id);
    const gone = await fetch(`${target.emulator!.url}/c/pay/${session.id}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("expired");
  });

  it("expires sessions by itself when expires_at passes (checkout.session.expired)", async () => {
    const customer = await stripe.customers.create({});
    const session = await setupSession(customer.id);
    await admin(target.emulator!, "POST", "/_emulator/clock/advance", { seconds: 3601 });
    const expired = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent"] });
    expect(expired.status).toBe("expired");
    expect((expired.setup_intent as Stripe.SetupIntent).status).toBe("canceled");
    const events = await stripe.events.list({ type: "checkout.session.expired" });
    expect(events.data.some((e) => (e.data.object as Stripe.Checkout.Session).id === session.id)).toBe(true);
  });
});

emulatorOnly("hosted checkout page in the session's language (emulator)", () => {
  it("renders in Spanish for locale=es: texts, es-ES money, errors and the way back", async () => {
    const session = await paymentSession({
      locale: "es",
      line_items: [
        { price_data: { currency: "eur", unit_amount: 123_450, product_data: { name: "Horno" } }, quantity: 1 },
      ],
    });
    expect(session.locale).toBe("es");
    const html = await (await fetch(session.url!)).text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain("Pagar 1.234,50\u00a0€");
    expect(html).toContain("Total a pagar");
    expect(html).toContain("Datos de la tarjeta");
    expect(html).toContain('aria-label="Número de tarjeta"');
    expect(html).toContain('placeholder="MM / AA"');
    expect(html).toContain("Titular de la tarjeta");
    expect(html).toContain("Volver a");
    expect(html).not.toContain("Card information");

    const declined = await submitHostedCheckout(session.url!, { ...VISA_FORM, card_number: "4000000000009995" });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Tu tarjeta no tiene fondos suficientes.");
    const incomplete = await submitHostedCheckout(session.url!, { ...VISA_FORM, card_cvc: "" });
    expect(incomplete.status).toBe(400);
    expect(await incomplete.text()).toContain("El código de seguridad de tu tarjeta está incompleto.");
  });

  it("setup mode in Spanish; a finished session's page too", async () => {
    const customer = await stripe.customers.create({});
    const session = await setupSession(customer.id, {
      locale: "es",
      // The emulator's clock may be ahead by now (an earlier test advances it): its default expiry.
      expires_at: undefined,
    });
    const html = await (await fetch(session.url!)).text();
    expect(html).toContain("Guarda tu tarjeta para pagos futuros");
    expect(html).toContain("No se te cobrará nada ahora.");
    expect(html).toContain("Guardar tarjeta");
    await stripe.checkout.sessions.expire(session.id);
    const gone = await fetch(`${target.emulator!.url}/c/pay/${session.id}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("Esta sesión de pago ha caducado");
  });

  it('"auto" follows the browser\'s Accept-Language; English otherwise and for locales it does not speak', async () => {
    const auto = await paymentSession({ locale: "auto" });
    const es = await (
      await fetch(auto.url!, { headers: { "Accept-Language": "fr;q=1, es-ES;q=0.8, en;q=0.5" } })
    ).text();
    expect(es).toContain("Pagar 50,00\u00a0US$");
    const en = await (await fetch(auto.url!, { headers: { "Accept-Language": "en-GB,en;q=0.9" } })).text();
    expect(en).toContain("Pay $50.00");
    const none = await (await fetch(auto.url!)).text();
    expect(none).toContain("Card information");
    const french = await paymentSession({ locale: "fr" });
    expect(await (await fetch(french.url!)).text()).toContain("Pay $50.00");
    const english = await paymentSession({ locale: "en" });
    const page = await (await fetch(english.url!, { headers: { "Accept-Language": "es" } })).text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain("Pay $50.00");
  });

  it("refuses a locale Stripe does not know, with a 400 naming the parameter", async () => {
    const err = await stripeError(paymentSession({ locale: "xx" as Stripe.Checkout.SessionCreateParams.Locale }));
    expect(err.statusCode).toBe(400);
    expect(err.param).toBe("locale");
  });
});
