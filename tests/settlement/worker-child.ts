// A settlement worker in its own process, for the crash and multi-worker tests: settles what is
// due on DATABASE_URL against the emulator on STRIPE_EMULATOR_PORT until nothing is left for it,
// then prints a one-line JSON summary. The tests SIGKILL it at random moments.
import { parseConfig } from "../../app/config.server";
import { runDueSettlements } from "../../app/services/settlement/due.server";
import { createStripeClient } from "../../app/services/stripe/client.server";
import { connectDatabase } from "../../db/connect";

const config = parseConfig(process.env);
if (!config.DATABASE_URL) throw new Error("worker-child needs DATABASE_URL");
const handle = await connectDatabase({ url: config.DATABASE_URL, poolMax: 12 });
const stripe = createStripeClient(config);
const retry = process.env.SETTLE_TIMEOUT_MS
  ? { timeoutMs: Number(process.env.SETTLE_TIMEOUT_MS), baseMs: 50, capMs: 2_000, maxTries: 12 }
  : undefined;
const totals = { passes: 0, charged: 0, failed: 0, unfinished: 0, closed: 0 };
// Like the real worker loop: an idle pass (nothing due, or another worker holding the campaign
// for a moment) sleeps and looks again; five idle passes in a row end the process.
for (let idle = 0; idle < 5;) {
  const summary = await runDueSettlements({
    db: handle.db,
    stripe,
    config,
    campaignSlug: process.env.SETTLE_CAMPAIGN,
    retry,
    lanes: 2,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  totals.passes++;
  totals.charged += summary.totals.charged;
  totals.failed += summary.totals.failed;
  totals.unfinished += summary.totals.unfinished;
  totals.closed += summary.totals.closed;
  if (summary.worked) idle = 0;
  else {
    idle++;
    await new Promise((r) => setTimeout(r, 300));
  }
}
process.stdout.write(`${JSON.stringify(totals)}\n`);
await handle.close();
