// npm run bench:pages — the pages people load most, against a baseline page measured in the same
// run, at 12 demo campaigns and at 10,000 campaigns / ~1,000,000 pledges on a real PostgreSQL,
// with one web process and with one per core, at 10 and 50 connections (autocannon).
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54330/postgres npm run bench:pages
//   options: --reseed (drop and seed again), --scale N (default 10000), --duration S (default 10),
//            --site DIR (measure another checkout of Colecta, e.g. an older commit, one process only),
//            --label TEXT (names that run in the report), --out FILE (default bench/results/pages.md),
//            --db-suffix S (use colecta_bench_small_S and _large_S, e.g. copies for an older checkout)
//
// Databases colecta_bench_small and colecta_bench_large are created on that server and reused
// on later runs.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { Kysely, PostgresDialect, type LogEvent } from "kysely";
import pg from "pg";
import type { Database } from "../db/schema.js";
import {
  discoverCampaigns,
  getPublicCampaignBySlug,
  listHomeSections,
  refreshTrending,
} from "../app/models/campaign-query.server";

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
// autocannon ships no types; this is the slice used here.
const autocannon = createRequire(import.meta.url)("autocannon") as (opts: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const SERVER = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54330/postgres";
const SCALE = option("scale", 10_000);
const DURATION = option("duration", 10);
const textOption = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const SITE = path.resolve(textOption("site") ?? root);
/** Databases of their own for another checkout, whose migrations may be older (`--db-suffix _before`). */
const DB_SUFFIX = textOption("db-suffix") ?? "";
const OUT = path.resolve(textOption("out") ?? path.join(root, "bench/results/pages.md"));

const dbUrl = (name: string) => {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
};

async function withPool<T>(url: string, fn: (client: pg.Pool) => Promise<T>) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

async function campaignCount(name: string): Promise<number | null> {
  const exists = await withPool(SERVER, (p) => p.query("select 1 from pg_database where datname = $1", [name]));
  if (exists.rowCount === 0) return null;
  try {
    return await withPool(dbUrl(name), async (p) =>
      Number((await p.query("select count(*) as n from campaigns")).rows[0].n),
    );
  } catch {
    return null;
  }
}

function runSeed(name: string, extra: string[]) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-seed.ts", ...extra], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: dbUrl(name), DATA_DIR: dataDir(name), NODE_ENV: "production" },
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`Seeding ${name} failed.`);
  return (Date.now() - started) / 1000;
}

const dataDir = (name: string) => path.join(root, ".cache", "bench", name);

