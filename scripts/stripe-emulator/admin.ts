// Control endpoints under /_emulator (JSON in, JSON out, no API key): configuration, reset,
// statistics, the emulator clock, balances and webhook delivery logs. Documented in README.md.

import type { RuntimeConfigPatch } from "./config.js";
import type { Emulator } from "./emulator.js";
import { connectedBalanceObject, payOutConnectedAccount } from "./resources/accounts.js";
import { balanceObject, platformBalances } from "./resources/balance.js";

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

/** The platform's balance, and when its last pending line becomes available (null: none pending). */
function balance(emu: Emulator) {
  let pendingUntil: number | null = null;
  for (const t of emu.store.balanceTransactions.all()) {
    if (t.status === "pending") pendingUntil = Math.max(pendingUntil ?? 0, t.available_on);
  }
  return { now: emu.unix(), pendingUntil, balance: balanceObject(platformBalances(emu)) };
}

const noAccount = (id: string): AdminResponse => ({
  status: 404,
  body: { error: { message: `No such account: '${id}'` } },
});

type AccountHandler = (emu: Emulator, accountId: string, body: Record<string, unknown>) => AdminResponse;

/** Routes naming a connected account: `/_emulator/accounts/:id/...`. */
const accountRoutes: Record<string, AccountHandler> = {
  "GET balance": (emu, id) =>
    emu.store.accounts.get(id) ? ok({ account: id, balance: connectedBalanceObject(emu, id) }) : noAccount(id),
  // The connected account's automatic payout to its bank: its available balance leaves.
  "POST pay_out": (emu, id) => {
    const account = emu.store.accounts.get(id);
    if (!account) return noAccount(id);
    const payouts = emu.mutate(() => payOutConnectedAccount(emu, account));
    return ok({ account: id, payouts, balance: connectedBalanceObject(emu, id) });
  },
};

const ACCOUNT_ROUTE = /^(GET|POST) \/_emulator\/accounts\/([^/]+)\/([a-z_]+)$/;

/** The handler for `METHOD /path` (path without a trailing slash), or undefined. */
export function findAdminRoute(key: string): AdminHandler | undefined {
  if (Object.hasOwn(fixedRoutes, key)) return fixedRoutes[key];
  const m = ACCOUNT_ROUTE.exec(key);
  const name = m ? `${m[1]} ${m[3]}` : "";
  const handler = Object.hasOwn(accountRoutes, name) ? accountRoutes[name] : undefined;
  if (!m || !handler) return undefined;
  let id = m[2]!;
  try {
    id = decodeURIComponent(id);
  } catch {
    // Left as sent: no account has such an id.
  }
  return (emu, body) => handler(emu, id, body);
}

const fixedRoutes: Record<string, AdminHandler> = {
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
  "GET /_emulator/balance": (emu) => ok(balance(emu)),
  "POST /_emulator/flush": async (emu) => {
    await emu.persistence?.flush();
    return ok({ ok: true, persisted: emu.persistence !== null });
  },
};

/**
 * server.ts looks a route up as `adminRoutes["METHOD /path"]`; routes with an account id in the
 * path are found by pattern behind that lookup (`findAdminRoute`).
 */
export const adminRoutes: Record<string, AdminHandler> = new Proxy(fixedRoutes, {
  get: (_target, key) => (typeof key === "string" ? findAdminRoute(key) : undefined),
});
