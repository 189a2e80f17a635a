// The emulator's durability (decision 028): what a response acknowledged is on disk, so a kill -9
// right after a backer paid loses nothing. The emulator runs as its own process (main.ts, as
// `npm run stripe:emulator` starts it) on a temporary data dir, is killed with SIGKILL and
// started again on the same dir.
//
// Also: events rendered at the webhook endpoint's `api_version`, and `ui_mode` following the
// pinned API version.

import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import {
  emulatorOnly,
  startTestEmulator,
  stripeClient,
  submitHostedCheckout,
  useTestEmulator,
  VISA_FORM,
} from "../support/stripe";
import { eventually, startLocalServer, stripeError, type LocalServer } from "./support.js";

const PINNED = "2026-10-28.endive";

interface Child {
  process: ChildProcess;
  url: string;
  port: number;
  stripe: Stripe;
}

/** `npm run stripe:emulator` in its own process, on `dataDir`, on a free port. */
async function startChild(dataDir: string): Promise<Child> {
  const env: NodeJS.ProcessEnv = { ...process.env, STRIPE_EMULATOR_PORT: "0", DATA_DIR: dataDir };
  for (const name of Object.keys(env)) if (name.startsWith("STRIPE_EMULATOR_WEBHOOK")) delete env[name];
  delete env.STRIPE_EMULATOR_FAULTS;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/stripe-emulator/main.ts"], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited early with code ${code}: ${out}`)));
  });
  const port = Number(new URL(url).port);
  return { process: child, url, port, stripe: stripeClient(port) };
}

async function kill9(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((r) => child.process.once("exit", r));
  child.process.kill("SIGKILL");
  await exited;
}

async function adminGet<T>(child: Child, path: string): Promise<T> {
  return (await (await fetch(`${child.url}${path}`)).json()) as T;
}

interface PendingDelivery {
  eventId: string;
  endpointId: string;
  attempt: number;
  dueAt: number;
}

