import { sql } from "kysely";
import { connectDatabase } from "../../db/connect";
import { createTestDatabase } from "../support/database";

// On a PostgreSQL server each parameterised query is prepared once per connection. A schema
// change under a running site (a deploy's migration) must not break the statements prepared
// before it.

const serverUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!serverUrl)("prepared statements on the PostgreSQL server", () => {
  it("plans a query once per connection and reuses it", async () => {
    const test = await createTestDatabase();
    const handle = await connectDatabase({ url: test.url!, poolMax: 1 });
    try {
      for (let i = 0; i < 3; i++) await sql`select ${i}::int as n`.execute(handle.db);
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_prepared_statements where statement like 'select $1::int as n%'`.execute(
        handle.db,
      );
      expect(rows[0]!.n).toBe(1);
    } finally {
      await handle.close();
      await test.close();
    }
  });

  it("survives a column added after a statement was prepared: the query is prepared again and answers", async () => {
    const test = await createTestDatabase();
    const handle = await connectDatabase({ url: test.url!, poolMax: 1 });
    try {
      await sql`create table gadgets (id int primary key, name text)`.execute(handle.db);
      await sql`insert into gadgets values (1, 'lantern')`.execute(handle.db);
      const read = () => sql<Record<string, unknown>>`select * from gadgets where id = ${1}`.execute(handle.db);
      expect((await read()).rows).toEqual([{ id: 1, name: "lantern" }]);
      await sql`alter table gadgets add column colour text default 'green'`.execute(handle.db);
      expect((await read()).rows).toEqual([{ id: 1, name: "lantern", colour: "green" }]);
      // Inside a transaction the failure fails the transaction, as any error does; the next try works.
      await sql`alter table gadgets add column size int default 3`.execute(handle.db);
      await expect(
        handle.db.transaction().execute((trx) => sql`select * from gadgets where id = ${1}`.execute(trx)),
      ).rejects.toThrow(/cached plan/);
      await expect(
        handle.db.transaction().execute((trx) => sql`select * from gadgets where id = ${1}`.execute(trx)),
      ).resolves.toMatchObject({ rows: [{ id: 1, size: 3 }] });
    } finally {
      await handle.close();
      await test.close();
    }
  });

  it("can be turned off (DATABASE_PREPARED_STATEMENTS=false, for a transaction-pooling PgBouncer)", async () => {
    const test = await createTestDatabase();
    const handle = await connectDatabase({ url: test.url!, poolMax: 1, preparedStatements: false });
    try {
      await sql`select ${1}::int as n`.execute(handle.db);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(
        handle.db,
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      await handle.close();
      await test.close();
    }
  });
});
