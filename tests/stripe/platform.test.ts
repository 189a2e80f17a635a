// Contract: what surrounds the resources — authentication, errors, pagination, expand,
// idempotency, events and signed webhooks — plus the emulator's own controls (rate limit,
// fault injection, persistence, admin endpoints).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import { emulatorOnly, startTestEmulator, stripeClient, useTarget } from "../support/stripe";
import { admin, eventually, rawApi, startLocalServer, stripeError, type LocalServer } from "./support.js";

const target = await useTarget();
const { stripe } = target;

describe("errors", () => {
  it("unknown ids are 404 resource_missing", async () => {
    const err = await stripeError(stripe.paymentIntents.retrieve("pi_doesnotexist"));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe("resource_missing");
    expect(err.type).toBe("StripeInvalidRequestError");
  });

  it("missing parameters are parameter_missing with the param named", async () => {
    const err = await stripeError(stripe.refunds.create({}));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe("parameter_missing");
    const err2 = await stripeError(
      stripe.checkout.sessions.create({
        mode: "payment",
        line_items: [{ price_data: { currency: "usd", product_data: { name: "x" } }, quantity: 1 }],
      } as Stripe.Checkout.SessionCreateParams),
    );
    expect(err2.param).toBe("line_items[0][price_data][unit_amount]");
  });

  it("non-integer amounts are rejected", async () => {
    const err = await stripeError(stripe.paymentIntents.create({ amount: 10.5, currency: "usd" }));
    expect(err.statusCode).toBe(400);
    expect(err.param).toBe("amount");
  });
});