emulatorOnly("durability across kill -9", () => {
  let dataDir: string;
  let receiver: LocalServer;
  const children: Child[] = [];
  const start = async () => {
    const child = await startChild(dataDir);
    children.push(child);
    return child;
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "colecta-emulator-durability-"));
    receiver = await startLocalServer();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await kill9(child);
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps a paid Checkout, its customer, its pending webhook and idempotency keys", async () => {
    const first = await start();
    // The app's webhook answers 500 until the restart: the delivery stays pending, retrying.
    receiver.respondWith((req) => (req.url.startsWith("/webhooks") ? 500 : 200));
    const endpoint = await first.stripe.webhookEndpoints.create({
      url: `${receiver.url}/webhooks/stripe`,
      enabled_events: ["checkout.session.completed"],
    });
    const customer = await first.stripe.customers.create(
      { email: "durable@example.com", name: "Dora Durable" },
      { idempotencyKey: "durable-customer" },
    );
    const session = await first.stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [
        { price_data: { currency: "usd", unit_amount: 4500, product_data: { name: "Kiln kit" } }, quantity: 1 },
      ],
      payment_intent_data: { metadata: { pledge_id: "p_durable" } },
      success_url: `${receiver.url}/ok?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${receiver.url}/cancel`,
    });

    // The backer pays on the hosted page (the form a browser posts), and the process dies at once.
    const paid = await submitHostedCheckout(session.url!, VISA_FORM);
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`${receiver.url}/ok?session_id=${session.id}`);
    await kill9(first);

    const second = await start();
    expect((await second.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      id: customer.id,
      email: "durable@example.com",
    });
    const after = await second.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(after.status).toBe("complete");
    expect(after.payment_status).toBe("paid");
    const intent = after.payment_intent as Stripe.PaymentIntent;
    expect(intent.status).toBe("succeeded");
    expect(intent.amount_received).toBe(4500);

    // The delivery is still owed (the app has answered 500 so far).
    const completed = await second.stripe.events.list({ type: "checkout.session.completed" });
    expect(completed.data).toHaveLength(1);
    const event = completed.data[0]!;
    expect((event.data.object as Stripe.Checkout.Session).id).toBe(session.id);
    const owed = async (child: Child) =>
      (await adminGet<{ pending: PendingDelivery[] }>(child, "/_emulator/webhooks")).pending.filter(
        (d) => d.eventId === event.id && d.endpointId === endpoint.id,
      );
    expect(await owed(second)).toHaveLength(1);

    // Retrying: its attempt count and next due time survive a kill as well.
    const retrying = await eventually(async () => {
      const [d] = await owed(second);
      return d && d.attempt >= 2 ? d : null;
    });
    await kill9(second);
    const third = await start();
    const { stripe } = third;
    const [resumed] = await owed(third);
    expect(resumed!.attempt).toBeGreaterThanOrEqual(retrying.attempt);
    // Unless the new process has tried once more already, it is exactly where it was.
    if (resumed!.attempt === retrying.attempt) expect(resumed!.dueAt).toBe(retrying.dueAt);

    // The app is back: the delivery arrives, signed, after the restart.
    const from = receiver.received.length;
    receiver.respondWith(() => 200);
    const delivered = await eventually(
      () => receiver.received.slice(from).find((r) => r.url.startsWith("/webhooks") && r.body.includes(event.id)),
      15_000,
    );
    const received = Stripe.webhooks.constructEvent(
      delivered.body,
      delivered.headers["stripe-signature"] as string,
      endpoint.secret!,
    );
    expect(received.type).toBe("checkout.session.completed");
    expect(received.id).toBe(event.id);
    await eventually(async () => (await stripe.events.retrieve(event.id)).pending_webhooks === 0);
    expect(await owed(third)).toHaveLength(0);

    // A retry of the first idempotent request replays it: one customer, not two.
    const retried = await stripe.customers.create(
      { email: "durable@example.com", name: "Dora Durable" },
      { idempotencyKey: "durable-customer" },
    );
    expect(retried.id).toBe(customer.id);
    expect(retried.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await stripe.customers.list({ email: "durable@example.com" })).data).toHaveLength(1);
  });

  it("keeps a Checkout paid through the 3D Secure page", async () => {
    const first = await start();
    const session = await first.stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "eur", unit_amount: 2000, product_data: { name: "Tote" } }, quantity: 1 }],
      success_url: `${receiver.url}/ok?session_id={CHECKOUT_SESSION_ID}`,
    });
    const challenged = await submitHostedCheckout(session.url!, { ...VISA_FORM, card_number: "4000002760003184" });
    expect(challenged.status).toBe(303);
    const challenge = new URL(challenged.headers.get("location")!, first.url).toString();
    expect(challenge).toMatch(/\/3ds\/pi_/);
    const passed = await fetch(challenge, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "outcome=complete",
      redirect: "manual",
    });
    expect(passed.status).toBe(303);
    expect(passed.headers.get("location")).toBe(`${receiver.url}/ok?session_id=${session.id}`);
    await kill9(first);

    const second = await start();
    const after = await second.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(after.status).toBe("complete");
    expect((after.payment_intent as Stripe.PaymentIntent).status).toBe("succeeded");
  });

  it("runs a scheduled job (an asynchronous refund failure) after a restart", async () => {
    const first = await start();
    const pi = await first.stripe.paymentIntents.create({
      amount: 3000,
      currency: "usd",
      payment_method: "pm_card_refundFail",
      confirm: true,
    });
    const refund = await first.stripe.refunds.create({ payment_intent: pi.id });
    // Stripe answers "succeeded" and fails the refund a moment later (after asyncDelayMs, 1 s).
    expect(refund.status).toBe("succeeded");
    await kill9(first);

    const second = await start();
    const failed = await eventually(async () => {
      const r = await second.stripe.refunds.retrieve(refund.id);
      return r.status === "failed" ? r : null;
    }, 15_000);
    expect(failed.failure_reason).toBeTruthy();
    const events = await second.stripe.events.list({ type: "refund.failed" });
    expect(events.data.map((e) => (e.data.object as Stripe.Refund).id)).toEqual([refund.id]);
    const stats = await adminGet<{ scheduledJobs: number }>(second, "/_emulator/stats");
    expect(stats.scheduledJobs).toBe(0);
  });

  it("expires a Checkout Session on schedule after a restart", async () => {
    const first = await start();
    const session = await first.stripe.checkout.sessions.create({
      mode: "setup",
      success_url: `${receiver.url}/ok`,
      expires_at: Math.floor(Date.now() / 1000) + 31 * 60,
    });
    await kill9(first);

    const second = await start();
    expect((await second.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    const advanced = await fetch(`${second.url}/_emulator/clock/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ seconds: 32 * 60 }),
    });
    expect(((await advanced.json()) as { jobsRun: number }).jobsRun).toBe(1);
    expect((await second.stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
  });
});

emulatorOnly("the journal", () => {
  it("holds every acknowledged change, and a torn last line is dropped", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "colecta-emulator-journal-"));
    const copyDir = await mkdtemp(join(tmpdir(), "colecta-emulator-journal-copy-"));
    const running = await startTestEmulator({ dataDir });
    try {
      const client = stripeClient(running.port);
      const customer = await client.customers.create({ email: "journal@example.com" });
      await client.paymentIntents.create({
        amount: 1500,
        currency: "usd",
        customer: customer.id,
        payment_method: "pm_card_visa",
        confirm: true,
      });
      await client.customers.update(customer.id, { name: "Jo Journal" });
      // The files as a crash right now would leave them (nothing is flushed on purpose)...
      await cp(join(dataDir, "stripe-emulator"), join(copyDir, "stripe-emulator"), { recursive: true });
      const files = await readdir(join(copyDir, "stripe-emulator"));
      const journal = files.find((f) => /^journal\.\d+\.ndjson$/.test(f))!;
      expect((await readFile(join(copyDir, "stripe-emulator", journal), "utf8")).split("\n").length).toBeGreaterThan(2);
      // ...plus half a line, a write the crash interrupted (never acknowledged).
      await appendFile(join(copyDir, "stripe-emulator", journal), '{"c":{"customers":{"u":[{"id":"cus_torn","obj');

      const restored = await startTestEmulator({ dataDir: copyDir });
      try {
        const again = stripeClient(restored.port);
        expect(await again.customers.retrieve(customer.id)).toMatchObject({ name: "Jo Journal" });
        expect(restored.stats().objects).toEqual(running.stats().objects);
        expect((await stripeError(again.customers.retrieve("cus_torn"))).statusCode).toBe(404);
        // Compacted at start: one snapshot, an empty journal.
        const after = await readdir(join(copyDir, "stripe-emulator"));
        expect(after.filter((f) => f.startsWith("journal."))).toHaveLength(1);
      } finally {
        await restored.close();
      }
    } finally {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(copyDir, { recursive: true, force: true });
    }
  });
});

const { emulator, stripe } = await useTestEmulator();

emulatorOnly("API versions", () => {
  let receiver: LocalServer;
  beforeAll(async () => {
    receiver = await startLocalServer();
  });
  afterAll(() => receiver.close());

  it("renders events at the endpoint's api_version, or the account's default", async () => {
    const pinned = await stripe.webhookEndpoints.create({
      url: `${receiver.url}/old`,
      enabled_events: ["customer.created"],
      api_version: "2025-03-31.basil",
    });
    const unpinned = await stripe.webhookEndpoints.create({
      url: `${receiver.url}/default`,
      enabled_events: ["customer.created"],
    });
    expect(pinned.api_version).toBe("2025-03-31.basil");
    expect(unpinned.api_version).toBeNull();
    const customer = await stripe.customers.create({ email: "versions@example.com" });
    await emulator.drainWebhooks();
    const bodyAt = (path: string) => {
      const hit = receiver.received.find((r) => r.url === path && r.body.includes(customer.id));
      return JSON.parse(hit!.body) as Stripe.Event;
    };
    expect(bodyAt("/old").api_version).toBe("2025-03-31.basil");
    expect(bodyAt("/default").api_version).toBe(PINNED);
    expect(bodyAt("/old").id).toBe(bodyAt("/default").id);

    // Fetched by the API: the request's Stripe-Version, the default without one.
    const event = (await stripe.events.list({ type: "customer.created", limit: 1 })).data[0]!;
    expect(event.api_version).toBe(PINNED);
    const older = stripeClient(emulator.port, { apiVersion: "2025-03-31.basil" as typeof PINNED });
    expect((await older.events.retrieve(event.id)).api_version).toBe("2025-03-31.basil");
    const raw = await fetch(`${emulator.url}/v1/events/${event.id}`, {
      headers: { authorization: "Bearer sk_test_raw" },
    });
    expect(((await raw.json()) as Stripe.Event).api_version).toBe(PINNED);

    const err = await stripeError(
      stripe.webhookEndpoints.create({
        url: `${receiver.url}/bad`,
        enabled_events: ["*"],
        api_version: "latest" as Stripe.WebhookEndpointCreateParams.ApiVersion,
      }),
    );
    expect(err.statusCode).toBe(400);
    expect(err.param).toBe("api_version");
  });

  it("accepts the ui_mode values of the pinned version, and only those", async () => {
    const make = (ui_mode?: string) =>
      stripe.checkout.sessions.create({
        mode: "setup",
        success_url: `${receiver.url}/ok`,
        ...(ui_mode ? { ui_mode: ui_mode as Stripe.Checkout.SessionCreateParams.UiMode } : {}),
      });
    const hosted = await make();
    expect(hosted.ui_mode).toBe("hosted_page");
    expect(hosted.url).toMatch(/\/c\/pay\/cs_test_/);
    for (const mode of ["hosted_page", "embedded_page", "elements", "form"]) {
      expect((await make(mode)).ui_mode).toBe(mode);
    }
    for (const mode of ["hosted", "embedded", "custom", "popup"]) {
      const err = await stripeError(make(mode));
      expect(err.statusCode).toBe(400);
      expect(err.param).toBe("ui_mode");
    }
  });
});
