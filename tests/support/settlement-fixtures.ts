import { randomBytes, randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type Stripe from "stripe";
import type { Collection, CurrencyCode, Database, FundingModel } from "../../db/schema";
import { recordPledgePayment } from "../../app/models/pledge-payments.server";
import { recordNewPledge } from "../../app/models/pledge-state.server";
import { makeLiveCampaign, makeUser } from "./fixtures";

// Campaigns past their deadline with active pledges whose cards are real emulator objects.

export type TestCard =
  | "pm_card_visa"
  | "pm_card_chargeCustomerFail"
  | "pm_card_visa_chargeDeclinedInsufficientFunds"
  | "pm_card_authenticationRequired"
  | "pm_card_createDispute";

export async function makeDueCampaign(
  db: Kysely<Database>,
  {
    goal = 10_000,
    currency = "usd",
    collection = "at_deadline",
    fundingModel = "all_or_nothing",
    tierLimit = null,
    deadline = new Date(Date.now() - 60_000),
  }: {
    goal?: number;
    currency?: CurrencyCode;
    collection?: Collection;
    fundingModel?: FundingModel;
    tierLimit?: number | null;
    deadline?: Date;
  } = {},
) {
  const creator = await makeUser(db, "Creator");
  // Created live with a future deadline (as launched), then the deadline passes.
  const campaign = await makeLiveCampaign(db, {
    creatorId: creator.id,
    goal,
    currency,
    collection,
    fundingModel,
    tiers: [{ minimum: 100, limit: tierLimit }],
  });
  await db.updateTable("campaigns").set({ deadline }).where("id", "=", campaign.id).execute();
  return { ...campaign, creator, tierId: campaign.tiers[0]!.id };
}

/**
 * One backer with a Stripe customer and the test card attached (as a setup-mode Checkout leaves
 * it), pledging `amount`; `immediate` campaigns also get the up-front payment, as Checkout
 * would have made it.
 */
export async function addPledge(
  db: Kysely<Database>,
  stripe: Stripe,
  {
    campaign,
    amount,
    card = "pm_card_visa",
    name = "Backer",
  }: { campaign: { id: string; tierId: string }; amount: number; card?: TestCard; name?: string },
) {
  const backer = await makeUser(db, name);
  const c = await db
    .selectFrom("campaigns")
    .select(["currency", "collection"])
    .where("id", "=", campaign.id)
    .executeTakeFirstOrThrow();
  const customer = await stripe.customers.create({ email: backer.email, name });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  let paymentIntentId: string | null = null;
  const pledgeId = randomUUID();
  if (c.collection === "immediate") {
    const pi = await stripe.paymentIntents.create({
      amount,
      currency: c.currency,
      customer: customer.id,
      payment_method: pm.id,
      confirm: true,
      setup_future_usage: "off_session",
      metadata: { pledge_id: pledgeId },
    });
    if (pi.status !== "succeeded") throw new Error(`Up-front payment ${pi.id} is ${pi.status}`);
    paymentIntentId = pi.id;
  }
  await db.updateTable("users").set({ stripe_customer_id: customer.id }).where("id", "=", backer.id).execute();
  const pledge = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("pledges")
      .values({
        id: pledgeId,
        campaign_id: campaign.id,
        backer_id: backer.id,
        tier_id: campaign.tierId,
        currency: c.currency,
        base_amount: amount,
        amount,
        state: "active",
        activated_at: new Date(),
        stripe_customer_id: customer.id,
        stripe_payment_method_id: pm.id,
        stripe_payment_intent_id: paymentIntentId,
        card_brand: pm.card?.brand ?? null,
        card_last4: pm.card?.last4 ?? null,
      })
      .returning(["id", "campaign_id", "tier_id", "amount", "state"])
      .executeTakeFirstOrThrow();
    await recordNewPledge(trx, row, backer.id);
    if (paymentIntentId)
      await recordPledgePayment(trx, { pledgeId, paymentIntentId, amount, currency: c.currency, purpose: "pledge" });
    return row;
  });
  return { id: pledge.id, backer, customerId: customer.id, paymentMethodId: pm.id, paymentIntentId };
}

/**
 * Many active pledges at once for crash tests and benchmarks: users, pledges and history rows in
 * batches of 1,000 (counters set once at the end, as recordNewPledge would have left them).
 * Cards are `pm_card_*` shortcuts on a few shared customers, so nothing is created in Stripe
 * up front: each charge materialises its own PaymentMethod, as Stripe does for test shortcuts.
 */
