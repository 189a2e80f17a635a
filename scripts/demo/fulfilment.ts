import type { Db, FulfilmentStatus } from "../../db/schema.js";
import { ensureFulfilments, transitionFulfilment } from "../../app/models/fulfilment-state.server";

// After funding, in the demo: the funded Open Braille Labeller (creator ana@lumenworks.example)
// sent its backer survey nine days ago. Most backers answered (addresses, tape colour, a name for
// the credits); backer@example.com has not yet, so her pledge page shows the survey banner. The
// rewards are in every fulfilment state: waiting for the survey, ready, shipped with tracking,
// delivered, confirmed received, and one damaged on arrival that the creator has answered.

/** The funded demo campaign whose survey and rewards the demo shows. */
export const DEMO_FULFILMENT_CAMPAIGN = "open-braille-labeller";

const DAY = 24 * 60 * 60 * 1000;

/** Where the demo backers live: a destination the pledge paid for, and an address there. */
const US_ADDRESSES = [
  { line1: "1452 Valencia Street", city: "San Francisco", region: "CA", postal_code: "94110" },
  { line1: "88 Orchard Lane", city: "Portland", region: "OR", postal_code: "97205" },
  { line1: "301 Elm Avenue, Apt 4", city: "Austin", region: "TX", postal_code: "78704" },
  { line1: "17 Harbor Road", city: "Boston", region: "MA", postal_code: "02110" },
  { line1: "920 Lakeview Drive", city: "Chicago", region: "IL", postal_code: "60614" },
];
const ROW_ADDRESSES = [
  { line1: "Calle Durango 214", city: "Ciudad de México", region: "CDMX", postal_code: "06700", country: "MX" },
  { line1: "Rua Augusta 1500", city: "São Paulo", region: "SP", postal_code: "01304-001", country: "BR" },
  { line1: "12 Marine Parade", city: "Napier", region: "", postal_code: "4110", country: "NZ" },
  { line1: "44 Long Street", city: "Cape Town", region: "Western Cape", postal_code: "8001", country: "ZA" },
];

/** The status each answered reward reaches, in order of the pledges (the rest stay where they are). */
const JOURNEY: FulfilmentStatus[] = [
  "received",
  "received",
  "received",
  "received",
  "received",
  "delivered",
  "delivered",
  "shipped",
  "shipped",
  "shipped",
  "problem",
  "ready",
  "ready",
];

