import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { PGliteDialect } from "../../db/pglite-dialect";
import { PGLITE_EXTENSIONS } from "../../db/pglite-extensions";
import { migrateToLatest } from "../../db/migrate";
import { buildIfStale } from "../../scripts/build-if-stale";
import { findChromium } from "./chromium";
import { startSite } from "./site";

declare module "vitest" {
  export interface ProvidedContext {
    /** Embedded: path of a migrated PGlite data-dir dump. */
    templateDump: string | null;
    /** Server: name of a migrated template database on TEST_DATABASE_URL. */
    templateDatabase: string | null;
    chromiumPath: string | null;
    /** Embedded, with Chromium: a data directory `npm start` has seeded once, for the browser walks to copy. */
    siteTemplate: string | null;
  }
}

const root = path.resolve(import.meta.dirname, "../..");
/** Kysely over a database whose tables it need not know: migrations and admin SQL only. */
type NoTables = Record<string, never>;

/**
 * Once per run: a migrated template database that every test file copies (a PGlite dump, or a
 * PostgreSQL template database), a fresh site build for the browser tests, and Chromium's path.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  console.log(
    serverUrl
      ? "Database: PostgreSQL server from TEST_DATABASE_URL (one database per test file)."
      : "Database: embedded PGlite (one in-memory copy per test file). Set TEST_DATABASE_URL to use a PostgreSQL server.",
  );

  let teardownDb: () => Promise<void> = async () => {};
  if (serverUrl) {
    const name = `colecta_tpl_${randomBytes(4).toString("hex")}`;
    await withAdmin(serverUrl, (db) => sql`create database ${sql.id(name)}`.execute(db));
    const pool = new pg.Pool({ connectionString: databaseUrl(serverUrl, name), max: 1 });
    const db = new Kysely<NoTables>({ dialect: new PostgresDialect({ pool }) });
    await migrateToLatest(db);
    await db.destroy();
    project.provide("templateDatabase", name);
    project.provide("templateDump", null);
    teardownDb = () => dropTestDatabases(serverUrl, name);
  } else {
    const pglite = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
    const db = new Kysely<NoTables>({ dialect: new PGliteDialect(pglite) });
    await migrateToLatest(db);
    const dump = await pglite.dumpDataDir("none");
    const file = path.join(root, ".cache", `test-template-${process.pid}.tar`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await pglite.close();
    project.provide("templateDump", file);
    project.provide("templateDatabase", null);
    teardownDb = async () => fs.rmSync(file, { force: true });
  }

  // BROWSER_TESTS=skip runs everything but the browser walks (CI runs those on one database only).
  const skipped = process.env.BROWSER_TESTS === "skip";
  const chromium = skipped ? null : findChromium();
  project.provide("chromiumPath", chromium);
  project.provide("siteTemplate", null);
  if (chromium) {
    buildIfStale(root);
    if (!serverUrl) {
      // Each walk's site starts from the same demo data; seeding it once here spares every walk the seeding.
      const template = await seedSiteTemplate();
      project.provide("siteTemplate", template);
      const dropDb = teardownDb;
      teardownDb = async () => {
        await dropDb();
        fs.rmSync(template, { recursive: true, force: true });
      };
    }
  } else if (skipped) console.log("Browser tests skipped: BROWSER_TESTS=skip.");
  else console.log("Browser tests skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH).");

  return teardownDb;
}

/** Runs `npm start` once on an empty data directory (it seeds the demo data), then stops it. */
async function seedSiteTemplate(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(root, ".cache", "site-template-"));
  const site = await startSite({ DATA_DIR: dir });
  const code = await site.stop();
  if (code !== 0) throw new Error(`Seeding the site template failed (exit ${code}):\n${site.output()}`);
  return dir;
}

export function databaseUrl(serverUrl: string, database: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A connection to the server's default database, for creating and dropping databases. */
export async function withAdmin<T>(serverUrl: string, fn: (db: Kysely<NoTables>) => Promise<T>): Promise<T> {
  const db = new Kysely<NoTables>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: serverUrl, max: 1 }) }),
  });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function dropTestDatabases(serverUrl: string, template: string) {
  await withAdmin(serverUrl, async (db) => {
    const suffix = template.replace("colecta_tpl_", "");
    const rows = await sql<{ datname: string }>`
      select datname from pg_database where datname = ${template} or datname like ${`colecta_t_${suffix}_%`}
    `.execute(db);
    for (const { datname } of rows.rows) {
      await sql`drop database if exists ${sql.id(datname)} with (force)`.execute(db);
    }
  });
}
