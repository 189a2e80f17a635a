// Plumbing for the Stripe contract suite. Which Stripe it talks to (the in-process emulator, or
// real Stripe test mode when STRIPE_SECRET_KEY=sk_test_... is set) is decided in one place,
// tests/support/stripe.ts (`createTarget`, `emulatorOnly`); this file holds what only the
// contract checks need.

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import type { RunningEmulator } from "../../scripts/stripe-emulator/index.js";

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

/** A local server for one test file: started when the file loads, closed after its tests. */
export async function useLocalServer(): Promise<LocalServer> {
  const server = await startLocalServer();
  afterAll(() => server.close());
  return server;
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
