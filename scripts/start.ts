// npm start — builds when needed, migrates, seeds demo data into an empty database, and serves.
process.env.NODE_ENV ??= "production";

import path from "node:path";
import { fileURLToPath } from "node:url";
import { resolveSessionSecret } from "../app/config.server";
import { closeDatabase } from "../app/db.server";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "./demo/seed";
import { startBackgroundJobs } from "../app/services/background.server";
import { startSettlementWorker } from "../app/services/settlement/worker.server";
import { startMailCatcher, type MailCatcher } from "../app/services/email/catcher.server";
import { startEmailWorker } from "../app/services/email/delivery.server";
import { getStripe, registerEmulatorWebhook } from "../app/services/stripe/client.server";
import { loadConfigOrExit, openMigratedDatabase, startMarkdownBackfill } from "./boot";
import { buildIfStale } from "./build-if-stale";
import { closeServer, serveBuild } from "./server";
import { startWebProcesses } from "./web-cluster";
import { startEmulator, type RunningEmulator } from "./stripe-emulator/index";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  const config = loadConfigOrExit();
  buildIfStale(root);

  const { handle, applied } = await openMigratedDatabase();
  if (applied.length) console.log(`Database (${handle.kind}): applied ${applied.length} migration(s).`);
  const backfill = startMarkdownBackfill(handle.db, (line) => console.log(line));

  // Without a Stripe key, the local emulator runs beside the site (state kept in DATA_DIR).
  let emulator: RunningEmulator | undefined;
  if (config.stripeMode === "emulator") {
    emulator = await startEmulator({
      host: config.STRIPE_EMULATOR_HOST,
      port: config.STRIPE_EMULATOR_PORT,
      dataDir: config.DATA_DIR,
      availableAfterSeconds: config.STRIPE_EMULATOR_AVAILABLE_AFTER_SECONDS,
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === "EADDRINUSE"
        ? new Error(
            `port ${config.STRIPE_EMULATOR_PORT} (STRIPE_EMULATOR_PORT) is in use; stop the other process or choose another port`,
          )
        : error;
    });
  }

  // Without SMTP_URL, a real SMTP server on loopback receives the mail (shown at /mailbox).
  let catcher: MailCatcher | undefined;
  if (!config.SMTP_URL) {
    catcher = await startMailCatcher({ db: handle.db, port: config.MAIL_CATCHER_PORT }).catch(
      (error: NodeJS.ErrnoException) => {
        throw error.code === "EADDRINUSE"
          ? new Error(
              `port ${config.MAIL_CATCHER_PORT} (MAIL_CATCHER_PORT) is in use; stop the other process or choose another port`,
            )
          : error;
      },
    );
  }

  // The demo's history happened days ago: funds of the charges it makes are available at once
  // (its first payouts are paid); new charges wait as configured again (Stripe's two days).
  emulator?.configure({ availableAfterSeconds: 0 });
  if (config.demoMode && (await seedDemoData(handle.db, { stripe: getStripe(), config }))) {
    console.log(
      "Seeded demo data into the empty database (campaigns, pledges with saved test cards, settled history).",
    );
  }
  emulator?.configure({ availableAfterSeconds: config.STRIPE_EMULATOR_AVAILABLE_AFTER_SECONDS });

  // Generated once here in demo mode, before any web process reads it.
  resolveSessionSecret(config);
  const web = await startWeb(config);
  if (emulator) {
    const localHost = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
    await registerEmulatorWebhook(getStripe(), config, `http://${localHost}:${config.PORT}/webhooks/stripe`);
  }
  const background = startBackgroundJobs(handle.db, getStripe());
  // The settlement worker; run `npm run worker` processes instead with RUN_WORKER=false.
  const worker = config.RUN_WORKER
    ? startSettlementWorker({ db: handle.db, stripe: getStripe(), config, log: (line) => console.log(line) })
    : undefined;
  const mailWorker = config.RUN_WORKER
    ? startEmailWorker({ db: handle.db, config, log: (line) => console.log(line) })
    : undefined;

  console.log("");
  console.log(`  Colecta is running at ${config.appUrl}`);
  if (config.webConcurrency > 1)
    console.log(`  Web:      ${config.webConcurrency} processes on one port (WEB_CONCURRENCY)`);
  console.log(
    `  Database: ${handle.kind === "embedded" ? `embedded PGlite in ${path.resolve(config.DATA_DIR)}` : "PostgreSQL server"}`,
  );
  console.log(
    `  Stripe:   ${emulator ? `local emulator at ${emulator.url} (test cards: 4242 4242 4242 4242 succeeds)` : "Stripe test mode"}`,
  );
  console.log(
    `  Email:    ${catcher ? `embedded catcher on 127.0.0.1:${catcher.port}, shown at ${config.appUrl}/mailbox` : "delivered to SMTP_URL"}`,
  );
  if (config.demoMode) {
    console.log(`  Demo logins (password "${DEMO_PASSWORD}"):`);
    for (const user of DEMO_USERS)
      console.log(
        `    ${user.email}${user.role ? `  (${user.role}; then a code from \`npm run demo:code\`)` : ""}${user.locale === "es" ? "  (reads the site in Spanish)" : ""}`,
      );
    console.log("    ana@lumenworks.example  (a funded campaign's survey and rewards: the Fulfilment tab)");
    console.log("    priya@quiethours.example  (a funded campaign with no survey yet)");
  }
  console.log("  Press Ctrl-C to stop.");
  console.log("");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}; shutting down…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await web.stop();
    await backfill.stop();
    await worker?.stop();
    await mailWorker?.stop();
    await catcher?.close();
    await background.stop();
    await emulator?.close();
    await closeDatabase();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/** The web server: in this process, or in WEB_CONCURRENCY forked ones sharing the port. */
async function startWeb(config: ReturnType<typeof loadConfigOrExit>) {
  if (config.webConcurrency > 1)
    return startWebProcesses({ count: config.webConcurrency, log: (line) => console.log(line) });
  const server = await serveBuild({ config, root });
  return { stop: () => closeServer(server) };
}

main().catch((error: unknown) => {
  console.log(`Colecta could not start: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.log(error);
  process.exit(1);
});
