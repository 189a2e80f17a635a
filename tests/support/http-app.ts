import path from "node:path";
import type { Server } from "node:http";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll } from "vitest";
import { getConfig } from "~/config.server";
import { buildIfStale } from "../../scripts/build-if-stale";
import { closeServer, createHttpApp, listen } from "../../scripts/server";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The production HTTP stack (Express, the checks before Remix, the built app) on a free port of
 * this test process, using the file's test database. Returns the base URL's getter.
 */
export function useHttpApp(): () => string {
  let server: Server | undefined;
  let base = "";
  beforeAll(async () => {
    buildIfStale(root, () => {});
    const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
    server = await listen(createHttpApp({ build, config: getConfig(), root }), { host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    if (server) await closeServer(server);
  });
  return () => base;
}
