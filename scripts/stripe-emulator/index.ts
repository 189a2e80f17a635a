// Public entry point: `startEmulator()` runs a Stripe API emulator on node:http.
// Self-contained by design: nothing here imports from app/ or db/.

import type { AddressInfo } from "node:net";
import type { EmulatorOptions, RuntimeConfig, RuntimeConfigPatch } from "./config.js";
import { Emulator } from "./emulator.js";
import { registerJobs } from "./resources/index.js";
import { registerEndpoint } from "./resources/webhook-endpoints.js";
import { EmulatorServer } from "./server.js";
import type { DeliveryAttempt } from "./webhooks.js";

export type {
  EmulatorOptions,
  FaultOptions,
  PreconfiguredWebhook,
  RuntimeConfig,
  RuntimeConfigPatch,
  WebhookRetryOptions,
} from "./config.js";
export { signatureHeader } from "./webhooks.js";
export { TEST_CARDS } from "./cards.js";

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:12111 (API under /v1). */
  url: string;
  host: string;
  port: number;
  /** Folder holding state.json and the journal, or null when memory-only. */
  stateDir: string | null;
  /** Changes run-time settings (rate limit, faults, fees, retry policy...). */
  configure(patch: RuntimeConfigPatch): RuntimeConfig;
  config(): RuntimeConfig;
  /** Forgets every object, event, key and pending delivery. */
  reset(): void;
  /** Counters: requests, statuses, 429s, injected faults, webhook attempts, object counts. */
  stats(): Record<string, unknown>;
  /** Moves the emulator clock forward and runs what became due (session expiry, disputes...). */
  advanceClock(seconds: number): void;
  /** Waits until no webhook delivery is queued or in flight; false on timeout. */
  drainWebhooks(timeoutMs?: number): Promise<boolean>;
  /** Recent webhook delivery attempts, oldest first. */
  webhookAttempts(): DeliveryAttempt[];
  /** Compacts the journal into a fresh snapshot now (every change is already on disk). */
  flush(): Promise<void>;
  /** Stops listening, waits for in-flight deliveries, writes a fresh snapshot. */
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? "127.0.0.1";
  const emu = new Emulator(opts);
  registerJobs(emu);
  const server = new EmulatorServer(emu);

  await new Promise<void>((resolve, reject) => {
    server.http.once("error", reject);
    server.http.listen(opts.port ?? 12111, host, () => {
      server.http.off("error", reject);
      resolve();
    });
  });
  const port = (server.http.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  emu.publicUrl = (opts.publicUrl ?? url).replace(/\/$/, "");

  emu.mutate(() => {
    for (const hook of opts.webhooks ?? []) {
      const found = emu.store.webhookEndpoints.all().find((e) => e.url === hook.url);
      // Named with get(): a row found by a scan and changed is journaled only so (persistence.ts).
      const existing = found && emu.store.webhookEndpoints.get(found.id);
      if (existing) {
        if (hook.secret) emu.store.internal.webhookSecrets[existing.id] = hook.secret;
        if (hook.enabledEvents) existing.enabled_events = hook.enabledEvents;
      } else {
        registerEndpoint(emu, {
          url: hook.url,
          enabledEvents: hook.enabledEvents ?? ["*"],
          secret: hook.secret,
          description: "Registered at emulator start-up",
        });
      }
    }
  });
  emu.start();

  let closing: Promise<void> | null = null;
  return {
    url,
    host,
    port,
    stateDir: emu.persistence ? emu.persistence.path.replace(/[/\\]state\.json$/, "") : null,
    configure: (patch) => emu.configure(patch),
    config: () => structuredClone(emu.config),
    reset: () => emu.reset(),
    stats: () => ({
      ...emu.stats.toJSON(),
      objects: emu.store.counts(),
      pendingWebhookDeliveries: emu.store.internal.deliveries.length,
    }),
    advanceClock: (seconds) => {
      emu.advanceClock(seconds);
    },
    drainWebhooks: (timeoutMs) => emu.webhooks.drain(timeoutMs),
    webhookAttempts: () => [...emu.webhooks.recent],
    flush: async () => {
      await emu.persistence?.flush();
    },
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.http.close(() => resolve());
          server.http.closeAllConnections();
        });
        await emu.close();
      })();
      return closing;
    },
  };
}
