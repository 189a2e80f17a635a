// How tests reach Stripe, in one place.
//  - App tests (integration, routes, settlement) always get an in-process emulator of their own:
//    `useTestEmulator()`. They drive the emulator's clock, faults and hosted pages.
//  - The Stripe contract suite (tests/stripe) runs the same checks against the emulator by
//    default, or against real Stripe test mode when STRIPE_SECRET_KEY=sk_test_... is set:
//    `createTarget()`. Checks only the emulator can make go under `emulatorOnly`.

import Stripe from "stripe";
import { afterAll, describe } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../scripts/stripe-emulator/index";
import type { Db } from "../../db/schema";
import { STRIPE_API_VERSION, useStripe } from "~/services/stripe/client.server";
import { processStripeEvent } from "~/services/stripe/events.server";

const realKey = process.env.STRIPE_SECRET_KEY;
/** The contract suite talks to real Stripe test mode (never live: only an sk_test_ key counts). */
export const AGAINST_REAL_STRIPE = Boolean(realKey?.startsWith("sk_test_"));

/** A quiet emulator for tests: memory-only, random port, fast webhook retries and async outcomes. */
export function startTestEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    dataDir: null,
    log: () => {},
    webhookRetry: { baseMs: 20, maxAttempts: 4 },
    asyncDelayMs: 20,
    ...opts,
  });
}

/** An SDK client on an emulator's port, with the app's pinned API version and no retries unless asked. */
export function stripeClient(port: number, opts: Partial<Stripe.StripeConfig> = {}): Stripe {
  return new Stripe("sk_test_colecta_tests", {
    apiVersion: STRIPE_API_VERSION,
    host: "127.0.0.1",
    port,
    protocol: "http",
    maxNetworkRetries: 0,
    ...opts,
  });
}

export interface Target {
  kind: "emulator" | "stripe";
  stripe: Stripe;
  /** Present only for the emulator target. */
  emulator: RunningEmulator | null;
  close(): Promise<void>;
}

let announced = false;
function announce(): void {
  if (announced) return;
  announced = true;
  process.stdout.write(
    AGAINST_REAL_STRIPE
      ? "[stripe contract] running against REAL Stripe test mode (STRIPE_SECRET_KEY is set); emulator-only checks are skipped\n"
      : "[stripe contract] running against the in-process emulator; real-Stripe run skipped (set STRIPE_SECRET_KEY=sk_test_... to run it)\n",
  );
}

/** What the contract suite runs against: real Stripe test mode, or a fresh emulator (`opts` are its options). */
async function createTarget(opts: EmulatorOptions = {}): Promise<Target> {
  announce();
  if (AGAINST_REAL_STRIPE) {
    const stripe = new Stripe(realKey!, { apiVersion: STRIPE_API_VERSION, maxNetworkRetries: 2 });
    return { kind: "stripe", stripe, emulator: null, close: async () => {} };
  }
  const emulator = await startTestEmulator(opts);
  return { kind: "emulator", stripe: stripeClient(emulator.port), emulator, close: () => emulator.close() };
}

/** The contract suite's target for one test file: made when the file loads (`const target = await useTarget()`), closed after its tests. */
export async function useTarget(opts: EmulatorOptions = {}): Promise<Target> {
  const target = await createTarget(opts);
  afterAll(() => target.close());
  return target;
}

/** `describe` for emulator-only behaviour (admin endpoints, fault injection, local webhooks, hosted pages). */
export const emulatorOnly = (AGAINST_REAL_STRIPE ? describe.skip : describe) as typeof describe;

/**
 * The Stripe emulator for one test file, with an SDK client pointed at it: started when the file
 * loads (`const { emulator, stripe } = await useTestEmulator()`), closed after its tests.
 * `asAppClient` also makes it the app's own client (getStripe) for route tests.
 */
export async function useTestEmulator({
  asAppClient = false,
  availableAfterSeconds = 0,
}: { asAppClient?: boolean; availableAfterSeconds?: number } = {}) {
  // App tests settle and pay out in seconds: a charge's funds are available at once unless a
  // test asks for Stripe's wait (the payout tests that wait for funds do).
  const emulator = await startTestEmulator({ availableAfterSeconds });
  // Retries as the app's own client makes them (services/stripe/client.server.ts).
  const stripe = stripeClient(emulator.port, { maxNetworkRetries: 2 });
  if (asAppClient) useStripe(stripe);
  afterAll(async () => {
    if (asAppClient) useStripe(undefined);
    await emulator.close();
  });
  return { emulator, stripe };
}

/**
 * Makes every pending fund on an emulator available, as if Stripe's two-day wait were over:
 * advances the emulator clock just far enough that the last pending balance transaction's
 * `available_on` has come (a transfer without `source_transaction` spends only available
 * funds). Moving the clock also runs whatever else falls due meanwhile (Checkout expiry,
 * deferred disputes) and, as on Stripe two days later, idempotency keys older than 24 hours are
 * forgotten. Returns the seconds advanced (0 when nothing was pending).
 */
export async function makeFundsAvailable(emulator: RunningEmulator): Promise<number> {
  const res = await fetch(`${emulator.url}/_emulator/balance`);
  if (!res.ok) throw new Error(`GET /_emulator/balance answered ${res.status}`);
  const { now, pendingUntil } = (await res.json()) as { now: number; pendingUntil: number | null };
  if (pendingUntil === null || pendingUntil <= now) return 0;
  const seconds = pendingUntil - now;
  emulator.advanceClock(seconds);
  return seconds;
}

/** A filled-in hosted Checkout form: a Visa that pays. */
export const VISA_FORM = {
  email: "backer@example.com",
  name: "Ada Backer",
  card_number: "4242 4242 4242 4242",
  card_expiry: "12 / 34",
  card_cvc: "123",
};

/** Submits the emulator's hosted Checkout form without a browser; the raw response, redirects not followed. */
export async function submitHostedCheckout(sessionUrl: string, fields: Record<string, string>): Promise<Response> {
  return fetch(sessionUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/**
 * Completes the emulator's hosted Checkout page the way a browser form post does. Returns where
 * the page redirects (the success URL) or, when the card is refused, the page's status and text.
 */
export async function payHostedCheckout(checkoutUrl: string, cardNumber = "4242424242424242") {
  const res = await submitHostedCheckout(checkoutUrl, {
    email: "backer@example.com",
    card_number: cardNumber,
    card_expiry: "12 / 34",
    card_cvc: "123",
    name: "Test Backer",
  });
  return {
    status: res.status,
    location: res.headers.get("Location"),
    text: res.status === 303 ? "" : await res.text(),
  };
}

/**
 * Hands the app one of Stripe's events as its webhook would: stored once by id (a second delivery
 * of the same event changes nothing), then processed.
 */
export async function deliverStripeEvent(db: Db, stripe: Stripe, event: Stripe.Event) {
  await db
    .insertInto("stripe_events")
    .values({
      id: event.id,
      type: event.type,
      livemode: false,
      stripe_created_at: new Date(event.created * 1000),
      payload: JSON.stringify(event),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  await processStripeEvent(db, stripe, event.id);
}
