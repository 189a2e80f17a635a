import { getConfig } from "~/config.server";
import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { cancelPledge, changePledge, startCardUpdate } from "~/services/pledges/management.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser, type TierSpec } from "../support/fixtures";
import { pledgeThroughCheckout } from "../support/pledges";
import { payHostedCheckout, useTestEmulator } from "../support/stripe";

const database = useTestDatabase();
const { stripe } = await useTestEmulator();
const appUrl = "http://colecta.test";

/** A live campaign and an active pledge on it, through the real checkout. */
async function activePledge({
  tiers = [{ minimum: 2_500 }, { minimum: 5_000, limit: 1 }] as TierSpec[],
  collection = "at_deadline" as const,
  goal = 100_000,
  deadline,
  amount = "25",
}: {
  tiers?: TierSpec[];
  collection?: "at_deadline" | "immediate";
  goal?: number;
  deadline?: Date;
  amount?: string;
} = {}) {
  const { db } = database();
  const creator = await makeUser(db, "Creator");
  const campaign = await makeLiveCampaign(db, { creatorId: creator.id, tiers, collection, goal, deadline });
  const backer = await makeUser(db, "Backer");
  const { pledgeId } = await pledgeThroughCheckout(db, stripe, {
    slug: campaign.slug,
    backer,
    form: { tier: campaign.tiers[0]!.id, amount },
    appUrl,
  });
  return { db, campaign, backer, pledgeId };
}

const campaignTotals = (campaignId: string) =>
  database()
    .db.selectFrom("campaigns")
    .select(["pledged_amount", "backer_count"])
    .where("id", "=", campaignId)
    .executeTakeFirstOrThrow();
const claimedCounts = async (campaignId: string) =>
  (
    await database()
      .db.selectFrom("tiers")
      .select(["claimed_count"])
      .where("campaign_id", "=", campaignId)
      .orderBy("position")
      .execute()
  ).map((t) => t.claimed_count);

describe("managing a pledge before the deadline", () => {
  it("changes tier and amount, moving the totals and the slots, without a new card", async () => {
    const { db, campaign, backer, pledgeId } = await activePledge();
    expect(await claimedCounts(campaign.id)).toEqual([1, 0]);
    const result = await changePledge(db, stripe, {
      pledgeId,
      appUrl,
      backerId: backer.id,
      form: { tier: campaign.tiers[1]!.id, amount: "60" },
    });
    expect(result).toEqual({ ok: true, message: "Your pledge is now $60.00.", refunded: 0 });
    expect(await campaignTotals(campaign.id)).toEqual({ pledged_amount: 6_000, backer_count: 1 });
    expect(await claimedCounts(campaign.id)).toEqual([0, 1]);
    const history = await db
      .selectFrom("pledge_transitions")
      .select(["from_state", "to_state", "reason"])
      .where("pledge_id", "=", pledgeId)
      .orderBy("id")
      .execute();
    expect(history.at(-1)).toEqual({ from_state: "active", to_state: "active", reason: "Pledge changed" });
    const emails = await db
      .selectFrom("email_outbox")
      .select("kind")
      .where("to_email", "=", backer.email)
      .orderBy("id")
      .execute();
    expect(emails.map((e) => e.kind)).toEqual(["pledge_confirmed", "pledge_changed"]);
  });

  it("refuses a change below the tier minimum or to a sold-out tier, changing nothing", async () => {
    const { db, campaign, backer, pledgeId } = await activePledge();
    const other = await makeUser(db);
    const taken = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer: other,
      form: { tier: campaign.tiers[1]!.id, amount: "50" },
      appUrl,
    });
    expect(taken.ok).toBe(true);
    expect(
      await changePledge(db, stripe, {
        pledgeId,
        appUrl,
        backerId: backer.id,
        form: { tier: campaign.tiers[0]!.id, amount: "10" },
      }),
    ).toMatchObject({ ok: false, fieldErrors: { amount: expect.any(String) } });
    expect(
      await changePledge(db, stripe, {
        pledgeId,
        appUrl,
        backerId: backer.id,
        form: { tier: campaign.tiers[1]!.id, amount: "50" },
      }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { tier: "That reward is sold out." },
    });
    expect(await campaignTotals(campaign.id)).toEqual({ pledged_amount: 2_500, backer_count: 1 });
  });

  it("someone else's pledge is not found", async () => {
    const { db, pledgeId } = await activePledge();
    const stranger = await makeUser(db);
    expect(await cancelPledge(db, stripe, { pledgeId, backerId: stranger.id })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(
      await changePledge(db, stripe, { pledgeId, appUrl, backerId: stranger.id, form: { tier: "none", amount: "5" } }),
    ).toMatchObject({ ok: false, status: 404 });
  });

  it("cancels a saved-card pledge: released, totals and slot returned, nothing charged", async () => {
    const { db, campaign, backer, pledgeId } = await activePledge();
    const result = await cancelPledge(db, stripe, { pledgeId, backerId: backer.id });
    expect(result).toEqual({ ok: true, message: "Your pledge is cancelled. Your card will not be charged." });
    expect(await campaignTotals(campaign.id)).toEqual({ pledged_amount: 0, backer_count: 0 });
    expect(await claimedCounts(campaign.id)).toEqual([0, 0]);
    const intents = await stripe.paymentIntents.list({ limit: 100 });
    const customer = (
      await db.selectFrom("users").select("stripe_customer_id").where("id", "=", backer.id).executeTakeFirstOrThrow()
    ).stripe_customer_id;
    expect(intents.data.filter((pi) => pi.customer === customer)).toHaveLength(0);
    // Cancelling twice is harmless.
    expect(await cancelPledge(db, stripe, { pledgeId, backerId: backer.id })).toMatchObject({ ok: false, status: 409 });
  });

  it("cancels a paid-up-front pledge with exactly one refund", async () => {
    const { db, backer, pledgeId } = await activePledge({ collection: "immediate" });
    const result = await cancelPledge(db, stripe, { pledgeId, backerId: backer.id });
    expect(result).toEqual({
      ok: true,
      message: "Your pledge is cancelled and the $25.00 you paid is refunded to your card.",
    });
    const { stripe_payment_intent_id } = await db
      .selectFrom("pledges")
      .select("stripe_payment_intent_id")
      .where("id", "=", pledgeId)
      .executeTakeFirstOrThrow();
    const refunds = await stripe.refunds.list({ payment_intent: stripe_payment_intent_id!, limit: 10 });
    expect(refunds.data).toHaveLength(1);
    expect(refunds.data[0]).toMatchObject({ amount: 2_500, status: "succeeded" });
  });

  it("in the last 24 hours, refuses a cut that would take a funded campaign under its goal", async () => {
    const { db, backer, pledgeId } = await activePledge({
      goal: 2_000,
      deadline: new Date(Date.now() + 6 * 3600_000),
      amount: "25",
    });
    expect(await cancelPledge(db, stripe, { pledgeId, backerId: backer.id })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/last 24 hours/),
    });
    // Raising it is always fine; lowering while staying over the goal too.
    const campaign = await db
      .selectFrom("pledges")
      .select("tier_id")
      .where("id", "=", pledgeId)
      .executeTakeFirstOrThrow();
    expect(
      (
        await changePledge(db, stripe, {
          pledgeId,
          appUrl,
          backerId: backer.id,
          form: { tier: campaign.tier_id!, amount: "40" },
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await changePledge(db, stripe, {
          pledgeId,
          appUrl,
          backerId: backer.id,
          form: { tier: campaign.tier_id!, amount: "25" },
        })
      ).ok,
    ).toBe(true);
  });

  it("updates the saved card through a new setup session", async () => {
    const { db, backer, pledgeId } = await activePledge();
    const started = await startCardUpdate(db, stripe, { pledgeId, backerId: backer.id, appUrl });
    if (!started.ok) throw new Error(started.formError);
    const paid = await payHostedCheckout(started.url, "5555555555554444");
    expect(paid.status).toBe(303);
    const sessionId = new URL(paid.location!).searchParams.get("session_id")!;
    expect((await syncCheckoutSession(db, stripe, sessionId)).outcome).toBe("card_updated");
    const pledge = await db
      .selectFrom("pledges")
      .select(["card_last4", "card_brand", "state"])
      .where("id", "=", pledgeId)
      .executeTakeFirstOrThrow();
    expect(pledge).toEqual({ card_last4: "4444", card_brand: "mastercard", state: "active" });
  });
});

