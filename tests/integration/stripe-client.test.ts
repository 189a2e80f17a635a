import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import Stripe from "stripe";
import { getConfig, parseConfig } from "~/config.server";
import {
  createStripeClient,
  getWebhookSecret,
  registerEmulatorWebhook,
  STRIPE_API_VERSION,
  useStripe,
} from "~/services/stripe/client.server";
import { buildIfStale } from "../../scripts/build-if-stale";
import { closeServer, createHttpApp, listen } from "../../scripts/server";
import { startEmulator, type RunningEmulator } from "../../scripts/stripe-emulator/index";
import { useTestDatabase } from "../support/database";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "colecta-stripe-"));
let emulator: RunningEmulator;
let server: Server;
let base: string;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    dataDir: null,
    log: () => {},
    webhookRetry: { baseMs: 20, maxAttempts: 3 },
  });
});
const database = useTestDatabase(() => ({ DATA_DIR: dataDir, STRIPE_EMULATOR_PORT: String(emulator.port) }));
beforeAll(async () => {
  useStripe(createStripeClient(getConfig()));
  buildIfStale(root, () => {});
  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  server = await listen(createHttpApp({ build, config: getConfig(), root }), { host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  useStripe(undefined);
  await closeServer(server);
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the Stripe client factory", () => {
  it("points the official SDK at the emulator when no key is set, with the pinned API version", async () => {
    const stripe = createStripeClient(getConfig());
    const customer = await stripe.customers.create({ email: "ada@example.com" });
    expect(customer.id).toMatch(/^cus_/);
    expect(STRIPE_API_VERSION).toBe("2026-10-28.endive");
  });

  it("refuses live keys before any client exists", () => {
    expect(() => parseConfig({ STRIPE_SECRET_KEY: "sk_live_123" })).toThrow(/live key/);
    expect(() => parseConfig({ STRIPE_SECRET_KEY: "rk_live_123" })).toThrow(/live key/);
  });

  it("a card saved for later that fails when charged off-session gives card_declined; pm_card_visa succeeds", async () => {
    const stripe = createStripeClient(getConfig());
    const customer = await stripe.customers.create({ email: "backer@example.com" });
    const failing = await stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customer.id });
    const error = await stripe.paymentIntents
      .create({
        amount: 2500,
        currency: "usd",
        customer: customer.id,
        payment_method: failing.id,
        off_session: true,
        confirm: true,
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((error as Stripe.errors.StripeCardError).code).toBe("card_declined");

    const visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const paid = await stripe.paymentIntents.create({
      amount: 2500,
      currency: "usd",
      customer: customer.id,
      payment_method: visa.id,
      off_session: true,
      confirm: true,
      expand: ["latest_charge.balance_transaction"],
    });
    expect(paid.status).toBe("succeeded");
    const charge = paid.latest_charge as Stripe.Charge;
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBe(Math.round(2500 * 0.029) + 30);
  });
});

describe("POST /webhooks/stripe", () => {
  const url = () => `${base}/webhooks/stripe`;

  it("receives the emulator's signed events and stores each once", async () => {
    const stripe = createStripeClient(getConfig());
    await registerEmulatorWebhook(stripe, getConfig(), url());
    expect(getWebhookSecret()).toMatch(/^whsec_/);
    // Registering again keeps the same endpoint and secret.
    const secret = getWebhookSecret();
    await registerEmulatorWebhook(stripe, getConfig(), url());
    expect(getWebhookSecret()).toBe(secret);
    expect((await stripe.webhookEndpoints.list()).data.filter((e) => e.url === url())).toHaveLength(1);

    const customer = await stripe.customers.create({ email: "hook@example.com" });
    await emulator.drainWebhooks(5000);
    const rows = await database()
      .db.selectFrom("stripe_events")
      .select(["id", "type", "payload"])
      .where("type", "=", "customer.created")
      .execute();
    expect(rows.some((r) => (r.payload as { data: { object: { id: string } } }).data.object.id === customer.id)).toBe(
      true,
    );
  });

  it("acknowledges a redelivered event without storing it twice", async () => {
    const secret = getWebhookSecret()!;
    const payload = JSON.stringify({
      id: "evt_dup_1",
      object: "event",
      type: "customer.updated",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: {} },
    });
    const send = () =>
      fetch(url(), {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret }),
        },
        body: payload,
      });
    const first = await send();
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    const second = await send();
    expect(await second.json()).toEqual({ received: true, duplicate: true });
    expect(
      await database().db.selectFrom("stripe_events").select("id").where("id", "=", "evt_dup_1").execute(),
    ).toHaveLength(1);
  });

  it.each([
    ["a missing signature", () => ({})],
    [
      "a forged signature",
      (payload: string) => ({
        "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_the_secret" }),
      }),
    ],
    [
      "a stale signature",
      (payload: string) => ({
        "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: getWebhookSecret()!,
          timestamp: Math.floor(Date.now() / 1000) - 600,
        }),
      }),
    ],
  ])("refuses %s with 400 and stores nothing", async (_label, headers) => {
    const id = `evt_forged_${Math.random().toString(36).slice(2)}`;
    const payload = JSON.stringify({
      id,
      object: "event",
      type: "checkout.session.completed",
      created: 1,
      livemode: false,
      data: { object: {} },
    });
    const res = await fetch(url(), {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers(payload) },
      body: payload,
    });
    expect(res.status).toBe(400);
    expect(await database().db.selectFrom("stripe_events").select("id").where("id", "=", id).execute()).toHaveLength(0);
  });
});
