// The sweep of stale checkouts copes with a session Stripe no longer knows (the emulator lost its
// state, or the id never existed there): Stripe answers 404 resource_missing, the pledge is
// abandoned as an expired one would be, its slot goes back, and the sweep goes on to the others.

import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { reconcileStaleCheckouts } from "~/services/pledges/checkout-sync.server";
import { useTestDatabase } from "../support/database";
import { makeLiveCampaign, makeUser } from "../support/fixtures";
import { useTestEmulator } from "../support/stripe";

const database = useTestDatabase();
const { emulator, stripe } = await useTestEmulator();
const appUrl = "http://colecta.test";

describe("the stale checkout sweep", () => {
  it("abandons a pledge whose session Stripe does not know, and goes on", async () => {
    const { db } = database();
    const creator = await makeUser(db, "Creator");
    const campaign = await makeLiveCampaign(db, { creatorId: creator.id, tiers: [{ minimum: 2_500, limit: 2 }] });
    const tier = campaign.tiers[0]!;
    const start = async () => {
      const started = await startPledgeCheckout(db, stripe, {
        slug: campaign.slug,
        backer: await makeUser(db),
        form: { tier: tier.id, amount: "25" },
        appUrl,
      });
      if (!started.ok) throw new Error(started.message);
      return started.pledgeId;
    };
    const pledgeState = async (id: string) =>
      (await db.selectFrom("pledges").select("state").where("id", "=", id).executeTakeFirstOrThrow()).state;
    const claimed = async () =>
      (await db.selectFrom("tiers").select("claimed_count").where("id", "=", tier.id).executeTakeFirstOrThrow())
        .claimed_count;

    // Stripe forgets the first pledge's session (its whole state is gone)...
    const forgotten = await start();
    emulator.reset();
    // ...and still knows the second one's, which expired without its webhook reaching us.
    const expired = await start();
    const { checkout_session_id: expiredSession } = await db
      .selectFrom("pledges")
      .select("checkout_session_id")
      .where("id", "=", expired)
      .executeTakeFirstOrThrow();
    await stripe.checkout.sessions.expire(expiredSession!);
    expect(await claimed()).toBe(2);

    const later = new Date(Date.now() + 31 * 60_000);
    const outcomes = await reconcileStaleCheckouts(db, stripe, { now: later, limit: 500 });
    expect(outcomes).toEqual(["abandoned", "abandoned"]);
    expect(await pledgeState(forgotten)).toBe("abandoned");
    expect(await pledgeState(expired)).toBe("abandoned");
    expect(await claimed()).toBe(0);
    const history = await db
      .selectFrom("pledge_transitions")
      .select(["to_state", "reason"])
      .where("pledge_id", "=", forgotten)
      .where("to_state", "=", "abandoned")
      .execute();
    expect(history).toEqual([{ to_state: "abandoned", reason: "Checkout session unknown to Stripe" }]);

    // Nothing is left for the next pass: it neither fails nor retries them.
    expect(await reconcileStaleCheckouts(db, stripe, { now: later, limit: 500 })).toEqual([]);
  });
});
