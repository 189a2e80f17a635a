import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { getConfig } from "~/config.server";
import { action as oneClickAction } from "~/routes/unsubscribe.$token.one-click";
import { createDeliveryBucket, deliverDueEmails } from "~/services/email/delivery.server";
import { createMailTransport, type MailTransport } from "~/services/email/transport.server";
import { replyInThread, startThread } from "~/services/messages/messages.server";
import { translatorFor } from "~/i18n";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { call } from "../support/routes";
import { startSmtpSink } from "../support/smtp-sink";

// The "new message" email through a real SMTP server: what the creator receives, and that its
// one-click unsubscribe link turns message emails off.

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
const db = () => database().db as Kysely<Database>;

let transport: MailTransport;
beforeAll(() => {
  transport = createMailTransport(getConfig());
});
afterAll(() => transport?.close());

const pass = () =>
  deliverDueEmails({
    db: db(),
    config: getConfig(),
    transport,
    bucket: createDeliveryBucket(getConfig()),
    now: () => new Date(Date.now() + 1_000),
  });

it("reaches the creator with the message as text, a link to the thread and a one-click unsubscribe", async () => {
  const creator = await makeUser(db(), "Carla Creator");
  const person = await makeUser(db(), "Pablo Person");
  const campaign = await makeLiveCampaign(db(), { creatorId: creator.id });
  const t = translatorFor("en");
  const started = await startThread(db(), {
    campaignSlug: campaign.slug,
    subject: "Colours",
    authorId: person.id,
    body: "Is there a **green** one?\n\n- asking for a friend",
    t,
    locale: "en",
  });
  if (!started.ok) throw new Error("could not start the thread");
  await pass();

  expect(sink.received).toHaveLength(1);
  const mail = sink.received[0]!;
  expect(mail.to).toEqual([creator.email]);
  expect(mail.subject).toBe(`Pablo Person sent you a message about Campaign ${campaign.slug}`);
  expect(mail.text).toContain("Is there a green one? asking for a friend");
  expect(mail.text).toContain(`https://colecta.example/messages/${started.threadId}`);
  expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  const oneClick = /^<https:\/\/colecta\.example\/unsubscribe\/([^/>]+)\/one-click>$/.exec(
    mail.headers["list-unsubscribe"] ?? "",
  );
  expect(oneClick?.[1]).toMatch(new RegExp(`^${creator.id}\\.messages\\.`));

  // The mail client's one-click POST turns message emails off: the next message emails nobody,
  // even after the creator has read the thread.
  const token = oneClick![1]!;
  const res = await call(
    oneClickAction,
    new Request(`https://colecta.example/unsubscribe/${token}/one-click`, {
      method: "POST",
      body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
    }),
    { token },
  );
  expect(res.status).toBeLessThan(300);
  await db()
    .updateTable("message_threads")
    .set({ creator_read_at: new Date() })
    .where("id", "=", started.threadId)
    .execute();
  const again = await replyInThread(db(), {
    threadId: started.threadId,
    authorId: person.id,
    body: "Any news?",
    t,
    locale: "en",
  });
  expect(again.ok).toBe(true);
  await pass();
  expect(sink.received).toHaveLength(1);
});
