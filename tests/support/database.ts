import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDatabase, useDatabase } from "~/db.server";
import { parseConfig, setConfig } from "~/config.server";
import { connectDatabase, type DatabaseHandle } from "../../db/connect";
import { databaseUrl, withAdmin } from "./global-setup";

/**
 * A database of this test file's own, copied from the run's migrated template: an in-memory
 * PGlite by default, or a new database on TEST_DATABASE_URL. Files never share state, so they
 * run in parallel.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url: string | null }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const template = inject("templateDatabase");
  if (serverUrl && template) {
    const name = `${template.replace("colecta_tpl_", "colecta_t_")}_${randomBytes(4).toString("hex")}`;
    await createFromTemplate(serverUrl, name, template);
    const url = databaseUrl(serverUrl, name);
    const handle = await connectDatabase({ url, poolMax: 20 });
    return {
      ...handle,
      url,
      close: async () => {
        await handle.close();
        await dropDatabase(serverUrl, name);
      },
    };
  }
  const dump = inject("templateDump");
  if (!dump) throw new Error("No test database template: is tests/support/global-setup.ts configured?");
  const handle = await connectDatabase({ dataDir: null, loadDataDir: new Blob([fs.readFileSync(dump)]) });
  return { ...handle, url: null };
}

/**
 * Gives the file a fresh database and makes the app use it (getDb() in loaders and actions).
 * Returns a getter, valid inside tests.
 */
export function useTestDatabase(env: Record<string, string> | (() => Record<string, string>) = {}) {
  let handle: (DatabaseHandle & { url: string | null }) | undefined;
  beforeAll(async () => {
    handle = await createTestDatabase();
    setConfig(
      parseConfig({
        DATA_DIR: ".data-test",
        SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
        ...(handle.url ? { DATABASE_URL: handle.url } : {}),
        ...(typeof env === "function" ? env() : env),
      }),
    );
    useDatabase(handle);
  });
  afterAll(async () => {
    await closeDatabase();
    setConfig(undefined);
  });
  return () => {
    if (!handle) throw new Error("useTestDatabase(): the database is only available inside tests");
    return handle;
  };
}

async function createFromTemplate(serverUrl: string, name: string, template: string) {
  // Concurrent copies of one template can collide ("source database is being accessed"); retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin(serverUrl, (db) => sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(db));
      return;
    } catch (error) {
      if (attempt >= 20 || (error as { code?: string }).code !== "55006") throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

async function dropDatabase(serverUrl: string, name: string) {
  await withAdmin(serverUrl, (db) => sql`drop database if exists ${sql.id(name)} with (force)`.execute(db));
}
