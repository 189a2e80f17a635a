import { sql } from "kysely";
import { getConfig } from "~/config.server";
import { runScheduledReconciliation } from "~/services/finance/reconciliation.server";
import { startSettlementWorker } from "~/services/settlement/worker.server";
import { useTestDatabase } from "../support/database";
import { makeSettledCampaign } from "../support/finance";
import { useTestEmulator } from "../support/stripe";

// The daily reconciliation the workers start themselves: from the configured hour (UTC), once
// per day however many workers ask at once, stored as a scheduled run the desk shows.

const database = useTestDatabase();
const { stripe } = await useTestEmulator();

const runs = () =>
  database()
    .db.selectFrom("reconciliation_runs")
    .select(["source", "status", sql<string | null>`scheduled_day::text`.as("day"), "objects_checked"])
    .orderBy("id")
    .execute();

describe("the daily reconciliation", () => {
  it("waits for its hour, then runs once a day however many workers ask at once", async () => {
    const { db } = database();
    await makeSettledCampaign(db, stripe, { amounts: [5_000] });
    expect(await runScheduledReconciliation(db, stripe, { now: new Date("2026-12-03T02:59:00Z"), atHour: 3 })).toBe(
      null,
    );
    const now = new Date("2026-12-03T03:00:00Z");
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => runScheduledReconciliation(db, stripe, { now, atHour: 3 })),
    );
    expect(outcomes.filter((o) => o !== null)).toEqual([expect.objectContaining({ ok: true, mismatches: 0 })]);
    expect(await runScheduledReconciliation(db, stripe, { now: new Date("2026-12-03T23:00:00Z"), atHour: 3 })).toBe(
      null,
    );
    await runScheduledReconciliation(db, stripe, { now: new Date("2026-12-04T03:30:00Z"), atHour: 3 });
    const stored = await runs();
    expect(stored.map((r) => [r.source, r.status, r.day])).toEqual([
      ["schedule", "clean", "2026-12-03"],
      ["schedule", "clean", "2026-12-04"],
    ]);
    expect(stored[0]!.objects_checked).toBeGreaterThan(0);
  });

  it("is run by the settlement worker when its hour has come", async () => {
    const { db } = database();
    const before = (await runs()).length;
    const lines: string[] = [];
    const worker = startSettlementWorker({
      db,
      stripe,
      config: { ...getConfig(), RECONCILE_DAILY_AT_HOUR: 0 },
      log: (line) => lines.push(line),
      now: () => new Date("2026-12-10T12:00:00Z"),
    });
    await expect.poll(async () => (await runs()).length, { timeout: 10_000 }).toBe(before + 1);
    await worker.stop();
    expect(lines.some((l) => l.startsWith("[reconciliation] daily run"))).toBe(true);
  });
});
