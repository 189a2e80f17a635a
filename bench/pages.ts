// npm run bench:pages — public pages (home, discover, project) at 12 demo campaigns and at
// 10,000 campaigns / ~1,000,000 pledges, on a real PostgreSQL, measured with autocannon.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54330/postgres npx tsx bench/pages.ts
//   options: --reseed (drop and seed again), --scale N (default 10000), --duration S (default 10)
//
// Databases colecta_bench_small and colecta_bench_large are created on that server and reused
// on later runs. Results go to bench/results/pages.md.
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
const CONNECTIONS = 10;

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

async function startSite(name: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: {
      ...process.env,
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

interface Measured {
  page: string;
  path: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** 1-minute load average after the run: other processes on the machine skew the figures. */
  load: number;
}

async function measure(base: string, page: string, pathname: string): Promise<Measured> {
  // Warm up (JIT, connection pool, PostgreSQL caches), then measure.
  await autocannon({ url: base + pathname, connections: CONNECTIONS, duration: 2 });
  const r = await autocannon({ url: base + pathname, connections: CONNECTIONS, duration: DURATION });
  const result = {
    page,
    path: pathname,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
    load: os.loadavg()[0]!,
  };
  console.log(
    `  ${page.padEnd(34)} ${result.rps.toFixed(0).padStart(6)} req/s   p50 ${String(result.p50).padStart(4)} ms   p99 ${String(result.p99).padStart(4)} ms${result.errors ? `   ${result.errors} errors` : ""}   load ${result.load.toFixed(1)}`,
  );
  return result;
}

async function pagesFor(base: string): Promise<[string, string][]> {
  const html = await (await fetch(`${base}/discover?state=all&sort=newest`)).text();
  const next = /href="(\/discover\?state=all&amp;sort=newest&amp;cursor=[^"]+)"/
    .exec(html)?.[1]
    ?.replace(/&amp;/g, "&");
  const pages: [string, string][] = [
    ["home", "/"],
    ["discover (default: live, trending)", "/discover"],
    ["discover ?q=lantern", "/discover?q=lantern"],
    ["discover category + ending soon", "/discover?category=hardware&sort=ending"],
    ["discover all, most funded", "/discover?state=all&sort=funded"],
  ];
  if (next) pages.push(["discover page 2 (keyset cursor)", next]);
  pages.push(["project page", "/projects/lumen-solar-lantern"]);
  return pages;
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

async function main() {
  const startedAt = new Date();
  const sets = [
    { name: "colecta_bench_small", scale: 0, label: "12 demo campaigns" },
    { name: "colecta_bench_large", scale: SCALE, label: `${SCALE.toLocaleString("en-US")} campaigns + demo` },
  ];
  const report: string[] = [];
  const results: Record<string, Measured[]> = {};
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
    const site = await startSite(set.name);
    try {
      results[set.name] = [];
      for (const [page, pathname] of await pagesFor(site.url))
        results[set.name]!.push(await measure(site.url, page, pathname));
    } finally {
      await site.stop();
    }
    explains[set.name] = await explain(set.name);
  }

  const [small, large] = sets.map((s) => results[s.name]!);
  const pg_version = await withPool(SERVER, async (p) => (await p.query("show server_version")).rows[0].server_version);
  report.push(
    "# Public pages benchmark",
    "",
    `Run ${startedAt.toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}, PostgreSQL ${pg_version}, ${os.cpus().length} cores (load generator on the same machine).`,
    `autocannon, ${CONNECTIONS} connections, ${DURATION} s per page after a 2 s warm-up; one site process (\`npm start\`, Express adapter, production build).`,
    "",
    "Reproduce: `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54330/postgres npx tsx bench/pages.ts` (add `--reseed` to rebuild the data sets, `--scale N`, `--duration S`).",
    "",
    "Data sets:",
    "",
    ...sets.map(
      (s) =>
        `- **${s.label}** (\`${s.name}\`): ${sizes[s.name]}${seedTimes[s.name] ? `; --scale seeding took ${seedTimes[s.name]!.toFixed(0)} s` : ""}`,
    ),
    "",
    "| Page | small req/s | small p50 / p99 ms | large req/s | large p50 / p99 ms | large / small throughput | load avg (small / large) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const [i, s] of small!.entries()) {
    const l = large!.find((x) => x.page === s.page) ?? large![i];
    if (!l) continue;
    report.push(
      `| ${s.page} | ${s.rps.toFixed(0)} | ${s.p50} / ${s.p99} | ${l.rps.toFixed(0)} | ${l.p50} / ${l.p99} | ${((l.rps / s.rps) * 100).toFixed(0)}% | ${s.load.toFixed(1)} / ${l.load.toFixed(1)} |`,
    );
  }
  const errors = [...small!, ...large!].reduce((n, r) => n + r.errors, 0);
  report.push(
    "",
    errors
      ? `**${errors} errors or non-2xx responses** during the runs.`
      : "No errors or non-2xx responses during the runs.",
    "",
  );
  report.push(
    "The load average column is the machine's 1-minute load after each run: on a shared 2-core machine other work (test suites, type checks)",
    "depresses absolute throughput, so compare the two data sets within one run, and read the EXPLAIN timings below for the database's share.",
    "",
  );
  for (const s of sets) {
    report.push(
      `## Queries per page, ${s.label}: EXPLAIN ANALYZE execution time [indexes used]`,
      "",
      "| Page | Queries | Execution time per query |",
      "| --- | ---: | --- |",
      ...explains[s.name]!,
      "",
    );
  }
  report.push(
    "Not shown: the session lookup in the root loader (one query per page), the project page's updates and backer check (one query each),",
    "and the trending snapshot check (one primary-key read; a recount at most once a minute, timed below).",
    "",
  );
  const file = path.join(root, "bench/results/pages.md");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, report.join("\n"));
  console.log(`\nWrote ${path.relative(root, file)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.log(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
