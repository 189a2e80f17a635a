import { generate } from "otplib";
import type Stripe from "stripe";
import type { Db } from "../../db/schema.js";
import type { Config } from "../../app/config.server";
import { startOnboarding, syncPayoutAccount } from "../../app/services/finance/connect.server";
import { approvePayout, preparePayout } from "../../app/services/finance/payouts.server";
import { syncCheckoutSession } from "../../app/services/pledges/checkout-sync.server";
import { startPledgeCheckout } from "../../app/services/pledges/checkout.server";

// Late pledges in the demo: the funded Kintsugi kit (settled for real at seed time) takes late
// pledges for three weeks, for its two kits at a late price. On the local emulator the rest of
// the story is made by the real code: Priya connects her payout account on the hosted page,
// Fiona prepares the first payout and Omar approves it (four eyes), and two backers pledge late
// through Checkout, so the finance desk has a further payout to prepare.

export const DEMO_LATE_CAMPAIGN = "kintsugi-repair-kit";
const LATE_TIERS: Record<string, { price: number; limit: number | null }> = {
  "Starter kit": { price: 7_500, limit: null },
  "Workshop kit": { price: 13_000, limit: 20 },
};

export async function seedDemoLatePledges(
  db: Db,
  {
    stripe,
    config,
    secret,
    preparer,
    approver,
  }: {
    stripe: Stripe;
    config: Config;
    /** The demo staff's authenticator secret (both finance users are enrolled with it). */
    secret: string;
    preparer: string;
    approver: string;
  },
) {
  const campaign = await db
    .selectFrom("campaigns")
    .innerJoin("users", "users.id", "campaigns.creator_id")
    .select(["campaigns.id", "campaigns.slug", "campaigns.state", "users.id as creator_id", "users.email"])
    .where("campaigns.slug", "=", DEMO_LATE_CAMPAIGN)
    .executeTakeFirst();
  if (!campaign || campaign.state !== "funded") return;
  const until = new Date(Date.now() + 21 * 86_400_000);
  until.setUTCHours(23, 59, 59, 0);
  const tiers = await db.selectFrom("tiers").select(["id", "title"]).where("campaign_id", "=", campaign.id).execute();
  for (const tier of tiers) {
    const late = LATE_TIERS[tier.title];
    if (late)
      await db
        .updateTable("tiers")
        .set({ late_price: late.price, late_limit: late.limit })
        .where("id", "=", tier.id)
        .execute();
  }
  await db.updateTable("campaigns").set({ late_pledges_until: until }).where("id", "=", campaign.id).execute();
  // The hosted pages (onboarding, Checkout) are the emulator's: real Stripe needs a person there.
  if (config.stripeMode !== "emulator" || !config.demoMode) return;

  // Payouts go only to a confirmed address: the demo's addresses are ours.
  await db
    .updateTable("users")
    .set({ email_verified_at: new Date() })
    .where("id", "=", campaign.creator_id)
    .where("email_verified_at", "is", null)
    .execute();
  const link = await startOnboarding(db, stripe, {
    user: { id: campaign.creator_id, email: campaign.email },
    appUrl: config.appUrl,
  });
  await fetch(link, { method: "POST", redirect: "manual" });
  const account = await db
    .selectFrom("payout_accounts")
    .select("stripe_account_id")
    .where("user_id", "=", campaign.creator_id)
    .executeTakeFirstOrThrow();
  await syncPayoutAccount(db, stripe, { accountId: account.stripe_account_id });

  const staff = await db
    .selectFrom("users")
    .select(["id", "email"])
    .where("email", "in", [preparer, approver])
    .execute();
  const prepared = staff.find((s) => s.email === preparer);
  const approved = staff.find((s) => s.email === approver);
  if (!prepared || !approved) return;
  const first = await preparePayout(db, {
    campaignId: campaign.id,
    actorId: prepared.id,
    reason: "Settlement closed and reconciled",
    platformFeeBps: config.PLATFORM_FEE_BPS,
  });
  if (!first.ok) throw new Error(`Demo payout not prepared: ${first.formError}`);
  const paid = await approvePayout(db, stripe, {
    campaignId: campaign.id,
    actorId: approved.id,
    reason: "Checked against Stripe",
    code: await generate({ secret }),
  });
  if (!paid.ok) throw new Error(`Demo payout not approved: ${paid.formError}`);

  const workshop = tiers.find((t) => t.title === "Workshop kit") ?? tiers[0]!;
  // Two demo backers who did not back it in time.
  const backers = await db
    .selectFrom("users")
    .select(["id", "email", "name"])
    .where("email", "like", "%@backers.example")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("pledges")
            .select("pledges.id")
            .whereRef("pledges.backer_id", "=", "users.id")
            .where("pledges.campaign_id", "=", campaign.id),
        ),
      ),
    )
    .orderBy("email")
    .limit(2)
    .execute();
  for (const backer of backers) {
    const started = await startPledgeCheckout(db, stripe, {
      slug: campaign.slug,
      backer,
      form: { tier: workshop.id, amount: "13000", destination: "JP" },
      appUrl: config.appUrl,
    });
    if (!started.ok) continue;
    await fetch(started.checkoutUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        email: backer.email,
        card_number: "4242424242424242",
        card_expiry: "12 / 34",
        card_cvc: "123",
        name: backer.name,
      }).toString(),
      redirect: "manual",
    });
    const pledge = await db
      .selectFrom("pledges")
      .select("checkout_session_id")
      .where("id", "=", started.pledgeId)
      .executeTakeFirstOrThrow();
    await syncCheckoutSession(db, stripe, pledge.checkout_session_id!);
  }
}