describe("emails about a backer's own change, in their language", () => {
  const lastEmail = (email: string) =>
    database()
      .db.selectFrom("email_outbox")
      .select(["kind", "subject", "body_text", "locale"])
      .where("to_email", "=", email)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();

  it("a change and a cancellation asked for in Spanish are written in Spanish, es-ES money", async () => {
    const { db, campaign, backer, pledgeId } = await activePledge({ collection: "immediate", amount: "40" });
    const title = `Campaign ${campaign.slug}`;
    const changed = await changePledge(db, stripe, {
      pledgeId,
      backerId: backer.id,
      form: { tier: campaign.tiers[0]!.id, amount: "30" },
      appUrl,
      locale: "es",
    });
    expect(changed.ok).toBe(true);
    expect(await lastEmail(backer.email)).toEqual({
      kind: "pledge_changed",
      locale: "es",
      subject: `Tu aportación a ${title} ha cambiado`,
      body_text:
        `Hola, Backer:\n\nTu aportación a ${title} es ahora de 30,00\u00a0US$ por «Tier 1».\n\n` +
        "Te estamos reembolsando la diferencia de 10,00\u00a0US$ en la tarjeta con la que pagaste; suele verse en un plazo de 5 a 10 días hábiles.\n\n" +
        `Gestiona tu aportación: ${getConfig().appUrl}/me/pledges/${pledgeId}\n`,
    });
    await cancelPledge(db, stripe, { pledgeId, backerId: backer.id, locale: "es" });
    const cancelled = await lastEmail(backer.email);
    expect(cancelled).toMatchObject({ kind: "pledge_cancelled", locale: "es" });
    expect(cancelled.subject).toBe(`Se ha cancelado tu aportación a ${title}`);
    expect(cancelled.body_text).toContain("Te estamos reembolsando los 30,00\u00a0US$ que pagaste");
  });

  it("the backer's saved preference wins over the request's language; English stays as it was", async () => {
    const { db, backer, pledgeId } = await activePledge();
    await db.updateTable("users").set({ locale: "es" }).where("id", "=", backer.id).execute();
    await cancelPledge(db, stripe, { pledgeId, backerId: backer.id, locale: "en" });
    expect(await lastEmail(backer.email)).toMatchObject({
      locale: "es",
      subject: expect.stringMatching(/^Se ha cancelado/),
    });

    const other = await activePledge();
    await cancelPledge(other.db, stripe, { pledgeId: other.pledgeId, backerId: other.backer.id });
    const english = await lastEmail(other.backer.email);
    expect(english.locale).toBe("en");
    expect(english.body_text).toBe(
      `Hi Backer,\n\nYour pledge of $25.00 to Campaign ${other.campaign.slug} is cancelled. Your card will not be charged.\n`,
    );
  });
});
