// npm run db:seed — seeds demo data into an empty database (never into one that has data).
// npm run db:seed -- --scale N — adds N generated campaigns (about 100 pledges each) for
// benchmarks; it adds to any database, empty or not.
import { closeDatabase } from "../app/db.server";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoData } from "./demo/seed";
import { getStripe } from "../app/services/stripe/client.server";
import { startEmulator } from "./stripe-emulator/index";
import { loadConfigOrExit, openMigratedDatabase, runCli } from "./boot";
import { seedScale } from "./seed-scale";

function scaleArgument(argv: string[]): number | null {
  const at = argv.findIndex((a) => a === "--scale" || a.startsWith("--scale="));
  if (at < 0) return null;
  const raw = argv[at]!.includes("=") ? argv[at]!.split("=")[1] : argv[at + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    console.log("Usage: npm run db:seed -- --scale N   (N campaigns, a whole number from 1 to 1,000,000)");
    process.exit(1);
  }
  return n;
}

runCli(async () => {
  const scale = scaleArgument(process.argv.slice(2));
  const config = loadConfigOrExit();
  const { handle } = await openMigratedDatabase();
  if (scale !== null) {
    const started = Date.now();
    const result = await seedScale(handle.db, {
      campaigns: scale,
      onProgress: ({ campaigns, pledges, total }) => {
        const percent = Math.floor((campaigns * 100) / total);
        const rate = Math.round(pledges / Math.max(0.001, (Date.now() - started) / 1000));
        process.stdout.write(
          `\rSeeding: ${percent}% (${campaigns.toLocaleString("en-US")}/${total.toLocaleString("en-US")} campaigns, ${pledges.toLocaleString("en-US")} pledges, ${rate.toLocaleString("en-US")} pledges/s)   `,
        );
      },
    });
    await closeDatabase();
    process.stdout.write("\n");
    console.log(
      `Added ${result.campaigns.toLocaleString("en-US")} campaigns, ${result.pledges.toLocaleString("en-US")} pledges and ${result.users.toLocaleString("en-US")} users in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    return;
  }
  // Demo pledges get real saved cards: with no Stripe key, in the emulator's state in DATA_DIR.
  const emulator =
    config.stripeMode === "emulator"
      ? await startEmulator({
          host: config.STRIPE_EMULATOR_HOST,
          port: config.STRIPE_EMULATOR_PORT,
          dataDir: config.DATA_DIR,
          log: () => {},
          // The demo's history happened days ago: its charges' funds are available at once.
          availableAfterSeconds: 0,
        })
      : undefined;
  const seeded = await seedDemoData(handle.db, { stripe: getStripe(), config });
  await emulator?.close();
  await closeDatabase();
  if (!seeded) {
    console.log("The database already has data; demo data is only seeded into an empty database.");
    return 1;
  }
  console.log(
    `Seeded demo data. Sign in as ${DEMO_USERS.map((u) => `${u.email}${u.locale === "es" ? " (in Spanish)" : ""}`).join(", ")} with password "${DEMO_PASSWORD}".`,
  );
});
