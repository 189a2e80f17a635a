import { PGlite } from "@electric-sql/pglite";
import { Kysely, sql } from "kysely";
import { PGliteDialect } from "../../db/pglite-dialect";
import { createTestDatabase } from "../support/database";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the database driver keeps transactions apart", () => {
  it("a transaction that rolls back leaves no trace, while a concurrent one commits", async () => {
    const { db, close } = await createTestDatabase();
    try {
      const failing = db.transaction().execute(async (trx) => {
        await trx
          .insertInto("users")
          .values({ email: "rolled-back@example.com", name: "A", password_hash: "x" })
          .execute();
        await sleep(50); // give the other transaction every chance to interleave
        throw new Error("boom");
      });
      const succeeding = db.transaction().execute(async (trx) => {
        await sleep(10);
        await trx
          .insertInto("users")
          .values({ email: "committed@example.com", name: "B", password_hash: "x" })
          .execute();
        await sleep(50);
        const seen = await trx.selectFrom("users").select("email").execute();
        return seen.map((r) => r.email);
      });
      const [failed, committed] = await Promise.allSettled([failing, succeeding]);

      expect(failed.status).toBe("rejected");
      expect(committed.status).toBe("fulfilled");
      // The committing transaction never saw the other's uncommitted row.
      expect((committed as PromiseFulfilledResult<string[]>).value).toEqual(["committed@example.com"]);
      const after = await db.selectFrom("users").select("email").orderBy("email").execute();
      expect(after.map((r) => r.email)).toEqual(["committed@example.com"]);
    } finally {
      await close();
    }
  });

  it("many concurrent read-modify-write transactions lose no update", async () => {
    const { db, close } = await createTestDatabase();
    try {
      await db.insertInto("rate_limits").values({ key: "counter", window_started_at: new Date(), hits: 0 }).execute();
      await Promise.all(
        Array.from({ length: 25 }, () =>
          db.transaction().execute(async (trx) => {
            const row = await trx
              .selectFrom("rate_limits")
              .select("hits")
              .where("key", "=", "counter")
              .forUpdate()
              .executeTakeFirstOrThrow();
            await sleep(1);
            await trx
              .updateTable("rate_limits")
              .set({ hits: row.hits + 1 })
              .where("key", "=", "counter")
              .execute();
          }),
        ),
      );
      const row = await db
        .selectFrom("rate_limits")
        .select("hits")
        .where("key", "=", "counter")
        .executeTakeFirstOrThrow();
      expect(row.hits).toBe(25);
    } finally {
      await close();
    }
  });

  it("using `db` inside a transaction on the embedded database fails loudly instead of hanging", async () => {
    const pglite = await PGlite.create();
    // Raw SQL only: no tables to know.
    const db = new Kysely<Record<string, never>>({ dialect: new PGliteDialect(pglite, { leaseTimeoutMs: 200 }) });
    try {
      const misuse = db.transaction().execute(async () => {
        await sql`select 1`.execute(db);
      });
      await expect(misuse).rejects.toThrow(/inside a transaction instead of `trx`/);
      // The session is usable again afterwards.
      const { rows } = await sql<{ n: number }>`select 41 + 1 as n`.execute(db);
      expect(rows[0]!.n).toBe(42);
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
});
