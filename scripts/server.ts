import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { Config } from "../app/config.server";
import { etagMatches, freshKey, recallFresh } from "../app/web/page-cache.server";
import { runInReadScope } from "../app/web/request-scope.server";
import { isCrossSiteRequest } from "../app/web/same-origin";

const MAX_BODY_BYTES = 12 * 1024 * 1024;

/**
 * The HTTP server: Express 4 with Remix's adapter (about twice remix-serve's throughput here),
 * static assets with long-lived caching for fingerprinted builds, and the checks every
 * request passes before reaching a route: body size and cross-site form posts.
 */
export function createHttpApp({ build, config, root }: { build: ServerBuild; config: Config; root: string }) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);
  app.use(compression());

  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  // Files in public/ all have an extension; a page's address never stats the disk.
  const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  app.use((req, res, next) => {
    const length = Number(req.headers["content-length"] ?? 0);
    if (length > MAX_BODY_BYTES) {
      res.status(413).type("text/plain").send("Request body too large.");
      return;
    }
    if (
      !req.path.startsWith("/webhooks/") &&
      // RFC 8058 one-click unsubscribe: mail providers POST from their own origin, without
      // cookies; the signed token in the path is the only credential, and it only turns mail off.
      !(req.method === "POST" && /^\/unsubscribe\/[^/]+\/one-click$/.test(req.path)) &&
      isCrossSiteRequest({
        method: req.method,
        origin: req.headers.origin,
        secFetchSite: req.headers["sec-fetch-site"] as string | undefined,
        host: req.headers.host,
        allowedOrigins: [new URL(config.appUrl).origin],
      })
    ) {
      res.status(403).type("text/plain").send("Cross-site form submissions are not accepted.");
      return;
    }
    next();
  });

  // A public page answered within the last PAGE_FRESH_SECONDS goes out again as it was (web/page-cache).
  app.use((req, res, next) => {
    if (config.PAGE_FRESH_SECONDS <= 0) return next();
    const key = freshKey({
      method: req.method,
      url: req.originalUrl,
      cookie: req.headers.cookie,
      acceptLanguage: req.headers["accept-language"],
    });
    const page = key ? recallFresh(key, config.PAGE_FRESH_SECONDS) : undefined;
    if (!page) return next();
    for (const [name, value] of page.headers) res.setHeader(name, value);
    if (etagMatches(req.headers["if-none-match"] ?? null, page.etag)) {
      res.removeHeader("Content-Type");
      res.status(304).end();
      return;
    }
    res.status(page.status).send(page.html);
  });

  const remix = createRequestHandler({
    build,
    mode: config.NODE_ENV === "development" ? "development" : "production",
    getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }),
  });
  app.all("*", (req, res, next) =>
    req.method === "GET" || req.method === "HEAD" ? runInReadScope(() => remix(req, res, next)) : remix(req, res, next),
  );
  return app;
}

/** Loads the production build and serves it on the configured host and port. */
export async function serveBuild({ config, root }: { config: Config; root: string }): Promise<Server> {
  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  return listen(createHttpApp({ build, config, root }), { host: config.HOST, port: config.PORT });
}

export function listen(app: express.Express, { host, port }: { host: string; port: number }): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once("listening", () => resolve(server));
    server.once("error", reject);
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 3000).unref();
  });
}