/** Creates (or reuses) a database with the demo data, plus `scale` generated campaigns. */
async function prepare(name: string, scale: number): Promise<{ seconds: number | null }> {
  const want = 12 + scale;
  const have = await campaignCount(name);
  if (!flag("reseed") && have !== null && have >= want) {
    console.log(`Reusing ${name} (${have.toLocaleString("en-US")} campaigns).`);
    return { seconds: null };
  }
  console.log(`Creating ${name}…`);
  await withPool(SERVER, async (p) => {
    await p.query(`drop database if exists ${name} with (force)`);
    await p.query(`create database ${name}`);
  });
  fs.rmSync(dataDir(name), { recursive: true, force: true });
  runSeed(name, []);
  const seconds = scale > 0 ? runSeed(name, ["--scale", String(scale)]) : null;
  return { seconds };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

async function startSite(name: string, webConcurrency: number) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: SITE,
    env: {
      ...process.env,
      WEB_CONCURRENCY: String(webConcurrency),
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir(name),
      DATABASE_URL: dbUrl(name),
      STRIPE_EMULATOR_PORT: String(await freePort()),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The site exited:\n${output}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`The site did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT");
      await exited;
    },
  };
}

/** The SQL each page runs, with EXPLAIN ANALYZE timings (server-side execution only). */
async function explain(name: string) {
  const captured: { sql: string; parameters: readonly unknown[] }[] = [];
  const pool = new pg.Pool({ connectionString: dbUrl(name), max: 2 });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event: LogEvent) => {
      if (event.level === "query") captured.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  const now = new Date();
  const cases: [string, () => Promise<unknown>][] = [
    ["home", () => listHomeSections(db, { now })],
    ["discover default (trending)", () => discoverCampaigns(db, { now })],
    ["discover q=lantern", () => discoverCampaigns(db, { now, q: "lantern" })],
    ["discover hardware, ending soon", () => discoverCampaigns(db, { now, category: "hardware", sort: "ending" })],
    ["discover all, most funded", () => discoverCampaigns(db, { now, state: "all", sort: "funded" })],
    ["discover live, newest", () => discoverCampaigns(db, { now, sort: "newest" })],
    ["project page", () => getPublicCampaignBySlug(db, { slug: "lumen-solar-lantern" })],
  ];
  const lines: string[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await refreshTrending(db, { now, force: true });
    if (i === 2)
      lines.push(
        `| trending recount (at most once a minute) | 3 | ${(performance.now() - started).toFixed(1)} ms wall-clock for the whole transaction |`,
      );
  }
  for (const [label, run] of cases) {
    captured.length = 0;
    await run();
    // Reads only: the trending snapshot is fresh (refreshed above), and the session lookup is
    // not part of these functions.
    const queries = captured.filter((q) => /^\s*select/i.test(q.sql));
    const timings: string[] = [];
    for (const q of queries) {
      const plan = await pool.query(`explain (analyze, format json) ${q.sql}`, q.parameters as unknown[]);
      const top = plan.rows[0]["QUERY PLAN"][0];
      const nodes =
        JSON.stringify(top.Plan)
          .match(/"Index Name":"[^"]+"/g)
          ?.map((s) => s.slice(14, -1)) ?? [];
      const seq =
        JSON.stringify(top.Plan).match(/"Node Type":"Seq Scan","[^}]*?"Relation Name":"([^"]+)"/g)?.length ?? 0;
      timings.push(
        `${top["Execution Time"].toFixed(2)} ms${nodes.length ? ` [${[...new Set(nodes)].join(", ")}]` : ""}${seq ? ` (${seq} seq scan)` : ""}`,
      );
    }
    lines.push(`| ${label} | ${queries.length} | ${timings.join("<br>")} |`);
  }
  await db.destroy();
  return lines;
}

interface Page {
  key: string;
  label: string;
  /** Who is signed in (a demo account), or nobody. */
  as?: "backer" | "creator";
  path: (site: Site) => string;
}
type Site = Awaited<ReturnType<typeof startSite>> & { cookies: Record<string, string>; pledgePath: string };

const PAGES: Page[] = [
  {
    key: "baseline",
    label: "baseline: the forgot-password page (root layout, one field)",
    path: () => "/forgot-password",
  },
  { key: "home", label: "home", path: () => "/" },
  { key: "discover", label: "discover (live, trending)", path: () => "/discover" },
  { key: "project", label: "project page", path: () => "/projects/lumen-solar-lantern" },
  { key: "pledge", label: "a backer's pledge page (signed in)", as: "backer", path: (site) => site.pledgePath },
  { key: "dashboard", label: "the creator dashboard (signed in)", as: "creator", path: () => "/creator" },
];
const PUBLIC_KEYS = ["home", "discover", "project"];
const SIGNED_IN_KEYS = ["pledge", "dashboard"];

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    headers: { Origin: url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: "demo-password" }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`Signing in as ${email} failed (${res.status}).`);
  return cookie;
}

/**
 * Waits until the site's background work is done: the seeded campaigns whose deadlines have passed
 * settled, and the emails that queued (thousands at 10,000 campaigns) delivered to the catcher.
 * The web process shares its CPU with those workers when there is one process; measuring during
 * that catch-up would time the workers, not the pages.
 */
async function quiesce(name: string) {
  const deadline = Date.now() + 10 * 60_000;
  for (let announced = false; ;) {
    const { rows } = await withPool(dbUrl(name), (p) =>
      p.query(
        `select (select count(*) from email_outbox where status = 'pending') as emails,
                (select count(*) from campaigns where state = 'live' and deadline <= now()) as due`,
      ),
    );
    const emails = Number(rows[0].emails);
    const due = Number(rows[0].due);
    if (emails === 0 && due === 0) return;
    if (Date.now() > deadline) throw new Error(`Background work did not finish: ${emails} emails, ${due} campaigns.`);
    if (!announced)
      console.log(`  waiting for background work: ${emails} emails to deliver, ${due} campaigns to settle`);
    announced = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function openSite(name: string, webConcurrency: number): Promise<Site> {
  const site = await startSite(name, webConcurrency);
  try {
    await quiesce(name);
    const cookies = {
      backer: await signIn(site.url, "backer@example.com"),
      creator: await signIn(site.url, "creator@example.com"),
    };
    const list = await (await fetch(`${site.url}/me/pledges`, { headers: { Cookie: cookies.backer } })).text();
    const pledgePath = /href="(\/me\/pledges\/[0-9a-f-]{36})"/.exec(list)?.[1];
    if (!pledgePath) throw new Error("The demo backer has no pledge to show.");
    return { ...site, cookies, pledgePath };
  } catch (error) {
    await site.stop();
    throw error;
  }
}

async function measure(site: Site, page: Page, connections: number): Promise<Measured> {
  const url = site.url + page.path(site);
  const headers = page.as ? { Cookie: site.cookies[page.as]! } : undefined;
  // Warm up (JIT, connection pools, PostgreSQL caches), then measure.
  await autocannon({ url, connections, duration: 2, headers });
  const r = await autocannon({ url, connections, duration: DURATION, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts };
}

interface Run {
  set: string;
  processes: number;
  connections: number;
  results: Record<string, Measured>;
}

async function main() {
  const startedAt = new Date();
  const cores = os.availableParallelism();
  const sets = [
    { name: `colecta_bench_small${DB_SUFFIX}`, scale: 0, label: "12 demo campaigns" },
    {
      name: `colecta_bench_large${DB_SUFFIX}`,
      scale: SCALE,
      label: `${SCALE.toLocaleString("en-US")} campaigns + demo`,
    },
  ];
  // Another checkout (an older commit) may not know WEB_CONCURRENCY: measure it with one process.
  const layouts = SITE === root ? [...new Set([1, cores])] : [1];
  const runs: Run[] = [];
  const sizes: Record<string, string> = {};
  const explains: Record<string, string[]> = {};
  const seedTimes: Record<string, number | null> = {};
  for (const set of sets) {
    const { seconds } = await prepare(set.name, set.scale);
    seedTimes[set.name] = seconds;
    sizes[set.name] = await withPool(dbUrl(set.name), async (p) => {
      const r = await p.query(
        "select (select count(*) from campaigns) as c, (select count(*) from pledges) as p, (select count(*) from pledges where activated_at > now() - interval '48 hours') as recent, pg_size_pretty(pg_database_size(current_database())) as size",
      );
      const row = r.rows[0];
      return `${Number(row.c).toLocaleString("en-US")} campaigns, ${Number(row.p).toLocaleString("en-US")} pledges (${Number(row.recent).toLocaleString("en-US")} in the last 48 h), ${row.size}`;
    });
    console.log(`\n${set.label}: ${sizes[set.name]}`);
    for (const processes of layouts) {
      const site = await openSite(set.name, processes);
      try {
        for (const connections of [10, 50]) {
          const run: Run = { set: set.name, processes, connections, results: {} };
          for (const page of PAGES) {
            const m = await measure(site, page, connections);
            run.results[page.key] = m;
            console.log(
              `  ${processes} proc, ${String(connections).padStart(2)} conn  ${page.key.padEnd(10)} ${m.rps.toFixed(0).padStart(6)} req/s   p50 ${String(m.p50).padStart(4)} ms   p99 ${String(m.p99).padStart(4)} ms${m.errors ? `   ${m.errors} errors` : ""}`,
            );
          }
          runs.push(run);
        }
      } finally {
        await site.stop();
      }
    }
    if (SITE === root) explains[set.name] = await explain(set.name);
  }

  const pgVersion = await withPool(SERVER, async (p) => (await p.query("show server_version")).rows[0].server_version);
  const label = textOption("label") ?? `Colecta at ${SITE === root ? "this checkout" : SITE}`;
  const report: string[] = [
    `# Pages benchmark: ${label}`,
    "",
    `Run ${startedAt.toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}, PostgreSQL ${pgVersion}, ${cores} cores; the load generator (autocannon) and PostgreSQL share the machine.`,
    `${DURATION} s per page after a 2 s warm-up, at 10 and at 50 connections; \`npm start\` (production build) with WEB_CONCURRENCY web processes.`,
    "The baseline is a plain server-rendered page through the same stack, measured in the same run; each page's ratio is its throughput over the baseline's.",
    "Anonymous requests carry no validator (no If-None-Match): every one is answered in full, as for a first visit.",
    "",
    "Reproduce: `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54330/postgres npm run bench:pages` (options: `--reseed`, `--scale N`, `--duration S`, `--site DIR`, `--label TEXT`, `--out FILE`, `--db-suffix S`).",
    "",
    "Data sets:",
    "",
    ...sets.map(
      (s) =>
        `- **${s.label}** (\`${s.name}\`): ${sizes[s.name]}${seedTimes[s.name] ? `; --scale seeding took ${seedTimes[s.name]!.toFixed(0)} s` : ""}`,
    ),
    "",
  ];
  for (const set of sets) {
    const setRuns = runs.filter((r) => r.set === set.name);
    report.push(
      `## ${set.label}`,
      "",
      `| Page | ${setRuns.map((r) => `${r.processes} proc, ${r.connections} conn: req/s (ratio), p50 / p99 ms`).join(" | ")} |`,
      `| --- | ${setRuns.map(() => "---:").join(" | ")} |`,
    );
    for (const page of PAGES) {
      const cells = setRuns.map((r) => {
        const m = r.results[page.key]!;
        const ratio = m.rps / r.results.baseline!.rps;
        return `${m.rps.toFixed(0)} (${ratio.toFixed(2)}), ${m.p50} / ${m.p99}${m.errors ? `, **${m.errors} errors**` : ""}`;
      });
      report.push(`| ${page.label} | ${cells.join(" | ")} |`);
    }
    report.push("");
  }

  if (SITE === root) {
    const checks: [string, boolean][] = [];
    for (const run of runs) {
      const base = run.results.baseline!.rps;
      if (run.processes === 1)
        for (const key of PUBLIC_KEYS)
          checks.push([
            `${key}, one process, ${run.connections} conn, ${run.set}: ratio ${(run.results[key]!.rps / base).toFixed(2)} ≥ 0.7`,
            run.results[key]!.rps / base >= 0.7,
          ]);
      if (run.processes === 1)
        for (const key of SIGNED_IN_KEYS)
          checks.push([
            `${key}, one process, ${run.connections} conn, ${run.set}: ratio ${(run.results[key]!.rps / base).toFixed(2)} ≥ 0.5`,
            run.results[key]!.rps / base >= 0.5,
          ]);
      if (run.processes === cores && run.connections === 50)
        for (const key of PUBLIC_KEYS)
          checks.push([
            `${key}, ${cores} processes, 50 conn, ${run.set}: p99 ${run.results[key]!.p99} ms ≤ 100 ms`,
            run.results[key]!.p99 <= 100,
          ]);
    }
    const errors = runs.reduce((n, r) => n + Object.values(r.results).reduce((m, x) => m + x.errors, 0), 0);
    report.push(
      "## Targets",
      "",
      ...checks.map(([text, ok]) => `- ${ok ? "met" : "**missed**"}: ${text}`),
      "",
      errors
        ? `**${errors} errors or non-2xx responses** during the runs.`
        : "No errors or non-2xx responses during the runs.",
      "",
    );
    for (const s of sets) {
      report.push(
        `## Queries per public page, ${s.label}: EXPLAIN ANALYZE execution time [indexes used]`,
        "",
        "| Page | Queries | Execution time per query |",
        "| --- | ---: | --- |",
        ...explains[s.name]!,
        "",
      );
    }
    report.push(
      "Not shown: the session lookup (none for an anonymous visitor), the project page's updates and backer check (one query each),",
      "and the trending snapshot check (one primary-key read; the background jobs recount it, timed above).",
      "",
    );
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, report.join("\n"));
  console.log(`\nWrote ${path.relative(root, OUT)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.log(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
