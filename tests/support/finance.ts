import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type Stripe from "stripe";
import type { CurrencyCode, Database, SettlementStage } from "../../db/schema";
import { bookCharge } from "~/models/ledger.server";
import { recordNewPledge } from "~/models/pledge-state.server";
import { createUser, grantRole } from "~/models/user.server";
import { enrolTwoFactor } from "./two-factor";

// Builds settled campaigns the way settlement leaves them, with real money in the Stripe
// emulator: customers with a saved card, confirmed PaymentIntents, charges booked from their
// real balance transactions, and a settlements row. Used by the finance tests and the browser
// test's fixture script.

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * A finance user. Staff must have a second factor, so by default they are enrolled with the
 * known test secret (tests/support/two-factor.ts computes their codes); `twoFactor: false` makes
 * one who has not set it up yet.
 */
export async function makeFinanceUser(
  db: Kysely<Database>,
  {
    name = "Finance User",
    email,
    passwordHash = "x",
    twoFactor = true,
  }: { name?: string; email?: string; passwordHash?: string; twoFactor?: boolean } = {},
) {
  const user = await createUser(db, { email: email ?? `finance-${unique()}@example.com`, name, passwordHash });
  await grantRole(db, { email: user.email, role: "finance" });
  if (twoFactor) await enrolTwoFactor(db, user.id);
  return { id: user.id, email: user.email, name: user.name };
}

/** Completes Connect onboarding on the emulator's hosted page, as the creator's browser would. */
export async function onboardConnectedAccount(stripe: Stripe, { email }: { email: string }) {
  const account = await stripe.accounts.create({
    type: "express",
    email,
    capabilities: { transfers: { requested: true } },
  });
  const link = await stripe.accountLinks.create({
    account: account.id,
    type: "account_onboarding",
    refresh_url: "http://colecta.test/refresh",
    return_url: "http://colecta.test/return",
  });
  const res = await fetch(link.url, { method: "POST", redirect: "manual" });
  if (res.status !== 303) throw new Error(`Onboarding page answered ${res.status}`);
  return account.id;
}

export interface SettledCampaign {
  campaignId: string;
  slug: string;
  title: string;
  creator: { id: string; email: string; name: string };
  currency: CurrencyCode;
  pledges: Array<{
    id: string;
    amount: number;
    fee: number;
    paymentIntentId: string;
    chargeId: string;
    backerEmail: string;
  }>;
  accountId: string | null;
}

/**
 * A funded campaign whose settlement charged every pledge (collected), closed by default, with
 * the creator's payout account connected (or not).
 */
