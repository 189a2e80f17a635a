import type Stripe from "stripe";
import type { Db } from "../../db/schema.js";
import type { Config } from "../../app/config.server";
import { countUsers, createUser, grantRole } from "../../app/models/user.server";
import { addFaqEntry } from "../../app/models/faq.server";
import { insertMessage, openThread } from "../../app/models/message.server";
import { COUNTED_STATES } from "../../app/domain/pledge-states";
import { DEMO_SPANISH_BACKER, seedDemoCampaigns } from "./campaigns";
import { seedDemoPayments } from "./payments";
import { seedDemoFulfilment } from "./fulfilment";
import { seedDemoAddOns } from "./add-ons";
import { seedDemoCrowd } from "./crowd";
import { seedDemoLatePledges } from "./late-pledges";
import { seedDemoStretchGoals } from "./stretch-goals";
import { hashPassword } from "../../app/services/accounts/password.server";
import { enrolWithKnownSecret } from "../../app/services/security/two-factor.server";
import { getConfig } from "../../app/config.server";

export const DEMO_PASSWORD = "demo-password";
/**
 * The demo staff's authenticator secret. Staff must sign in with a second factor, so in demo mode
 * Fiona (finance) and Mo (moderator) are enrolled with this published secret: `npm run demo:code`
 * prints the current code (or add the secret to any authenticator app). Never seeded outside demo mode.
 */
export const DEMO_TOTP_SECRET = "COLECTADEMOFIONAFINANCETWOFACTOR";
export const DEMO_FINANCE_EMAIL = "finance@example.com";
export const DEMO_SECOND_FINANCE_EMAIL = "finance2@example.com";
export const DEMO_MODERATOR_EMAIL = "moderator@example.com";
/** The demo's sign-ins. `locale`: the language saved as their preference (null: none chosen). */
export const DEMO_USERS = [
  { email: "backer@example.com", name: "Bea Backer", role: null, locale: null },
  { email: "creator@example.com", name: "Carlos Creator", role: null, locale: null },
  { email: DEMO_FINANCE_EMAIL, name: "Fiona Finance", role: "finance", locale: null },
  // A second finance user: a payout Fiona prepares needs another person to approve it.
  { email: DEMO_SECOND_FINANCE_EMAIL, name: "Omar Okafor", role: "finance", locale: null },
  { email: DEMO_MODERATOR_EMAIL, name: "Mo Moderator", role: "moderator", locale: null },
  { email: DEMO_SPANISH_BACKER, name: "Lucía Navarro", role: null, locale: "es" },
] as const;

/**
 * Seeds the demo data set, only into an empty database. Returns whether it seeded. With a Stripe
 * client, demo pledges get real saved cards and the historical campaigns are really settled.
 */
export async function seedDemoData(db: Db, payments?: { stripe: Stripe; config: Config }): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    for (const user of DEMO_USERS) {
      // Demo addresses are ours and verified, so the demo creators can launch and be paid.
      const created = await createUser(trx, {
        email: user.email,
        name: user.name,
        passwordHash,
        emailVerifiedAt: new Date(),
      });
      if (user.role) await grantRole(trx, { email: user.email, role: user.role });
      if (user.role && getConfig().demoMode)
        await enrolWithKnownSecret(trx, { userId: created.id, secret: DEMO_TOTP_SECRET });
      if (user.locale)
        await trx.updateTable("users").set({ locale: user.locale }).where("email", "=", user.email).execute();
    }
  });
  await seedDemoCampaigns(db, { passwordHash, settledBySettlement: Boolean(payments) });
  // Before the payments: the demo's charges and statements include the add-ons.
  await seedDemoAddOns(db);
  await seedDemoConversation(db);
  if (payments) {
    await seedDemoPayments({ db, ...payments });
    await seedDemoLatePledges(db, {
      ...payments,
      secret: DEMO_TOTP_SECRET,
      preparer: DEMO_FINANCE_EMAIL,
      approver: DEMO_SECOND_FINANCE_EMAIL,
    });
  }
  await seedDemoFulfilment(db);
  await seedDemoCrowd(db);
  await seedDemoStretchGoals(db);
  return true;
}

/** The live campaign of creator@example.com that gets an FAQ and private messages in the demo. */
export const DEMO_FAQ_CAMPAIGN = "ferment-lab-kombucha-brewer";

const DEMO_FAQ = [
  ["When will the brewer ship?", "We plan to ship in **March**, starting with the earliest backers."],
  ["Does it work with any tea?", "Yes: black, green and white teas all work. Avoid flavoured teas with oils."],
  ["Can I change my reward later?", "You can change your pledge from *My pledges* until the campaign ends."],
] as const;

/**
 * An FAQ on Carlos's live campaign, and two private threads to him about it: one from one of its
 * backers (the creator sees the tier), one from Bea, who does not back it (his reply to her is
 * unread in her inbox). Each message in its own transaction, so each has its own time (now() is
 * per transaction) and the read marks tell them apart.
 */
async function seedDemoConversation(db: Db) {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "creator_id"])
    .where("slug", "=", DEMO_FAQ_CAMPAIGN)
    .executeTakeFirst();
  if (!campaign) return;
  for (const [question, answerMd] of DEMO_FAQ) {
    await addFaqEntry(db, { campaignId: campaign.id, creatorId: campaign.creator_id, question, answerMd });
  }
  const backer = await db
    .selectFrom("pledges")
    .select("backer_id")
    .where("campaign_id", "=", campaign.id)
    .where("state", "in", COUNTED_STATES)
    .where("tier_id", "is not", null)
    .orderBy("created_at")
    .executeTakeFirst();
  const bea = await db.selectFrom("users").select("id").where("email", "=", "backer@example.com").executeTakeFirst();
  const threads: Array<{ participantId: string | undefined; subject: string; bodies: string[] }> = [
    {
      participantId: backer?.backer_id,
      subject: "Shipping to Canada?",
      bodies: ["Hi! Will you ship the brewer to Canada, and is shipping included in my tier?"],
    },
    {
      participantId: bea?.id,
      subject: "Is the brewer dishwasher safe?",
      bodies: [
        "Hello Carlos, before I back it: can the glass vessel go in the dishwasher?",
        "Yes, the glass vessel is dishwasher safe; the base with the heater is not.",
      ],
    },
  ];
  for (const { participantId, subject, bodies } of threads) {
    if (!participantId) continue;
    const thread = await db
      .transaction()
      .execute((trx) => openThread(trx, { campaignId: campaign.id, participantId, subject }));
    if (!thread) continue;
    for (const [i, bodyMd] of bodies.entries()) {
      const authorId = i % 2 === 0 ? participantId : campaign.creator_id;
      await db.transaction().execute((trx) => insertMessage(trx, { threadId: thread.id, authorId, bodyMd }));
    }
  }
}
