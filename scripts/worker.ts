// npm run worker — a standalone worker: settles campaigns as they fall due and delivers the
// email outbox, until SIGINT/SIGTERM (which let the batches in flight finish and record before
// exiting). Run as many as you like against one PostgreSQL; they share the work through row locks.
import { closeDatabase } from "../app/db.server";
import { createStripeClient } from "../app/services/stripe/client.server";
import { startSettlementWorker } from "../app/services/settlement/worker.server";
import { startEmailWorker } from "../app/services/email/delivery.server";
import { loadConfigOrExit, openMigratedDatabase, runCli, startMarkdownBackfill } from "./boot";

runCli(async () => {
  const config = loadConfigOrExit();
  const { handle } = await openMigratedDatabase();
  const stripe = createStripeClient(config);
  const stamp = () => new Date().toISOString().slice(11, 19);
  const log = (line: string) => console.log(`${stamp()} ${line}`);
  log(
    `Settlement worker started (pid ${process.pid}): ${config.dbKind} database, Stripe ${config.stripeMode === "test" ? "test mode" : `emulator at http://${config.STRIPE_EMULATOR_HOST}:${config.STRIPE_EMULATOR_PORT}`}, ` +
      `${config.STRIPE_MAX_RPS} requests/s, concurrency ${config.SETTLEMENT_CONCURRENCY}, polling every ${config.WORKER_POLL_MS} ms.`,
  );
  if (config.dbKind === "embedded") {
    log(
      "Embedded database: PGlite serves one process, so do not run this next to `npm start` on the same DATA_DIR (it runs a worker itself when RUN_WORKER is on).",
    );
  }
  log(
    `Email delivery: ${config.SMTP_URL ? "SMTP_URL" : `the catcher of \`npm start\` on 127.0.0.1:${config.MAIL_CATCHER_PORT}`}, at most ${config.MAIL_MAX_PER_SECOND} emails/s.`,
  );
  const backfill = startMarkdownBackfill(handle.db, log);
  const worker = startSettlementWorker({ db: handle.db, stripe, config, log });
  const mailWorker = startEmailWorker({ db: handle.db, config, log });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: finishing the batch in flight, then stopping.`);
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  await Promise.all([worker.stop(), mailWorker.stop(), backfill.stop()]);
  await closeDatabase();
  log("Worker stopped.");
});
