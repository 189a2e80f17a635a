import crypto from "node:crypto";
import { PassThrough, Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { getConfig } from "./config.server";
import {
  etagMatches,
  freshKey,
  inlineScriptHashes,
  PAGE_VARY,
  PageCache,
  pageEtag,
  PRIVATE_CACHE_CONTROL,
  PUBLIC_CACHE_CONTROL,
  rememberFresh,
} from "./web/page-cache.server";
import { securityHeaders } from "./web/security-headers";

const ABORT_DELAY = 5_000;
const PAGE_CACHE_BYTES = 32 * 1024 * 1024;
const pageCache = new PageCache(PAGE_CACHE_BYTES);

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  if (isPublicPage(request, responseStatusCode, responseHeaders, remixContext))
    return servePublicPage(request, responseStatusCode, responseHeaders, remixContext);
  responseHeaders.set("Cache-Control", PRIVATE_CACHE_CONTROL);
  return streamPage(request, responseStatusCode, responseHeaders, remixContext);
}

/**
 * A page the same for every anonymous visitor: its route said so (a public Cache-Control from
 * its loader), nobody is signed in, it is a plain 200 read, and it sets no cookie. Anything
 * else is rendered for this request alone and marked private.
 */
function isPublicPage(request: Request, status: number, headers: Headers, context: EntryContext): boolean {
  const { loaderData, actionData, errors } = context.staticHandlerContext;
  const root = loaderData.root as { user?: unknown } | undefined;
  return (
    (request.method === "GET" || request.method === "HEAD") &&
    status === 200 &&
    headers.get("Cache-Control") === PUBLIC_CACHE_CONTROL &&
    !headers.has("Set-Cookie") &&
    root !== undefined &&
    !root.user &&
    !actionData &&
    !errors
  );
}

/**
 * A public page: answered with a 304 when the browser's copy is current, else with the bytes
 * rendered for the same data before (or rendered now, once, and kept). Its inline scripts are
 * allowed by hash: a nonce in a page served to many would be no secret.
 */
async function servePublicPage(request: Request, status: number, headers: Headers, context: EntryContext) {
  const url = new URL(request.url);
  const etag = pageEtag({
    build: context.manifest.version,
    url: url.pathname + url.search,
    status,
    handoff: context.serverHandoffString ?? "",
  });
  headers.set("ETag", etag);
  headers.set("Cache-Control", PUBLIC_CACHE_CONTROL);
  headers.set("Vary", PAGE_VARY);
  if (etagMatches(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
  const render = () => renderDocument(request, context);
  const page = getConfig().PAGE_CACHE
    ? await pageCache.get(etag, render)
    : await render().then((html) => ({ html, scriptHashes: inlineScriptHashes(html) }));
  headers.set("Content-Type", "text/html; charset=utf-8");
  for (const [name, value] of Object.entries(securityHeaders(getConfig(), { hashes: page.scriptHashes })))
    headers.set(name, value);
  const key = freshKey({
    method: request.method,
    url: url.pathname + url.search,
    cookie: request.headers.get("Cookie"),
    acceptLanguage: request.headers.get("Accept-Language"),
  });
  if (key && getConfig().PAGE_FRESH_SECONDS > 0)
    rememberFresh(key, { etag, status, headers: [...headers.entries()], html: page.html });
  return new Response(page.html, { status, headers });
}

/** The whole document as a string, every Suspense boundary resolved, with no nonce in it. */
function renderDocument(request: Request, context: EntryContext): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        resolve(Buffer.concat(chunks).toString("utf8"));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={context} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        onAllReady: () => pipe(sink),
        onShellError: reject,
        onError: (error: unknown) => reject(error),
      },
    );
    setTimeout(abort, ABORT_DELAY).unref();
  });
}

/** Any other page: streamed as it renders, its inline scripts carrying a fresh nonce. */
function streamPage(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  // A fresh nonce per page: only the scripts this render writes may run (see web/security-headers).
  const nonce = crypto.randomBytes(16).toString("base64");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          for (const [name, value] of Object.entries(securityHeaders(getConfig(), { nonce })))
            responseHeaders.set(name, value);
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are logged here; before it, Remix logs them.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(`[colecta] ${request.method} ${new URL(request.url).pathname} failed:`, error);
}
