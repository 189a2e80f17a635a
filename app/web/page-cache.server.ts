import crypto from "node:crypto";
import type { HeadersFunction } from "@remix-run/node";
import { SESSION_COOKIE } from "./session-cookie";

// HTTP caching for the public pages (home, discover, a project), and the render cache behind it.
//
// A public page is the same for everyone who is not signed in, so its response says so:
// `Cache-Control: public` with a short lifetime, a strong ETag naming its content, and
// `Vary: Cookie, Accept-Language` so a copy made for an anonymous visitor is never handed to a
// signed-in one (their Cookie differs) nor to a reader of the other language. Everything else,
// and a public page seen by someone signed in, is `private, no-store`: it may hold their name,
// their pledges or a form meant for them.
//
// The ETag is a hash of what the page is rendered from: the build, the address, and the loaders'
// data (Remix's serialised hand-off, which the page embeds). Equal data renders equal bytes, so a
// request whose data hashes to an ETag already rendered is answered with those bytes (or a 304)
// without rendering React again; a new pledge changes the total, hence the data, hence the ETag.
// Within PAGE_FRESH_SECONDS the same anonymous request is answered again without its loaders (below).

/** A browser or shared cache may reuse a public page for 10 s, and serve it stale for a minute while it revalidates. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=60";
export const PRIVATE_CACHE_CONTROL = "private, no-store";
export const PAGE_VARY = "Cookie, Accept-Language";

/** The loader's caching headers: public when nobody is signed in, private otherwise. */
export function publicPageHeaders(viewer: unknown): Record<string, string> {
  return { "Cache-Control": viewer ? PRIVATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL, Vary: PAGE_VARY };
}

/** A public route's `headers` export: the document carries what its loader decided. */
export const publicRouteHeaders: HeadersFunction = ({ loaderHeaders }) => ({
  "Cache-Control": loaderHeaders.get("Cache-Control") ?? PRIVATE_CACHE_CONTROL,
  Vary: PAGE_VARY,
});

/** The serialised `now` of a public page's data, to the minute: time left is shown in minutes at finest. */
export function pageNow(now: Date): string {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
}

/** A strong ETag over everything a page's bytes depend on. */
export function pageEtag(parts: { build: string; url: string; status: number; handoff: string }): string {
  const hash = crypto.createHash("sha256");
  for (const part of [parts.build, parts.url, String(parts.status), parts.handoff]) hash.update(part).update("\0");
  return `"${hash.digest("base64url").slice(0, 32)}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): the tags match ignoring W/. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** The SHA-256 hashes (base64) of a document's inline scripts, for a Content-Security-Policy. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(match[1]!)) continue;
    hashes.add(crypto.createHash("sha256").update(match[2]!, "utf8").digest("base64"));
  }
  return [...hashes];
}

export interface CachedPage {
  html: string;
  /** The page's inline script hashes, for its Content-Security-Policy. */
  scriptHashes: string[];
}

/**
 * Rendered public pages by ETag, least recently used first out, bounded in bytes. Concurrent
 * requests for a page not yet rendered share one render.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly rendering = new Map<string, Promise<CachedPage>>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  async get(etag: string, render: () => Promise<string>): Promise<CachedPage> {
    const cached = this.pages.get(etag);
    if (cached) {
      this.hits++;
      this.pages.delete(etag);
      this.pages.set(etag, cached);
      return cached;
    }
    const inFlight = this.rendering.get(etag);
    if (inFlight) return inFlight;
    this.misses++;
    const rendered = render().then(
      (html) => {
        const page = { html, scriptHashes: inlineScriptHashes(html) };
        this.store(etag, page);
        this.rendering.delete(etag);
        return page;
      },
      (error: unknown) => {
        this.rendering.delete(etag);
        throw error;
      },
    );
    this.rendering.set(etag, rendered);
    return rendered;
  }

  get size() {
    return this.pages.size;
  }

  private store(etag: string, page: CachedPage) {
    const size = page.html.length * 2;
    if (size > this.maxBytes) return;
    this.pages.set(etag, page);
    this.bytes += size;
    for (const [key, old] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(key);
      this.bytes -= old.html.length * 2;
    }
  }
}

/** A public page as last answered for one exact request shape, for the fresh window. */
export interface FreshPage {
  etag: string;
  status: number;
  headers: [string, string][];
  html: string;
  at: number;
  /** When one request was let through to answer the page afresh (the others meanwhile get this copy). */
  refreshingSince?: number;
}

const MAX_FRESH_PAGES = 2_000;
/** Past the window a page may still be given out while one request renews it, this long at most. */
const RENEWAL_GRACE_MS = 5_000;
/** A renewal that has not stored a page by then (it failed, or was not public) is tried again. */
const RENEWAL_TIMEOUT_MS = 2_000;

/**
 * The fresh window: for PAGE_FRESH_SECONDS after a public page was answered, the same request
 * (address, Cookie and Accept-Language, no session) is answered again without running its
 * loaders, as a reverse proxy's micro-cache would. Shared caches may already serve it for
 * max-age; this keeps a burst of anonymous views from costing the database a query each.
 * The HTTP server (loaded by tsx) and the app bundle each hold a copy of this module; the store
 * lives on a global symbol so both see one.
 */
const FRESH_KEY = Symbol.for("colecta.freshPages");
const freshHolder = globalThis as { [FRESH_KEY]?: Map<string, FreshPage> };
const freshPages = (freshHolder[FRESH_KEY] ??= new Map<string, FreshPage>());

/** The request shape a public page depends on, or null when it may not be answered from the window. */
export function freshKey(request: {
  method: string;
  url: string;
  cookie: string | null | undefined;
  acceptLanguage: string | null | undefined;
}): string | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  // Anyone with a session (even an expired one) goes through the loaders.
  if (request.cookie?.split(";").some((part) => part.trim().startsWith(`${SESSION_COOKIE}=`))) return null;
  return `${request.url}\n${request.cookie ?? ""}\n${request.acceptLanguage ?? ""}`;
}

export function rememberFresh(key: string, page: Omit<FreshPage, "at">) {
  freshPages.delete(key);
  freshPages.set(key, { ...page, at: Date.now() });
  if (freshPages.size > MAX_FRESH_PAGES) freshPages.delete(freshPages.keys().next().value!);
}

/**
 * The page answered for this key within the last `seconds`, if any. Once the window has passed,
 * one request is let through (undefined) to answer it afresh, and until its answer is stored the
 * others get the copy they would have had a moment before, so a busy page never sends every
 * concurrent request to the database at once.
 */
export function recallFresh(key: string, seconds: number, now = Date.now()): FreshPage | undefined {
  const page = freshPages.get(key);
  if (!page) return undefined;
  const age = now - page.at;
  if (age < seconds * 1000) return page;
  if (age >= seconds * 1000 + RENEWAL_GRACE_MS) {
    freshPages.delete(key);
    return undefined;
  }
  if (page.refreshingSince !== undefined && now - page.refreshingSince < RENEWAL_TIMEOUT_MS) return page;
  page.refreshingSince = now;
  return undefined;
}
