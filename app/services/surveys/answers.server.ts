import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { allRequiredAnswered, answerField, surveyWindow, type ParsedAnswers } from "../../domain/survey";
import { ensureFulfilments, transitionFulfilment } from "../../models/fulfilment-state.server";
import {
  getBackerPledgeSurvey,
  getFulfilmentStatus,
  getStoredAnswers,
  lockResponse,
  SoldOutError,
  storeAnswers,
  type BackerPledgeSurvey,
} from "../../models/survey.server";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { hitRateLimit } from "../rate-limit.server";

// A backer answers the survey of their own pledge: until the lock (or the creator's unlock for
// them), in one transaction that stores answers, choices and address, takes stock of the options
// chosen (a sold-out one refuses the whole save, at its field) and moves the fulfilment from
// awaiting_survey to ready once every required answer is in (or back, if an edit removes one).

const ANSWER_LIMIT = { limit: 30, windowMs: 10 * 60_000 };

/** The survey of the backer's pledge, their answers so far and whether they may still change them. */
export async function openBackerSurvey(
  db: Db,
  { pledgeId, backerId, now = new Date() }: { pledgeId: string; backerId: string; now?: Date },
) {
  const view = await getBackerPledgeSurvey(db, { pledgeId, backerId });
  if (!view) return undefined;
  const stored = await getStoredAnswers(db, pledgeId);
  return { ...view, stored, window: surveyWindow(view.survey, view.response, now) };
}

export type BackerSurvey = NonNullable<Awaited<ReturnType<typeof openBackerSurvey>>>;

/** What the pledge page's banner needs: a sent survey the pledge owes answers to, or null. */
export async function surveyBannerFor(
  db: Db,
  { pledgeId, backerId, now = new Date() }: { pledgeId: string; backerId: string; now?: Date },
) {
  const view = await getBackerPledgeSurvey(db, { pledgeId, backerId });
  if (!view || view.questions.length === 0) return null;
  const window = surveyWindow(view.survey, view.response, now);
  return {
    answered: Boolean(view.response?.submittedAt),
    open: window.open,
    until: window.open ? window.until.toISOString() : (view.survey.lockAt?.toISOString() ?? null),
  };
}

export async function saveBackerAnswers(
  db: Db,
  {
    view,
    backerId,
    parsed,
    t,
    now = new Date(),
  }: { view: BackerPledgeSurvey; backerId: string; parsed: ParsedAnswers; t: Translate; now?: Date },
): Promise<{ ok: true; ready: boolean } | Refusal | RateLimited> {
  const limit = await hitRateLimit(db, `survey:answer:${backerId}`, ANSWER_LIMIT);
  if (!limit.allowed)
    return rateLimited(
      limit.retryAfterSeconds,
      t("surveys:answer.tooMany", { wait: describeWait(t, limit.retryAfterSeconds) }),
    );
  try {
    return await inTransaction(db, async (trx) => {
      const response = await lockResponse(trx, { pledgeId: view.pledgeId, surveyId: view.survey.id });
      // Checked again under the lock: the lock date may have passed since the page was read.
      const survey = await trx
        .selectFrom("surveys")
        .select(["state", "lock_at"])
        .where("id", "=", view.survey.id)
        .executeTakeFirstOrThrow();
      const window = surveyWindow(
        { state: survey.state, lockAt: survey.lock_at },
        { unlockedUntil: response.unlocked_until },
        now,
      );
      if (!window.open) return refuse(409, t("surveys:answer.locked"));
      await storeAnswers(trx, {
        pledgeId: view.pledgeId,
        surveyId: view.survey.id,
        questions: view.questions,
        parsed,
        now,
      });

      const complete = allRequiredAnswered(view.questions, {
        questionIds: Object.keys(parsed.answers),
        hasAddress: parsed.address !== null,
      });
      let status = await getFulfilmentStatus(trx, view.pledgeId);
      if (!status) {
        await ensureFulfilments(trx, view.campaignId);
        status = await getFulfilmentStatus(trx, view.pledgeId);
      }
      if (status === "awaiting_survey" && complete)
        await transitionFulfilment(trx, {
          pledgeId: view.pledgeId,
          to: "ready",
          actorId: backerId,
          note: "survey answered",
        });
      else if (status === "ready" && !complete)
        await transitionFulfilment(trx, {
          pledgeId: view.pledgeId,
          to: "awaiting_survey",
          actorId: backerId,
          note: "survey answer removed",
        });
      return { ok: true as const, ready: complete };
    });
  } catch (error) {
    if (error instanceof SoldOutError || isCheckViolation(error)) {
      const field = error instanceof SoldOutError ? answerField(error.questionId) : undefined;
      return field
        ? { ...refuse(409, undefined, { [field]: t("surveys:answer.soldOut") }) }
        : refuse(409, t("surveys:answer.soldOut"));
    }
    throw error;
  }
}

function isCheckViolation(error: unknown) {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "23514";
}
