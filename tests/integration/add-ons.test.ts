import { getConfig } from "~/config.server";
import { compareLedgerWithStripe } from "~/services/finance/reconciliation/compare.server";
import { buildStatement } from "~/services/finance/statement.server";
import { reconcileStaleCheckouts, syncCheckoutSession } from "~/services/pledges/checkout-sync.server";
import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { cancelPledge, changePledge } from "~/services/pledges/management.server";
import { updateAddOn } from "~/models/add-ons.server";
import { offeredAddOns } from "~/models/pledge-add-ons.server";
import { sendDueRefunds } from "~/services/pledges/payment-refunds.server";
import { runDueSettlements } from "~/services/settlement/due.server";
import { useTestDatabase } from "../support/database";
import { makeAddOn, makeLiveCampaign, makeUser } from "../support/fixtures";
import { pledgeThroughCheckout } from "../support/pledges";
import { moneyInvariants } from "../support/settlement-fixtures";
import { payHostedCheckout, useTestEmulator } from "../support/stripe";

// Add-ons on the money path: the server prices tier + bonus + add-ons + shipping, a limited
// add-on's units are held from checkout and never oversold, changes before the deadline follow
// the pledge's change rules, and settlement charges the whole pledge.

const database = useTestDatabase({ STRIPE_MAX_RPS: "500" });
const { stripe } = await useTestEmulator();
const appUrl = "http://colecta.test";

/** A live campaign with a shipped reward ($25, US $5 / elsewhere $15) and a digital one ($10). */
async function campaignWithAddOns(options: { collection?: "at_deadline" | "immediate"; goal?: number } = {}) {
  const { db } = database();
  const creator = await makeUser(db, "Creator");
  const campaign = await makeLiveCampaign(db, {
    creatorId: creator.id,
    collection: options.collection ?? "at_deadline",
    goal: options.goal ?? 100_000,
    tiers: [
      { title: "Lantern", minimum: 2_500, shipping: { US: 500, ROW: 1_500 } },
      { title: "Digital", minimum: 1_000 },
    ],
  });
  const lantern = campaign.tiers[0]!;
  const digital = campaign.tiers[1]!;
  const spare = await makeAddOn(db, {
    campaignId: campaign.id,
    tierIds: [lantern.id],
    title: "Spare lantern",
    price: 1_800,
    limit: 10,
    perBackerMax: 3,
    shipping: { US: 200, ROW: 600 },
  });
  const stickers = await makeAddOn(db, {
    campaignId: campaign.id,
    tierIds: [lantern.id, digital.id],
    title: "Sticker pack",
    price: 400,
  });
  return { db, creator, campaign, lantern, digital, spare, stickers };
}

const row = (id: string) =>
  database().db.selectFrom("pledges").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const lines = (pledgeId: string) =>
  database()
    .db.selectFrom("pledge_add_ons")
    .select(["add_on_id", "quantity", "unit_price", "amount", "shipping_amount"])
    .where("pledge_id", "=", pledgeId)
    .orderBy("unit_price", "desc")
    .execute();
const claimedUnits = async (addOnId: string) =>
  (
    await database()
      .db.selectFrom("add_ons")
      .select("claimed_count")
      .where("id", "=", addOnId)
      .executeTakeFirstOrThrow()
  ).claimed_count;
const campaignTotal = async (id: string) =>
  (await database().db.selectFrom("campaigns").select("pledged_amount").where("id", "=", id).executeTakeFirstOrThrow())
    .pledged_amount;

