// The hosted Checkout page in a real browser (Chromium through playwright-core): pay in
// payment mode, save a card in setup mode, see a decline, and keep a screenshot for review
// (test-results/hosted-checkout.png). Skipped, with one line, when Chromium is not installed,
// and against real Stripe (the page is the emulator's).

import type { Page } from "playwright-core";
import type Stripe from "stripe";
import type { RunningEmulator } from "../../scripts/stripe-emulator/index.js";
import { describeInBrowser, screenshot, useBrowser } from "../support/browser";
import { AGAINST_REAL_STRIPE, startTestEmulator, stripeClient } from "../support/stripe";
import { startLocalServer, type LocalServer } from "./support.js";

const suite = AGAINST_REAL_STRIPE ? describe.skip : describeInBrowser;

suite("hosted checkout in a browser", () => {
  const newPage = useBrowser();
  let emulator: RunningEmulator;
  let stripe: Stripe;
  let site: LocalServer;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    stripe = stripeClient(emulator.port);
    site = await startLocalServer();
  });
  afterAll(async () => {
    await site?.close();
    await emulator?.close();
  });

  async function fillCard(page: Page, number: string): Promise<void> {
    await page.fill("#email", "ada@example.com");
    await page.fill("#card_number", number);
    await page.fill("#card_expiry", "12 / 34");
    await page.fill("#card_cvc", "123");
    await page.fill("#name", "Ada Lovelace");
  }

  it("pays a payment-mode session with 4242 4242 4242 4242 and lands on success_url", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        {
          price_data: { currency: "usd", unit_amount: 4500, product_data: { name: "Solar kiln — early bird" } },
          quantity: 1,
        },
        {
          price_data: { currency: "usd", unit_amount: 800, product_data: { name: "Shipping to France" } },
          quantity: 1,
        },
      ],
      success_url: `${site.url}/thanks?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${site.url}/projects/solar-kiln`,
    });
    const page = await newPage();
    await page.goto(session.url!);
    await expect(page.getByTestId("amount").textContent()).resolves.toBe("$53.00");
    // Picking a test card from the list fills the form (the little inline script).
    await page.click('[data-card="4242424242424242"]');
    await expect(page.inputValue("#card_number")).resolves.toBe("4242 4242 4242 4242");
    await page.fill("#email", "ada@example.com");
    await page.fill("#name", "Ada Lovelace");
    await screenshot(page, "hosted-checkout");
    await Promise.all([page.waitForURL(`${site.url}/thanks**`), page.click("button[type=submit]")]);
    expect(page.url()).toBe(`${site.url}/thanks?session_id=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe("complete");
    expect(done.customer_details?.email).toBe("ada@example.com");
    await page.context().close();
  });

  it("saves a card in a setup-mode session", async () => {
    const customer = await stripe.customers.create({ email: "grace@example.com", name: "Grace Hopper" });
    const session = await stripe.checkout.sessions.create({
      mode: "setup",
      customer: customer.id,
      allowed_payment_method_types: ["card"],
      setup_intent_data: {
        metadata: { pledge_id: "p_1" },
        description: "Colecta charges this card only if Solar Kiln reaches its goal on 30 June.",
      },
      success_url: `${site.url}/pledged?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${site.url}/projects/solar-kiln`,
    });
    const page = await newPage();
    await page.goto(session.url!);
    await expect(page.locator("body").textContent()).resolves.toContain("You will not be charged now");
    await expect(page.inputValue("#email")).resolves.toBe("grace@example.com");
    await screenshot(page, "hosted-checkout-setup");
    await fillCard(page, "4242424242424242");
    await Promise.all([page.waitForURL(`${site.url}/pledged**`), page.click("button[type=submit]")]);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent"] });
    expect((done.setup_intent as Stripe.SetupIntent).status).toBe("succeeded");
    await page.context().close();
  });

  it("shows the decline message for 4000 0000 0000 0002 and keeps the session open", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        { price_data: { currency: "eur", unit_amount: 2000, product_data: { name: "Backer tier" } }, quantity: 1 },
      ],
      success_url: `${site.url}/thanks`,
      cancel_url: `${site.url}/back`,
    });
    const page = await newPage();
    await page.goto(session.url!);
    await fillCard(page, "4000000000000002");
    const [response] = await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    expect(response?.status()).toBe(402);
    await expect(page.getByTestId("error").textContent()).resolves.toContain("Your card was declined.");
    await screenshot(page, "hosted-checkout-declined");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    // The back link goes to cancel_url.
    await Promise.all([page.waitForURL(`${site.url}/back`), page.click("a.back")]);
    await page.context().close();
  });

  it("walks through the 3D Secure challenge for 4000 0027 6000 3184", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        { price_data: { currency: "jpy", unit_amount: 12000, product_data: { name: "Kiln workshop" } }, quantity: 1 },
      ],
      success_url: `${site.url}/thanks?session_id={CHECKOUT_SESSION_ID}`,
    });
    const page = await newPage();
    await page.goto(session.url!);
    await expect(page.getByTestId("amount").textContent()).resolves.toBe("¥12,000");
    await fillCard(page, "4000002760003184");
    await Promise.all([page.waitForURL("**/3ds/**"), page.click("button[type=submit]")]);
    await screenshot(page, "hosted-checkout-3ds");
    await Promise.all([page.waitForURL(`${site.url}/thanks**`), page.click("text=Complete authentication")]);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect((done.payment_intent as Stripe.PaymentIntent).status).toBe("succeeded");
    await page.context().close();
  });
});
