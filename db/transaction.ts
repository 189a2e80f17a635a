import type { Db, Trx } from "./schema.js";

/** Runs `fn` in the caller's transaction when `db` is one, else in a new transaction. */
export function inTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Trx) : db.transaction().execute(fn);
}
