import { getConfig } from "~/config.server";
import { fundedEmail } from "~/domain/emails";
import { claimDueEmails, listProblemEmails, queueEmails } from "~/models/outbox.server";
import { setNotificationPreferences } from "~/models/notification-preferences.server";
import { createDeliveryBucket, deliverDueEmails } from "~/services/email/delivery.server";
import { createMailTransport, type MailTransport } from "~/services/email/transport.server";
import { writeEmail } from "~/services/emails.server";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { startSmtpSink } from "../support/smtp-sink";

// Delivery against a real SMTP server in another process: what arrives, and what happens when
// the server is away, refuses, or the worker dies between sending and recording.

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.stop();
});
const database = useTestDatabase(() => ({
  SMTP_URL: sink.url,
  APP_URL: "https://colecta.example",
  MAIL_FROM: "Colecta <hello@colecta.example>",
  MAIL_MAX_PER_SECOND: "500",
}));

let transport: MailTransport;
beforeAll(() => {
  transport = createMailTransport(getConfig());
});
afterAll(() => transport?.close());
beforeEach(async () => {
  sink.received.length = 0;
  await database().db.deleteFrom("email_outbox").execute();
});

const pass = (now?: Date) =>
  deliverDueEmails({
    db: database().db,
    config: getConfig(),
    transport,
    bucket: createDeliveryBucket(getConfig()),
    // A second ahead by default: rows are due at the database's now(), in microseconds, which a
    // JavaScript Date taken in the same millisecond can trail.
    now: () => now ?? new Date(Date.now() + 1_000),
  });

async function queueFunded(user: { id: string; email: string }, n = 1, category?: "updates") {
  await queueEmails(
    database().db,
    Array.from({ length: n }, (_, i) => ({
      kind: "funded",
      toEmail: user.email,
      toUserId: user.id,
      category,
      dedupeKey: `test:${user.id}:${i}:${category ?? "t"}`,
      ...writeEmail(fundedEmail, "es", {
        backerName: "Bea",
        campaignTitle: `Horno ${i}`,
        amount: 2_500,
        currency: "eur",
        pledgeUrl: "/me/pledges/p1",
        charged: true,
      }),
    })),
  );
}

const rows = () => database().db.selectFrom("email_outbox").selectAll().orderBy("id").execute();
const later = (ms: number) => new Date(Date.now() + ms);

