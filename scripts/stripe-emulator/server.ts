// The HTTP front: bare node:http (no framework, see bench/results/emulator.md for why).
//
// An API request (/v1/...) goes through, in order:
//   authentication (any sk_test_/rk_test_ key) -> rate limit (429) -> body parsing ->
//   injected 500 (before any effect) -> idempotency (POST with Idempotency-Key) ->
//   the route handler, synchronously -> expand[] -> journal append -> fsync -> injected
//   slowness -> response.
// A POST or DELETE, with its idempotency record, is one step (Emulator.mutate): its changes are
// journaled right after the handler, and no response (of any request) goes out before the
// changes made so far are on disk (Emulator.durable). Hosted pages' form posts are steps too.
// Hosted pages (/c/pay, /3ds, /connect/onboarding) and /_emulator admin routes skip the
// API-only steps.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { adminRoutes } from "./admin.js";
import { API_VERSION } from "./api-version.js";
import type { Emulator } from "./emulator.js";
import type { IdempotencyRecord } from "./store.js";
import { applyExpand } from "./expand.js";
import {
  apiError,
  authenticationError,
  invalidRequest,
  rateLimitError,
  StripeApiError,
  unrecognizedRoute,
} from "./http/errors.js";
import { parseForm, type FormObject } from "./http/form.js";
import { Params } from "./http/params.js";
import { acceptingDeclaredParams, Router, type ApiHandler, type Method } from "./http/router.js";
import { newId } from "./ids.js";
import { IdempotencyLayer } from "./idempotency.js";
import { pageRoutes } from "./pages/index.js";
import type { PageHandler } from "./pages/layout.js";
import { apiRoutes } from "./resources/index.js";

const MAX_BODY_BYTES = 1024 * 1024;

const NO_KEY_MESSAGE =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalidRequest("Request body too large."));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function apiKeyOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  if (header.startsWith("Bearer ")) return header.slice(7).trim();
  if (header.startsWith("Basic ")) {
    // curl -u sk_test_xxx: sends the key as the Basic username.
    return Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0] ?? null;
  }
  return null;
}