describe("add-ons at checkout", () => {
  it("prices tier, bonus, add-ons and their shipping on the server, and holds the units", async () => {
    const c = await campaignWithAddOns();
    const backer = await makeUser(c.db, "Bea");
    const started = await startPledgeCheckout(c.db, stripe, {
      slug: c.campaign.slug,
      backer,
      form: {
        tier: c.lantern.id,
        amount: "30",
        destination: "ROW",
        addOns: { [c.spare.id]: "2", [c.stickers.id]: "1" },
      },
      appUrl,
    });
    if (!started.ok) throw new Error(started.message);
    // $30 pledge + 2 × $18 + $4 in add-ons; shipping: $15 for the reward + 2 × $6 for the lanterns.
    expect(await row(started.pledgeId)).toMatchObject({
      base_amount: 3_000,
      add_ons_amount: 4_000,
      shipping_amount: 2_700,
      amount: 9_700,
      state: "checkout",
    });
    expect(await lines(started.pledgeId)).toEqual([
      { add_on_id: c.spare.id, quantity: 2, unit_price: 1_800, amount: 3_600, shipping_amount: 1_200 },
      { add_on_id: c.stickers.id, quantity: 1, unit_price: 400, amount: 400, shipping_amount: 0 },
    ]);
    expect(await claimedUnits(c.spare.id)).toBe(2);
    expect(await claimedUnits(c.stickers.id)).toBe(1);

    // An abandoned checkout gives the units back.
    const { checkout_session_id } = await row(started.pledgeId);
    await stripe.checkout.sessions.expire(checkout_session_id!);
    await reconcileStaleCheckouts(c.db, stripe, { now: new Date(Date.now() + 31 * 60_000), limit: 500 });
    expect((await row(started.pledgeId)).state).toBe("abandoned");
    expect(await claimedUnits(c.spare.id)).toBe(0);
    expect(await claimedUnits(c.stickers.id)).toBe(0);
  });

  it("an up-front pledge pays the whole total on Stripe's page", async () => {
    const c = await campaignWithAddOns({ collection: "immediate" });
    const backer = await makeUser(c.db);
    const { pledgeId, outcome } = await pledgeThroughCheckout(c.db, stripe, {
      slug: c.campaign.slug,
      backer,
      form: { tier: c.digital.id, amount: "10", addOns: { [c.stickers.id]: "3" } },
      appUrl,
    });
    expect(outcome).toBe("activated");
    const pledge = await row(pledgeId);
    expect(pledge).toMatchObject({ amount: 2_200, add_ons_amount: 1_200, state: "active" });
    const intent = await stripe.paymentIntents.retrieve(pledge.stripe_payment_intent_id!);
    expect(intent).toMatchObject({ amount: 2_200, status: "succeeded" });
    expect(await campaignTotal(c.campaign.id)).toBe(2_200);
  });

  it("refuses at the add-on's field, and writes nothing: too many, not with this reward, no rate, withdrawn", async () => {
    const c = await campaignWithAddOns();
    const hidden = await makeAddOn(c.db, {
      campaignId: c.campaign.id,
      tierIds: [c.lantern.id],
      title: "Old case",
      price: 900,
      hidden: true,
    });
    const noRow = await makeAddOn(c.db, {
      campaignId: c.campaign.id,
      tierIds: [c.lantern.id],
      title: "US-only charger",
      price: 700,
      shipping: { US: 100 },
    });
    const backer = await makeUser(c.db);
    const attempt = (tier: string, destination: string | undefined, addOns: Record<string, string>) =>
      startPledgeCheckout(c.db, stripe, {
        slug: c.campaign.slug,
        backer,
        form: { tier, amount: "25", destination, addOns },
        appUrl,
      });
    expect(await attempt(c.lantern.id, "US", { [c.spare.id]: "4" })).toMatchObject({
      ok: false,
      status: 400,
      field: `addOns.${c.spare.id}`,
      message: "“Spare lantern” is limited to 3 per backer.",
    });
    expect(await attempt(c.digital.id, undefined, { [c.spare.id]: "1" })).toMatchObject({
      ok: false,
      field: `addOns.${c.spare.id}`,
      message: "“Spare lantern” is not offered with this reward.",
    });
    expect(await attempt(c.lantern.id, "ROW", { [noRow.id]: "1" })).toMatchObject({
      ok: false,
      field: `addOns.${noRow.id}`,
      message: "“US-only charger” does not ship to that destination.",
    });
    expect(await attempt(c.lantern.id, "US", { [hidden.id]: "1" })).toMatchObject({
      ok: false,
      field: `addOns.${hidden.id}`,
      message: "That add-on is no longer offered.",
    });
    expect(await attempt(c.lantern.id, "US", { [c.stickers.id]: "1.5" })).toMatchObject({
      ok: false,
      field: `addOns.${c.stickers.id}`,
      message: "Enter a whole number of items.",
    });
    expect(await c.db.selectFrom("pledges").select("id").where("campaign_id", "=", c.campaign.id).execute()).toEqual(
      [],
    );
    expect(await claimedUnits(c.spare.id)).toBe(0);
  });

  it("never oversells: 200 concurrent checkouts on an add-on with 10 left hold exactly 10", async () => {
    const c = await campaignWithAddOns();
    const backers = [];
    for (let i = 0; i < 200; i++) backers.push(await makeUser(c.db, `Backer ${i}`));
    const results = await Promise.all(
      backers.map((backer) =>
        startPledgeCheckout(c.db, stripe, {
          slug: c.campaign.slug,
          backer,
          form: { tier: c.lantern.id, amount: "25", destination: "US", addOns: { [c.spare.id]: "1" } },
          appUrl,
        }),
      ),
    );
    const held = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok && r.field === `addOns.${c.spare.id}` && /sold out/.test(r.message));
    expect(held).toHaveLength(10);
    expect(refused).toHaveLength(190);
    expect(await claimedUnits(c.spare.id)).toBe(10);
    const { n } = await c.db
      .selectFrom("pledge_add_ons")
      .innerJoin("pledges", "pledges.id", "pledge_add_ons.pledge_id")
      .select((eb) => eb.fn.sum<number>("pledge_add_ons.quantity").as("n"))
      .where("pledge_add_ons.add_on_id", "=", c.spare.id)
      .where("pledges.state", "=", "checkout")
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(10);
  }, 120_000);

  it("the database refuses an oversold add-on whatever the code does", async () => {
    const c = await campaignWithAddOns();
    await expect(
      c.db.updateTable("add_ons").set({ claimed_count: 11 }).where("id", "=", c.spare.id).execute(),
    ).rejects.toThrow(/add_ons_claimed_within_limit/);
  });
});

