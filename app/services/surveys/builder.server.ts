import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import type { Translate } from "../../domain/locale";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { QUESTIONS_MAX, type QuestionForm } from "../../domain/survey";
import { recordAudit } from "../../models/audit.server";
import { awaitSurveyAnswers, ensureFulfilments } from "../../models/fulfilment-state.server";
import {
  createSurvey,
  deleteQuestion,
  getSurveyOfCampaign,
  listCampaignTiers,
  listQuestions,
  lockOwnedSurvey,
  markSurveySent,
  moveQuestion,
  ownedCampaign,
  questionHasAnswers,
  setUnlockedUntil,
  surveyAllowed,
  surveyCounts,
  surveyProgress,
  writeDraftQuestion,
  writeSentQuestionText,
} from "../../models/survey.server";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { hitRateLimit } from "../rate-limit.server";
import { inviteOwedBackers } from "./invitations.server";

// The creator's survey builder: start the survey once the campaign may have one, write its
// questions while it is a draft (after sending, only words and more stock), send it with a lock
// date, follow who answered and unlock one backer after the lock. Ownership is in every query:
// another creator's campaign is simply not found.

const BUILDER_LIMIT = { limit: 120, windowMs: 10 * 60_000 };

type Owner = { campaignId: string; creatorId: string };

/** Everything the builder page shows; undefined when the campaign is not this creator's. */
export async function openBuilder(db: Db, owner: Owner) {
  const campaign = await ownedCampaign(db, owner);
  if (!campaign) return undefined;
  const survey = await getSurveyOfCampaign(db, campaign.id);
  const sent = survey?.state === "sent" ? { surveyId: survey.id, campaignId: campaign.id } : null;
  const [questions, tiers, progress, counts] = await Promise.all([
    survey ? listQuestions(db, survey.id) : [],
    listCampaignTiers(db, campaign.id),
    sent ? surveyProgress(db, sent) : [],
    sent ? surveyCounts(db, sent) : { owed: 0, answered: 0 },
  ]);
  return { campaign, allowed: surveyAllowed(campaign), survey: survey ?? null, questions, tiers, progress, counts };
}

async function limited(db: Db, creatorId: string, t: Translate): Promise<RateLimited | null> {
  const limit = await hitRateLimit(db, `survey:build:${creatorId}`, BUILDER_LIMIT);
  return limit.allowed
    ? null
    : rateLimited(
        limit.retryAfterSeconds,
        t("surveys:builder.tooMany", { wait: describeWait(t, limit.retryAfterSeconds) }),
      );
}

export async function startSurvey(db: Db, { t, ...owner }: Owner & { t: Translate }): Promise<{ ok: true } | Refusal> {
  const campaign = await ownedCampaign(db, owner);
  if (!campaign) return refuse(404, t("surveys:builder.notFound"));
  if (!surveyAllowed(campaign)) return refuse(409, t("surveys:builder.notYet"));
  await createSurvey(db, campaign.id);
  return { ok: true };
}

/** Adds or edits a question. */
export async function saveQuestion(
  db: Db,
  { form, t, ...owner }: Owner & { form: QuestionForm; t: Translate },
): Promise<{ ok: true; questionId: string } | Refusal | RateLimited> {
  const tooMany = await limited(db, owner.creatorId, t);
  if (tooMany) return tooMany;
  return inTransaction(db, async (trx): Promise<{ ok: true; questionId: string } | Refusal> => {
    const survey = await lockOwnedSurvey(trx, owner);
    if (!survey) return refuse(404, t("surveys:builder.notFound"));
    if (survey.state === "draft") {
      if (!form.questionId) {
        const count = await trx
          .selectFrom("survey_questions")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("survey_id", "=", survey.id)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= QUESTIONS_MAX)
          return refuse(409, t("surveys:builder.tooManyQuestions", { max: QUESTIONS_MAX }));
      }
      const written = await writeDraftQuestion(trx, { surveyId: survey.id, campaignId: owner.campaignId, form });
      if (written.ok) return written;
      if (written.reason === "tierUnknown")
        return refuseField(400, "tierIds", t("surveys:builder.validation.tierUnknown"));
      if (written.reason === "addressTwice")
        return refuseField(409, "kind", t("surveys:builder.validation.addressTwice"));
      return refuse(404, t("surveys:builder.notFound"));
    }
    // Sent: backers may have answered, so only the words and more stock.
    if (!form.questionId) return refuse(409, t("surveys:builder.sentNoNew"));
    const question = (await listQuestions(trx, survey.id)).find((q) => q.id === form.questionId);
    if (!question) return refuse(404, t("surveys:builder.notFound"));
    if (question.kind !== form.kind) return refuseField(409, "kind", t("surveys:builder.sentFrozen"));
    const sameTiers =
      question.allTiers === form.allTiers &&
      (form.allTiers || [...question.tierIds].sort().join() === [...new Set(form.tierIds)].sort().join());
    if (!sameTiers || question.required !== form.required) return refuse(409, t("surveys:builder.sentFrozen"));
    const options: Array<{ id: string; label: string; stockLimit: number | null }> = [];
    const formIds = form.options.map((o) => o.id);
    if (
      formIds.length !== question.options.length ||
      formIds.some((id) => !id || !question.options.some((o) => o.id === id))
    )
      return refuseField(409, "options", t("surveys:builder.sentOptionsFrozen"));
    for (const [i, o] of form.options.entries()) {
      const old = question.options.find((x) => x.id === o.id)!;
      const stockLimit = o.stock ?? null;
      if (old.stockLimit !== null && stockLimit !== null && stockLimit < old.stockLimit)
        return refuseField(409, `options[${i}].stock`, t("surveys:builder.sentStockDown", { min: old.stockLimit }));
      if (old.stockLimit === null && stockLimit !== null)
        return refuseField(409, `options[${i}].stock`, t("surveys:builder.sentStockDown", { min: old.takenCount }));
      options.push({ id: old.id, label: o.label!, stockLimit });
    }
    await writeSentQuestionText(trx, {
      surveyId: survey.id,
      questionId: question.id,
      prompt: form.prompt,
      help: form.help,
      options,
    });
    return { ok: true, questionId: question.id };
  });
}

