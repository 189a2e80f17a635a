import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { makeBacker, makeLiveCampaign, makeUser } from "./fixtures";

// A funded campaign ready for its survey: a tier that ships (US and EU priced), a digital one,
// and backers whose money was collected, each with a language and a destination.

export async function makeFundedCampaign(db: Kysely<Database>, { collection = "at_deadline" as const } = {}) {
  const creator = await makeUser(db, "Sara Survey");
  const campaign = await makeLiveCampaign(db, {
    creatorId: creator.id,
    collection,
    tiers: [
      { title: "T-shirt", minimum: 2_500, shipping: { US: 500, EU: 800, ROW: 1_500 } },
      { title: "Digital", minimum: 1_000 },
    ],
  });
  await db.updateTable("campaigns").set({ state: "funded" }).where("id", "=", campaign.id).execute();
  return { creator, campaign, shirt: campaign.tiers[0]!, digital: campaign.tiers[1]! };
}

/** A backer with a collected pledge of the tier, shipping to `destination`, speaking `locale`. */
export async function makeCollectedBacker(
  db: Kysely<Database>,
  {
    campaignId,
    tierId,
    destination = null,
    locale = "en",
    name = "Bea Backer",
    state = "collected",
  }: {
    campaignId: string;
    tierId: string;
    destination?: string | null;
    locale?: string;
    name?: string;
    state?: "collected" | "active";
  },
) {
  const backer = await makeBacker(db, { campaignId, tierId, name });
  await db.updateTable("users").set({ locale }).where("id", "=", backer.id).execute();
  const pledge = await db
    .updateTable("pledges")
    .set({ state, shipping_destination: destination })
    .where("backer_id", "=", backer.id)
    .where("campaign_id", "=", campaignId)
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ...backer, pledgeId: pledge.id };
}
