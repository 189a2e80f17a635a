import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { INT8_OID, parseInt8 } from "./int8.js";
import { PGliteDialect } from "./pglite-dialect.js";
import { PGLITE_EXTENSIONS } from "./pglite-extensions.js";
import type { Database } from "./schema.js";

export type DatabaseKind = "embedded" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Answers true when a trivial query succeeds within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export type ConnectOptions =
  { url: string; poolMax?: number; preparedStatements?: boolean } | { dataDir: string | null; loadDataDir?: Blob };

/** A real PostgreSQL server through `pg`, or embedded PGlite in a directory (null: in memory). */
export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  return "url" in options
    ? connectPostgres(options.url, options.poolMax ?? 10, options.preparedStatements ?? true)
    : connectEmbedded(options);
}

function connectPostgres(url: string, poolMax: number, preparedStatements: boolean): DatabaseHandle {
  const types = {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    types,
    ...(preparedStatements ? { Client: PreparingClient } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", (error) => console.warn(`[db] idle client error: ${error.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    kind: "postgres",
    ping: (timeoutMs) => (closed ? Promise.resolve(false) : ping(db, timeoutMs)),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

async function connectEmbedded(options: { dataDir: string | null; loadDataDir?: Blob }): Promise<DatabaseHandle> {
  let dataDir: string | undefined;
  let releaseLock = () => {};
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir, "pglite");
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
  }
  const pglite = await PGlite.create({
    dataDir,
    loadDataDir: options.loadDataDir,
    extensions: PGLITE_EXTENSIONS,
    parsers: { [INT8_OID]: parseInt8 },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  let closed = false;
  return {
    db,
    kind: "embedded",
    ping: (timeoutMs) => (closed ? Promise.resolve(false) : ping(db, timeoutMs)),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await pglite.close();
      releaseLock();
    },
  };
}

/** Statements a connection keeps prepared at most (queries differing only in IN-list length add up). */
const MAX_PREPARED_PER_CONNECTION = 1000;

/**
 * A connection that prepares each parameterised query once and reuses it: PostgreSQL then plans
 * it once (or keeps a generic plan) instead of parsing and planning on every execution, which
 * for the page queries cost more than running them. Statements are named by a hash of their
 * text. After a schema change a statement prepared before it may fail with "cached plan must not
 * change result type" (SQLSTATE 0A000): it is forgotten, prepared afresh under a new name, and the
 * query is retried when no transaction was open (inside one the transaction has failed, as any
 * error fails it). Queries without parameters (migrations, `begin`) go unprepared.
 */
class PreparingClient extends pg.Client {
  private readonly names = new Map<string, string>();
  private generation = 0;

  private nameFor(text: string): string | undefined {
    let name = this.names.get(text);
    if (!name && this.names.size < MAX_PREPARED_PER_CONNECTION) {
      name = `k${this.generation}_${crypto.createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
      this.names.set(text, name);
    }
    return name;
  }

  // pg's query() is heavily overloaded; this override handles the (text, values) form Kysely uses.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config !== "string" || !Array.isArray(values) || values.length === 0 || callback !== undefined)
      return super.query(config, values, callback);
    const name = this.nameFor(config);
    if (!name) return super.query(config, values);
    const idleBefore = this.getTransactionStatus() === "I";
    return (super.query({ name, text: config, values }) as Promise<pg.QueryResult>).catch((error: unknown) => {
      if ((error as { code?: string }).code !== "0A000") throw error;
      this.names.delete(config);
      this.generation++;
      if (!idleBefore) throw error;
      return this.query(config, values);
    });
  }
}

/**
 * The embedded database belongs to one process: a second one opening the same directory would
 * corrupt it. A lock file with the owner's pid refuses the second opener with a clear message
 * (a stale lock from a dead process is taken over).
 */
function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      const release = () => {
        try {
          if (fs.readFileSync(file, "utf8") === String(process.pid)) fs.rmSync(file);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(file, "utf8"));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `the embedded database in ${path.dirname(dataDir)} is in use by process ${owner} (only one process can open it; ` +
            "stop that process, or use a PostgreSQL server via DATABASE_URL to run several)",
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function ping(db: Kysely<Database>, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const ok = sql`select 1`.execute(db).then(
      () => true,
      () => false,
    );
    return await Promise.race([ok, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
