import cluster from "node:cluster";
import { connectDatabase, type DatabaseHandle } from "../db/connect.js";
import { getConfig } from "./config.server";

/**
 * One database handle per process. It lives on globalThis because the server script and the
 * Remix server bundle are separate module graphs in the same process (and `remix dev` reloads the
 * bundle): a second PGlite on the same directory would corrupt it.
 */
const KEY = Symbol.for("colecta.database");
type Holder = { [KEY]?: Promise<DatabaseHandle> };
const holder = globalThis as Holder;

export function getDatabase(): Promise<DatabaseHandle> {
  holder[KEY] ??= openFromConfig();
  return holder[KEY];
}

export async function getDb() {
  return (await getDatabase()).db;
}

/** Installs an already-open handle (tests, scripts that opened their own). */
export function useDatabase(handle: DatabaseHandle) {
  holder[KEY] = Promise.resolve(handle);
}

export async function closeDatabase() {
  const pending = holder[KEY];
  delete holder[KEY];
  if (pending) await (await pending).close();
}

/**
 * Several web processes (WEB_CONCURRENCY) share DATABASE_POOL_MAX between them, at least 2 each,
 * so more cores do not multiply the connections to the server; the primary keeps its own pool.
 */
function poolShare(config: ReturnType<typeof getConfig>): number {
  if (!cluster.isWorker) return config.DATABASE_POOL_MAX;
  return Math.max(2, Math.ceil(config.DATABASE_POOL_MAX / config.webConcurrency));
}

function openFromConfig(): Promise<DatabaseHandle> {
  const config = getConfig();
  return config.DATABASE_URL
    ? connectDatabase({
        url: config.DATABASE_URL,
        poolMax: poolShare(config),
        preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      })
    : connectDatabase({ dataDir: config.DATA_DIR });
}
