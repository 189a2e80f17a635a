// Shared plumbing for the Stripe contract suite. The same tests run against:
//  - the in-process emulator on a random port (default), or
//  - real Stripe test mode when STRIPE_SECRET_KEY=sk_test_... is set.
// Emulator-only checks (admin endpoints, faults, local webhooks, hosted pages) use
// `emulatorOnly`, which skips them against real Stripe.

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../scripts/stripe-emulator/index.js";

export const API_VERSION = "2026-10-28.endive";
const realKey = process.env.STRIPE_SECRET_KEY;
export const AGAINST_REAL_STRIPE = Boolean(realKey && realKey.startsWith("sk_test_"));

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

export interface Target {
  kind: "emulator" | "stripe";
  stripe: Stripe;
  /** Present only for the emulator target. */
  emulator: RunningEmulator | null;
  close(): Promise<void>;
}

export function stripeClient(port: number, opts: Partial<Stripe.StripeConfig> = {}): Stripe {
  return new Stripe("sk_test_emulator", {
    apiVersion: API_VERSION as Stripe.LatestApiVersion,
    host: "127.0.0.1",
    port,
    protocol: "http",
    maxNetworkRetries: 0,
    ...opts,
  });
}

/** Quiet emulator for tests: memory-only, random port, fast retries and async outcomes. */
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

export async function createTarget(opts: EmulatorOptions = {}): Promise<Target> {
  announce();
  if (AGAINST_REAL_STRIPE) {
    const stripe = new Stripe(realKey!, { apiVersion: API_VERSION as Stripe.LatestApiVersion, maxNetworkRetries: 2 });
    return { kind: "stripe", stripe, emulator: null, close: async () => {} };
  }
  const emulator = await startTestEmulator(opts);
  return { kind: "emulator", stripe: stripeClient(emulator.port), emulator, close: () => emulator.close() };
}

/** `describe` for emulator-only behaviour (admin endpoints, fault injection, local webhooks). */
export const emulatorOnly: typeof describe = (AGAINST_REAL_STRIPE ? describe.skip : describe) as typeof describe;

/** Polls until `fn` returns a truthy value (async outcomes: disputes, failed refunds, webhooks). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Catches the SDK error a call throws (fails the test if it does not throw). */
export async function stripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) return err;
    throw err;
  }
  throw new Error("expected the Stripe call to fail");
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A tiny local HTTP server for webhooks and success/cancel/return URLs. */
export interface LocalServer {
  url: string;
  received: ReceivedRequest[];
  /** Status to answer with for the next request (default 200). */
  respondWith: (status: (req: ReceivedRequest, index: number) => number) => void;
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  const received: ReceivedRequest[] = [];
  let statusFor: (req: ReceivedRequest, index: number) => number = () => 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      const status = statusFor(entry, received.length - 1);
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(
        status < 300 ? `<!doctype html><title>Local</title><h1>OK ${entry.url.replace(/[<>&"]/g, "")}</h1>` : "nope",
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith: (fn) => {
      statusFor = fn;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** JSON call to the emulator's admin API. */
export async function admin<T = Record<string, unknown>>(
  emulator: RunningEmulator,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Raw form-encoded API call, for what the SDK would never send (malformed bodies, bad keys). */
export async function rawApi(
  emulator: RunningEmulator,
  method: string,
  path: string,
  opts: { body?: string; key?: string | null; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...opts.headers };
  if (opts.key !== null) headers.authorization = `Bearer ${opts.key ?? "sk_test_raw"}`;
  const res = await fetch(`${emulator.url}${path}`, { method, headers, body: opts.body });
  return {
    status: res.status,
    headers: res.headers,
    json: (await res.json()) as { error?: Record<string, unknown> } & Record<string, unknown>,
  };
}

/** Submits the hosted checkout form without a browser; returns the raw response (no redirects followed). */
export async function submitHostedCheckout(sessionUrl: string, fields: Record<string, string>): Promise<Response> {
  return fetch(sessionUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

export const VISA_FORM = {
  email: "backer@example.com",
  name: "Ada Backer",
  card_number: "4242 4242 4242 4242",
  card_expiry: "12 / 34",
  card_cvc: "123",
};
