import type { Db } from "../../db/schema.js";
import { ADDRESS_FIELDS } from "../../app/domain/address";
import { answerField, answerSchema, questionFormSchema, type SurveyQuestion } from "../../app/domain/survey";
import { translatorFor } from "../../app/i18n";
import { openBackerSurvey, saveBackerAnswers } from "../../app/services/surveys/answers.server";
import { saveQuestion, sendSurvey, startSurvey } from "../../app/services/surveys/builder.server";

// The demo's backer survey: on a funded campaign, its creator asks for a shipping address (tiers
// that ship) and a colour with a limited edition, sends it, and some backers answer, through the
// same services as the pages. Call it after the campaign's pledges are collected.

const t = translatorFor("en");

/** A plausible address inside each shipping destination. */
const DEMO_ADDRESSES: Record<string, Record<string, string>> = {
  US: { line1: "500 Howard St", city: "San Francisco", region: "CA", postalCode: "94105", country: "US" },
  CA: { line1: "100 Queen St W", city: "Toronto", region: "ON", postalCode: "M5H 2N2", country: "CA" },
  GB: { line1: "10 Downing St", city: "London", region: "", postalCode: "SW1A 2AA", country: "GB" },
  EU: { line1: "Calle Mayor 1", city: "Madrid", region: "", postalCode: "28013", country: "ES" },
  JP: { line1: "1-1 Chiyoda", city: "Tokyo", region: "", postalCode: "100-0001", country: "JP" },
  AU: { line1: "1 Macquarie St", city: "Sydney", region: "NSW", postalCode: "2000", country: "AU" },
  ROW: { line1: "Av. Paulista 1000", city: "São Paulo", region: "", postalCode: "01310-100", country: "BR" },
};

/**
 * Builds, sends and partly answers the survey of a funded campaign; `answerShare` of the owed
 * backers answer (the first ones by pledge date). Returns how many answered.
 */
export async function seedDemoSurvey(
  db: Db,
  { campaignId, answerShare = 0.6 }: { campaignId: string; answerShare?: number },
) {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "creator_id"])
    .where("id", "=", campaignId)
    .executeTakeFirst();
  if (!campaign) return 0;
  const owner = { campaignId, creatorId: campaign.creator_id };
  if (!(await startSurvey(db, { ...owner, t })).ok) return 0;
  const questions = [
    { kind: "address", prompt: "Where should we send your reward?", allTiers: true },
    {
      kind: "single",
      prompt: "Which colour would you like?",
      required: true,
      allTiers: true,
      options: [{ label: "Forest green" }, { label: "Charcoal" }, { label: "Limited copper edition", stock: 5 }],
    },
    { kind: "text", prompt: "Anything we should know for the delivery?", allTiers: true },
  ];
  for (const q of questions) await saveQuestion(db, { ...owner, form: questionFormSchema(t).parse(q), t });
  const sent = await sendSurvey(db, {
    ...owner,
    lockAt: new Date(Date.now() + 21 * 24 * 3600_000),
    intro: "Thank you for backing us! We need a few details to send your reward.",
    actorId: campaign.creator_id,
    t,
  });
  if (!sent.ok) return 0;

  const pledges = await db
    .selectFrom("survey_responses as r")
    .innerJoin("pledges as p", "p.id", "r.pledge_id")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .select(["p.id", "p.backer_id", "p.shipping_destination", "u.name"])
    .where("p.campaign_id", "=", campaignId)
    .orderBy("p.created_at")
    .execute();
  let answered = 0;
  for (const [i, pledge] of pledges.slice(0, Math.round(pledges.length * answerShare)).entries()) {
    const view = await openBackerSurvey(db, { pledgeId: pledge.id, backerId: pledge.backer_id });
    if (!view) continue;
    const fields = demoAnswers(view.questions, { name: pledge.name, destination: pledge.shipping_destination, i });
    const parsed = answerSchema({
      questions: view.questions,
      destination: view.destination,
      t,
      locale: "en",
    }).safeParse(fields);
    if (!parsed.success) continue;
    let saved = await saveBackerAnswers(db, { view, backerId: pledge.backer_id, parsed: parsed.data, t });
    if (!saved.ok) {
      // The limited edition sold out: this backer takes the first colour instead.
      const colour = view.questions.find((q) => q.kind === "single");
      if (!colour) continue;
      const retry = answerSchema({
        questions: view.questions,
        destination: view.destination,
        t,
        locale: "en",
      }).safeParse({
        ...fields,
        [answerField(colour.id)]: colour.options[0]!.id,
      });
      if (!retry.success) continue;
      saved = await saveBackerAnswers(db, { view, backerId: pledge.backer_id, parsed: retry.data, t });
    }
    if (saved.ok) answered++;
  }
  return answered;
}

function demoAnswers(
  questions: SurveyQuestion[],
  { name, destination, i }: { name: string; destination: string | null; i: number },
) {
  const fields: Record<string, string> = {};
  for (const q of questions) {
    if (q.kind === "single") fields[answerField(q.id)] = q.options[i % q.options.length]!.id;
    if (q.kind === "text" && i % 3 === 0) fields[answerField(q.id)] = "Please leave it with the neighbour if I'm out.";
    if (q.kind === "address") {
      const a = DEMO_ADDRESSES[destination ?? "US"] ?? DEMO_ADDRESSES.US!;
      fields[ADDRESS_FIELDS.fullName] = name;
      for (const part of ["line1", "city", "region", "postalCode", "country"] as const)
        fields[ADDRESS_FIELDS[part]] = a[part]!;
    }
  }
  return fields;
}
