import Stripe from "stripe";
import { afterAll } from "vitest";
import { startEmulator, type RunningEmulator } from "../../scripts/stripe-emulator/index";
import { STRIPE_API_VERSION, useStripe } from "~/services/stripe/client.server";

export async function startTestEmulator(): Promise<{ emulator: RunningEmulator; stripe: Stripe }> {
  const emulator = await startEmulator({
    port: 0,
    dataDir: null,
    log: () => {},
    webhookRetry: { baseMs: 20, maxAttempts: 3 },
    asyncDelayMs: 20,
  });
  const stripe = new Stripe("sk_test_colecta_tests", {
    apiVersion: STRIPE_API_VERSION,
    host: "127.0.0.1",
    port: emulator.port,
    protocol: "http",
    maxNetworkRetries: 2,
  });
  return { emulator, stripe };
}

/**
 * The Stripe emulator for one test file, with an SDK client pointed at it: started when the file
 * loads (`const { emulator, stripe } = await useTestEmulator()`), closed after its tests.
 * `asAppClient` also makes it the app's own client (getStripe) for route tests.
 */
export async function useTestEmulator({ asAppClient = false } = {}) {
  const started = await startTestEmulator();
  if (asAppClient) useStripe(started.stripe);
  afterAll(async () => {
    if (asAppClient) useStripe(undefined);
    await started.emulator.close();
  });
  return started;
}

/**
 * Completes the emulator's hosted Checkout page the way a browser form post does. Returns where
 * the page redirects (the success URL) or, when the card is refused, the page's status and text.
 */
export async function payHostedCheckout(checkoutUrl: string, cardNumber = "4242424242424242") {
  const url = new URL(checkoutUrl);
  const res = await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      email: "backer@example.com",
      card_number: cardNumber,
      card_expiry: "12 / 34",
      card_cvc: "123",
      name: "Test Backer",
    }),
  });
  return {
    status: res.status,
    location: res.headers.get("Location"),
    text: res.status === 303 ? "" : await res.text(),
  };
}
