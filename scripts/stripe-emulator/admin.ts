// Control endpoints under /_emulator (JSON in, JSON out, no API key): configuration, reset,
// statistics, the emulator clock and webhook delivery logs. Documented in README.md.

import type { RuntimeConfigPatch } from "./config.js";
import type { Emulator } from "./emulator.js";

export interface AdminResponse {
  status: number;
  body: unknown;
}

type AdminHandler = (emu: Emulator, body: Record<string, unknown>) => AdminResponse | Promise<AdminResponse>;

const ok = (body: unknown): AdminResponse => ({ status: 200, body });

function clock(emu: Emulator) {
  return {
    now: emu.unix(),
    nowIso: new Date(emu.now()).toISOString(),
    offsetSeconds: emu.store.internal.clockOffsetMs / 1000,
  };
}

export const adminRoutes: Record<string, AdminHandler> = {
  "GET /_emulator/health": () => ok({ ok: true }),
  "GET /_emulator/config": (emu) => ok(emu.config),
  "POST /_emulator/config": (emu, body) => ok(emu.configure(body as RuntimeConfigPatch)),
  "POST /_emulator/reset": (emu) => {
    emu.reset();
    return ok({ ok: true });
  },
  "GET /_emulator/stats": (emu) =>
    ok({
      ...emu.stats.toJSON(),
      objects: emu.store.counts(),
      pendingWebhookDeliveries: emu.store.internal.deliveries.length,
      scheduledJobs: emu.store.internal.jobs.length,
    }),
  "GET /_emulator/clock": (emu) => ok(clock(emu)),
  "POST /_emulator/clock/advance": (emu, body) => {
    const jobsRun = emu.advanceClock(Number(body.seconds));
    return ok({ ...clock(emu), jobsRun });
  },
  "GET /_emulator/webhooks": (emu) =>
    ok({ pending: emu.store.internal.deliveries, recentAttempts: emu.webhooks.recent.slice(-100) }),
  "POST /_emulator/flush": async (emu) => {
    await emu.persistence?.flush();
    return ok({ ok: true, persisted: emu.persistence !== null });
  },
};
