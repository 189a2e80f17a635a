import type { PGlite } from "@electric-sql/pglite";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

/**
 * A Kysely dialect for embedded PGlite.
 *
 * PGlite is a single PostgreSQL session. If two Kysely transactions shared it, their statements
 * would interleave inside one BEGIN...COMMIT and a rollback in one would undo (or a commit would
 * keep) the other's writes. So the session is handed out like a pool of size one: every query,
 * and every transaction from BEGIN to COMMIT/ROLLBACK, holds an exclusive lease.
 *
 * Consequence: inside `db.transaction().execute(trx => ...)` use `trx`, never `db`; a query on
 * `db` would wait for the lease the transaction holds. The lease wait is bounded so that mistake
 * fails loudly instead of hanging.
 */
export class PGliteDialect implements Dialect {
  constructor(
    private readonly pglite: PGlite,
    private readonly options: { leaseTimeoutMs?: number } = {},
  ) {}

  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.options.leaseTimeoutMs ?? 60_000);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class SessionLease {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves with a release function once every earlier holder has released. */
  acquire(timeoutMs: number): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => released);
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(
          new Error(
            `PGlite session lease not granted within ${timeoutMs} ms: is a query using \`db\` inside a transaction instead of \`trx\`?`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      previous.then(() => {
        clearTimeout(timer);
        // A waiter that gave up still holds its place in line: pass the turn straight on.
        if (timedOut) release();
        else resolve(once(release));
      });
    });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

class PGliteDriver implements Driver {
  readonly #lease = new SessionLease();
  readonly #releases = new WeakMap<DatabaseConnection, () => void>();

  constructor(
    private readonly pglite: PGlite,
    private readonly leaseTimeoutMs: number,
  ) {}

  async init() {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#lease.acquire(this.leaseTimeoutMs);
    const connection = new PGliteConnection(this.pglite);
    this.#releases.set(connection, release);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    let statement = "begin";
    if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) statement += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(connection: DatabaseConnection) {
    this.#releases.get(connection)?.();
    this.#releases.delete(connection);
  }

  async destroy() {
    // The PGlite instance is owned (and closed) by whoever created it.
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters]);
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("Streaming is not supported by the embedded database driver; page with keyset queries.");
  }
}
