import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { getConfig } from "~/config.server";
import { questionFormSchema } from "~/domain/survey";
import { translatorFor } from "~/i18n";
import { createDeliveryBucket, deliverDueEmails } from "~/services/email/delivery.server";
import { createMailTransport, type MailTransport } from "~/services/email/transport.server";
import { saveQuestion, sendSurvey, startSurvey } from "~/services/surveys/builder.server";
import { surveyBackgroundPass } from "~/services/surveys/invitations.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { startSmtpSink } from "../support/smtp-sink";
import { makeCollectedBacker } from "../support/surveys";

// The survey's invitation through a real SMTP server, on a campaign that charges at pledge time:
// it may have its survey while live, each backer gets the invitation once in their language, and
// a backer who pledges after sending gets it from the background pass, once.

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
const t = translatorFor("en");

let transport: MailTransport;
beforeAll(() => {
  transport = createMailTransport(getConfig());
});
afterAll(() => transport?.close());
const deliver = () =>
  deliverDueEmails({
    db: db(),
    config: getConfig(),
    transport,
    bucket: createDeliveryBucket(getConfig()),
    now: () => new Date(Date.now() + 1_000),
  });

it("invites each backer once in their language, and a late backer from the background pass", async () => {
  const creator = await makeUser(db(), "Irene Immediate");
  const campaign = await makeLiveCampaign(db(), {
    creatorId: creator.id,
    collection: "immediate",
    tiers: [{ title: "Lamp", minimum: 2_500, shipping: { EU: 900 } }],
  });
  const tierId = campaign.tiers[0]!.id;
  const owner = { campaignId: campaign.id, creatorId: creator.id };
  const early = await makeCollectedBacker(db(), {
    campaignId: campaign.id,
    tierId,
    destination: "EU",
    locale: "es",
    state: "active",
    name: "Eva",
  });
  expect((await startSurvey(db(), { ...owner, t })).ok).toBe(true);
  const form = questionFormSchema(t).parse({ kind: "address", prompt: "Shipping address", allTiers: true });
  expect((await saveQuestion(db(), { ...owner, form, t })).ok).toBe(true);
  const lockAt = new Date(Date.UTC(2031, 0, 31, 23, 59, 59));
  const now = new Date(Date.UTC(2031, 0, 1));
  expect(await sendSurvey(db(), { ...owner, lockAt, intro: "", actorId: creator.id, t, now })).toEqual({
    ok: true,
    invited: 1,
  });
  await deliver();
  expect(sink.received).toHaveLength(1);
  const invitation = sink.received[0]!;
  expect(invitation.to).toEqual([early.email]);
  expect(invitation.subject).toBe(`Campaign ${campaign.slug}: dile al creador dónde enviar tu recompensa`);
  expect(invitation.text).toContain(`https://colecta.example/me/pledges/${early.pledgeId}/survey`);
  expect(invitation.text).toContain("Puedes cambiar tus respuestas hasta el 31 de enero de 2031.");

  // A backer who pledges after sending (the campaign is still live) is invited by the pass, once.
  const late = await makeCollectedBacker(db(), {
    campaignId: campaign.id,
    tierId,
    destination: "EU",
    state: "active",
    name: "Leo",
  });
  await surveyBackgroundPass(db(), now);
  await surveyBackgroundPass(db(), now);
  await deliver();
  expect(sink.received.map((m) => m.to[0])).toEqual([early.email, late.email]);
  expect(sink.received[1]!.subject).toBe(`Campaign ${campaign.slug}: tell the creator where to send your reward`);
  const fulfilment = await db()
    .selectFrom("fulfilments")
    .select("status")
    .where("pledge_id", "=", late.pledgeId)
    .executeTakeFirst();
  expect(fulfilment?.status).toBe("awaiting_survey");
});
