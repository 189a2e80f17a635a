import fs from "node:fs";
import path from "node:path";
import { Migrator, NO_MIGRATIONS, sql } from "kysely";
import { migrations } from "../../db/migrations/index";
import { createTestDatabase } from "../support/database";

describe("migrations", () => {
  it("every file in db/migrations is registered, in order", () => {
    const files = fs
      .readdirSync(path.resolve(import.meta.dirname, "../../db/migrations"))
      .filter((f) => f !== "index.ts" && f.endsWith(".ts"))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
  });

  it("migrate all the way down and back up again", async () => {
    const { db, close } = await createTestDatabase();
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      const tables = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'users'`.execute(
        db,
      );
      expect(tables.rows[0]!.n).toBe(0);
      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      expect(up.results?.every((r) => r.status === "Success")).toBe(true);
    } finally {
      await close();
    }
  });

  it("stores money-sized bigints exactly and refuses ones that would lose precision", async () => {
    const { db, close } = await createTestDatabase();
    try {
      const { rows } = await sql<{ cents: number }>`select 900719925474099::bigint as cents`.execute(db);
      expect(rows[0]!.cents).toBe(900719925474099);
      await expect(sql`select 9007199254740993::bigint as too_big`.execute(db)).rejects.toThrow(/safe integer/);
    } finally {
      await close();
    }
  });
});