export async function actOnQuestion(
  db: Db,
  { intent, questionId, t, ...owner }: Owner & { intent: "up" | "down" | "delete"; questionId: string; t: Translate },
): Promise<{ ok: true } | Refusal | RateLimited> {
  const tooMany = await limited(db, owner.creatorId, t);
  if (tooMany) return tooMany;
  return inTransaction(db, async (trx): Promise<{ ok: true } | Refusal> => {
    const survey = await lockOwnedSurvey(trx, owner);
    if (!survey) return refuse(404, t("surveys:builder.notFound"));
    if (intent === "delete") {
      if (survey.state === "sent" && (await questionHasAnswers(trx, questionId)))
        return refuse(409, t("surveys:builder.sentHasAnswers"));
      return (await deleteQuestion(trx, { surveyId: survey.id, questionId }))
        ? { ok: true }
        : refuse(404, t("surveys:builder.notFound"));
    }
    return (await moveQuestion(trx, { surveyId: survey.id, questionId, direction: intent }))
      ? { ok: true }
      : refuse(404, t("surveys:builder.notFound"));
  });
}

/**
 * Sends the survey: locks in its lock date, gives every owed pledge its fulfilment row and emails
 * each backer in their language, all in one transaction (a retry finds it sent and sends nothing).
 */
export async function sendSurvey(
  db: Db,
  {
    lockAt,
    intro,
    t,
    actorId,
    ip,
    now = new Date(),
    ...owner
  }: Owner & { lockAt: Date; intro: string; t: Translate; actorId: string; ip?: string | null; now?: Date },
): Promise<{ ok: true; invited: number } | Refusal> {
  return inTransaction(db, async (trx): Promise<{ ok: true; invited: number } | Refusal> => {
    const survey = await lockOwnedSurvey(trx, owner);
    if (!survey) return refuse(404, t("surveys:builder.notFound"));
    if (survey.state === "sent") return refuse(409, t("surveys:send.alreadySent"));
    const campaign = await ownedCampaign(trx, owner);
    if (!campaign || !surveyAllowed(campaign)) return refuse(409, t("surveys:builder.notYet"));
    const questions = await listQuestions(trx, survey.id);
    if (questions.length === 0) return refuse(409, t("surveys:send.noQuestions"));
    await markSurveySent(trx, { surveyId: survey.id, lockAt, intro, now });
    await ensureFulfilments(trx, owner.campaignId);
    await awaitSurveyAnswers(trx, { campaignId: owner.campaignId, actorId });
    const invited = await inviteOwedBackers(trx, { surveyId: survey.id, lockAt });
    await recordAudit(trx, {
      actorId,
      action: "survey.send",
      subjectType: "campaign",
      subjectId: owner.campaignId,
      detail: { surveyId: survey.id, lockAt: lockAt.toISOString(), invited },
      ip: ip ?? null,
    });
    return { ok: true, invited };
  });
}

/** Reopens one backer's answers until a date (after the lock), recorded in the audit log. */
export async function unlockBacker(
  db: Db,
  { pledgeId, until, t, ip, ...owner }: Owner & { pledgeId: string; until: Date; t: Translate; ip?: string | null },
): Promise<{ ok: true } | Refusal | RateLimited> {
  const tooMany = await limited(db, owner.creatorId, t);
  if (tooMany) return tooMany;
  return inTransaction(db, async (trx): Promise<{ ok: true } | Refusal> => {
    const survey = await lockOwnedSurvey(trx, owner);
    if (!survey || survey.state !== "sent") return refuse(404, t("surveys:results.notFound"));
    const done = await setUnlockedUntil(trx, { surveyId: survey.id, pledgeId, campaignId: owner.campaignId, until });
    if (!done) return refuse(404, t("surveys:results.notFound"));
    await recordAudit(trx, {
      actorId: owner.creatorId,
      action: "survey.unlock",
      subjectType: "pledge",
      subjectId: pledgeId,
      detail: { campaignId: owner.campaignId, until: until.toISOString() },
      ip: ip ?? null,
    });
    return { ok: true };
  });
}
