// The Stripe emulator for `npm run bench:settle`, in its own process and in memory (the snapshot
// of 100,000 PaymentIntents would measure JSON.stringify, not settlement). Prints its port.
import { startEmulator } from "../../scripts/stripe-emulator/index";

const rate = Number(process.env.BENCH_EMULATOR_RATE_LIMIT ?? 0);
const emulator = await startEmulator({
  port: 0,
  dataDir: null,
  log: () => {},
  rateLimitPerSecond: rate > 0 ? rate : null,
});
process.stdout.write(`PORT ${emulator.port}\n`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