function checkApiKey(key: string | null): void {
  if (!key) throw authenticationError(NO_KEY_MESSAGE);
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) {
    const shown =
      key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(Math.min(key.length - 12, 20))}${key.slice(-4)}` : key;
    const hint =
      key.startsWith("sk_live_") || key.startsWith("rk_live_")
        ? " The Stripe emulator only accepts test mode keys."
        : "";
    throw authenticationError(`Invalid API Key provided: ${shown}${hint}`);
  }
}

interface ExecutionResult {
  status: number;
  body: string;
  /** Stored under the idempotency key (success, or an error raised after the endpoint ran). */
  keep: boolean;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class EmulatorServer {
  readonly http: Server;
  private readonly api = new Router<ApiHandler>();
  private readonly pages = new Router<PageHandler>();
  private readonly idempotency: IdempotencyLayer;

  constructor(private readonly emu: Emulator) {
    for (const r of apiRoutes) this.api.add(r.method, r.path, acceptingDeclaredParams(r));
    for (const r of pageRoutes) this.pages.add(r.method, r.path, r.handler);
    this.idempotency = new IdempotencyLayer(
      () => emu.store.internal.idempotency,
      () => emu.now(),
    );
    this.idempotency.prune(true);
    this.http = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => this.crash(res, err));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const path = url.pathname;
    if (path.startsWith("/v1/")) return this.handleApi(req, res, url);
    if (path.startsWith("/_emulator/")) return this.handleAdmin(req, res, path);
    return this.handlePage(req, res, url);
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const emu = this.emu;
    const requestId = newId("req");
    const method = (req.method ?? "GET").toUpperCase();
    const idempotencyKey = method === "POST" ? ((req.headers["idempotency-key"] as string | undefined) ?? null) : null;
    emu.stats.requests++;
    const versionHeader = (req.headers["stripe-version"] as string | undefined) || null;
    // The version without beta flags ("2026-10-28.endive; some_beta=v1"): events render at it.
    const requestedVersion = versionHeader?.split(";")[0]!.trim() || null;
    const headers: Record<string, string> = {
      "request-id": requestId,
      "stripe-version": versionHeader ?? API_VERSION,
      "cache-control": "no-cache, no-store",
    };
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;

    let status = 200;
    let body: string;
    let slow = false;
    let sentRecord: IdempotencyRecord | null = null;
    try {
      checkApiKey(apiKeyOf(req));
      if (!emu.limiter.take()) {
        emu.stats.rateLimited++;
        throw rateLimitError();
      }
      const raw = await readBody(req);
      const { faults } = emu.config;
      if (faults.serverErrorRate > 0 && emu.rng() < faults.serverErrorRate) {
        emu.stats.injectedServerErrors++;
        throw apiError(
          "An unknown error occurred (injected by the Stripe emulator's fault injection; nothing was done).",
        );
      }
      slow = faults.slowRate > 0 && emu.rng() < faults.slowRate;
      const match = this.api.match(method, url.pathname);
      if (!match) throw unrecognizedRoute(method, url.pathname);
      const form = method === "POST" ? parseForm(raw) : parseForm(url.search.slice(1));
      const params = new Params(form);
      if (idempotencyKey) this.idempotency.maybePrune();

      // The request's step: the key's record, the handler, and the response stored under the key.
      const run = ():
        | { replay: { status: number; body: string } }
        | { result: ExecutionResult; record: IdempotencyRecord | null } => {
        const outcome = idempotencyKey
          ? this.idempotency.begin(idempotencyKey, method, url.pathname, JSON.stringify(form))
          : null;
        if (outcome?.kind === "replay") return { replay: outcome };
        const record = outcome?.record ?? null;
        let result: ExecutionResult;
        try {
          result = this.execute(
            match.value,
            method as Method,
            url.pathname,
            match.pathParams,
            params,
            requestId,
            idempotencyKey,
            requestedVersion,
          );
        } catch (err) {
          if (record) this.idempotency.release(record);
          throw err;
        }
        if (record) {
          if (result.keep) this.idempotency.complete(record, result.status, result.body);
          else this.idempotency.release(record);
        }
        return { result, record: record && result.keep ? record : null };
      };
      const out = method === "GET" ? run() : emu.mutate(run);
      if ("replay" in out) {
        emu.stats.idempotentReplays++;
        headers["idempotent-replayed"] = "true";
        ({ status, body } = out.replay);
      } else {
        ({ status, body } = out.result);
        sentRecord = out.record;
        if (slow) {
          // The work is done and on disk; only the answer is late, like a client timeout on a
          // request that succeeded server-side. Until it is sent the key answers 409.
          emu.stats.slowResponses++;
          await emu.durable();
          await sleep(emu.config.faults.slowMs);
        }
      }
    } catch (err) {
      const e = err instanceof StripeApiError ? err : this.internalError(err);
      status = e.status;
      body = JSON.stringify({ error: e.body });
      Object.assign(headers, e.headers);
      if (e.body.code === "idempotency_key_in_use" || (e.body.type === "idempotency_error" && e.status === 400)) {
        emu.stats.idempotencyConflicts++;
      }
    }
    // A GET can create too (`pm_card_visa` stands for a new PaymentMethod): journal what is pending.
    emu.changed();
    await emu.durable();
    if (sentRecord) this.idempotency.sent(sentRecord);
    this.send(res, status, headers, body, "application/json");
  }

  private execute(
    handler: ApiHandler,
    method: Method,
    path: string,
    pathParams: Record<string, string>,
    params: Params,
    requestId: string,
    idempotencyKey: string | null,
    apiVersion: string | null,
  ): ExecutionResult {
    const emu = this.emu;
    emu.currentRequest = { id: requestId, idempotency_key: idempotencyKey };
    emu.requestApiVersion = apiVersion;
    try {
      const result = handler(emu, { method, path, pathParams, params });
      return { status: 200, body: JSON.stringify(applyExpand(emu.store, result, params.expand())), keep: true };
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err;
      return { status: err.status, body: JSON.stringify({ error: err.body }), keep: err.idempotentResult };
    } finally {
      emu.currentRequest = null;
      emu.requestApiVersion = null;
    }
  }

  private internalError(err: unknown): StripeApiError {
    this.emu.log(`stripe-emulator: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return apiError("An unexpected error occurred in the Stripe emulator.");
  }

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const handler = adminRoutes[`${(req.method ?? "GET").toUpperCase()} ${path.replace(/\/$/, "")}`];
    if (!handler)
      return this.send(
        res,
        404,
        {},
        JSON.stringify({ error: { message: `No admin route ${req.method} ${path}` } }),
        "application/json",
      );
    let body: Record<string, unknown> = {};
    try {
      const raw = await readBody(req);
      if (raw.trim()) body = JSON.parse(raw) as Record<string, unknown>;
      const out = await handler(this.emu, body);
      this.emu.changed();
      await this.emu.durable();
      this.send(res, out.status, {}, JSON.stringify(out.body, null, 2), "application/json");
    } catch (err) {
      const message =
        err instanceof StripeApiError ? err.body.message : err instanceof Error ? err.message : String(err);
      this.send(res, 400, {}, JSON.stringify({ error: { message } }), "application/json");
    }
  }

  private async handlePage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    if (url.pathname === "/" && method === "GET") {
      return this.send(
        res,
        200,
        {},
        JSON.stringify({ object: "stripe_emulator", api: "/v1", admin: "/_emulator/stats" }),
        "application/json",
      );
    }
    const match = this.pages.match(method, url.pathname);
    if (!match) {
      return this.send(
        res,
        404,
        {},
        JSON.stringify({ error: unrecognizedRoute(method, url.pathname).body }),
        "application/json",
      );
    }
    let form: FormObject = {};
    try {
      if (method === "POST") form = parseForm(await readBody(req));
    } catch {
      form = {};
    }
    const acceptLanguage = req.headers["accept-language"] ?? null;
    const request = { pathParams: match.pathParams, query: url.searchParams, form, acceptLanguage };
    // A form post (paying, authenticating, onboarding) is a step like an API request: on disk
    // before the page answers.
    const out =
      method === "POST" ? this.emu.mutate(() => match.value(this.emu, request)) : match.value(this.emu, request);
    this.emu.changed();
    await this.emu.durable();
    if ("redirect" in out) {
      res.writeHead(303, { location: out.redirect, "cache-control": "no-store" });
      res.end();
      return;
    }
    this.send(
      res,
      out.status,
      {
        "cache-control": "no-store",
        "x-frame-options": "DENY",
        "content-security-policy":
          "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self' http: https:; base-uri 'none'",
      },
      out.html,
      "text/html; charset=utf-8",
    );
  }

  private send(res: ServerResponse, status: number, headers: Record<string, string>, body: string, type: string): void {
    if (res.headersSent || res.destroyed) return;
    this.emu.stats.countResponse(status);
    res.writeHead(status, { ...headers, "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body);
  }

  private crash(res: ServerResponse, err: unknown): void {
    const e = this.internalError(err);
    this.send(res, 500, {}, JSON.stringify({ error: e.body }), "application/json");
  }
}