describe("changing add-ons before the deadline", () => {
  it("a saved card: the new total is saved and the units move", async () => {
    const c = await campaignWithAddOns();
    const backer = await makeUser(c.db);
    const { pledgeId } = await pledgeThroughCheckout(c.db, stripe, {
      slug: c.campaign.slug,
      backer,
      form: { tier: c.lantern.id, amount: "25", destination: "US", addOns: { [c.spare.id]: "1" } },
      appUrl,
    });
    expect((await row(pledgeId)).amount).toBe(2_500 + 500 + 1_800 + 200);
    const raised = await changePledge(c.db, stripe, {
      pledgeId,
      backerId: backer.id,
      form: {
        tier: c.lantern.id,
        amount: "25",
        destination: "US",
        addOns: { [c.spare.id]: "3", [c.stickers.id]: "2" },
      },
      appUrl,
    });
    expect(raised).toMatchObject({ ok: true });
    expect(await row(pledgeId)).toMatchObject({ add_ons_amount: 3 * 1_800 + 800, shipping_amount: 500 + 600 });
    expect(await claimedUnits(c.spare.id)).toBe(3);
    expect(await claimedUnits(c.stickers.id)).toBe(2);
    expect(await campaignTotal(c.campaign.id)).toBe(2_500 + 3 * 1_800 + 800 + 1_100);

    // Keeping what it holds is always allowed, even when the rest sold out meanwhile.
    await c.db.updateTable("add_ons").set({ quantity_limit: 3 }).where("id", "=", c.spare.id).execute();
    const same = await changePledge(c.db, stripe, {
      pledgeId,
      backerId: backer.id,
      form: { tier: c.lantern.id, amount: "30", destination: "US", addOns: { [c.spare.id]: "3" } },
      appUrl,
    });
    expect(same).toMatchObject({ ok: true });
    expect(await claimedUnits(c.stickers.id)).toBe(0);

    const cancelled = await cancelPledge(c.db, stripe, { pledgeId, backerId: backer.id });
    expect(cancelled.ok).toBe(true);
    expect(await claimedUnits(c.spare.id)).toBe(0);
    expect(await campaignTotal(c.campaign.id)).toBe(0);
  });

  it("a raise of a pledge paid up front pays the difference first; a cut is refunded", async () => {
    const c = await campaignWithAddOns({ collection: "immediate" });
    const backer = await makeUser(c.db);
    const { pledgeId } = await pledgeThroughCheckout(c.db, stripe, {
      slug: c.campaign.slug,
      backer,
      form: { tier: c.digital.id, amount: "10", addOns: { [c.stickers.id]: "1" } },
      appUrl,
    });
    const raise = await changePledge(c.db, stripe, {
      pledgeId,
      backerId: backer.id,
      form: { tier: c.digital.id, amount: "10", addOns: { [c.stickers.id]: "4" } },
      appUrl,
    });
    if (!raise.ok || !raise.checkoutUrl) throw new Error(`expected a checkout, got ${JSON.stringify(raise)}`);
    // Nothing moves until the $12 difference is paid.
    expect(await claimedUnits(c.stickers.id)).toBe(1);
    const sessionId = new URL(raise.checkoutUrl).pathname.split("/").pop()!;
    expect((await stripe.checkout.sessions.retrieve(sessionId)).amount_total).toBe(1_200);
    await payHostedCheckout(raise.checkoutUrl);
    expect((await syncCheckoutSession(c.db, stripe, sessionId)).outcome).toBe("change_applied");
    expect(await row(pledgeId)).toMatchObject({ amount: 2_600, add_ons_amount: 1_600 });
    expect(await lines(pledgeId)).toEqual([
      { add_on_id: c.stickers.id, quantity: 4, unit_price: 400, amount: 1_600, shipping_amount: 0 },
    ]);
    expect(await claimedUnits(c.stickers.id)).toBe(4);

    const cut = await changePledge(c.db, stripe, {
      pledgeId,
      backerId: backer.id,
      form: { tier: c.digital.id, amount: "10", addOns: {} },
      appUrl,
    });
    expect(cut).toMatchObject({ ok: true, refunded: 1_600 });
    await sendDueRefunds(c.db, stripe, { now: new Date(Date.now() + 60_000) });
    expect(await lines(pledgeId)).toEqual([]);
    expect(await claimedUnits(c.stickers.id)).toBe(0);
    expect(await row(pledgeId)).toMatchObject({ amount: 1_000, add_ons_amount: 0 });
  });
});

