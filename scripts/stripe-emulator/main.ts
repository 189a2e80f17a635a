// CLI: `npm run stripe:emulator`. Configuration comes from the environment (see README.md).

import { resolve } from "node:path";
import type { EmulatorOptions, FaultOptions, PreconfiguredWebhook } from "./config.js";
import { startEmulator } from "./index.js";

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${raw}"`);
  return n;
}

function envJson<T>(name: string): T | undefined {
  const raw = process.env[name];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new Error(`${name} must be JSON, got ${raw}`);
  }
}

function optionsFromEnv(): EmulatorOptions {
  const webhookUrl = process.env.STRIPE_EMULATOR_WEBHOOK_URL;
  const webhooks: PreconfiguredWebhook[] = webhookUrl
    ? [
        {
          url: webhookUrl,
          secret: process.env.STRIPE_EMULATOR_WEBHOOK_SECRET || process.env.STRIPE_WEBHOOK_SECRET || undefined,
          enabledEvents: process.env.STRIPE_EMULATOR_WEBHOOK_EVENTS?.split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        },
      ]
    : [];
  const fees = envJson<{ percentBps: number; fixed: number }>("STRIPE_EMULATOR_FEES");
  return {
    port: envNumber("STRIPE_EMULATOR_PORT") ?? 12111,
    host: process.env.STRIPE_EMULATOR_HOST || "127.0.0.1",
    dataDir: resolve(process.env.DATA_DIR || "./.data"),
    publicUrl: process.env.STRIPE_EMULATOR_PUBLIC_URL || undefined,
    merchantName: process.env.STRIPE_EMULATOR_MERCHANT_NAME || undefined,
    rateLimitPerSecond: envNumber("STRIPE_EMULATOR_RATE_LIMIT") ?? null,
    faults: envJson<FaultOptions>("STRIPE_EMULATOR_FAULTS"),
    ...(fees ? { fees } : {}),
    webhooks,
  };
}

async function main(): Promise<void> {
  const emulator = await startEmulator(optionsFromEnv());
  process.stdout.write(`Stripe emulator listening on ${emulator.url} (state in ${emulator.stateDir ?? "memory"})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stripe-emulator: error while stopping on ${signal}: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  process.stderr.write(`stripe-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
