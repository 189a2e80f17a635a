import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { makeBacker, makeLiveCampaign, type TierSpec } from "./fixtures";

// Campaigns after funding, straight in the database: funded, their backers' pledges collected,
// optionally with a survey, addresses and answers as the survey form would leave them.

export async function makeFundedCampaign(
  db: Kysely<Database>,
  {
    creatorId,
    tiers = [{ title: "Lamp", minimum: 2_500, shipping: { US: 500, EU: 700 } }],
    estimatedDelivery = null,
  }: { creatorId: string; tiers?: TierSpec[]; estimatedDelivery?: string | null },
) {
  const campaign = await makeLiveCampaign(db, { creatorId, tiers });
  await db
    .updateTable("campaigns")
    .set({ state: "funded", deadline: new Date(Date.now() - 86_400_000), ended_at: new Date(Date.now() - 86_400_000) })
    .where("id", "=", campaign.id)
    .execute();
  if (estimatedDelivery)
    await db
      .updateTable("tiers")
      .set({ estimated_delivery: estimatedDelivery })
      .where("campaign_id", "=", campaign.id)
      .execute();
  return campaign;
}

/** A backer whose pledge was collected, shipping to `destination`. */
export async function addCollectedBacker(
  db: Kysely<Database>,
  {
    campaignId,
    tierId,
    name = "Backer",
    destination = "US",
    locale = null,
  }: { campaignId: string; tierId: string; name?: string; destination?: string | null; locale?: string | null },
) {
  const user = await makeBacker(db, { campaignId, tierId, name });
  if (locale) await db.updateTable("users").set({ locale }).where("id", "=", user.id).execute();
  const pledge = await db
    .updateTable("pledges")
    .set({ state: "collected", shipping_destination: destination, collected_amount: 2_500 })
    .where("backer_id", "=", user.id)
    .where("campaign_id", "=", campaignId)
    .returning("id")
    .executeTakeFirstOrThrow();
  return { user, pledgeId: pledge.id };
}

export async function addAddress(
  db: Kysely<Database>,
  pledgeId: string,
  fields: Partial<{ full_name: string; line1: string; city: string; postal_code: string; country: string }> = {},
) {
  await db
    .insertInto("shipping_addresses")
    .values({
      pledge_id: pledgeId,
      full_name: "Ada Lovelace",
      line1: "12 Analytical Row",
      city: "Springfield",
      postal_code: "12345",
      country: "US",
      ...fields,
    })
    .execute();
}

/** A sent survey with a size question (single choice) for every tier; returns its ids. */
export async function addSizeSurvey(db: Kysely<Database>, campaignId: string) {
  const survey = await db
    .insertInto("surveys")
    .values({
      campaign_id: campaignId,
      state: "sent",
      sent_at: new Date(),
      lock_at: new Date(Date.now() + 7 * 86_400_000),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const question = await db
    .insertInto("survey_questions")
    .values({ survey_id: survey.id, kind: "single", prompt: "Size", position: 1 })
    .returning("id")
    .executeTakeFirstOrThrow();
  const options = await db
    .insertInto("survey_options")
    .values([
      { question_id: question.id, label: "M", position: 0 },
      { question_id: question.id, label: "L", position: 1 },
    ])
    .returning(["id", "label"])
    .execute();
  return { surveyId: survey.id, questionId: question.id, options };
}

export async function answerSize(
  db: Kysely<Database>,
  survey: Awaited<ReturnType<typeof addSizeSurvey>>,
  pledgeId: string,
  label: string,
) {
  const option = survey.options.find((o) => o.label === label)!;
  await db
    .insertInto("survey_responses")
    .values({ pledge_id: pledgeId, survey_id: survey.surveyId, submitted_at: new Date() })
    .execute();
  await db
    .insertInto("survey_answer_choices")
    .values({ pledge_id: pledgeId, question_id: survey.questionId, option_id: option.id })
    .execute();
}

export async function fulfilmentOf(db: Kysely<Database>, pledgeId: string) {
  return db.selectFrom("fulfilments").selectAll().where("pledge_id", "=", pledgeId).executeTakeFirstOrThrow();
}