/** The deadline passes and the settlement runs, as the worker would. */
async function settleNow(campaign: { id: string; slug: string }) {
  await database()
    .db.updateTable("campaigns")
    .set({ deadline: new Date(Date.now() - 60_000) })
    .where("id", "=", campaign.id)
    .execute();
  await runDueSettlements({
    db: database().db,
    stripe,
    config: getConfig(),
    now: new Date(),
    log: () => {},
    campaignSlug: campaign.slug,
  });
}

describe("what a pledge already holds", () => {
  it("keeps a withdrawn add-on and the price it was priced at through a change", async () => {
    const c = await campaignWithAddOns();
    const backer = await makeUser(c.db);
    const { pledgeId } = await pledgeThroughCheckout(c.db, stripe, {
      slug: c.campaign.slug,
      backer,
      form: {
        tier: c.lantern.id,
        amount: "25",
        destination: "US",
        addOns: { [c.spare.id]: "2", [c.stickers.id]: "1" },
      },
      appUrl,
    });
    // The creator withdraws the spare and raises the stickers' price.
    await c.db.updateTable("add_ons").set({ hidden: true }).where("id", "=", c.spare.id).execute();
    await c.db.updateTable("add_ons").set({ price: 900 }).where("id", "=", c.stickers.id).execute();
    const offered = await offeredAddOns(c.db, { campaignId: c.campaign.id, pledgeId });
    expect(offered.find((a) => a.id === c.spare.id)).toMatchObject({ left: 2, price: 1_800 });
    expect(offered.find((a) => a.id === c.stickers.id)).toMatchObject({ price: 400 });
    // A new backer sees neither the withdrawn add-on nor the old price.
    const fresh = await offeredAddOns(c.db, { campaignId: c.campaign.id });
    expect(fresh.map((a) => [a.id, a.price])).toEqual([[c.stickers.id, 900]]);

    // Only the bonus changes: both lines stay as they were.
    const changed = await changePledge(c.db, stripe, {
      pledgeId,
      backerId: backer.id,
      form: {
        tier: c.lantern.id,
        amount: "30",
        destination: "US",
        addOns: { [c.spare.id]: "2", [c.stickers.id]: "1" },
      },
      appUrl,
    });
    expect(changed).toMatchObject({ ok: true });
    expect(await lines(pledgeId)).toEqual([
      { add_on_id: c.spare.id, quantity: 2, unit_price: 1_800, amount: 3_600, shipping_amount: 400 },
      { add_on_id: c.stickers.id, quantity: 1, unit_price: 400, amount: 400, shipping_amount: 0 },
    ]);
    // More of a withdrawn add-on than it holds: refused at the field, nothing changes.
    const more = await changePledge(c.db, stripe, {
      pledgeId,
      backerId: backer.id,
      form: { tier: c.lantern.id, amount: "30", destination: "US", addOns: { [c.spare.id]: "3" } },
      appUrl,
    });
    expect(more).toMatchObject({ ok: false, fieldErrors: { [`addOns.${c.spare.id}`]: expect.any(String) } });
    expect(await claimedUnits(c.spare.id)).toBe(2);
  });

  it("checkouts and the creator's edits of the same add-on at once all finish (no deadlock)", async () => {
    const c = await campaignWithAddOns();
    const actor = { userId: c.creator.id, staff: false };
    const backers = [];
    for (let i = 0; i < 30; i++) backers.push(await makeUser(c.db, `Backer ${i}`));
    const input = (limit: number) => ({
      title: "Spare lantern",
      description: "",
      price: 1_800,
      quantityLimit: limit,
      perBackerMax: 3,
      ships: true,
      shippingRates: [
        { destination: "US", amount: 200 },
        { destination: "ROW", amount: 600 },
      ],
      tierIds: [c.lantern.id],
    });
    const results = await Promise.all([
      ...backers.map((backer) =>
        startPledgeCheckout(c.db, stripe, {
          slug: c.campaign.slug,
          backer,
          form: { tier: c.lantern.id, amount: "25", destination: "US", addOns: { [c.spare.id]: "1" } },
          appUrl,
        }),
      ),
      ...[20, 25, 30, 35, 40].map((limit) =>
        updateAddOn(c.db, { campaignId: c.campaign.id, addOnId: c.spare.id, actor, input: input(limit) }),
      ),
    ]);
    // Every request answered (a deadlock would have thrown); the units held are within the limit.
    expect(results).toHaveLength(35);
    const row = await c.db
      .selectFrom("add_ons")
      .select(["claimed_count", "quantity_limit"])
      .where("id", "=", c.spare.id)
      .executeTakeFirstOrThrow();
    expect(row.claimed_count).toBeLessThanOrEqual(row.quantity_limit!);
    expect(row.claimed_count).toBe(results.slice(0, 30).filter((r) => r.ok).length);
  }, 60_000);
});