export async function makeSettledCampaign(
  db: Kysely<Database>,
  stripe: Stripe,
  {
    amounts = [5_000, 2_500],
    currency = "usd",
    stage = "closed",
    connected = true,
    title,
    passwordHash = "x",
    creatorEmail,
    creator: existingCreator,
  }: {
    /** A creator made by an earlier call (their payout account is reused). */
    creator?: SettledCampaign["creator"];
    amounts?: number[];
    currency?: CurrencyCode;
    stage?: SettlementStage;
    connected?: boolean;
    title?: string;
    passwordHash?: string;
    creatorEmail?: string;
  } = {},
): Promise<SettledCampaign> {
  const id = unique();
  const creator =
    existingCreator ??
    (await createUser(db, {
      email: creatorEmail ?? `creator-${id}@example.com`,
      name: "Cora Creator",
      passwordHash,
      emailVerifiedAt: new Date(),
    }));
  const slug = `settled-${id}`;
  const campaign = await db
    .insertInto("campaigns")
    .values({
      creator_id: creator.id,
      slug,
      title: title ?? `Settled campaign ${id}`,
      blurb: "A settled test campaign",
      story_md: "A story.",
      category: "technology",
      goal_amount: Math.max(1, amounts.reduce((a, b) => a + b, 0) - 100),
      currency,
      deadline: new Date(Date.now() - 2 * 24 * 3600_000),
      launched_at: new Date(Date.now() - 30 * 24 * 3600_000),
      state: "funded",
    })
    .returning(["id", "title"])
    .executeTakeFirstOrThrow();
  const tier = await db
    .insertInto("tiers")
    .values({ campaign_id: campaign.id, title: "Supporter", minimum_amount: 100, position: 0 })
    .returning("id")
    .executeTakeFirstOrThrow();

  const pledges: SettledCampaign["pledges"] = [];
  for (const [i, amount] of amounts.entries()) {
    const backer = await createUser(db, {
      email: `backer-${id}-${i}@example.com`,
      name: `Backer ${i + 1}`,
      passwordHash,
    });
    const customer = await stripe.customers.create({ email: backer.email, metadata: { user_id: backer.id } });
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const pledgeId = randomUUID();
    const pi = await stripe.paymentIntents.create(
      {
        amount,
        currency,
        customer: customer.id,
        payment_method: pm.id,
        confirm: true,
        off_session: true,
        metadata: { pledge_id: pledgeId, campaign_id: campaign.id, attempt: "1" },
        expand: ["latest_charge.balance_transaction"],
      },
      { idempotencyKey: `colecta-charge-${pledgeId}-1` },
    );
    const charge = pi.latest_charge as Stripe.Charge;
    const bt = charge.balance_transaction as Stripe.BalanceTransaction;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("pledges")
        .values({
          id: pledgeId,
          campaign_id: campaign.id,
          backer_id: backer.id,
          tier_id: tier.id,
          currency,
          base_amount: amount,
          amount,
          state: "collected",
          stripe_customer_id: customer.id,
          stripe_payment_method_id: pm.id,
          stripe_payment_intent_id: pi.id,
          card_brand: "visa",
          card_last4: "4242",
          collected_amount: amount,
          charge_attempts: 1,
        })
        .execute();
      await recordNewPledge(
        trx,
        { id: pledgeId, campaign_id: campaign.id, tier_id: tier.id, amount, state: "collected" },
        null,
      );
      await trx
        .insertInto("charge_attempts")
        .values({
          pledge_id: pledgeId,
          attempt: 1,
          kind: "charge",
          idempotency_key: `colecta-charge-${pledgeId}-1`,
          amount,
          currency,
          status: "succeeded",
          stripe_object_id: pi.id,
          finished_at: new Date(),
        })
        .execute();
      await bookCharge(trx, {
        campaignId: campaign.id,
        pledgeId,
        currency,
        amount,
        fee: bt.fee,
        paymentIntentId: pi.id,
        chargeId: charge.id,
        balanceTransactionId: bt.id,
      });
    });
    pledges.push({
      id: pledgeId,
      amount,
      fee: bt.fee,
      paymentIntentId: pi.id,
      chargeId: charge.id,
      backerEmail: backer.email,
    });
  }
  const total = amounts.reduce((a, b) => a + b, 0);
  await db
    .insertInto("settlements")
    .values({
      campaign_id: campaign.id,
      decision: "funded",
      stage,
      currency,
      pledged_at_deadline: total,
      pledges_at_deadline: amounts.length,
      grace_ends_at: stage === "grace" ? new Date(Date.now() + 5 * 24 * 3600_000) : null,
      closed_at: stage === "closed" ? new Date() : null,
    })
    .execute();
  let accountId: string | null = null;
  const existingAccount = existingCreator
    ? await db
        .selectFrom("payout_accounts")
        .select("stripe_account_id")
        .where("user_id", "=", creator.id)
        .executeTakeFirst()
    : undefined;
  if (existingAccount) accountId = existingAccount.stripe_account_id;
  else if (connected) {
    accountId = await onboardConnectedAccount(stripe, { email: creator.email });
    await db
      .insertInto("payout_accounts")
      .values({
        user_id: creator.id,
        stripe_account_id: accountId,
        details_submitted: true,
        charges_enabled: true,
        payouts_enabled: true,
      })
      .execute();
  }
  return {
    campaignId: campaign.id,
    slug,
    title: campaign.title,
    creator: { id: creator.id, email: creator.email, name: creator.name },
    currency,
    pledges,
    accountId,
  };
}