export async function seedBulkPledges(
  db: Kysely<Database>,
  stripe: Stripe,
  {
    campaignId,
    tierId,
    count,
    amount = (i: number) => 1_000 + (i % 50) * 100,
    card = () => "pm_card_visa",
    customers = 10,
  }: {
    campaignId: string;
    tierId: string | null;
    count: number;
    amount?: (i: number) => number;
    card?: (i: number) => TestCard;
    customers?: number;
  },
) {
  const run = randomBytes(4).toString("hex");
  const customerIds: string[] = [];
  for (let i = 0; i < customers; i++)
    customerIds.push((await stripe.customers.create({ email: `bulk-${run}-${i}@example.com` })).id);
  const { currency } = await db
    .selectFrom("campaigns")
    .select("currency")
    .where("id", "=", campaignId)
    .executeTakeFirstOrThrow();
  let total = 0;
  for (let start = 0; start < count; start += 1_000) {
    const size = Math.min(1_000, count - start);
    const users = await db
      .insertInto("users")
      .values(
        Array.from({ length: size }, (_, k) => ({
          email: `bulk-${run}-${start + k}@example.com`,
          name: `Backer ${start + k}`,
          password_hash: "x",
        })),
      )
      .returning("id")
      .execute();
    const pledges = await db
      .insertInto("pledges")
      .values(
        users.map((u, k) => {
          const i = start + k;
          const value = amount(i);
          total += value;
          return {
            campaign_id: campaignId,
            backer_id: u.id,
            tier_id: tierId,
            currency,
            base_amount: value,
            amount: value,
            state: "active" as const,
            activated_at: new Date(),
            stripe_customer_id: customerIds[i % customerIds.length]!,
            stripe_payment_method_id: card(i),
          };
        }),
      )
      .returning("id")
      .execute();
    await db
      .insertInto("pledge_transitions")
      .values(
        pledges.map((p) => ({
          pledge_id: p.id,
          from_state: null,
          to_state: "active" as const,
          actor_id: null,
          detail: "{}",
        })),
      )
      .execute();
  }
  await db
    .updateTable("campaigns")
    .set({ pledged_amount: sql`pledged_amount + ${total}`, backer_count: sql`backer_count + ${count}` })
    .where("id", "=", campaignId)
    .execute();
  if (tierId)
    await db
      .updateTable("tiers")
      .set({ claimed_count: sql`claimed_count + ${count}` })
      .where("id", "=", tierId)
      .execute();
  return { total };
}

/** Every PaymentIntent in the emulator (or Stripe), following the cursor. */
export async function listAllPaymentIntents(stripe: Stripe) {
  const all: Stripe.PaymentIntent[] = [];
  for await (const pi of stripe.paymentIntents.list({ limit: 100, expand: ["data.latest_charge.balance_transaction"] }))
    all.push(pi);
  return all;
}

/** The invariants settlement promises, checked against Stripe's side and the journal. */
export async function moneyInvariants(db: Kysely<Database>, stripe: Stripe, { campaignId }: { campaignId: string }) {
  const pledges = await db
    .selectFrom("pledges")
    .select(["id", "state", "amount", "collected_amount", "stripe_payment_intent_id"])
    .where("campaign_id", "=", campaignId)
    .execute();
  const ids = new Set(pledges.map((p) => p.id));
  const intents = (await listAllPaymentIntents(stripe)).filter((pi) => ids.has(pi.metadata?.pledge_id ?? ""));
  const succeeded = new Map<string, Stripe.PaymentIntent[]>();
  for (const pi of intents.filter((p) => p.status === "succeeded")) {
    const list = succeeded.get(pi.metadata.pledge_id!) ?? [];
    list.push(pi);
    succeeded.set(pi.metadata.pledge_id!, list);
  }
  const charges = await db
    .selectFrom("journal_lines")
    .innerJoin("journal_transactions", "journal_transactions.id", "journal_lines.transaction_id")
    .select([
      "journal_transactions.kind",
      "journal_lines.account_code",
      sql<number>`sum(journal_lines.amount)::bigint`.as("total"),
      sql<number>`count(*)::int`.as("lines"),
    ])
    .where("journal_lines.campaign_id", "=", campaignId)
    .groupBy(["journal_transactions.kind", "journal_lines.account_code"])
    .execute();
  const sum = (kind: string, account: string) =>
    Number(charges.find((c) => c.kind === kind && c.account_code === account)?.total ?? 0);
  const succeededList = [...succeeded.values()].flat();
  const stripeSide = {
    charged: succeededList.reduce((n, pi) => n + pi.amount_received, 0),
    fees: succeededList.reduce(
      (n, pi) => n + (((pi.latest_charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction)?.fee ?? 0),
      0,
    ),
  };
  return {
    pledges,
    intents,
    succeeded,
    stripeSide,
    journal: { charged: sum("charge", "stripe_balance"), fees: sum("stripe_fee", "processing_fees") },
  };
}
