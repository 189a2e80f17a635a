import { spawn } from "node:child_process";
import path from "node:path";
import { queueEmails } from "~/models/outbox.server";
import { createTestDatabase } from "../support/database";
import { startSmtpSink } from "../support/smtp-sink";

// Real processes, really killed: a delivery worker is SIGKILLed at random moments while it
// sends, again and again, then two workers finish the outbox together. Every email arrives at
// least once, and a duplicate (sent, then killed before recording) carries the same Message-ID.

const serverUrl = process.env.TEST_DATABASE_URL;
const root = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!serverUrl)("delivery survives crashes and shares work", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.stop();
    await database?.close();
  });

  const spawnWorker = () => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/email/mail-worker-child.ts"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: database.url!,
        SMTP_URL: sink.url,
        APP_URL: "https://colecta.example",
        SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
        MAIL_MAX_PER_SECOND: "400",
        MAIL_LEASE_MS: "1500",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    return { child, exited: new Promise<number | null>((r) => child.once("exit", r)) };
  };

  it("killing the worker mid-batch, repeatedly: every email delivered at least once, duplicates share a Message-ID", async () => {
    const count = 600;
    await queueEmails(
      database.db,
      Array.from({ length: count }, (_, i) => ({
        kind: "test",
        toEmail: `backer-${i}@example.com`,
        subject: `Email ${i}`,
        bodyText: `Body ${i}\n`,
        bodyHtml: `<p>Body ${i}</p>`,
        locale: "en" as const,
      })),
    );
    let kills = 0;
    for (let i = 0; i < 5; i++) {
      const before = sink.received.length;
      const { child, exited } = spawnWorker();
      const started = Date.now();
      while (child.exitCode === null && sink.received.length === before && Date.now() - started < 20_000)
        await sleep(10);
      await Promise.race([sleep(Math.random() * 400), exited]);
      if (child.exitCode === null) {
        child.kill("SIGKILL");
        kills++;
      }
      await exited;
    }
    expect(kills).toBeGreaterThanOrEqual(4);
    expect(sink.received.length).toBeLessThan(count); // the kills really interrupted the work

    const finishers = [spawnWorker(), spawnWorker()];
    expect(await Promise.all(finishers.map((w) => w.exited))).toEqual([0, 0]);

    const rows = await database.db
      .selectFrom("email_outbox")
      .select(["id", "to_email", "status", "message_id"])
      .execute();
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    const byMessageId = new Map(rows.map((r) => [r.message_id!, r]));
    expect(byMessageId.size).toBe(count);
    const seen = new Map<string, number>();
    for (const m of sink.received) {
      const row = byMessageId.get(m.messageId);
      expect(row, `a message nobody queued: ${m.messageId}`).toBeDefined();
      expect(m.to).toEqual([row!.to_email]);
      seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
    }
    expect(seen.size).toBe(count);
    const duplicates = [...seen.values()].filter((n) => n > 1).length;
    console.log(
      `[email crash] ${kills} kills, ${sink.received.length} deliveries of ${count} emails, ${duplicates} resent`,
    );
  }, 180_000);
});