describe("delivery over SMTP", () => {
  it("delivers an email once, multipart, with a Message-ID derived from its outbox row", async () => {
    const user = await makeUser(database().db, "Bea");
    await queueFunded(user);
    expect(await pass()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await pass()).toMatchObject({ claimed: 0 });

    const [row] = await rows();
    expect(row).toMatchObject({ status: "sent", attempts: 1, message_id: `<outbox-${row!.id}@colecta.example>` });
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.to).toEqual([user.email]);
    expect(mail.messageId).toBe(row!.message_id);
    expect(mail.subject).toBe("Horno 0 se ha financiado");
    expect(mail.headers["from"]).toBe("Colecta <hello@colecta.example>");
    expect(mail.headers["content-type"]).toMatch(/^multipart\/alternative/);
    expect(mail.headers["content-language"]).toBe("es");
    expect(mail.text).toContain("Tu aportación: https://colecta.example/me/pledges/p1");
    expect(mail.html).toContain('<html lang="es">');
    expect(mail.html).toContain('href="https://colecta.example/me/pledges/p1"');
    // Transactional mail carries no unsubscribe headers.
    expect(mail.headers["list-unsubscribe"]).toBeUndefined();
  });

  it("retries with backoff while the server is down, then delivers every email exactly once", async () => {
    const user = await makeUser(database().db);
    await queueFunded(user, 12);
    await sink.stop();
    try {
      expect(await pass()).toMatchObject({ claimed: 12, retried: 12, sent: 0 });
      const waiting = await rows();
      for (const r of waiting) {
        expect(r.status).toBe("pending");
        expect(r.last_error).toMatch(/ECONNREFUSED|ECONNECTION|connect/i);
        // First retry: 15-30 s later (half fixed, half jitter), never at once.
        expect(r.send_after.getTime()).toBeGreaterThan(Date.now() + 10_000);
      }
      expect(await pass()).toMatchObject({ claimed: 0 });
      // Still down at the second try: the wait doubles.
      expect(await pass(later(31_000))).toMatchObject({ retried: 12 });
      for (const r of await rows()) expect(r.attempts).toBe(2);
    } finally {
      await sink.start();
    }
    const summary = await pass(later(10 * 60_000));
    expect(summary).toMatchObject({ claimed: 12, sent: 12 });
    const ids = sink.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(12);
    expect(ids.sort()).toEqual((await rows()).map((r) => r.message_id).sort());
    expect((await rows()).every((r) => r.status === "sent" && r.last_error === null)).toBe(true);
  });

  it("retries a 4xx reply and gives up at once on a 5xx, keeping the server's reply for staff", async () => {
    const user = await makeUser(database().db);
    await queueFunded(user, 1);
    await sink.setMode("defer");
    expect(await pass()).toMatchObject({ retried: 1 });
    expect((await rows())[0]!.last_error).toMatch(/451/);

    await sink.setMode("reject");
    try {
      expect(await pass(later(60_000))).toMatchObject({ failed: 1 });
    } finally {
      await sink.setMode("accept");
    }
    const [row] = await rows();
    expect(row).toMatchObject({ status: "failed" });
    expect(row!.last_error).toMatch(/550.*mailbox unavailable/);
    expect(row!.failed_at).toBeInstanceOf(Date);
    expect(await pass(later(3_600_000))).toMatchObject({ claimed: 0 });
    expect(sink.received).toHaveLength(0);
    const problems = await listProblemEmails(database().db, { now: new Date(), stuckAfterMs: 15 * 60_000 });
    expect(problems.map((p) => p.id)).toEqual([row!.id]);
  });

  it("a worker that died after claiming leaves the row to the next one, which resends the same Message-ID", async () => {
    const user = await makeUser(database().db);
    await queueFunded(user, 1);
    // A worker claims, then dies before recording (its lease is left in place).
    // (A second ahead: the row's send_after is the database's now(), in microseconds, which a
    // JavaScript Date of the same millisecond can trail.)
    const [claimed] = await claimDueEmails(database().db, {
      limit: 10,
      leaseMs: 60_000,
      now: later(1_000),
      messageHost: "colecta.example",
    });
    expect(claimed).toBeDefined();
    expect(await pass()).toMatchObject({ claimed: 0 }); // leased: nobody else takes it
    expect(await pass(later(62_000))).toMatchObject({ claimed: 1, sent: 1 });
    expect(sink.received.map((m) => m.messageId)).toEqual([claimed!.messageId]);
    expect((await rows())[0]).toMatchObject({ attempts: 2, status: "sent" });
  });

  it("suppresses a category the recipient turned off, and still sends their transactional mail", async () => {
    const user = await makeUser(database().db);
    await setNotificationPreferences(database().db, user.id, { updates: false });
    await queueFunded(user, 1, "updates");
    await queueFunded(user, 1);
    expect(await pass()).toMatchObject({ claimed: 2, sent: 1, suppressed: 1 });
    const [update, receipt] = await rows();
    expect(update).toMatchObject({ category: "updates", status: "suppressed", sent_at: null });
    expect(receipt).toMatchObject({ category: "transactional", status: "sent" });
    expect(sink.received).toHaveLength(1);
  });

  it("gives optional mail List-Unsubscribe headers with a one-click link signed for the user and category", async () => {
    const user = await makeUser(database().db);
    await queueFunded(user, 1, "updates");
    await pass();
    const headers = sink.received[0]!.headers;
    expect(headers["list-unsubscribe"]).toMatch(
      new RegExp(`^<https://colecta\\.example/unsubscribe/${user.id}\\.updates\\.[\\w-]{32}/one-click>$`),
    );
    expect(headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  });
});
