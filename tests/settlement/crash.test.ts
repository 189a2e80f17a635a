import Stripe from "stripe";
import { startEmulator, type RunningEmulator } from "../../scripts/stripe-emulator/index";
import { STRIPE_API_VERSION } from "~/services/stripe/client.server";
import { createTestDatabase } from "../support/database";
import {
  expectSettledExactlyOnce,
  runToCompletion,
  seedCampaign,
  serverUrl,
  SKIP_REASON,
  sleep,
  spawnWorker,
} from "./support";

// Real processes, really killed: a worker settling a few thousand pledges is SIGKILLed at random
// moments, again and again, then settlement finishes; and several workers share one campaign.
// The emulator lives in this process so it survives the kills.

type Handle = Awaited<ReturnType<typeof createTestDatabase>>;
let database: Handle;
let emulator: RunningEmulator;
let stripe: Stripe;

describe.skipIf(!serverUrl)("settlement survives crashes and shares work", () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = await startEmulator({ port: 0, dataDir: null, log: () => {} });
    stripe = new Stripe("sk_test_colecta_crash", {
      apiVersion: STRIPE_API_VERSION,
      host: "127.0.0.1",
      port: emulator.port,
      protocol: "http",
      maxNetworkRetries: 2,
    });
  });
  afterAll(async () => {
    await emulator?.close();
    await database?.close();
  });

  it("killing the worker at random moments, repeatedly, charges each pledge exactly once", async () => {
    const count = 2_000;
    const campaign = await seedCampaign(database.db, stripe, { count });
    const opts = { databaseUrl: database.url!, emulatorPort: emulator.port, slug: campaign.slug };
    let kills = 0;
    let leftPending = 0;
    const attempts = async () => {
      const rows = await database.db
        .selectFrom("charge_attempts")
        .innerJoin("pledges", "pledges.id", "charge_attempts.pledge_id")
        .select("charge_attempts.status")
        .where("pledges.campaign_id", "=", campaign.id)
        .execute();
      const pending = rows.filter((r) => r.status === "pending").length;
      return { pending, progress: `${rows.length}:${pending}` };
    };
    for (let i = 0; i < 7; i++) {
      const before = (await attempts()).progress;
      const child = spawnWorker(opts);
      // Start-up time varies with the machine's load: wait until this worker is charging (it has
      // written or finished attempts), then kill it at a random moment of the charge run.
      const started = Date.now();
      while (
        child.process.exitCode === null &&
        Date.now() - started < 20_000 &&
        (await attempts()).progress === before
      ) {
        await sleep(25);
      }
      await Promise.race([sleep(Math.random() * 600), child.exited]);
      if (child.process.exitCode === null) {
        child.process.kill("SIGKILL");
        kills++;
      }
      await child.exited;
      leftPending = Math.max(leftPending, (await attempts()).pending);
    }
    expect(kills).toBeGreaterThanOrEqual(5);
    // The kills really landed mid-charge: attempts were left pending for the next worker to resume.
    expect(leftPending).toBeGreaterThan(0);
    await runToCompletion(opts);
    await expectSettledExactlyOnce(database.db, stripe, { campaignId: campaign.id, count });
    const settlement = await database.db
      .selectFrom("settlements")
      .selectAll()
      .where("campaign_id", "=", campaign.id)
      .executeTakeFirstOrThrow();
    expect(settlement).toMatchObject({ decision: "funded", stage: "grace", pledges_at_deadline: count });
  }, 150_000);

  for (const workers of [2, 4]) {
    it(`${workers} workers at once (one of them killed midway) charge each pledge exactly once`, async () => {
      const count = 1_000;
      const campaign = await seedCampaign(database.db, stripe, { count });
      const opts = { databaseUrl: database.url!, emulatorPort: emulator.port, slug: campaign.slug };
      // Each worker paced at 100 requests/s, so the run outlasts every worker's start-up.
      const children = Array.from({ length: workers }, () => spawnWorker({ ...opts, env: { STRIPE_MAX_RPS: "100" } }));
      await Promise.race([sleep(3_500 + Math.random() * 1_500), children[0]!.exited]);
      children[0]!.process.kill("SIGKILL");
      const codes = await Promise.all(children.map((c) => c.exited));

      for (const [i, code] of codes.entries()) if (i > 0) expect(code, children[i]!.output()).toBe(0);
      // Everyone but the killed worker did part of the work.
      const shares = children
        .slice(1)
        .map((c) => JSON.parse(c.output().trim().split("\n").pop()!) as { charged: number; failed: number });
      expect(shares.filter((s) => s.charged + s.failed > 0).length).toBe(workers - 1);
      await runToCompletion(opts);
      await expectSettledExactlyOnce(database.db, stripe, { campaignId: campaign.id, count });
    }, 90_000);
  }
});

if (!serverUrl) {
  describe("settlement crash tests", () => {
    it.skip(`skipped: ${SKIP_REASON}`, () => {});
  });
}