describe("settling a campaign with add-ons", () => {
  it("charges the whole pledge and the statement balances", async () => {
    const c = await campaignWithAddOns({ goal: 5_000 });
    const amounts: number[] = [];
    for (const [i, quantity] of [1, 2, 3].entries()) {
      const backer = await makeUser(c.db, `Backer ${i}`);
      const { pledgeId } = await pledgeThroughCheckout(c.db, stripe, {
        slug: c.campaign.slug,
        backer,
        form: {
          tier: c.lantern.id,
          amount: "25",
          destination: "US",
          addOns: { [c.spare.id]: String(quantity), [c.stickers.id]: "1" },
        },
        appUrl,
      });
      amounts.push((await row(pledgeId)).amount);
    }
    await settleNow(c.campaign);
    const money = await moneyInvariants(c.db, stripe, { campaignId: c.campaign.id });
    expect(money.pledges.map((p) => p.state)).toEqual(["collected", "collected", "collected"]);
    // Each charge is the pledge's whole amount: reward, add-ons and every surcharge.
    expect(money.pledges.map((p) => p.collected_amount).sort()).toEqual([...amounts].sort());
    expect(money.stripeSide.charged).toBe(amounts.reduce((a, b) => a + b, 0));
    expect(money.journal.charged).toBe(money.stripeSide.charged);
    const statement = await buildStatement(c.db, { campaignId: c.campaign.id });
    const total = amounts.reduce((a, b) => a + b, 0);
    expect(statement?.statement).toMatchObject({ collected: total, pledgedAtDeadline: total, balanceCheck: 0 });
    const { mismatches } = await compareLedgerWithStripe(c.db, stripe);
    expect(mismatches.filter((m) => m.campaignId === c.campaign.id)).toEqual([]);
    // Collected add-ons keep their units; nothing is released at a funded close.
    expect(await claimedUnits(c.spare.id)).toBe(6);
  });

  it("a campaign that misses its goal releases every pledge and frees the units", async () => {
    const c = await campaignWithAddOns({ goal: 1_000_000 });
    const backer = await makeUser(c.db);
    await pledgeThroughCheckout(c.db, stripe, {
      slug: c.campaign.slug,
      backer,
      form: { tier: c.lantern.id, amount: "25", destination: "US", addOns: { [c.spare.id]: "2" } },
      appUrl,
    });
    await settleNow(c.campaign);
    expect(await claimedUnits(c.spare.id)).toBe(0);
  });
});
