// A delivery worker in its own process, for the crash test: delivers the outbox on DATABASE_URL
// to SMTP_URL until no email is pending, then exits. The test SIGKILLs it at random moments.
import { sql } from "kysely";
import { parseConfig } from "../../app/config.server";
import { createDeliveryBucket, deliverDueEmails } from "../../app/services/email/delivery.server";
import { createMailTransport } from "../../app/services/email/transport.server";
import { connectDatabase } from "../../db/connect";

const config = parseConfig(process.env);
if (!config.DATABASE_URL) throw new Error("mail-worker-child needs DATABASE_URL");
const handle = await connectDatabase({ url: config.DATABASE_URL, poolMax: 4 });
const transport = createMailTransport(config);
const bucket = createDeliveryBucket(config);
const leaseMs = Number(process.env.MAIL_LEASE_MS ?? 60_000);
for (;;) {
  const s = await deliverDueEmails({ db: handle.db, config, transport, bucket, batchSize: 20, leaseMs });
  if (s.claimed > 0) continue;
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from email_outbox where status = 'pending'`.execute(handle.db);
  if (rows[0]!.n === 0) break;
  await new Promise((r) => setTimeout(r, 200));
}
transport.close();
await handle.close();
