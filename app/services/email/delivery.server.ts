import type { Db } from "../../../db/schema.js";
import type { Config } from "../../config.server";
import {
  judgeSendError,
  MAX_DELIVERY_ATTEMPTS,
  mayBeMuted,
  messageIdHost,
  retryDelayMs,
} from "../../domain/email-delivery";
import { claimDueEmails, recordDelivery, type ClaimedEmail } from "../../models/outbox.server";
import { mutedAmong } from "../../models/notification-preferences.server";
import { Semaphore, TokenBucket } from "../settlement/pacer.server";
import { createMailTransport, type MailTransport } from "./transport.server";
import { unsubscribeHeaders } from "./unsubscribe.server";

// The delivery worker: claim a batch (app/models/outbox.server.ts holds the protocol), send it
// over SMTP outside any transaction at MAIL_MAX_PER_SECOND, record each outcome. Any number of
// workers, in any number of processes, share the outbox through row locks and leases.

export interface DeliveryPassSummary {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
}

export interface DeliveryOptions {
  db: Db;
  config: Config;
  transport: MailTransport;
  /** Shared by a worker's passes so the pace holds across them. */
  bucket: TokenBucket;
  now?: () => Date;
  batchSize?: number;
  /** Sends in flight at once (the pool's connections). */
  concurrency?: number;
  random?: () => number;
  /** How long a claim holds its rows (default: leaseFor the batch at the configured pace). */
  leaseMs?: number;
}

export const createDeliveryBucket = (config: Config) =>
  new TokenBucket(config.MAIL_MAX_PER_SECOND, Math.max(1, Math.ceil(config.MAIL_MAX_PER_SECOND / 4)));

/** The lease covers a whole batch at the configured pace, three times over, and at least a minute. */
export const leaseFor = (batchSize: number, perSecond: number) =>
  Math.max(60_000, Math.ceil((batchSize / perSecond) * 3_000));

/** One pass: claims at most one batch of due emails and delivers it. */
export async function deliverDueEmails({
  db,
  config,
  transport,
  bucket,
  now = () => new Date(),
  batchSize = 50,
  concurrency = 4,
  random = Math.random,
  leaseMs,
}: DeliveryOptions): Promise<DeliveryPassSummary> {
  const summary: DeliveryPassSummary = { claimed: 0, sent: 0, retried: 0, failed: 0, suppressed: 0 };
  const batch = await claimDueEmails(db, {
    limit: batchSize,
    leaseMs: leaseMs ?? leaseFor(batchSize, config.MAIL_MAX_PER_SECOND),
    now: now(),
    messageHost: messageIdHost(config.appUrl),
  });
  summary.claimed = batch.length;
  if (batch.length === 0) return summary;

  const muted = await mutedAmong(
    db,
    batch.flatMap((e) => (e.toUserId && mayBeMuted(e.category) ? [{ userId: e.toUserId, category: e.category }] : [])),
  );
  const slots = new Semaphore(concurrency);
  await Promise.all(
    batch.map(async (email) => {
      if (email.toUserId && muted.has(`${email.toUserId}:${email.category}`)) {
        await recordDelivery(db, email.id, { status: "suppressed" });
        summary.suppressed++;
        return;
      }
      await slots.run(async () => {
        await bucket.take();
        const outcome = await sendOne(transport, config, email);
        if (outcome.ok) {
          await recordDelivery(db, email.id, { status: "sent", at: now() });
          summary.sent++;
        } else if (outcome.verdict.kind === "permanent" || email.attempts >= MAX_DELIVERY_ATTEMPTS) {
          await recordDelivery(db, email.id, { status: "failed", at: now(), error: outcome.verdict.reason });
          summary.failed++;
        } else {
          const sendAfter = new Date(now().getTime() + retryDelayMs(email.attempts, random));
          await recordDelivery(db, email.id, { status: "retry", sendAfter, error: outcome.verdict.reason });
          summary.retried++;
        }
      });
    }),
  );
  return summary;
}

async function sendOne(transport: MailTransport, config: Config, email: ClaimedEmail) {
  try {
    await transport.sendMail({
      from: config.mailFrom,
      to: email.toEmail,
      subject: email.subject,
      text: email.bodyText,
      ...(email.bodyHtml ? { html: email.bodyHtml } : {}),
      messageId: email.messageId,
      headers: { "Content-Language": email.locale, ...unsubscribeHeaders(email.toUserId, email.category) },
    });
    return { ok: true as const };
  } catch (error) {
    return { ok: false as const, verdict: judgeSendError(error as Parameters<typeof judgeSendError>[0]) };
  }
}

export interface EmailWorker {
  /** Stops claiming, lets the batch in flight finish and record, closes the pool. */
  stop(): Promise<void>;
}

/**
 * The long-running delivery loop (inside `npm start` when RUN_WORKER, and in `npm run worker`).
 * A full batch is followed at once by another; otherwise it sleeps `pollMs`.
 */
export function startEmailWorker({
  db,
  config,
  log = (line) => console.log(line),
  pollMs = 1_000,
  batchSize = 50,
}: {
  db: Db;
  config: Config;
  log?: (line: string) => void;
  pollMs?: number;
  batchSize?: number;
}): EmailWorker {
  const transport = createMailTransport(config);
  const bucket = createDeliveryBucket(config);
  let stopping = false;
  let wake: (() => void) | undefined;
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    let failures = 0;
    while (!stopping) {
      let full = false;
      try {
        const s = await deliverDueEmails({ db, config, transport, bucket, batchSize });
        full = s.claimed === batchSize;
        failures = 0;
        if (s.retried || s.failed) {
          log(`[email] ${s.sent} sent, ${s.retried} to retry later, ${s.failed} failed, ${s.suppressed} suppressed`);
        }
      } catch (error) {
        failures++;
        log(`[email] pass failed (will retry): ${(error as Error).message}`);
      }
      if (!stopping && !full) await idle(pollMs * Math.min(10, 2 ** Math.max(0, failures - 1)));
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      wake?.();
      await loop;
      transport.close();
    },
  };
}
