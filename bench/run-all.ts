// npm run bench — every benchmark in turn; each writes its figures to bench/results/.
// The page and settlement benchmarks need a PostgreSQL server (BENCH_DATABASE_URL); without one
// they are skipped with a line saying so.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const benches: { name: string; script: string; needsPostgres: boolean }[] = [
  { name: "Stripe emulator throughput", script: "bench/emulator.ts", needsPostgres: false },
  { name: "Public pages at 12 and 10,000 campaigns", script: "bench/pages.ts", needsPostgres: true },
  { name: "Settlement of 100,000 pledges", script: "bench/settle.ts", needsPostgres: true },
  { name: "Email delivery to a local SMTP server", script: "bench/email.ts", needsPostgres: false },
];

let failed = 0;
for (const bench of benches) {
  if (bench.needsPostgres && !process.env.BENCH_DATABASE_URL) {
    console.log(
      `- ${bench.name}: skipped (set BENCH_DATABASE_URL=postgres://... to a server where databases may be created)`,
    );
    continue;
  }
  console.log(`\n== ${bench.name} (${bench.script})`);
  const result = spawnSync(process.execPath, ["--import", "tsx", bench.script], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
