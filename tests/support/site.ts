import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "./database";

const root = path.resolve(import.meta.dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

export interface RunningSite {
  url: string;
  /** The `npm start` process (with WEB_CONCURRENCY > 1, the primary). */
  pid: number;
  output: () => string;
  /** Ctrl-C, then waits for the process to exit; resolves with its exit code. */
  stop: () => Promise<number | null>;
}

/** The seeded data directory the run's global setup made, inside a test file (none outside one). */
function siteTemplate(): string | null {
  try {
    return inject("siteTemplate");
  } catch {
    return null;
  }
}

/**
 * Starts the real site the way `npm start` does, on a free port, with its own data directory
 * and (when TEST_DATABASE_URL is set) its own PostgreSQL database. On the embedded database a
 * copy of the run's seeded template directory stands in for seeding (same demo data, seeded once).
 */
export async function startSite(env: Record<string, string> = {}): Promise<RunningSite> {
  const port = await freePort();
  // A data directory the caller gives is theirs to remove; one made here goes when the site stops.
  const ownDataDir = !env.DATA_DIR;
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "colecta-site-"));
  const database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : null;
  const template = !database && ownDataDir ? siteTemplate() : null;
  if (template) fs.cpSync(template, dataDir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
      STRIPE_EMULATOR_PORT: String(await freePort()),
      MAIL_CATCHER_PORT: String(await freePort()),
      // A walk pays out minutes after backers paid: their funds are available at once.
      STRIPE_EMULATOR_AVAILABLE_AFTER_SECONDS: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`The site exited during start-up:\n${output}`);
      const res = await fetch(`${url}/healthz`).catch(() => null);
      return res?.ok === true;
    },
    60_000,
    () => output,
  );
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        await exited;
      }
      if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      await database?.close();
      return child.exitCode;
    },
  };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, describe?: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Timed out after ${timeoutMs} ms${describe ? `:\n${describe()}` : ""}`);
}

/**
 * The real site for a browser test file: started before its tests (fresh demo data), stopped
 * after. Returns a getter, valid inside tests.
 */
export function useSite(env: Record<string, string> = {}) {
  let site: RunningSite | undefined;
  beforeAll(async () => {
    site = await startSite(env);
  }, 180_000);
  let printed = 0;
  afterEach(({ task }) => {
    // When a test fails, what the site printed since the last failure goes with the report.
    if (task.result?.state !== "fail" || !site) return;
    const output = site.output();
    console.log(`[site] output for "${task.name}":\n${output.slice(Math.max(printed, output.length - 8000))}`);
    printed = output.length;
  });
  afterAll(async () => {
    await site?.stop();
  });
  return () => {
    if (!site) throw new Error("useSite(): the site is only available inside tests");
    return site;
  };
}

/**
 * For one describe block: a data directory (and a database of its own when TEST_DATABASE_URL is
 * set) seeded by a fixture script in tests/e2e/fixtures BEFORE the site starts (embedded PGlite
 * is single-process), then the site on it. The fixture prints its ids as JSON on its last line:
 * `state()` returns them.
 */
export function useSeededSite<T>(fixture: string) {
  let site: RunningSite | undefined;
  let dataDir: string | undefined;
  let closeDb: (() => Promise<void>) | undefined;
  let state: T | undefined;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `colecta-${path.basename(fixture, ".ts")}-`));
    const database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : null;
    closeDb = database?.close;
    const dbEnv: Record<string, string> = database?.url ? { DATABASE_URL: database.url } : {};
    const out = execFileSync(process.execPath, ["--import", "tsx", `tests/e2e/fixtures/${fixture}`], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, ...dbEnv },
      encoding: "utf8",
      timeout: 120_000,
    });
    state = JSON.parse(out.trim().split("\n").pop()!) as T;
    site = await startSite({ DATA_DIR: dataDir, ...dbEnv });
  }, 240_000);
  afterAll(async () => {
    await site?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await closeDb?.().catch(() => {});
  });
  return { site: () => site!, state: () => state! };
}
