import { getConfig } from "~/config.server";
import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { reconcileStaleCheckouts, syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { processPendingStripeEvents } from "~/services/stripe/events.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { deliverStripeEvent, payHostedCheckout, useTestEmulator } from "../support/stripe";

const database = useTestDatabase();
const { emulator, stripe } = await useTestEmulator();
const appUrl = "http://colecta.test";

async function setup(
  options: Parameters<typeof makeLiveCampaign>[1] extends infer O ? Omit<O & object, "creatorId"> : never = {},
) {
  const { db } = database();
  const creator = await makeUser(db, "Creator");
  const campaign = await makeLiveCampaign(db, { creatorId: creator.id, ...options });
  return { db, creator, campaign };
}

const counters = async (campaignId: string) =>
  database()
    .db.selectFrom("campaigns")
    .select(["pledged_amount", "backer_count"])
    .where("id", "=", campaignId)
    .executeTakeFirstOrThrow();
const claimed = async (tierId: string) =>
  (await database().db.selectFrom("tiers").select("claimed_count").where("id", "=", tierId).executeTakeFirstOrThrow())
    .claimed_count;

describe("pledging through Stripe Checkout", () => {
  it("holds the slot, saves the card in setup mode, and activates exactly once", async () => {
    const { db, campaign } = await setup({ tiers: [{ minimum: 2_500, limit: 5, shipping: { US: 500, ROW: 1_500 } }] });
    const backer = await makeUser(db, "Bea");
    const tier = campaign.tiers[0]!;
    const started = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer,
      form: { tier: tier.id, amount: "30", destination: "ROW" },
      appUrl,
    });
    if (!started.ok) throw new Error(started.message);
    expect(await claimed(tier.id)).toBe(1);
    const pledge = await db
      .selectFrom("pledges")
      .selectAll()
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    // The server priced it: $30 bonus-inclusive base plus $15 shipping, whatever the form said.
    expect(pledge).toMatchObject({
      state: "checkout",
      base_amount: 3_000,
      shipping_amount: 1_500,
      amount: 4_500,
      shipping_destination: "ROW",
    });
    const session = await stripe.checkout.sessions.retrieve(pledge.checkout_session_id!);
    expect(session.mode).toBe("setup");
    expect(session.expires_at - Math.floor(pledge.created_at.getTime() / 1000)).toBeGreaterThanOrEqual(30 * 60);

    const paid = await payHostedCheckout(started.checkoutUrl);
    expect(paid.status).toBe(303);
    expect(paid.location).toBe(`${appUrl}/pledges/${started.pledgeId}/return?session_id=${session.id}`);

    // The return URL and the webhook race; whichever is first activates, the other finds it done.
    const outcomes = await Promise.all([
      syncCheckoutSession(db, stripe, session.id),
      syncCheckoutSession(db, stripe, session.id),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["activated", "already_active"]);
    const active = await db
      .selectFrom("pledges")
      .selectAll()
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    expect(active).toMatchObject({ state: "active", card_last4: "4242" });
    expect(active.stripe_payment_method_id).toMatch(/^pm_/);
    expect(await counters(campaign.id)).toEqual({ pledged_amount: 4_500, backer_count: 1 });
    expect(await claimed(tier.id)).toBe(1);
    const emails = await db
      .selectFrom("email_outbox")
      .select(["kind", "to_email"])
      .where("to_email", "=", backer.email)
      .execute();
    expect(emails).toEqual([{ kind: "pledge_confirmed", to_email: backer.email }]);
    const history = await db
      .selectFrom("pledge_transitions")
      .select(["from_state", "to_state"])
      .where("pledge_id", "=", started.pledgeId)
      .orderBy("id")
      .execute();
    expect(history).toEqual([
      { from_state: null, to_state: "checkout" },
      { from_state: "checkout", to_state: "active" },
    ]);
  });

  it("a double click makes one pledge and one session", async () => {
    const { db, campaign } = await setup();
    const backer = await makeUser(db);
    const form = { tier: campaign.tiers[0]!.id, amount: "25" };
    const [a, b] = await Promise.all([
      startPledgeCheckout(db, stripe, { slug: campaign.slug, backer, form, appUrl }),
      startPledgeCheckout(db, stripe, { slug: campaign.slug, backer, form, appUrl }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.pledgeId).toBe(b.pledgeId);
    expect(a.checkoutUrl).toBe(b.checkoutUrl);
    expect(await db.selectFrom("pledges").select("id").where("campaign_id", "=", campaign.id).execute()).toHaveLength(
      1,
    );
    const sessions = await stripe.checkout.sessions.list({ limit: 100 });
    expect(sessions.data.filter((s) => s.metadata?.pledge_id === a.pledgeId)).toHaveLength(1);
  });

  it("never oversells: 200 concurrent checkouts for 10 slots hold exactly 10", async () => {
    const { db, campaign } = await setup({ tiers: [{ minimum: 1_000, limit: 10 }] });
    const tier = campaign.tiers[0]!;
    const backers = [];
    for (let i = 0; i < 200; i++) backers.push(await makeUser(db, `Backer ${i}`));
    const results = await Promise.all(
      backers.map((backer) =>
        startPledgeCheckout(db, stripe, { slug: campaign.slug, backer, form: { tier: tier.id, amount: "10" }, appUrl }),
      ),
    );
    const held = results.filter((r) => r.ok);
    const soldOut = results.filter((r) => !r.ok && /sold out/.test(r.message));
    expect(held).toHaveLength(10);
    expect(soldOut).toHaveLength(190);
    expect(await claimed(tier.id)).toBe(10);
    const { n } = await db
      .selectFrom("pledges")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("tier_id", "=", tier.id)
      .where("state", "=", "checkout")
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(10);
  }, 120_000);

  it("an expired session releases the slot, and the lost-webhook sweep finds it", async () => {
    const { db, campaign } = await setup({ tiers: [{ minimum: 1_000, limit: 1 }] });
    const tier = campaign.tiers[0]!;
    const first = await makeUser(db);
    const started = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer: first,
      form: { tier: tier.id, amount: "10" },
      appUrl,
    });
    if (!started.ok) throw new Error(started.message);
    const second = await makeUser(db);
    const blocked = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer: second,
      form: { tier: tier.id, amount: "10" },
      appUrl,
    });
    expect(blocked).toMatchObject({ ok: false, message: expect.stringMatching(/sold out/) });

    const pledge = await db
      .selectFrom("pledges")
      .select("checkout_session_id")
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    await stripe.checkout.sessions.expire(pledge.checkout_session_id!);
    // No webhook reaches this test: the reconcile sweep re-reads the session from Stripe.
    const outcomes = await reconcileStaleCheckouts(db, stripe, { now: new Date(Date.now() + 31 * 60_000), limit: 500 });
    expect(outcomes).toContain("abandoned");
    const swept = await db
      .selectFrom("pledges")
      .select("state")
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    expect(swept.state).toBe("abandoned");
    expect(await claimed(tier.id)).toBe(0);
    const retry = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer: second,
      form: { tier: tier.id, amount: "10" },
      appUrl,
    });
    expect(retry.ok).toBe(true);
  });

  it("a declined card leaves no active pledge", async () => {
    const { db, campaign } = await setup();
    const backer = await makeUser(db);
    const started = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer,
      form: { tier: campaign.tiers[0]!.id, amount: "25" },
      appUrl,
    });
    if (!started.ok) throw new Error(started.message);
    const declined = await payHostedCheckout(started.checkoutUrl, "4000000000000002");
    expect(declined.status).toBe(402);
    expect(declined.text).toContain("Your card was declined.");
    const pledge = await db
      .selectFrom("pledges")
      .select(["state", "checkout_session_id"])
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    expect((await syncCheckoutSession(db, stripe, pledge.checkout_session_id!)).outcome).toBe("open");
    expect(pledge.state).toBe("checkout");
    expect(await counters(campaign.id)).toEqual({ pledged_amount: 0, backer_count: 0 });
  });

  it("immediate collection charges in payment mode", async () => {
    const { db, campaign } = await setup({
      collection: "immediate",
      currency: "jpy",
      goal: 500_000,
      tiers: [{ minimum: 3_000 }],
    });
    const backer = await makeUser(db);
    const started = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer,
      form: { tier: campaign.tiers[0]!.id, amount: "5000" },
      appUrl,
    });
    if (!started.ok) throw new Error(started.message);
    expect((await payHostedCheckout(started.checkoutUrl)).status).toBe(303);
    const pledge = await db
      .selectFrom("pledges")
      .selectAll()
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    expect((await syncCheckoutSession(db, stripe, pledge.checkout_session_id!)).outcome).toBe("activated");
    const after = await db
      .selectFrom("pledges")
      .selectAll()
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    expect(after.stripe_payment_intent_id).toMatch(/^pi_/);
    const intent = await stripe.paymentIntents.retrieve(after.stripe_payment_intent_id!);
    expect(intent).toMatchObject({ status: "succeeded", amount: 5_000, currency: "jpy" });
  });

  it.each([
    ["your own project", "own", "You can't back your own project."],
    ["less than the reward's minimum", "below", /needs a pledge of at least \$25\.00/],
    ["a hidden reward", "hidden", /no longer available/],
    ["an absurd amount", "huge", /at most/],
    ["a project that is not live", "draft", /does not exist|no longer accepting/],
  ])("refuses a pledge on %s", async (_label, kind, message) => {
    const { db, creator, campaign } = await setup({
      tiers: [{ minimum: 2_500 }, { minimum: 1_000, hidden: true }],
      state: kind === "draft" ? "draft" : "live",
    });
    const backer = kind === "own" ? creator : await makeUser(db);
    const form = {
      tier: campaign.tiers[kind === "hidden" ? 1 : 0]!.id,
      amount: kind === "below" ? "10" : kind === "huge" ? "99999999" : "25",
    };
    const result = await startPledgeCheckout(db, stripe, { slug: campaign.slug, backer, form, appUrl });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
    expect(await db.selectFrom("pledges").select("id").where("campaign_id", "=", campaign.id).execute()).toHaveLength(
      0,
    );
  });

  it("offers to change an existing pledge instead of making a second", async () => {
    const { db, campaign } = await setup();
    const backer = await makeUser(db);
    const form = { tier: campaign.tiers[0]!.id, amount: "25" };
    const started = await startPledgeCheckout(db, stripe, { slug: campaign.slug, backer, form, appUrl });
    if (!started.ok) throw new Error(started.message);
    await payHostedCheckout(started.checkoutUrl);
    await emulator.drainWebhooks(2_000);
    const pledge = await db
      .selectFrom("pledges")
      .select("checkout_session_id")
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    await syncCheckoutSession(db, stripe, pledge.checkout_session_id!);
    const again = await startPledgeCheckout(db, stripe, { slug: campaign.slug, backer, form, appUrl });
    expect(again).toMatchObject({ ok: false, status: 409, existingPledgeId: started.pledgeId });
    expect(await processPendingStripeEvents(db, stripe)).toBe(0);
  });

  it("handles duplicated and reordered webhooks: one activation whatever the order", async () => {
    const { db, campaign } = await setup();
    const backer = await makeUser(db);
    const started = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer,
      form: { tier: campaign.tiers[0]!.id, amount: "25" },
      appUrl,
    });
    if (!started.ok) throw new Error(started.message);
    await payHostedCheckout(started.checkoutUrl);
    const { checkout_session_id: sessionId } = await db
      .selectFrom("pledges")
      .select("checkout_session_id")
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    // Stripe's own events for this session, delivered newest first and each one twice.
    const events = (await stripe.events.list({ limit: 100 })).data.filter(
      (e) =>
        (e.data.object as { id?: string }).id === sessionId ||
        (e.data.object as { metadata?: Record<string, string> }).metadata?.pledge_id === started.pledgeId,
    );
    expect(events.map((e) => e.type)).toContain("checkout.session.completed");
    for (const event of [...events, ...events]) await deliverStripeEvent(db, stripe, event);
    const history = await db
      .selectFrom("pledge_transitions")
      .select("to_state")
      .where("pledge_id", "=", started.pledgeId)
      .orderBy("id")
      .execute();
    expect(history.map((h) => h.to_state)).toEqual(["checkout", "active"]);
    const emails = await db.selectFrom("email_outbox").select("kind").where("to_email", "=", backer.email).execute();
    expect(emails).toHaveLength(1);
  });
});

