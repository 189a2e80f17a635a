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

function openFromConfig(): Promise<DatabaseHandle> {
  const config = getConfig();
  return config.DATABASE_URL
    ? connectDatabase({
        url: config.DATABASE_URL,
        poolMax: config.DATABASE_POOL_MAX,
        preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      })
    : connectDatabase({ dataDir: config.DATA_DIR });
}
