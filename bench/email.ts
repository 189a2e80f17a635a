// Benchmark of email delivery: `npm run bench:email`.
//
// The delivery worker of `npm start` / `npm run worker` (claim with SKIP LOCKED, send over SMTP,
// record), against a real SMTP server in its own process on loopback, on embedded PGlite (the
// default database) or BENCH_DATABASE_URL (a PostgreSQL database to use as is: it is migrated
// and its outbox emptied). Every email is a rendered multipart "funded" email (text + HTML).
//   1. unthrottled drain of BENCH_EMAILS (default 5,000)         -> emails/s
//   2. the burst of a 10,000-pledge settlement (one "funded" email per pledge + the creator's),
//      unthrottled                                                -> time to deliver
//   3. the pace limit: 300 emails at MAIL_MAX_PER_SECOND=50        -> achieved rate (≈ 50/s?)
// Writes bench/results/email.md.

import { fork } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { sql } from "kysely";
import { parseConfig, setConfig } from "../app/config.server";
import { fundedEmail } from "../app/domain/emails";
import { queueEmails } from "../app/models/outbox.server";
import { createDeliveryBucket, deliverDueEmails } from "../app/services/email/delivery.server";
import { createMailTransport } from "../app/services/email/transport.server";
import { writeEmail } from "../app/services/emails.server";
import { connectDatabase } from "../db/connect";
import { migrateToLatest } from "../db/migrate";
import type { Db } from "../db/schema";

const EMAILS = Number(process.env.BENCH_EMAILS ?? 5_000);
const BURST = 10_001;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const n = (x: number) => Math.round(x).toLocaleString("en-US");

async function startSmtpServer() {
  const child = fork("bench/email/smtp-server-process.ts", { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const port = await new Promise<number>((resolve) => child.once("message", (m: { port: number }) => resolve(m.port)));
  return {
    port,
    received: () =>
      new Promise<number>((resolve) => {
        child.once("message", (m: { received: number }) => resolve(m.received));
        child.send({});
      }),
    stop: () => child.kill(),
  };
}

async function queue(db: Db, count: number) {
  const email = writeEmail(fundedEmail, "en", {
    backerName: "Bea Backer",
    campaignTitle: "Solar Kiln",
    amount: 2_500,
    currency: "eur",
    pledgeUrl: "/me/pledges/00000000-0000-0000-0000-000000000000",
    charged: true,
  });
  for (let i = 0; i < count; i += 1_000) {
    const size = Math.min(1_000, count - i);
    await queueEmails(
      db,
      Array.from({ length: size }, (_, j) => ({ kind: "funded", toEmail: `backer-${i + j}@example.com`, ...email })),
    );
  }
}

async function drain(db: Db, perSecond: number, smtpPort: number) {
  const config = parseConfig({
    ...process.env,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    MAIL_MAX_PER_SECOND: String(perSecond),
    SESSION_SECRET: "bench-secret-bench-secret-bench-secret-0",
  });
  setConfig(config);
  const transport = createMailTransport(config, { maxConnections: CONCURRENCY });
  const bucket = createDeliveryBucket(config);
  const started = performance.now();
  let sent = 0;
  for (;;) {
    const s = await deliverDueEmails({ db, config, transport, bucket, batchSize: BATCH, concurrency: CONCURRENCY });
    sent += s.sent;
    if (s.retried || s.failed) throw new Error(`unexpected failures: ${JSON.stringify(s)}`);
    if (s.claimed === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return { sent, seconds, rate: sent / seconds };
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  const handle = await connectDatabase(url ? { url, poolMax: 10 } : { dataDir: null });
  await migrateToLatest(handle.db);
  setConfig(parseConfig({ ...process.env, SESSION_SECRET: "bench-secret-bench-secret-bench-secret-0" }));
  const smtp = await startSmtpServer();
  const reset = () => sql`delete from email_outbox`.execute(handle.db);
  try {
    await reset();
    await queue(handle.db, EMAILS);
    const throughput = await drain(handle.db, 10_000, smtp.port);
    console.log(
      `1. drained ${n(throughput.sent)} emails in ${throughput.seconds.toFixed(1)} s: ${n(throughput.rate)} emails/s`,
    );

    await reset();
    await queue(handle.db, BURST);
    const burst = await drain(handle.db, 10_000, smtp.port);
    console.log(`2. 10,000-pledge settlement burst (${n(burst.sent)} emails): ${burst.seconds.toFixed(1)} s`);

    await reset();
    await queue(handle.db, 300);
    const paced = await drain(handle.db, 50, smtp.port);
    console.log(`3. paced at 50/s: ${paced.rate.toFixed(1)} emails/s`);

    const received = await smtp.received();
    const expected = EMAILS + BURST + 300;
    if (received !== expected) throw new Error(`the SMTP server received ${received} messages, expected ${expected}`);

    const md = `# Email delivery benchmark

Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:email\` on ${cpus().length} cores (${cpus()[0]?.model.trim()}),
Node ${process.version}, ${url ? "PostgreSQL server" : "embedded PGlite (in memory)"}. The delivery worker's own code
(claim with SKIP LOCKED, send, record) in this process; a real SMTP server (smtp-server) in another process on
loopback, reading every message through. Each email is a rendered multipart "funded" email (text + HTML, about
${
  Math.round(
    ((
      await handle.db
        .selectFrom("email_outbox")
        .select(sql<number>`avg(length(body_text) + length(body_html))`.as("n"))
        .executeTakeFirst()
    )?.n ?? 0) / 100,
  ) / 10
} kB).
Connections: ${CONCURRENCY}, batches of ${BATCH}. The SMTP server received exactly every email (${n(received)}).

| Run | Emails | Time | Emails/s |
|---|---:|---:|---:|
| Unthrottled drain | ${n(throughput.sent)} | ${throughput.seconds.toFixed(1)} s | ${n(throughput.rate)} |
| Burst of a 10,000-pledge settlement, unthrottled | ${n(burst.sent)} | ${burst.seconds.toFixed(1)} s | ${n(burst.rate)} |
| Paced at MAIL_MAX_PER_SECOND=50 | ${n(paced.sent)} | ${paced.seconds.toFixed(1)} s | ${paced.rate.toFixed(1)} |

- With the default pace (MAIL_MAX_PER_SECOND=20 per worker) the same burst takes ${n(BURST / 20)} s (about
  ${Math.round(BURST / 20 / 60)} minutes) per worker: the pace, not the code, decides; raise it to what your SMTP
  provider allows, or run more workers (each has its own pace).
`;
    await mkdir("bench/results", { recursive: true });
    await writeFile("bench/results/email.md", md);
    console.log("Wrote bench/results/email.md");
  } finally {
    smtp.stop();
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