export async function seedDemoFulfilment(db: Db, { now = new Date() }: { now?: Date } = {}) {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "creator_id"])
    .where("slug", "=", DEMO_FULFILMENT_CAMPAIGN)
    .where("state", "=", "funded")
    .executeTakeFirst();
  if (!campaign) return;
  const tiers = await db
    .selectFrom("tiers")
    .select(["id", "title", "ships"])
    .where("campaign_id", "=", campaign.id)
    .execute();
  const labeller = tiers.find((t) => t.ships);
  if (!labeller) return;
  const sentAt = new Date(now.getTime() - 9 * DAY);

  await db.transaction().execute(async (trx) => {
    const survey = await trx
      .insertInto("surveys")
      .values({
        campaign_id: campaign.id,
        state: "sent",
        intro: "Thank you for backing the labeller! Tell us where to send it and which tape you would like.",
        sent_at: sentAt,
        lock_at: new Date(now.getTime() + 20 * DAY),
        created_at: new Date(sentAt.getTime() - DAY),
        updated_at: sentAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("survey_questions")
      .values({ survey_id: survey.id, kind: "address", prompt: "Shipping address", position: 0 })
      .execute();
    const colour = await trx
      .insertInto("survey_questions")
      .values({
        survey_id: survey.id,
        kind: "single",
        prompt: "Tape colour",
        help: "Two rolls of the colour you choose.",
        all_tiers: false,
        position: 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.insertInto("survey_question_tiers").values({ question_id: colour.id, tier_id: labeller.id }).execute();
    const options = await trx
      .insertInto("survey_options")
      .values([
        { question_id: colour.id, label: "Clear", position: 0, stock_limit: null },
        { question_id: colour.id, label: "White", position: 1, stock_limit: null },
        { question_id: colour.id, label: "Yellow (high contrast)", position: 2, stock_limit: 6 },
      ])
      .returning(["id", "label"])
      .execute();
    const credits = await trx
      .insertInto("survey_questions")
      .values({
        survey_id: survey.id,
        kind: "text",
        prompt: "Your name as it should appear in the credits",
        help: "Leave it empty to stay anonymous.",
        required: false,
        position: 2,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    await ensureFulfilments(trx, campaign.id);
    const pledges = await trx
      .selectFrom("pledges")
      .innerJoin("users", "users.id", "pledges.backer_id")
      .innerJoin("fulfilments", "fulfilments.pledge_id", "pledges.id")
      .select([
        "pledges.id",
        "pledges.tier_id",
        "pledges.shipping_destination",
        "users.email",
        "users.name",
        "fulfilments.status",
      ])
      .where("pledges.campaign_id", "=", campaign.id)
      .orderBy("pledges.created_at")
      .execute();

    // Everyone answered but the demo backer and the last two backers of the labeller (whose
    // rewards therefore still wait for the survey).
    const waiting = new Set(
      pledges
        .filter((p) => p.tier_id === labeller.id && p.email !== "backer@example.com")
        .slice(-2)
        .map((p) => p.id),
    );
    const answering = pledges.filter((p) => p.email !== "backer@example.com" && !waiting.has(p.id));
    const taken = new Map<string, number>();
    let step = 0;
    for (const [i, pledge] of answering.entries()) {
      const answeredAt = new Date(sentAt.getTime() + (1 + (i % 5)) * DAY);
      await trx
        .insertInto("survey_responses")
        .values({ pledge_id: pledge.id, survey_id: survey.id, submitted_at: answeredAt, updated_at: answeredAt })
        .execute();
      if (i % 3 !== 2)
        await trx
          .insertInto("survey_answers")
          .values({ pledge_id: pledge.id, question_id: credits.id, text_value: pledge.name, updated_at: answeredAt })
          .execute();
      const ships = pledge.tier_id === labeller.id;
      if (ships) {
        const place =
          pledge.shipping_destination === "US"
            ? { ...US_ADDRESSES[i % US_ADDRESSES.length]!, country: "US" }
            : ROW_ADDRESSES[i % ROW_ADDRESSES.length]!;
        await trx
          .insertInto("shipping_addresses")
          .values({
            pledge_id: pledge.id,
            full_name: pledge.name,
            ...place,
            created_at: answeredAt,
            updated_at: answeredAt,
          })
          .execute();
        const option = options[i % options.length]!;
        const chosen = option.label.startsWith("Yellow") && (taken.get(option.id) ?? 0) >= 6 ? options[0]! : option;
        taken.set(chosen.id, (taken.get(chosen.id) ?? 0) + 1);
        await trx
          .insertInto("survey_answer_choices")
          .values({ pledge_id: pledge.id, question_id: colour.id, option_id: chosen.id })
          .execute();
      }
      if (pledge.status === "awaiting_survey")
        await transitionFulfilment(trx, { pledgeId: pledge.id, to: "ready", actorId: null, note: "Survey answered" });
      if (!ships) continue;
      const target = JOURNEY[step++];
      if (!target || target === "ready") continue;
      const shippedAt = new Date(now.getTime() - (8 - (step % 3)) * DAY);
      const domestic = pledge.shipping_destination === "US";
      const tracking = domestic ? `9400100000000000${1000 + step}` : `JD01460000${3000 + step}`;
      await transitionFulfilment(trx, {
        pledgeId: pledge.id,
        to: "shipped",
        actorId: campaign.creator_id,
        set: {
          carrier: domestic ? "USPS" : "DHL",
          tracking_number: tracking,
          tracking_url: domestic
            ? `https://tools.usps.com/go/TrackConfirmAction?tLabels=${tracking}`
            : `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${tracking}`,
          shipped_at: shippedAt,
        },
      });
      if (target === "shipped") continue;
      const deliveredAt = new Date(shippedAt.getTime() + 3 * DAY);
      if (target === "problem") {
        await transitionFulfilment(trx, {
          pledgeId: pledge.id,
          to: "problem",
          actorId: null,
          note: "damaged",
          set: {
            problem_kind: "damaged",
            problem_note: "The box arrived crushed and the tape guide is cracked.",
            problem_reported_at: deliveredAt,
            problem_answer: "So sorry! A new tape guide is on its way; no need to send anything back.",
            problem_answered_at: new Date(deliveredAt.getTime() + DAY),
          },
        });
        continue;
      }
      await transitionFulfilment(trx, {
        pledgeId: pledge.id,
        to: "delivered",
        actorId: campaign.creator_id,
        set: { delivered_at: deliveredAt },
      });
      if (target === "received")
        await transitionFulfilment(trx, {
          pledgeId: pledge.id,
          to: "received",
          actorId: null,
          set: { received_at: new Date(deliveredAt.getTime() + DAY) },
        });
    }
    for (const [optionId, count] of taken)
      await trx.updateTable("survey_options").set({ taken_count: count }).where("id", "=", optionId).execute();
  });
}