describe("pagination and expand", () => {
  it("walks a list with limit, starting_after and ending_before", async () => {
    const tag = `page_${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stripe.customers.create({ email: `${tag}@example.com` })).id);
    const newestFirst = [...ids].reverse();
    const page1 = await stripe.customers.list({ email: `${tag}@example.com`, limit: 2 });
    expect(page1.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.has_more).toBe(true);
    expect(page1.url).toBe("/v1/customers");
    const page2 = await stripe.customers.list({
      email: `${tag}@example.com`,
      limit: 2,
      starting_after: page1.data[1]!.id,
    });
    expect(page2.data.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));
    const page3 = await stripe.customers.list({
      email: `${tag}@example.com`,
      limit: 2,
      starting_after: page2.data[1]!.id,
    });
    expect(page3.data.map((c) => c.id)).toEqual(newestFirst.slice(4));
    expect(page3.has_more).toBe(false);
    const back = await stripe.customers.list({
      email: `${tag}@example.com`,
      limit: 2,
      ending_before: page3.data[0]!.id,
    });
    expect(back.data.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));
    const all: string[] = [];
    for await (const c of stripe.customers.list({ email: `${tag}@example.com`, limit: 2 })) all.push(c.id);
    expect(all).toEqual(newestFirst);
    const tooBig = await stripeError(stripe.customers.list({ limit: 101 }));
    expect(tooBig.param).toBe("limit");
  });
});

describe("idempotency", () => {
  it("replays the first response for the same key and parameters", async () => {
    const key = `idem_${Date.now()}_a`;
    const a = await stripe.customers.create({ email: "idem@example.com" }, { idempotencyKey: key });
    const b = await stripe.customers.create({ email: "idem@example.com" }, { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers["idempotent-replayed"]).toBe("true");
  });

  it("refuses the same key with other parameters (400 idempotency_error)", async () => {
    const key = `idem_${Date.now()}_b`;
    await stripe.customers.create({ email: "one@example.com" }, { idempotencyKey: key });
    const err = await stripeError(stripe.customers.create({ email: "two@example.com" }, { idempotencyKey: key }));
    expect(err.statusCode).toBe(400);
    expect(err.type).toBe("StripeIdempotencyError");
  });

  it("replays a declined off-session charge instead of charging again", async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customer.id });
    const key = `idem_${Date.now()}_c`;
    const params = {
      amount: 1000,
      currency: "usd",
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      off_session: true,
    };
    const first = await stripeError(stripe.paymentIntents.create(params, { idempotencyKey: key }));
    const second = await stripeError(stripe.paymentIntents.create(params, { idempotencyKey: key }));
    expect(second.payment_intent?.id).toBe(first.payment_intent?.id);
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
  });
});

emulatorOnly("emulator controls", () => {
  it("refuses a missing, malformed or live API key with 401", async () => {
    const emu = target.emulator!;
    const none = await rawApi(emu, "GET", "/v1/customers", { key: null });
    expect(none.status).toBe(401);
    expect(String(none.json.error?.message)).toContain("You did not provide an API key");
    const live = await stripeError(
      new Stripe("sk_live_abcdefghijklmnop", {
        host: "127.0.0.1",
        port: emu.port,
        protocol: "http",
        maxNetworkRetries: 0,
      }).customers.list(),
    );
    expect(live.statusCode).toBe(401);
    expect(live.type).toBe("StripeAuthenticationError");
    const publishable = await rawApi(emu, "GET", "/v1/customers", { key: "pk_test_123" });
    expect(publishable.status).toBe(401);
  });

  it("answers unknown routes and malformed bodies with Stripe errors, never crashing", async () => {
    const emu = target.emulator!;
    const route = await rawApi(emu, "GET", "/v1/nope");
    expect(route.status).toBe(404);
    expect(String(route.json.error?.message)).toContain("Unrecognized request URL");
    const pct = await rawApi(emu, "POST", "/v1/customers", { body: "email=%E0%A4%A" });
    expect(pct.status).toBe(400);
    const brackets = await rawApi(emu, "POST", "/v1/customers", { body: "metadata[a=1" });
    expect(brackets.status).toBe(400);
    const conflict = await rawApi(emu, "POST", "/v1/customers", { body: "metadata=x&metadata[a]=1" });
    expect(conflict.status).toBe(400);
    const proto = await rawApi(emu, "POST", "/v1/customers", { body: "metadata[__proto__][x]=1" });
    expect(proto.status).toBe(400);
    const nested = await rawApi(emu, "POST", "/v1/customers", { body: "email[x]=1" });
    expect(nested.status).toBe(400);
    expect(nested.json.error?.param).toBe("email");
    const ok = await rawApi(emu, "GET", "/v1/customers?limit=1");
    expect(ok.status).toBe(200);
  });

  it("answers a concurrent request with the same key with 409 while the first is in flight", async () => {
    const emu = target.emulator!;
    emu.configure({ faults: { slowRate: 1, slowMs: 400 } });
    const key = `idem_${Date.now()}_d`;
    try {
      const first = stripe.customers.create({ email: "slow@example.com" }, { idempotencyKey: key });
      await new Promise((r) => setTimeout(r, 100));
      emu.configure({ faults: { slowRate: 0 } });
      const err = await stripeError(stripe.customers.create({ email: "slow@example.com" }, { idempotencyKey: key }));
      expect(err.statusCode).toBe(409);
      expect(err.code).toBe("idempotency_key_in_use");
      const created = await first;
      const replay = await stripe.customers.create({ email: "slow@example.com" }, { idempotencyKey: key });
      expect(replay.id).toBe(created.id);
    } finally {
      emu.configure({ faults: { slowRate: 0 } });
    }
  });

  it("slow responses outlive a client timeout but the operation happened", async () => {
    const emu = target.emulator!;
    emu.configure({ faults: { slowRate: 1, slowMs: 300 } });
    const impatient = stripeClient(emu.port, { timeout: 100 });
    const key = `idem_${Date.now()}_slow`;
    try {
      const err = await stripeError(
        impatient.customers.create({ email: "timeout@example.com" }, { idempotencyKey: key }),
      );
      expect(err.type).toBe("StripeConnectionError");
    } finally {
      emu.configure({ faults: { slowRate: 0 } });
    }
    await new Promise((r) => setTimeout(r, 350));
    const replay = await stripe.customers.create({ email: "timeout@example.com" }, { idempotencyKey: key });
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
  });

  it("injected 500s have no effect, and a retry with the same key then succeeds", async () => {
    const emu = target.emulator!;
    const before = (emu.stats().objects as Record<string, number>).customers!;
    emu.configure({ faults: { serverErrorRate: 1 } });
    const key = `idem_${Date.now()}_e`;
    try {
      const err = await stripeError(stripe.customers.create({ email: "fault@example.com" }, { idempotencyKey: key }));
      expect(err.statusCode).toBe(500);
      expect(err.type).toBe("StripeAPIError");
    } finally {
      emu.configure({ faults: { serverErrorRate: 0 } });
    }
    expect((emu.stats().objects as Record<string, number>).customers).toBe(before);
    const ok = await stripe.customers.create({ email: "fault@example.com" }, { idempotencyKey: key });
    expect(ok.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect((emu.stats().objects as Record<string, number>).customers).toBe(before + 1);
  });

  it("fault injection is reproducible with a seed", async () => {
    const pattern = async () => {
      const emu = await startTestEmulator({ faults: { seed: 42, serverErrorRate: 0.5 } });
      const client = stripeClient(emu.port);
      const outcomes: number[] = [];
      for (let i = 0; i < 12; i++)
        outcomes.push(
          await client.customers.list().then(
            () => 200,
            (e: Stripe.errors.StripeError) => e.statusCode ?? 0,
          ),
        );
      await emu.close();
      return outcomes;
    };
    const a = await pattern();
    expect(a).toContain(500);
    expect(a).toContain(200);
    expect(await pattern()).toEqual(a);
  });

  it("rate limits with Stripe's 429 when configured (token bucket)", async () => {
    const emu = await startTestEmulator({ rateLimitPerSecond: 5 });
    const client = stripeClient(emu.port);
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          client.customers.list().then(
            () => 200,
            (e: Stripe.errors.StripeError) => e,
          ),
        ),
      );
      const limited = results.filter((r): r is Stripe.errors.StripeError => r !== 200);
      expect(limited.length).toBeGreaterThanOrEqual(6);
      expect(limited[0]!.statusCode).toBe(429);
      expect(limited[0]!.type).toBe("StripeRateLimitError");
      expect(limited[0]!.code).toBe("rate_limit");
      const stats = await admin(emu, "GET", "/_emulator/stats");
      expect(stats.body.rateLimited).toBe(limited.length);
      await new Promise((r) => setTimeout(r, 400));
      await expect(client.customers.list()).resolves.toBeTruthy();
      await admin(emu, "POST", "/_emulator/config", { rateLimitPerSecond: null });
      await Promise.all(Array.from({ length: 20 }, () => client.customers.list()));
    } finally {
      await emu.close();
    }
  });

  it("admin endpoints: config validation, stats, reset", async () => {
    const emu = await startTestEmulator();
    try {
      const bad = await admin(emu, "POST", "/_emulator/config", { faults: { serverErrorRate: 2 } });
      expect(bad.status).toBe(400);
      const cfg = await admin<{ fees: { percentBps: number } }>(emu, "POST", "/_emulator/config", {
        fees: { percentBps: 150 },
      });
      expect(cfg.body.fees.percentBps).toBe(150);
      await stripeClient(emu.port).customers.create({});
      expect(((await admin(emu, "GET", "/_emulator/stats")).body.objects as Record<string, number>).customers).toBe(1);
      await admin(emu, "POST", "/_emulator/reset");
      expect(((await admin(emu, "GET", "/_emulator/stats")).body.objects as Record<string, number>).customers).toBe(0);
    } finally {
      await emu.close();
    }
  });

  it("persists customers, cards and payments across a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "stripe-emulator-"));
    try {
      const first = await startTestEmulator({ dataDir, port: 0 });
      const c1 = stripeClient(first.port);
      const customer = await c1.customers.create({ email: "persist@example.com" });
      const pm = await c1.paymentMethods.attach("pm_card_authenticationRequiredOnSetup", { customer: customer.id });
      const pi = await c1.paymentIntents.create(
        { amount: 1200, currency: "usd", customer: customer.id, payment_method: "pm_card_visa", confirm: true },
        { idempotencyKey: "persist-key" },
      );
      await first.close();

      const second = await startTestEmulator({ dataDir, port: 0 });
      const c2 = stripeClient(second.port);
      expect((await c2.customers.retrieve(customer.id)).id).toBe(customer.id);
      expect((await c2.paymentMethods.retrieve(pm.id)).customer).toBe(customer.id);
      const again = await c2.paymentIntents.retrieve(pi.id, { expand: ["latest_charge.balance_transaction"] });
      expect(again.status).toBe("succeeded");
      const replay = await c2.paymentIntents.create(
        { amount: 1200, currency: "usd", customer: customer.id, payment_method: "pm_card_visa", confirm: true },
        { idempotencyKey: "persist-key" },
      );
      expect(replay.id).toBe(pi.id);
      // The card's test behaviour survives too: 3155 still needs authentication off-session.
      const err = await stripeError(
        c2.paymentIntents.create({
          amount: 1200,
          currency: "usd",
          customer: customer.id,
          payment_method: pm.id,
          confirm: true,
          off_session: true,
        }),
      );
      expect(err.code).toBe("authentication_required");
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

emulatorOnly("events and webhooks", () => {
  let hooks: LocalServer;
  beforeAll(async () => {
    hooks = await startLocalServer();
  });
  afterAll(() => hooks.close());

  it("records events with snapshots and filters by type", async () => {
    const customer = await stripe.customers.create({ email: "events@example.com" });
    const list = await stripe.events.list({ type: "customer.created", limit: 5 });
    const event = list.data.find((e) => (e.data.object as Stripe.Customer).id === customer.id)!;
    expect(event.id).toMatch(/^evt_/);
    expect(event.object).toBe("event");
    expect((await stripe.events.retrieve(event.id)).type).toBe("customer.created");
    const wildcard = await stripe.events.list({ type: "customer.*", limit: 100 });
    expect(wildcard.data.every((e) => e.type.startsWith("customer."))).toBe(true);
  });

  it("delivers signed webhooks that constructEvent verifies, retrying after a non-2xx", async () => {
    const emu = target.emulator!;
    const endpoint = await stripe.webhookEndpoints.create({
      url: `${hooks.url}/webhooks/stripe`,
      enabled_events: ["payment_intent.succeeded", "charge.succeeded"],
    });
    expect(endpoint.id).toMatch(/^we_/);
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret).toBeUndefined();

    let failuresLeft = 2;
    hooks.respondWith(() => (failuresLeft-- > 0 ? 500 : 200));
    const customer = await stripe.customers.create({});
    const pi = await stripe.paymentIntents.create({
      amount: 900,
      currency: "usd",
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
    });

    const received = await eventually(() => {
      const ok = hooks.received.filter((r) => r.url === "/webhooks/stripe");
      return ok.length >= 4 ? ok : null;
    });
    expect(await emu.drainWebhooks()).toBe(true);
    const events = received.map((r) =>
      stripe.webhooks.constructEvent(r.body, r.headers["stripe-signature"] as string, endpoint.secret!),
    );
    const types = new Set(events.map((e) => e.type));
    expect(types).toEqual(new Set(["payment_intent.succeeded", "charge.succeeded"]));
    const succeeded = events.find((e) => e.type === "payment_intent.succeeded")!;
    expect((succeeded.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect(() =>
      stripe.webhooks.constructEvent(
        received[0]!.body,
        received[0]!.headers["stripe-signature"] as string,
        "whsec_wrong",
      ),
    ).toThrow();
    const attempts = emu.webhookAttempts().filter((a) => a.endpointId === endpoint.id);
    expect(attempts.filter((a) => a.status === 500)).toHaveLength(2);
    expect(attempts.filter((a) => a.status === 200)).toHaveLength(2);
    await stripe.webhookEndpoints.del(endpoint.id);
    hooks.respondWith(() => 200);
  });

  it("gives up after maxAttempts and can duplicate deliveries on purpose", async () => {
    const emu = target.emulator!;
    hooks.received.length = 0;
    const endpoint = await stripe.webhookEndpoints.create({ url: `${hooks.url}/dup`, enabled_events: ["*"] });
    emu.configure({ faults: { duplicateWebhookRate: 1 } });
    try {
      await stripe.customers.create({ email: "dup@example.com" });
    } finally {
      emu.configure({ faults: { duplicateWebhookRate: 0 } });
    }
    await emu.drainWebhooks();
    const dup = hooks.received.filter((r) => r.url === "/dup").map((r) => (JSON.parse(r.body) as Stripe.Event).id);
    expect(dup).toHaveLength(2);
    expect(dup[0]).toBe(dup[1]);

    hooks.respondWith(() => 503);
    await stripe.customers.create({ email: "down@example.com" });
    expect(await emu.drainWebhooks(5000)).toBe(true);
    const gaveUp = emu.webhookAttempts().filter((a) => a.endpointId === endpoint.id && a.status === 503);
    expect(gaveUp).toHaveLength(4); // maxAttempts in tests
    hooks.respondWith(() => 200);
    await stripe.webhookEndpoints.del(endpoint.id);
  });

  it("registers endpoints given at start-up with a fixed secret, and can reorder deliveries", async () => {
    const local = await startLocalServer();
    const emu = await startTestEmulator({
      webhooks: [{ url: `${local.url}/hooks`, secret: "whsec_fixed_for_tests", enabledEvents: ["customer.created"] }],
      faults: { seed: 5, reorderWebhookRate: 0.5, reorderDelayMs: 100 },
    });
    try {
      const client = stripeClient(emu.port);
      const created: string[] = [];
      for (let i = 0; i < 8; i++) created.push((await client.customers.create({ email: `r${i}@example.com` })).id);
      expect(await emu.drainWebhooks()).toBe(true);
      const delivered = local.received.map((r) => {
        const event = client.webhooks.constructEvent(
          r.body,
          r.headers["stripe-signature"] as string,
          "whsec_fixed_for_tests",
        );
        return (event.data.object as Stripe.Customer).id;
      });
      expect([...delivered].sort()).toEqual([...created].sort());
      expect(delivered).not.toEqual(created); // some deliveries were overtaken
      expect((emu.stats().webhooks as { reordered: number }).reordered).toBeGreaterThan(0);
    } finally {
      await emu.close();
      await local.close();
    }
  });
});
