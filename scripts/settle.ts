// npm run settle -- [--campaign SLUG] [--dry-run]
// Runs due settlements now, with a progress bar and a summary. --dry-run prints each due
// campaign's decision and plan (counts and amounts per action) and changes nothing.
import { closeDatabase } from "../app/db.server";
import { formatMoney } from "../app/domain/money";
import type { PledgeAction } from "../app/domain/settlement";
import type { SettlementProgress } from "../app/services/settlement/context.server";
import { createSettlementPacer } from "../app/services/settlement/context.server";
import { runDueSettlements } from "../app/services/settlement/due.server";
import type { CampaignSettlementSummary } from "../app/services/settlement/settle-campaign.server";
import { describePass } from "../app/services/settlement/worker.server";
import { createStripeClient } from "../app/services/stripe/client.server";
import { loadConfigOrExit, openMigratedDatabase, runCli } from "./boot";

const USAGE = "Usage: npm run settle -- [--campaign SLUG] [--dry-run]";

function parseArgs(argv: string[]) {
  let campaignSlug: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--dry-run") dryRun = true;
    else if (arg === "--campaign") campaignSlug = argv[++i];
    else if (arg.startsWith("--campaign=")) campaignSlug = arg.slice("--campaign=".length);
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.log(`Unknown argument: ${arg}\n${USAGE}`);
      process.exit(1);
    }
  }
  if (campaignSlug !== undefined && !/^[a-z0-9-]{1,120}$/.test(campaignSlug)) {
    console.log(`--campaign needs a campaign slug such as solar-kettle\n${USAGE}`);
    process.exit(1);
  }
  return { campaignSlug, dryRun };
}

const n = (x: number) => x.toLocaleString("en-US");

/** A single updating line on a terminal; occasional plain lines otherwise (CI logs, pipes). */
function progressPrinter() {
  const tty = Boolean(process.stdout.isTTY);
  const started = Date.now();
  let lastPlain = 0;
  let lastKey = "";
  let drawn = false;
  return {
    update(p: SettlementProgress) {
      const share = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
      const rate = Math.round(p.done / Math.max(0.001, (Date.now() - started) / 1000));
      const text = `${p.slug}: ${p.phase} ${n(p.done)}/${n(p.total)} (${Math.floor(share * 100)}%, ${n(rate)}/s)`;
      if (tty) {
        const width = 24;
        const filled = Math.round(share * width);
        process.stdout.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}\x1b[K`);
        drawn = true;
      } else {
        const key = `${p.slug}:${p.phase}`;
        if (key !== lastKey || Date.now() - lastPlain > 2000 || p.done === p.total) {
          console.log(text);
          lastPlain = Date.now();
          lastKey = key;
        }
      }
    },
    end() {
      if (drawn) process.stdout.write("\n");
      drawn = false;
    },
  };
}

const ACTION_LABELS: Record<PledgeAction, string> = {
  charge: "charge the saved card",
  keep: "keep the up-front payment",
  release: "release (nothing charged)",
  refund: "refund the up-front payment",
  none: "no action (not active)",
};

function printDryRun(c: CampaignSettlementSummary) {
  console.log(`\n${c.slug} — ${c.title}`);
  if (c.plan) {
    console.log(
      `  Decision: ${c.plan.decision.toUpperCase()} (${n(c.plan.pledgesAtDeadline)} active pledges, ${formatMoney(c.plan.pledgedAtDeadline, c.currency)} at the deadline; ${c.collection === "at_deadline" ? "charged at the deadline" : "paid up front"})`,
    );
    for (const action of Object.keys(ACTION_LABELS) as PledgeAction[]) {
      const a = c.plan.actions[action];
      if (a.count > 0)
        console.log(
          `  ${ACTION_LABELS[action].padEnd(30)} ${n(a.count).padStart(9)}  ${formatMoney(a.amount, c.currency).padStart(16)}`,
        );
    }
  } else if (c.remaining) {
    console.log(
      `  Already decided: ${c.decision?.toUpperCase()}, stage ${c.stage}${c.remaining.dropDue ? " (grace over: unpaid pledges would be dropped)" : ""}`,
    );
    for (const t of c.remaining.tallies)
      console.log(
        `  ${t.state.padEnd(30)} ${n(t.count).padStart(9)}  ${formatMoney(t.amount, c.currency).padStart(16)}`,
      );
    if (c.remaining.retriesDue > 0) console.log(`  retries due now: ${n(c.remaining.retriesDue)}`);
  }
}

runCli(async () => {
  const { campaignSlug, dryRun } = parseArgs(process.argv.slice(2));
  const config = loadConfigOrExit();
  const { handle } = await openMigratedDatabase();
  const stripe = createStripeClient(config);
  const pacer = createSettlementPacer(config);
  const progress = progressPrinter();
  const log = (line: string) => {
    progress.end();
    console.log(line);
  };
  let stopping = false;
  const controller = new AbortController();
  process.once("SIGINT", () => {
    stopping = true;
    controller.abort();
    log("Interrupted: finishing the batch in flight (run again to continue).");
  });

  let campaigns = 0;
  for (let pass = 0; pass < 10 && !stopping; pass++) {
    const summary = await runDueSettlements({
      db: handle.db,
      stripe,
      config,
      pacer,
      campaignSlug,
      dryRun,
      log,
      signal: controller.signal,
      onProgress: (p) => progress.update(p),
    });
    progress.end();
    if (dryRun) {
      if (summary.campaigns.length === 0)
        console.log(campaignSlug ? `Campaign ${campaignSlug} has no settlement due.` : "No settlement is due.");
      for (const c of summary.campaigns) printDryRun(c);
      console.log("\nDry run: nothing was changed.");
      break;
    }
    campaigns += summary.campaigns.length;
    for (const line of describePass(summary)) console.log(line);
    if (summary.campaigns.some((c) => c.busy))
      console.log("Some campaigns are being settled by another worker right now.");
    const t = summary.totals;
    if (summary.worked) {
      console.log(
        `Pass ${pass + 1}: ${n(t.decided)} decided, ${n(t.charged)} charged, ${n(t.failed)} failed, ${n(t.kept)} kept, ${n(t.released)} released, ` +
          `${n(t.refunded)} refunded, ${n(t.dropped)} dropped, ${n(t.closed)} closed in ${(summary.elapsedMs / 1000).toFixed(1)} s ` +
          `(${n(summary.stripe.requests)} Stripe requests, ${n(summary.stripe.retries)} retried).`,
      );
    }
    if (!summary.worked) break;
  }
  if (!dryRun && campaigns === 0)
    console.log(campaignSlug ? `Campaign ${campaignSlug} has no settlement due.` : "No settlement is due.");
  await closeDatabase();
});