describe("the backer's language", () => {
  const pledgeAndPay = async (locale: "en" | "es" | undefined, saved: string | null = null) => {
    const { db, campaign } = await setup({ currency: "eur", tiers: [{ minimum: 2_500 }] });
    const backer = await makeUser(db, "Lucía");
    if (saved) await db.updateTable("users").set({ locale: saved }).where("id", "=", backer.id).execute();
    const started = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer,
      form: { tier: campaign.tiers[0]!.id, amount: "1234.50" },
      appUrl,
      locale,
    });
    if (!started.ok) throw new Error(started.message);
    const pledge = await db
      .selectFrom("pledges")
      .select("checkout_session_id")
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    const session = await stripe.checkout.sessions.retrieve(pledge.checkout_session_id!);
    expect((await payHostedCheckout(started.checkoutUrl)).status).toBe(303);
    await syncCheckoutSession(db, stripe, session.id);
    const email = await db
      .selectFrom("email_outbox")
      .select(["kind", "subject", "body_text", "locale"])
      .where("to_email", "=", backer.email)
      .executeTakeFirstOrThrow();
    return { session, email, title: `Campaign ${campaign.slug}`, pledgeId: started.pledgeId };
  };

  it("opens Stripe's page in the request's language and confirms in Spanish, with es-ES money", async () => {
    const { session, email, title, pledgeId } = await pledgeAndPay("es");
    expect(session.locale).toBe("es");
    expect(email).toEqual({
      kind: "pledge_confirmed",
      locale: "es",
      subject: `Ya apoyas ${title}`,
      body_text:
        `Hola, Lucía:\n\nGracias por apoyar ${title}. Tu aportación de 1.234,50\u00a0€ está confirmada.\n\n` +
        "Tu tarjeta queda guardada en Stripe y solo se cargará según las condiciones del proyecto, en su fecha límite.\n\n" +
        `Gestiona tu aportación: ${getConfig().appUrl}/me/pledges/${pledgeId}\n`,
    });
  });

  it("writes in the backer's saved language whatever the request's", async () => {
    const { session, email } = await pledgeAndPay("en", "es");
    expect(session.locale).toBe("en");
    expect(email.locale).toBe("es");
    expect(email.body_text).toContain("1.234,50\u00a0€");
  });

  it("keeps English as it was", async () => {
    const { db, campaign } = await setup();
    const title = `Campaign ${campaign.slug}`;
    const backer = await makeUser(db, "Bea");
    const started = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer,
      form: { tier: campaign.tiers[0]!.id, amount: "30" },
      appUrl,
    });
    if (!started.ok) throw new Error(started.message);
    const { checkout_session_id } = await db
      .selectFrom("pledges")
      .select("checkout_session_id")
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    expect((await stripe.checkout.sessions.retrieve(checkout_session_id!)).locale).toBeNull();
    await payHostedCheckout(started.checkoutUrl);
    await syncCheckoutSession(db, stripe, checkout_session_id!);
    const email = await db
      .selectFrom("email_outbox")
      .select(["subject", "body_text", "locale"])
      .where("to_email", "=", backer.email)
      .executeTakeFirstOrThrow();
    expect(email).toEqual({
      locale: "en",
      subject: `You're backing ${title}`,
      body_text:
        `Hi Bea,\n\nThank you for backing ${title}. Your pledge of $30.00 is confirmed.\n\n` +
        "Your card is saved with Stripe and will be charged only under the project's terms, at its deadline.\n\n" +
        `Manage your pledge: ${getConfig().appUrl}/me/pledges/${started.pledgeId}\n`,
    });
  });
});
