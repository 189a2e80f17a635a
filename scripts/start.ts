// npm start — builds when needed, migrates, seeds demo data into an empty database, and serves.
process.env.NODE_ENV ??= "production";

import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { closeDatabase } from "../app/db.server";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "../app/services/demo-seed.server";
import { loadConfigOrExit, openMigratedDatabase } from "./boot";
import { buildIfStale } from "./build-if-stale";
import { closeServer, createHttpApp, listen } from "./server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  const config = loadConfigOrExit();
  buildIfStale(root);

  const { handle, applied } = await openMigratedDatabase();
  if (applied.length) console.log(`Database (${handle.kind}): applied ${applied.length} migration(s).`);
  const seeded = config.demoMode ? await seedDemoData(handle.db) : false;
  if (seeded) console.log("Seeded demo data into the empty database.");

  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  const server = await listen(createHttpApp({ build, config, root }), { host: config.HOST, port: config.PORT });

  console.log("");
  console.log(`  Colecta is running at ${config.appUrl}`);
  console.log(`  Database: ${handle.kind === "embedded" ? `embedded PGlite in ${path.resolve(config.DATA_DIR)}` : "PostgreSQL server"}`);
  if (config.demoMode) {
    console.log(`  Demo logins (password "${DEMO_PASSWORD}"):`);
    for (const user of DEMO_USERS) console.log(`    ${user.email}${user.role ? `  (${user.role})` : ""}`);
  }
  console.log("  Press Ctrl-C to stop.");
  console.log("");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}; shutting down…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await closeServer(server);
    await closeDatabase();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.log(`Colecta could not start: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.log(error);
  process.exit(1);
});
