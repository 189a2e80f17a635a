import { sql } from "kysely";
import type { Collection, Db, Trx } from "../../db/schema.js";
import type { Address } from "../domain/address";
import {
  questionsFor,
  type ParsedAnswers,
  type QuestionForm,
  type SurveyQuestion,
  type TierFacts,
} from "../domain/survey";

// A campaign's backer survey: its questions and options (the creator's, ownership in every
// query), the pledges it is owed to, and each pledge's response, answers and shipping address.
// Stock of an option is taken in the answer's transaction (takeOption), so it is never oversold.

/** Whether a campaign may have a survey yet: funded, or launched when its backers pay up front. */
export function surveyAllowed(campaign: { state: string; collection: Collection }) {
  if (campaign.state === "funded") return true;
  return campaign.collection === "immediate" && ["live", "settling", "funded"].includes(campaign.state);
}

/** The pledges of a campaign that are owed a reward (domain/fulfilment.ts owesReward, in SQL). */
export const owedPledgeCondition = sql<boolean>`(p.state in ('collected', 'partially_refunded') or (c.collection = 'immediate' and p.state = 'active'))`;

export interface OwnedCampaign {
  id: string;
  title: string;
  state: string;
  collection: Collection;
  creatorId: string;
}

/** The campaign when it is this creator's (not deleted): the owner check of every builder query. */
export async function ownedCampaign(db: Db, { campaignId, creatorId }: { campaignId: string; creatorId: string }) {
  const row = await db
    .selectFrom("campaigns")
    .select(["id", "title", "state", "collection", "creator_id"])
    .where("id", "=", campaignId)
    .where("creator_id", "=", creatorId)
    .where("state", "!=", "deleted")
    .executeTakeFirst();
  return row
    ? ({
        id: row.id,
        title: row.title,
        state: row.state,
        collection: row.collection,
        creatorId: row.creator_id,
      } as OwnedCampaign)
    : undefined;
}

export interface SurveyRow {
  id: string;
  campaignId: string;
  state: "draft" | "sent";
  intro: string;
  lockAt: Date | null;
  sentAt: Date | null;
}

export async function getSurveyOfCampaign(db: Db, campaignId: string): Promise<SurveyRow | undefined> {
  const row = await db
    .selectFrom("surveys")
    .select(["id", "campaign_id", "state", "intro", "lock_at", "sent_at"])
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        campaignId: row.campaign_id,
        state: row.state,
        intro: row.intro,
        lockAt: row.lock_at,
        sentAt: row.sent_at,
      }
    : undefined;
}

/** Creates the campaign's survey (a draft); the existing one when there is one already. */
export async function createSurvey(db: Db, campaignId: string): Promise<SurveyRow> {
  await db
    .insertInto("surveys")
    .values({ campaign_id: campaignId })
    .onConflict((oc) => oc.column("campaign_id").doNothing())
    .execute();
  return (await getSurveyOfCampaign(db, campaignId))!;
}

/** The survey row locked for a change, if it is on this creator's campaign. */
export async function lockOwnedSurvey(trx: Trx, { campaignId, creatorId }: { campaignId: string; creatorId: string }) {
  return trx
    .selectFrom("surveys")
    .innerJoin("campaigns", "campaigns.id", "surveys.campaign_id")
    .select(["surveys.id", "surveys.state", "surveys.lock_at", "surveys.sent_at", "surveys.intro"])
    .where("surveys.campaign_id", "=", campaignId)
    .where("campaigns.creator_id", "=", creatorId)
    .where("campaigns.state", "!=", "deleted")
    .forUpdate("surveys")
    .executeTakeFirst();
}

/** A survey's questions in order, with their tiers and options (stock and how much is taken). */
export async function listQuestions(db: Db, surveyId: string): Promise<SurveyQuestion[]> {
  const questions = await db
    .selectFrom("survey_questions")
    .select(["id", "kind", "prompt", "help", "required", "all_tiers", "position"])
    .where("survey_id", "=", surveyId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  if (questions.length === 0) return [];
  const ids = questions.map((q) => q.id);
  const [tiers, options] = await Promise.all([
    db.selectFrom("survey_question_tiers").select(["question_id", "tier_id"]).where("question_id", "in", ids).execute(),
    db
      .selectFrom("survey_options")
      .select(["id", "question_id", "label", "stock_limit", "taken_count"])
      .where("question_id", "in", ids)
      .orderBy("position")
      .orderBy("id")
      .execute(),
  ]);
  return questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    help: q.help,
    required: q.required,
    allTiers: q.all_tiers,
    tierIds: tiers.filter((t) => t.question_id === q.id).map((t) => t.tier_id),
    options: options
      .filter((o) => o.question_id === q.id)
      .map((o) => ({ id: o.id, label: o.label, stockLimit: o.stock_limit, takenCount: o.taken_count })),
  }));
}

