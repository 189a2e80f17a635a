// One settlement worker for `npm run bench:settle`: settles the campaign BENCH_CAMPAIGN and
// prints a JSON line with the time, counts, Stripe request stats and its peak RSS (sampled
// every 50 ms). Its own process, so the RSS is the worker's alone.
import { parseConfig } from "../../app/config.server";
import { StripePacer } from "../../app/services/settlement/pacer.server";
import { runDueSettlements } from "../../app/services/settlement/due.server";
import { createStripeClient } from "../../app/services/stripe/client.server";
import { connectDatabase } from "../../db/connect";

const config = parseConfig(process.env);
const handle = await connectDatabase({ url: config.DATABASE_URL!, poolMax: 16 });
const stripe = createStripeClient(config);
// STRIPE_MAX_RPS is capped at 1,000 by the configuration schema; the unthrottled run goes above it.
const rate = Number(process.env.BENCH_RPS ?? config.STRIPE_MAX_RPS);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? config.SETTLEMENT_CONCURRENCY);
const pacer = new StripePacer({ ratePerSecond: rate, concurrency, burst: Math.max(1, Math.floor(rate / 20)) });
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
const started = performance.now();
let charged = 0;
let failed = 0;
let passes = 0;
for (;;) {
  const summary = await runDueSettlements({
    db: handle.db,
    stripe,
    config,
    pacer,
    campaignSlug: process.env.BENCH_CAMPAIGN,
    log: (l) => process.stderr.write(`${l}\n`),
    batchSize: Number(process.env.BENCH_BATCH ?? 200),
    lanes: Number(process.env.BENCH_LANES ?? 3),
  });
  passes++;
  charged += summary.totals.charged;
  failed += summary.totals.failed;
  if (!summary.worked) break;
}
const elapsedMs = performance.now() - started;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
process.stdout.write(`${JSON.stringify({ elapsedMs, charged, failed, passes, peakRss, stripe: pacer.stats })}\n`);
await handle.close();
