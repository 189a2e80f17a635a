// Benchmark of the Stripe emulator: `npm run bench:emulator`.
//
// Starts the emulator the way `npm start` does (its own process via main.ts, persistence on
// in a temporary DATA_DIR), then drives it with autocannon from this process, both sharing the
// machine's cores. Mixed load: each connection loops over
//   POST /v1/customers
//   POST /v1/payment_intents (amount, currency, pm_card_visa, confirm=true, metadata)
//   GET  /v1/payment_intents/:id?expand[]=latest_charge
// and a read-only pass for reference. Writes bench/results/emulator.md.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

interface AutocannonRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const TARGET_RPS = 2000;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const AUTH = { authorization: "Bearer sk_test_bench", "content-type": "application/x-www-form-urlencoded" };

async function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/stripe-emulator/main.ts"], {
    env: { ...process.env, STRIPE_EMULATOR_PORT: "0", DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited early with code ${code}`)));
  });
  return { child, url };
}

async function api(url: string, method: string, path: string, body?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, { method, headers: AUTH, body });
  return (await res.json()) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "colecta-bench-emulator-"));
  const { child, url } = await startChild(dataDir);
  try {
    const seed = await api(
      url,
      "POST",
      "/v1/payment_intents",
      "amount=2500&currency=usd&payment_method=pm_card_visa&confirm=true",
    );
    const piId = String(seed.id);

    const mixed: AutocannonRequest[] = [
      {
        method: "POST",
        path: "/v1/customers",
        headers: AUTH,
        body: "email=bench%40example.com&metadata[source]=bench",
      },
      {
        method: "POST",
        path: "/v1/payment_intents",
        headers: AUTH,
        body: "amount=2500&currency=usd&payment_method=pm_card_visa&confirm=true&metadata[pledge_id]=bench",
      },
      { method: "GET", path: `/v1/payment_intents/${piId}?expand[]=latest_charge`, headers: AUTH },
    ];
    // Warm-up so JIT and the first snapshot writes are out of the measurement.
    await autocannon({ url, connections: CONNECTIONS, duration: 2, requests: mixed });
    const mixedResult = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, requests: mixed });
    const readResult = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: Math.max(3, Math.round(DURATION_S / 2)),
      requests: [{ method: "GET", path: `/v1/payment_intents/${piId}`, headers: AUTH }],
    });
    const stats = (await (await fetch(`${url}/_emulator/stats`)).json()) as { objects: Record<string, number> };
    await (await fetch(`${url}/_emulator/flush`, { method: "POST" })).json();
    const snapshotBytes = (await stat(join(dataDir, "stripe-emulator", "state.json"))).size;

    const pass = mixedResult.requests.average >= TARGET_RPS && mixedResult.non2xx === 0 && mixedResult.errors === 0;
    const row = (name: string, r: AutocannonResult) =>
      `| ${name} | ${Math.round(r.requests.average).toLocaleString("en-US")} | ${r.latency.p50} | ${r.latency.p99} | ${r.requests.total.toLocaleString("en-US")} | ${r.non2xx} | ${r.errors + r.timeouts} |`;
    const report = `# Stripe emulator benchmark

Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:emulator\` on ${cpus().length} cores
(${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}. The emulator runs as its own
process exactly as \`npm run stripe:emulator\` starts it (persistence ON, snapshot in a temporary
DATA_DIR); autocannon runs in the benchmark process on the same cores, ${CONNECTIONS} connections,
${DURATION_S} s after a 2 s warm-up. No rate limit, no faults.

**Result: ${Math.round(mixedResult.requests.average).toLocaleString("en-US")} API requests/s on the mixed load — ${pass ? "meets" : "BELOW"} the ${TARGET_RPS.toLocaleString("en-US")} req/s target.**

| Load | req/s (mean) | p50 ms | p99 ms | requests | non-2xx | errors |
|---|---:|---:|---:|---:|---:|---:|
${row("Mixed: create customer / create+confirm PaymentIntent (pm_card_visa) / retrieve PI with expand", mixedResult)}
${row("Read only: retrieve PaymentIntent", readResult)}

Each confirmed PaymentIntent also creates a PaymentMethod, a Charge, a balance transaction and
three events, so the mixed run wrote ${stats.objects.payment_intents?.toLocaleString("en-US")} PaymentIntents,
${stats.objects.customers?.toLocaleString("en-US")} customers and ${stats.objects.events?.toLocaleString("en-US")} events in total; the final snapshot is
${(snapshotBytes / 1024 / 1024).toFixed(1)} MiB. Snapshot writes are debounced and spaced to at most ~5% of the time
(minimum gap = 20x the last serialisation time), which is why persistence does not cap throughput.

## Reproduce

\`\`\`sh
npm run bench:emulator                      # defaults: 20 connections, 10 s
BENCH_DURATION=30 BENCH_CONNECTIONS=50 npm run bench:emulator
\`\`\`
`;
    await mkdir("bench/results", { recursive: true });
    await writeFile("bench/results/emulator.md", report);
    process.stdout.write(report);
    if (!pass) process.exitCode = 1;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