export async function listCampaignTiers(db: Db, campaignId: string) {
  return db
    .selectFrom("tiers")
    .select(["id", "title", "ships", "hidden"])
    .where("campaign_id", "=", campaignId)
    .orderBy("position")
    .execute();
}

/** How many questions already have answers (they may not be removed once the survey is sent). */
export async function questionHasAnswers(db: Db, questionId: string) {
  const row = await db
    .selectFrom("survey_answers")
    .select("pledge_id")
    .where("question_id", "=", questionId)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

export type QuestionWrite =
  | { ok: true; questionId: string }
  | { ok: false; reason: "notFound" | "tierUnknown" | "addressTwice" | "locked"; field?: string };

/**
 * Adds or rewrites a question of a draft survey: its text, kind, tiers and options (options are
 * matched by id; one missing from the form is removed). `trx` holds the survey's lock.
 */
export async function writeDraftQuestion(
  trx: Trx,
  { surveyId, campaignId, form }: { surveyId: string; campaignId: string; form: QuestionForm },
): Promise<QuestionWrite> {
  if (form.tierIds.length > 0 && !form.allTiers) {
    const known = await trx
      .selectFrom("tiers")
      .select("id")
      .where("campaign_id", "=", campaignId)
      .where("id", "in", form.tierIds)
      .execute();
    if (known.length !== new Set(form.tierIds).size) return { ok: false, reason: "tierUnknown", field: "tierIds" };
  }
  // Everything is checked before the first write: a refusal here must leave nothing half-done.
  if (form.questionId) {
    const known = await trx
      .selectFrom("survey_questions")
      .select("id")
      .where("id", "=", form.questionId)
      .where("survey_id", "=", surveyId)
      .executeTakeFirst();
    if (!known) return { ok: false, reason: "notFound" };
  }
  const existing = form.questionId
    ? await trx.selectFrom("survey_options").select("id").where("question_id", "=", form.questionId).execute()
    : [];
  const existingIds = new Set(existing.map((o) => o.id));
  if (form.options.some((o) => o.id && !existingIds.has(o.id))) return { ok: false, reason: "notFound" };
  const values = {
    kind: form.kind,
    prompt: form.prompt,
    help: form.help,
    required: form.required,
    all_tiers: form.allTiers,
  };
  // One address question per survey (the survey row is locked, so this check holds).
  if (form.kind === "address") {
    const other = await trx
      .selectFrom("survey_questions")
      .select("id")
      .where("survey_id", "=", surveyId)
      .where("kind", "=", "address")
      .$if(Boolean(form.questionId), (q) => q.where("id", "!=", form.questionId!))
      .executeTakeFirst();
    if (other) return { ok: false, reason: "addressTwice", field: "kind" };
  }
  let questionId = form.questionId;
  if (questionId) {
    const updated = await trx
      .updateTable("survey_questions")
      .set(values)
      .where("id", "=", questionId)
      .where("survey_id", "=", surveyId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: "notFound" };
  } else {
    const last = await trx
      .selectFrom("survey_questions")
      .select((eb) => eb.fn.max("position").as("position"))
      .where("survey_id", "=", surveyId)
      .executeTakeFirst();
    const position = last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
    const row = await trx
      .insertInto("survey_questions")
      .values({ ...values, survey_id: surveyId, position })
      .returning("id")
      .executeTakeFirstOrThrow();
    questionId = row.id;
  }
  await trx.deleteFrom("survey_question_tiers").where("question_id", "=", questionId).execute();
  if (!form.allTiers && form.tierIds.length)
    await trx
      .insertInto("survey_question_tiers")
      .values([...new Set(form.tierIds)].map((tier_id) => ({ question_id: questionId, tier_id })))
      .execute();

  const kept = new Set<string>();
  for (const [position, option] of form.options.entries()) {
    if (option.id && existingIds.has(option.id)) {
      kept.add(option.id);
      await trx
        .updateTable("survey_options")
        .set({ label: option.label!, stock_limit: option.stock ?? null, position })
        .where("id", "=", option.id)
        .execute();
    } else {
      await trx
        .insertInto("survey_options")
        .values({ question_id: questionId, label: option.label!, stock_limit: option.stock ?? null, position })
        .execute();
    }
  }
  const removed = [...existingIds].filter((id) => !kept.has(id));
  if (removed.length) await trx.deleteFrom("survey_options").where("id", "in", removed).execute();
  return { ok: true, questionId };
}

/** After sending: only the words (prompt, help, option labels) and stock may change. */
export async function writeSentQuestionText(
  trx: Trx,
  {
    surveyId,
    questionId,
    prompt,
    help,
    options,
  }: {
    surveyId: string;
    questionId: string;
    prompt: string;
    help: string;
    options: Array<{ id: string; label: string; stockLimit: number | null }>;
  },
) {
  const updated = await trx
    .updateTable("survey_questions")
    .set({ prompt, help })
    .where("id", "=", questionId)
    .where("survey_id", "=", surveyId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  for (const o of options)
    await trx
      .updateTable("survey_options")
      .set({ label: o.label, stock_limit: o.stockLimit })
      .where("id", "=", o.id)
      .where("question_id", "=", questionId)
      .execute();
  return true;
}

/** Deletes a question and closes the gap in the positions after it. */
export async function deleteQuestion(trx: Trx, { surveyId, questionId }: { surveyId: string; questionId: string }) {
  await trx.deleteFrom("survey_answers").where("question_id", "=", questionId).execute();
  const deleted = await trx
    .deleteFrom("survey_questions")
    .where("id", "=", questionId)
    .where("survey_id", "=", surveyId)
    .returning("position")
    .executeTakeFirst();
  if (!deleted) return false;
  await trx
    .updateTable("survey_questions")
    .set({ position: sql`position - 1` })
    .where("survey_id", "=", surveyId)
    .where("position", ">", deleted.position)
    .execute();
  return true;
}

/** Swaps a question with its neighbour; false when it is not in the survey. */
export async function moveQuestion(
  trx: Trx,
  { surveyId, questionId, direction }: { surveyId: string; questionId: string; direction: "up" | "down" },
) {
  const rows = await trx
    .selectFrom("survey_questions")
    .select(["id", "position"])
    .where("survey_id", "=", surveyId)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
  const index = rows.findIndex((r) => r.id === questionId);
  if (index === -1) return false;
  const other = rows[direction === "up" ? index - 1 : index + 1];
  if (!other) return true;
  const order = rows.map((r) => r.id);
  order[index] = other.id;
  order[rows.indexOf(other)] = questionId;
  for (const [position, id] of order.entries())
    if (rows.find((r) => r.id === id)!.position !== position)
      await trx.updateTable("survey_questions").set({ position }).where("id", "=", id).execute();
  return true;
}

export async function markSurveySent(
  trx: Trx,
  { surveyId, lockAt, intro, now }: { surveyId: string; lockAt: Date; intro: string; now: Date },
) {
  await trx
    .updateTable("surveys")
    .set({ state: "sent", sent_at: now, lock_at: lockAt, intro, updated_at: now })
    .where("id", "=", surveyId)
    .where("state", "=", "draft")
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Who is owed the survey.

export interface SurveyRecipient {
  pledgeId: string;
  backerId: string;
  email: string;
  name: string;
  locale: string | null;
  campaignTitle: string;
}

/**
 * The pledges owed the survey that have not been invited yet (no response row), with their
 * backers; each gets its response row here, in the caller's transaction, so a pledge is invited
 * once whatever retries or passes run.
 */
export async function claimUninvited(trx: Trx, { surveyId, limit = 500 }: { surveyId: string; limit?: number }) {
  const rows = await trx
    .selectFrom("pledges as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .innerJoin("surveys as s", "s.campaign_id", "c.id")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .leftJoin("survey_responses as r", "r.pledge_id", "p.id")
    .select(["p.id as pledgeId", "u.id as backerId", "u.email", "u.name", "u.locale", "c.title as campaignTitle"])
    .where("s.id", "=", surveyId)
    .where(owedPledgeCondition)
    .where("r.pledge_id", "is", null)
    .where("u.deleted_at", "is", null)
    .orderBy("p.id")
    .limit(limit)
    .forUpdate("p")
    .skipLocked()
    .execute();
  if (rows.length)
    await trx
      .insertInto("survey_responses")
      .values(rows.map((r) => ({ pledge_id: r.pledgeId, survey_id: surveyId })))
      .onConflict((oc) => oc.column("pledge_id").doNothing())
      .execute();
  return rows as SurveyRecipient[];
}

/** Sent surveys still open whose campaign has owed pledges not invited yet (late backers). */
export async function surveysWithUninvited(db: Db, now: Date) {
  return db
    .selectFrom("surveys as s")
    .innerJoin("campaigns as c", "c.id", "s.campaign_id")
    .select(["s.id", "s.campaign_id", "s.lock_at"])
    .where("s.state", "=", "sent")
    .where("s.lock_at", ">", now)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("pledges as p")
          .innerJoin("users as u", "u.id", "p.backer_id")
          .leftJoin("survey_responses as r", "r.pledge_id", "p.id")
          .select("p.id")
          .whereRef("p.campaign_id", "=", "c.id")
          .where(owedPledgeCondition)
          .where("r.pledge_id", "is", null)
          .where("u.deleted_at", "is", null),
      ),
    )
    .limit(50)
    .execute();
}

/** Not yet answered, still owed, survey still open: the candidates for a reminder. */
export async function claimReminderCandidates(trx: Trx, { now, limit = 200 }: { now: Date; limit?: number }) {
  return trx
    .selectFrom("survey_responses as r")
    .innerJoin("surveys as s", "s.id", "r.survey_id")
    .innerJoin("pledges as p", "p.id", "r.pledge_id")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .select([
      "r.pledge_id as pledgeId",
      "r.survey_id as surveyId",
      "r.reminders_sent as remindersSent",
      "s.sent_at as sentAt",
      "s.lock_at as lockAt",
      "u.id as backerId",
      "u.email",
      "u.name",
      "u.locale",
      "c.title as campaignTitle",
    ])
    .where("r.submitted_at", "is", null)
    .where("r.reminders_sent", "<", 2)
    .where("s.state", "=", "sent")
    .where("s.lock_at", ">", now)
    .where("s.sent_at", "<=", new Date(now.getTime() - 3 * 24 * 3600_000))
    .where(owedPledgeCondition)
    .where("u.deleted_at", "is", null)
    .orderBy("r.pledge_id")
    .limit(limit)
    .forUpdate("r")
    .skipLocked()
    .execute();
}

export async function recordReminder(
  trx: Trx,
  { pledgeId, number, now }: { pledgeId: string; number: 1 | 2; now: Date },
) {
  await trx
    .updateTable("survey_responses")
    .set({ reminders_sent: number, last_reminded_at: now })
    .where("pledge_id", "=", pledgeId)
    .where("reminders_sent", "<", number)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// A backer's side.

export interface BackerPledgeSurvey {
  pledgeId: string;
  campaignId: string;
  campaignTitle: string;
  campaignSlug: string;
  tier: (TierFacts & { title: string }) | null;
  destination: string | null;
  survey: SurveyRow;
  questions: SurveyQuestion[];
  response: { submittedAt: Date | null; unlockedUntil: Date | null } | null;
}

/**
 * The sent survey of the backer's own pledge, with the questions of its tier; undefined when the
 * pledge is not theirs, not owed a reward, or its campaign has no sent survey.
 */
export async function getBackerPledgeSurvey(
  db: Db,
  { pledgeId, backerId }: { pledgeId: string; backerId: string },
): Promise<BackerPledgeSurvey | undefined> {
  const row = await db
    .selectFrom("pledges as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .innerJoin("surveys as s", "s.campaign_id", "c.id")
    .leftJoin("tiers as t", "t.id", "p.tier_id")
    .leftJoin("survey_responses as r", "r.pledge_id", "p.id")
    .select([
      "p.id as pledgeId",
      "c.id as campaignId",
      "c.title as campaignTitle",
      "c.slug as campaignSlug",
      "t.id as tierId",
      "t.title as tierTitle",
      "t.ships as tierShips",
      "p.shipping_destination as destination",
      "s.id as surveyId",
      "s.state as surveyState",
      "s.intro",
      "s.lock_at",
      "s.sent_at",
      "r.pledge_id as responsePledgeId",
      "r.submitted_at",
      "r.unlocked_until",
    ])
    .where("p.id", "=", pledgeId)
    .where("p.backer_id", "=", backerId)
    .where("s.state", "=", "sent")
    .where(owedPledgeCondition)
    .executeTakeFirst();
  if (!row) return undefined;
  const tier = row.tierId ? { id: row.tierId, ships: Boolean(row.tierShips), title: row.tierTitle ?? "" } : null;
  return {
    pledgeId: row.pledgeId,
    campaignId: row.campaignId,
    campaignTitle: row.campaignTitle,
    campaignSlug: row.campaignSlug,
    tier,
    destination: row.destination,
    survey: {
      id: row.surveyId,
      campaignId: row.campaignId,
      state: row.surveyState,
      intro: row.intro,
      lockAt: row.lock_at,
      sentAt: row.sent_at,
    },
    questions: questionsFor(await listQuestions(db, row.surveyId), tier),
    response: row.responsePledgeId ? { submittedAt: row.submitted_at, unlockedUntil: row.unlocked_until } : null,
  };
}

export interface StoredAnswers {
  text: Record<string, string>;
  choices: Record<string, string[]>;
  address: Address | null;
}

/** A pledge's answers as stored (to fill the form back in). */
export async function getStoredAnswers(db: Db, pledgeId: string): Promise<StoredAnswers> {
  const [answers, choices, address] = await Promise.all([
    db.selectFrom("survey_answers").select(["question_id", "text_value"]).where("pledge_id", "=", pledgeId).execute(),
    db
      .selectFrom("survey_answer_choices")
      .select(["question_id", "option_id"])
      .where("pledge_id", "=", pledgeId)
      .execute(),
    db
      .selectFrom("shipping_addresses")
      .selectAll()
      .where("pledge_id", "=", pledgeId)
      .where("anonymised_at", "is", null)
      .executeTakeFirst(),
  ]);
  const text: Record<string, string> = {};
  for (const a of answers) if (a.text_value !== null) text[a.question_id] = a.text_value;
  const byQuestion: Record<string, string[]> = {};
  for (const c of choices) (byQuestion[c.question_id] ??= []).push(c.option_id);
  return {
    text,
    choices: byQuestion,
    address: address
      ? {
          fullName: address.full_name,
          line1: address.line1,
          line2: address.line2,
          city: address.city,
          region: address.region,
          postalCode: address.postal_code,
          country: address.country,
          phone: address.phone,
        }
      : null,
  };
}

export class SoldOutError extends Error {
  constructor(readonly questionId: string) {
    super("sold out");
  }
}

/**
 * Stores one pledge's answers to the questions of its tier, in the caller's transaction: answers,
 * choices (stock taken for a new choice and given back for a removed one) and the address. A
 * choice of a sold-out option throws SoldOutError: the caller's transaction rolls back whole.
 */
export async function storeAnswers(
  trx: Trx,
  {
    pledgeId,
    surveyId,
    questions,
    parsed,
    now,
  }: { pledgeId: string; surveyId: string; questions: SurveyQuestion[]; parsed: ParsedAnswers; now: Date },
) {
  const questionIds = questions.map((q) => q.id);
  const current = questionIds.length
    ? await trx
        .selectFrom("survey_answer_choices")
        .select(["question_id", "option_id"])
        .where("pledge_id", "=", pledgeId)
        .where("question_id", "in", questionIds)
        .execute()
    : [];
  const had = new Set(current.map((c) => c.option_id));
  const wanted = new Map<string, string>();
  for (const [questionId, value] of Object.entries(parsed.answers))
    if (value.kind === "choices") for (const optionId of value.optionIds) wanted.set(optionId, questionId);
  const removed = current.filter((c) => !wanted.has(c.option_id));
  const added = [...wanted.entries()].filter(([optionId]) => !had.has(optionId)).sort(([a], [b]) => a.localeCompare(b));

  // Given back first, then taken in one order (by id), so two answers never wait on each other.
  const giveBack = [...removed].sort((a, b) => a.option_id.localeCompare(b.option_id));
  for (const c of giveBack)
    await trx
      .updateTable("survey_options")
      .set({ taken_count: sql`taken_count - 1` })
      .where("id", "=", c.option_id)
      .where("taken_count", ">", 0)
      .execute();
  if (removed.length)
    await trx
      .deleteFrom("survey_answer_choices")
      .where("pledge_id", "=", pledgeId)
      .where(
        "option_id",
        "in",
        removed.map((c) => c.option_id),
      )
      .execute();
  for (const [optionId, questionId] of added) {
    // The WHERE keeps a sold-out option from being taken; the table's check is the backstop.
    const taken = await trx
      .updateTable("survey_options")
      .set({ taken_count: sql`taken_count + 1` })
      .where("id", "=", optionId)
      .where("question_id", "=", questionId)
      .where(sql<boolean>`(stock_limit is null or taken_count < stock_limit)`)
      .returning("id")
      .executeTakeFirst();
    if (!taken) throw new SoldOutError(questionId);
    await trx
      .insertInto("survey_answer_choices")
      .values({ pledge_id: pledgeId, question_id: questionId, option_id: optionId })
      .execute();
  }

  // One answer row per question answered (a choice's row carries no text); the others cleared.
  const answered = Object.keys(parsed.answers);
  const unanswered = questionIds.filter(
    (id) => !answered.includes(id) && questions.find((q) => q.id === id)!.kind !== "address",
  );
  if (unanswered.length)
    await trx
      .deleteFrom("survey_answers")
      .where("pledge_id", "=", pledgeId)
      .where("question_id", "in", unanswered)
      .execute();
  for (const [questionId, value] of Object.entries(parsed.answers)) {
    const text_value = value.kind === "text" ? value.text : null;
    await trx
      .insertInto("survey_answers")
      .values({ pledge_id: pledgeId, question_id: questionId, text_value, updated_at: now })
      .onConflict((oc) => oc.columns(["pledge_id", "question_id"]).doUpdateSet({ text_value, updated_at: now }))
      .execute();
  }
  const addressQuestion = questions.find((q) => q.kind === "address");
  if (addressQuestion && parsed.address) {
    const a = parsed.address;
    const columns = {
      full_name: a.fullName,
      line1: a.line1,
      line2: a.line2,
      city: a.city,
      region: a.region,
      postal_code: a.postalCode,
      country: a.country,
      phone: a.phone,
      updated_at: now,
      anonymised_at: null,
    };
    await trx
      .insertInto("shipping_addresses")
      .values({ pledge_id: pledgeId, ...columns })
      .onConflict((oc) => oc.column("pledge_id").doUpdateSet(columns))
      .execute();
    await trx
      .insertInto("survey_answers")
      .values({ pledge_id: pledgeId, question_id: addressQuestion.id, text_value: null, updated_at: now })
      .onConflict((oc) => oc.columns(["pledge_id", "question_id"]).doUpdateSet({ updated_at: now }))
      .execute();
  }

  await trx
    .insertInto("survey_responses")
    .values({ pledge_id: pledgeId, survey_id: surveyId, submitted_at: now, updated_at: now })
    .onConflict((oc) =>
      oc
        .column("pledge_id")
        .doUpdateSet({ submitted_at: sql`coalesce(survey_responses.submitted_at, ${now})`, updated_at: now }),
    )
    .execute();
}

/** Locks the pledge's response row (made when missing), so two saves of one pledge queue up. */
export async function lockResponse(trx: Trx, { pledgeId, surveyId }: { pledgeId: string; surveyId: string }) {
  await trx
    .insertInto("survey_responses")
    .values({ pledge_id: pledgeId, survey_id: surveyId })
    .onConflict((oc) => oc.column("pledge_id").doNothing())
    .execute();
  return trx
    .selectFrom("survey_responses")
    .select(["pledge_id", "submitted_at", "unlocked_until"])
    .where("pledge_id", "=", pledgeId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function getFulfilmentStatus(trx: Db, pledgeId: string) {
  const row = await trx.selectFrom("fulfilments").select("status").where("pledge_id", "=", pledgeId).executeTakeFirst();
  return row?.status;
}

// ---------------------------------------------------------------------------------------------
// The creator's view of the answers.

export interface SurveyProgressRow {
  pledgeId: string;
  backerName: string;
  tierTitle: string | null;
  submittedAt: Date | null;
  unlockedUntil: Date | null;
  remindersSent: number;
}

/** Every pledge owed the survey, with whether it answered (no answers or addresses here). */
export async function surveyProgress(db: Db, { surveyId, campaignId }: { surveyId: string; campaignId: string }) {
  const rows = await db
    .selectFrom("pledges as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .innerJoin("users as u", "u.id", "p.backer_id")
    .leftJoin("tiers as t", "t.id", "p.tier_id")
    .leftJoin("survey_responses as r", (j) => j.onRef("r.pledge_id", "=", "p.id").on("r.survey_id", "=", surveyId))
    .select([
      "p.id as pledgeId",
      "u.name as backerName",
      "t.title as tierTitle",
      "r.submitted_at as submittedAt",
      "r.unlocked_until as unlockedUntil",
      "r.reminders_sent as remindersSent",
    ])
    .where("p.campaign_id", "=", campaignId)
    .where(owedPledgeCondition)
    .orderBy("r.submitted_at", (ob) => ob.desc().nullsFirst())
    .orderBy("p.created_at")
    .limit(PROGRESS_ROWS)
    .execute();
  return rows.map((r) => ({ ...r, remindersSent: r.remindersSent ?? 0 })) as SurveyProgressRow[];
}

/** The most backers the answers list shows; the counts cover them all. */
export const PROGRESS_ROWS = 500;

/** How many pledges are owed the survey and how many of them answered. */
export async function surveyCounts(db: Db, { surveyId, campaignId }: { surveyId: string; campaignId: string }) {
  const row = await db
    .selectFrom("pledges as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .leftJoin("survey_responses as r", (j) => j.onRef("r.pledge_id", "=", "p.id").on("r.survey_id", "=", surveyId))
    .select((eb) => [eb.fn.countAll<string>().as("owed"), eb.fn.count<string>("r.submitted_at").as("answered")])
    .where("p.campaign_id", "=", campaignId)
    .where(owedPledgeCondition)
    .executeTakeFirstOrThrow();
  return { owed: Number(row.owed), answered: Number(row.answered) };
}

export async function setUnlockedUntil(
  trx: Trx,
  { surveyId, pledgeId, campaignId, until }: { surveyId: string; pledgeId: string; campaignId: string; until: Date },
) {
  const pledge = await trx
    .selectFrom("pledges as p")
    .innerJoin("campaigns as c", "c.id", "p.campaign_id")
    .select("p.id")
    .where("p.id", "=", pledgeId)
    .where("p.campaign_id", "=", campaignId)
    .where(owedPledgeCondition)
    .executeTakeFirst();
  if (!pledge) return false;
  await trx
    .insertInto("survey_responses")
    .values({ pledge_id: pledgeId, survey_id: surveyId, unlocked_until: until })
    .onConflict((oc) => oc.column("pledge_id").doUpdateSet({ unlocked_until: until }))
    .execute();
  return true;
}

/** Every answer of the campaign's pledges, with the addresses (personal data: callers authorise). */
export async function allAnswersOfCampaign(db: Db, campaignId: string) {
  const survey = await getSurveyOfCampaign(db, campaignId);
  if (!survey) return { survey: undefined, questions: [], answers: [], choices: [], addresses: [] };
  const [questions, answers, choices, addresses] = await Promise.all([
    listQuestions(db, survey.id),
    db
      .selectFrom("survey_answers as a")
      .innerJoin("survey_questions as q", "q.id", "a.question_id")
      .select(["a.pledge_id", "a.question_id", "a.text_value"])
      .where("q.survey_id", "=", survey.id)
      .execute(),
    db
      .selectFrom("survey_answer_choices as ch")
      .innerJoin("survey_questions as q", "q.id", "ch.question_id")
      .select(["ch.pledge_id", "ch.question_id", "ch.option_id"])
      .where("q.survey_id", "=", survey.id)
      .execute(),
    db
      .selectFrom("shipping_addresses as sa")
      .innerJoin("pledges as p", "p.id", "sa.pledge_id")
      .selectAll("sa")
      .where("p.campaign_id", "=", campaignId)
      .execute(),
  ]);
  return { survey, questions, answers, choices, addresses };
}
