import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { answerField, answerSchema, questionFormSchema } from "~/domain/survey";
import { translatorFor } from "~/i18n";
import { openBackerSurvey, saveBackerAnswers } from "~/services/surveys/answers.server";
import { saveQuestion, sendSurvey, startSurvey } from "~/services/surveys/builder.server";
import { useTestDatabase } from "../support/database";
import { makeCollectedBacker, makeFundedCampaign } from "../support/surveys";

// A limited option is never oversold: 100 backers answer at once for an option with a stock of
// 10. Exactly 10 get it; every other one is told at the field that it sold out, and nothing of
// their answer is saved.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });
const db = () => database().db as Kysely<Database>;
const t = translatorFor("en");

it("gives a stock of 10 to exactly 10 of 100 concurrent answers, and tells the rest it sold out", async () => {
  const world = await makeFundedCampaign(db());
  const owner = { campaignId: world.campaign.id, creatorId: world.creator.id };
  expect((await startSurvey(db(), { ...owner, t })).ok).toBe(true);
  const question = questionFormSchema(t).parse({
    kind: "single",
    prompt: "Which edition?",
    required: true,
    allTiers: true,
    options: [{ label: "Signed", stock: 10 }, { label: "Plain" }],
  });
  const saved = await saveQuestion(db(), { ...owner, form: question, t });
  if (!saved.ok) throw new Error("could not add the question");
  const backers = [];
  for (let i = 0; i < 100; i++)
    backers.push(
      await makeCollectedBacker(db(), { campaignId: world.campaign.id, tierId: world.digital.id, name: `Backer ${i}` }),
    );
  const sent = await sendSurvey(db(), {
    ...owner,
    lockAt: new Date(Date.now() + 7 * 24 * 3600_000),
    intro: "",
    actorId: world.creator.id,
    t,
  });
  expect(sent).toEqual({ ok: true, invited: 100 });
  const signed = await db()
    .selectFrom("survey_options")
    .select(["id", "question_id"])
    .where("label", "=", "Signed")
    .executeTakeFirstOrThrow();

  const results = await Promise.all(
    backers.map(async (b) => {
      const view = (await openBackerSurvey(db(), { pledgeId: b.pledgeId, backerId: b.id }))!;
      const parsed = answerSchema({ questions: view.questions, destination: null, t, locale: "en" }).parse({
        [answerField(signed.question_id)]: signed.id,
      });
      return saveBackerAnswers(db(), { view, backerId: b.id, parsed, t });
    }),
  );

  const won = results.filter((r) => r.ok);
  const lost = results.filter((r) => !r.ok);
  expect(won).toHaveLength(10);
  expect(lost).toHaveLength(90);
  for (const r of lost)
    expect(r).toMatchObject({
      status: 409,
      fieldErrors: { [answerField(signed.question_id)]: "Sold out, choose another." },
    });
  const option = await db()
    .selectFrom("survey_options")
    .select("taken_count")
    .where("id", "=", signed.id)
    .executeTakeFirstOrThrow();
  expect(option.taken_count).toBe(10);
  const choices = await db()
    .selectFrom("survey_answer_choices")
    .selectAll()
    .where("option_id", "=", signed.id)
    .execute();
  expect(choices).toHaveLength(10);
  // Losers saved nothing: no answer, no submitted response, their fulfilment still waiting.
  const submitted = await db()
    .selectFrom("survey_responses")
    .select("pledge_id")
    .where("submitted_at", "is not", null)
    .execute();
  expect(submitted).toHaveLength(10);
  const answers = await db().selectFrom("survey_answers").select("pledge_id").execute();
  expect(answers).toHaveLength(10);
  const ready = await db().selectFrom("fulfilments").select("pledge_id").where("status", "=", "ready").execute();
  expect(new Set(ready.map((r) => r.pledge_id))).toEqual(new Set(choices.map((c) => c.pledge_id)));
}, 180_000);
