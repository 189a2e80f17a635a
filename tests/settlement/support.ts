import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import type Stripe from "stripe";
import type { Database } from "../../db/schema";
import { makeDueCampaign, moneyInvariants, seedBulkPledges, type TestCard } from "../support/settlement-fixtures";

const root = path.resolve(import.meta.dirname, "../..");

export const serverUrl = process.env.TEST_DATABASE_URL;
export const SKIP_REASON =
  "needs a PostgreSQL server (set TEST_DATABASE_URL): PGlite cannot be shared by several processes";

export interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts tests/settlement/worker-child.ts with the database and emulator of the test. */
export function spawnWorker({
  databaseUrl,
  emulatorPort,
  slug,
  env = {},
}: {
  databaseUrl: string;
  emulatorPort: number;
  slug: string;
  env?: Record<string, string>;
}): Child {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "colecta-worker-"));
  const child = spawn(process.execPath, ["--import", "tsx", "tests/settlement/worker-child.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      STRIPE_SECRET_KEY: "",
      STRIPE_EMULATOR_HOST: "127.0.0.1",
      STRIPE_EMULATOR_PORT: String(emulatorPort),
      STRIPE_MAX_RPS: "1000",
      SETTLEMENT_CONCURRENCY: "8",
      SETTLE_CAMPAIGN: slug,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  return { process: child, output: () => output, exited };
}

export async function runToCompletion(opts: Parameters<typeof spawnWorker>[0]) {
  const child = spawnWorker(opts);
  const code = await child.exited;
  if (code !== 0) throw new Error(`worker exited with ${code}:\n${child.output()}`);
  return child.output();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A due campaign with `count` pledges: most cards pay, every `failEvery`-th is declined. */
export async function seedCampaign(
  db: Kysely<Database>,
  stripe: Stripe,
  { count, failEvery = 10, goal = 1_000 }: { count: number; failEvery?: number; goal?: number },
) {
  const campaign = await makeDueCampaign(db, { goal });
  const card = (i: number): TestCard =>
    i % failEvery === failEvery - 1 ? "pm_card_chargeCustomerFail" : "pm_card_visa";
  await seedBulkPledges(db, stripe, { campaignId: campaign.id, tierId: campaign.tierId, count, card, customers: 20 });
  return campaign;
}

/**
 * What must hold after any number of crashes: every pledge decided (collected, or errored when
 * its card fails), each with exactly one attempt (an unfinished attempt is resumed, never
 * renumbered), exactly one successful PaymentIntent per collected pledge and none for the
 * others, and the journal equal to Stripe's side to the cent, fees included.
 */
export async function expectSettledExactlyOnce(
  db: Kysely<Database>,
  stripe: Stripe,
  { campaignId, count, failEvery = 10 }: { campaignId: string; count: number; failEvery?: number },
) {
  const m = await moneyInvariants(db, stripe, { campaignId });
  const states = new Map<string, number>();
  for (const p of m.pledges) states.set(p.state, (states.get(p.state) ?? 0) + 1);
  const failing = Math.floor(count / failEvery);
  expect(Object.fromEntries(states)).toEqual({ collected: count - failing, errored: failing });
  for (const p of m.pledges) {
    const wins = m.succeeded.get(p.id) ?? [];
    expect(wins.length, `pledge ${p.id} (${p.state}) has ${wins.length} successful charges`).toBe(
      p.state === "collected" ? 1 : 0,
    );
    if (p.state === "collected") expect(p.stripe_payment_intent_id).toBe(wins[0]!.id);
  }
  const attempts = await db
    .selectFrom("charge_attempts")
    .innerJoin("pledges", "pledges.id", "charge_attempts.pledge_id")
    .select([
      "charge_attempts.status",
      sql<number>`count(*)::int`.as("n"),
      sql<number>`max(charge_attempts.attempt)::int`.as("max_attempt"),
    ])
    .where("pledges.campaign_id", "=", campaignId)
    .groupBy("charge_attempts.status")
    .execute();
  expect(
    attempts
      .map((a) => ({ status: a.status, n: Number(a.n), max: Number(a.max_attempt) }))
      .sort((a, b) => a.status.localeCompare(b.status)),
  ).toEqual([
    { status: "failed", n: failing, max: 1 },
    { status: "succeeded", n: count - failing, max: 1 },
  ]);
  expect(m.journal.charged).toBe(m.stripeSide.charged);
  expect(m.journal.fees).toBe(m.stripeSide.fees);
  const collected = m.pledges.filter((p) => p.state === "collected").reduce((n, p) => n + p.amount, 0);
  expect(m.journal.charged).toBe(collected);
  const emails = await db
    .selectFrom("email_outbox")
    .innerJoin("pledges", (j) =>
      j.on(sql`email_outbox.dedupe_key`, "in", [
        sql`'settlement-funded-' || pledges.id`,
        sql`'payment-failed-' || pledges.id || '-1'`,
      ]),
    )
    .select(["email_outbox.kind", sql<number>`count(*)::int`.as("n")])
    .where("pledges.campaign_id", "=", campaignId)
    .groupBy("email_outbox.kind")
    .execute();
  expect(Object.fromEntries(emails.map((e) => [e.kind, Number(e.n)]))).toEqual({
    settlement_funded: count - failing,
    payment_failed: failing,
  });
  return m;
}
