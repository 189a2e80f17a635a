import type { Kysely } from "kysely";
import type { Collection, CurrencyCode, Database, FundingModel } from "../../db/schema";
import { recordNewPledge } from "~/models/pledge-state.server";
import { createUser } from "~/models/user.server";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A user with a verified address (launching and payouts need one); `verified: false` for one without. */
export async function makeUser(db: Kysely<Database>, name = "Test User", { verified = true } = {}) {
  const id = unique();
  const user = await createUser(db, {
    email: `user-${id}@example.com`,
    name,
    passwordHash: "x",
    emailVerifiedAt: verified ? new Date() : null,
  });
  return { id: user.id, email: user.email, name: user.name };
}

/** Marks an address verified, as its link would (for tests that sign up through the page, then launch). */
export async function verifyEmailOf(db: Kysely<Database>, email: string) {
  await db
    .updateTable("users")
    .set({ email_verified_at: new Date() })
    .where("email", "=", email.toLowerCase())
    .execute();
}

export interface TierSpec {
  title?: string;
  minimum: number;
  limit?: number | null;
  shipping?: Record<string, number>;
  hidden?: boolean;
}

/** A live campaign straight in the database, for tests of what happens after launch. */
export async function makeLiveCampaign(
  db: Kysely<Database>,
  {
    creatorId,
    currency = "usd",
    collection = "at_deadline",
    fundingModel = "all_or_nothing",
    goal = 100_000,
    deadline = new Date(Date.now() + 10 * 24 * 3600_000),
    tiers = [{ minimum: 2_500 }],
    state = "live",
  }: {
    creatorId: string;
    currency?: CurrencyCode;
    collection?: Collection;
    fundingModel?: FundingModel;
    goal?: number;
    deadline?: Date;
    tiers?: TierSpec[];
    state?: "live" | "draft";
  },
) {
  const slug = `campaign-${unique()}`;
  const campaign = await db
    .insertInto("campaigns")
    .values({
      creator_id: creatorId,
      slug,
      title: `Campaign ${slug}`,
      blurb: "A test campaign",
      story_md: "A story.",
      category: "technology",
      goal_amount: goal,
      currency,
      deadline: state === "live" ? deadline : null,
      launched_at: state === "live" ? new Date(Date.now() - 24 * 3600_000) : null,
      funding_model: fundingModel,
      collection,
      state,
    })
    .returning(["id", "slug"])
    .executeTakeFirstOrThrow();
  const tierRows = [];
  for (const [position, spec] of tiers.entries()) {
    const tier = await db
      .insertInto("tiers")
      .values({
        campaign_id: campaign.id,
        title: spec.title ?? `Tier ${position + 1}`,
        minimum_amount: spec.minimum,
        quantity_limit: spec.limit ?? null,
        ships: Boolean(spec.shipping),
        position,
        hidden: spec.hidden ?? false,
      })
      .returning(["id", "title"])
      .executeTakeFirstOrThrow();
    for (const [destination, amount] of Object.entries(spec.shipping ?? {})) {
      await db.insertInto("tier_shipping_rates").values({ tier_id: tier.id, destination, amount }).execute();
    }
    tierRows.push(tier);
  }
  return { ...campaign, tiers: tierRows };
}

/**
 * A user who backs the campaign: an active pledge straight in the database (no Stripe objects),
 * counted as recordNewPledge counts one. For tests of what backing allows, not of payment.
 */
export async function makeBacker(
  db: Kysely<Database>,
  {
    campaignId,
    tierId,
    amount = 2_500,
    name = "Backer",
  }: { campaignId: string; tierId: string; amount?: number; name?: string },
) {
  const backer = await makeUser(db, name);
  const { currency } = await db
    .selectFrom("campaigns")
    .select("currency")
    .where("id", "=", campaignId)
    .executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("pledges")
      .values({
        campaign_id: campaignId,
        backer_id: backer.id,
        tier_id: tierId,
        currency,
        base_amount: amount,
        amount,
        state: "active",
        activated_at: new Date(),
      })
      .returning(["id", "campaign_id", "tier_id", "amount", "state"])
      .executeTakeFirstOrThrow();
    await recordNewPledge(trx, row, backer.id);
  });
  return backer;
}

export interface AddOnSpec {
  title?: string;
  price: number;
  limit?: number | null;
  perBackerMax?: number | null;
  /** Surcharge per unit by destination; set, the add-on ships. */
  shipping?: Record<string, number>;
  hidden?: boolean;
}

/** An add-on straight in the database, offered with the given tiers. */
export async function makeAddOn(
  db: Kysely<Database>,
  { campaignId, tierIds, ...spec }: AddOnSpec & { campaignId: string; tierIds: string[] },
) {
  const addOn = await db
    .insertInto("add_ons")
    .values({
      campaign_id: campaignId,
      title: spec.title ?? `Add-on ${unique()}`,
      price: spec.price,
      quantity_limit: spec.limit ?? null,
      per_backer_max: spec.perBackerMax ?? null,
      ships: Boolean(spec.shipping),
      hidden: spec.hidden ?? false,
    })
    .returning(["id", "title"])
    .executeTakeFirstOrThrow();
  if (tierIds.length > 0)
    await db
      .insertInto("add_on_tiers")
      .values(tierIds.map((tier_id) => ({ add_on_id: addOn.id, tier_id })))
      .execute();
  for (const [destination, amount] of Object.entries(spec.shipping ?? {}))
    await db.insertInto("add_on_shipping_rates").values({ add_on_id: addOn.id, destination, amount }).execute();
  return addOn;
}
