import fs from "node:fs";
import path from "node:path";
import Stripe from "stripe";
import type { Config } from "../../config.server";
import { getConfig } from "../../config.server";

/** Pinned so a Stripe SDK upgrade never changes object shapes under us. */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

/**
 * The one place a Stripe client is made. A `sk_test_` key talks to real Stripe test mode; no key
 * means the official SDK pointed at the local emulator. Nothing else in the app knows which.
 * Live keys never get this far: the configuration refuses them.
 */
export function createStripeClient(config: Config): Stripe {
  const common = {
    apiVersion: STRIPE_API_VERSION,
    appInfo: { name: "Colecta", version: "0.1.0" },
    timeout: 20_000,
    // Callers that need pacing and their own retry policy (settlement) pass maxNetworkRetries: 0.
    maxNetworkRetries: 2,
  } satisfies Stripe.StripeConfig;
  if (config.STRIPE_SECRET_KEY) return new Stripe(config.STRIPE_SECRET_KEY, common);
  return new Stripe("sk_test_colecta_emulator", {
    ...common,
    host: config.STRIPE_EMULATOR_HOST,
    port: config.STRIPE_EMULATOR_PORT,
    protocol: "http",
  });
}

const KEY = Symbol.for("colecta.stripe");
const holder = globalThis as { [KEY]?: Stripe };

export function getStripe(): Stripe {
  holder[KEY] ??= createStripeClient(getConfig());
  return holder[KEY];
}

/** Tests install a client pointed at their own emulator. */
export function useStripe(client: Stripe | undefined) {
  holder[KEY] = client;
}

function emulatorWebhookSecretFile(config: Config) {
  return path.resolve(config.DATA_DIR, "stripe-webhook-secret");
}

/**
 * The signing secret webhooks are verified with: STRIPE_WEBHOOK_SECRET in test mode; with the
 * emulator, the secret it issued when `npm start` registered our endpoint.
 */
export function getWebhookSecret(config: Config = getConfig()): string | undefined {
  if (config.STRIPE_WEBHOOK_SECRET) return config.STRIPE_WEBHOOK_SECRET;
  try {
    return fs.readFileSync(emulatorWebhookSecretFile(config), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Registers `url` as a webhook endpoint for every event (emulator mode) and keeps the issued
 * secret. Idempotent: an endpoint we already know the secret of is kept; one we don't is replaced.
 */
export async function registerEmulatorWebhook(stripe: Stripe, config: Config, url: string): Promise<string> {
  const file = emulatorWebhookSecretFile(config);
  const known = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  const existing = (await stripe.webhookEndpoints.list({ limit: 100 })).data.filter((e) => e.url === url);
  if (known && existing.length === 1) return known;
  for (const endpoint of existing) await stripe.webhookEndpoints.del(endpoint.id);
  const created = await stripe.webhookEndpoints.create({
    url,
    enabled_events: ["*"],
    description: "Colecta (npm start)",
  });
  if (!created.secret) throw new Error("The Stripe emulator did not return a webhook signing secret");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, created.secret + "\n", { mode: 0o600 });
  return created.secret;
}
