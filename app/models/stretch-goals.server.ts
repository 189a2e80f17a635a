import { sql } from "kysely";
import type { CurrencyCode, Db, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import type { Locale, Translate } from "../domain/locale";
import { refuse, refuseField, type Refusal } from "../domain/refusal";
import { stretchAmountProblem, stretchChangeRefusal, type StretchGoalInput } from "../domain/stretch-goals";
import { translatorFor } from "../i18n";
import { auditCampaign, type CreatorActor } from "./campaign.server";

// A campaign's stretch goals: the ladder as pages read it, and the creator's writes (add, change,
// delete). Each write locks the campaign row, its creator's own (the ownership check is in the
// query: staff who may read the creator pages do not write here), so the rules (state, count,
// one goal per amount, a reached goal keeps its amount) are checked against a ladder that cannot
// move meanwhile: pledges move the campaign's total on the same row. reached_at is never written
// here; the database's triggers keep it (db/migrations/2026_12_07_0023_stretch_goals.ts).

const english: Translate = translatorFor("en");

export interface StretchGoal {
  id: string;
  title: string;
  description: string;
  /** Minor units of the campaign's currency. */
  amount: number;
  reachedAt: Date | null;
}

/** The campaign's stretch goals, lowest amount first. */
export async function listStretchGoals(db: Db, { campaignId }: { campaignId: string }): Promise<StretchGoal[]> {
  const rows = await db
    .selectFrom("stretch_goals")
    .select(["id", "title", "description", "amount", "reached_at"])
    .where("campaign_id", "=", campaignId)
    .orderBy("amount")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    amount: Number(r.amount),
    reachedAt: r.reached_at,
  }));
}

/**
 * The reached goals no update has told the backers about yet: none of the campaign's updates
 * was published at or after the moment the goal was reached. Lowest amount first.
 */
export async function stretchGoalsToAnnounce(db: Db, { campaignId }: { campaignId: string }) {
  const rows = await db
    .selectFrom("stretch_goals as g")
    .select(["g.id", "g.title", "g.reached_at"])
    .where("g.campaign_id", "=", campaignId)
    .where("g.reached_at", "is not", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("campaign_updates as u")
            .select(sql<number>`1`.as("one"))
            .whereRef("u.campaign_id", "=", "g.campaign_id")
            .whereRef("u.created_at", ">=", "g.reached_at"),
        ),
      ),
    )
    .orderBy("g.amount")
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, reachedAt: r.reached_at! }));
}

/** The campaign, locked for a change to its ladder, when the actor is its creator. */
function lockOwnCampaign(trx: Trx, campaignId: string, actor: CreatorActor) {
  return trx
    .selectFrom("campaigns")
    .select(["id", "state", "goal_amount", "currency"])
    .where("id", "=", campaignId)
    .where("creator_id", "=", actor.userId)
    .where("state", "!=", "deleted")
    .forUpdate()
    .executeTakeFirst();
}

function lockGoal(trx: Trx, campaignId: string, goalId: string) {
  return trx
    .selectFrom("stretch_goals")
    .select(["id", "amount", "reached_at"])
    .where("id", "=", goalId)
    .where("campaign_id", "=", campaignId)
    .forUpdate()
    .executeTakeFirst();
}

async function amountTaken(trx: Trx, campaignId: string, amount: number, exceptId?: string) {
  let query = trx
    .selectFrom("stretch_goals")
    .select("id")
    .where("campaign_id", "=", campaignId)
    .where("amount", "=", amount);
  if (exceptId) query = query.where("id", "!=", exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

const campaignNotFound = (t: Translate) => refuse(404, t("creator:common.campaignNotFound"));
const goalNotFound = (t: Translate) => refuse(404, t("stretch:refusal.notFound"));
const taken = (t: Translate) => refuseField(409, "amount", t("stretch:validation.amountTaken"));

/** The amount checks both writes share: above the campaign's goal, and no other goal at it. */
async function amountRefusal(
  trx: Trx,
  campaign: { id: string; goal_amount: number; currency: CurrencyCode },
  amount: number,
  { t, locale, exceptId }: { t: Translate; locale: Locale; exceptId?: string },
): Promise<Refusal | null> {
  const problem = stretchAmountProblem({
    amount,
    goal: Number(campaign.goal_amount),
    currency: campaign.currency,
    locale,
    t,
  });
  if (problem) return refuseField(400, "amount", problem);
  return (await amountTaken(trx, campaign.id, amount, exceptId)) ? taken(t) : null;
}

/** Adds a stretch goal to the creator's campaign; it is reached at once if the total already covers it. */
export async function createStretchGoal(
  db: Db,
  {
    campaignId,
    actor,
    input,
    t = english,
    locale = "en",
  }: { campaignId: string; actor: CreatorActor; input: StretchGoalInput; t?: Translate; locale?: Locale },
): Promise<{ ok: true; goalId: string } | Refusal> {
  return uniqueAmount(t, () =>
    inTransaction(db, async (trx) => {
      const campaign = await lockOwnCampaign(trx, campaignId, actor);
      if (!campaign) return campaignNotFound(t);
      const { n } = await trx
        .selectFrom("stretch_goals")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("campaign_id", "=", campaign.id)
        .executeTakeFirstOrThrow();
      const refusal =
        stretchChangeRefusal({ change: "create", campaignState: campaign.state, goalCount: Number(n), t }) ??
        (await amountRefusal(trx, campaign, input.amount, { t, locale }));
      if (refusal) return refusal;
      const goal = await trx
        .insertInto("stretch_goals")
        .values({ campaign_id: campaign.id, title: input.title, description: input.description, amount: input.amount })
        .returning("id")
        .executeTakeFirstOrThrow();
      await auditCampaign(trx, actor, campaign.id, "stretch_goal.create", {
        detail: { goalId: goal.id, amount: input.amount },
      });
      return { ok: true as const, goalId: goal.id };
    }),
  );
}

/** Changes a stretch goal of the creator's campaign; a reached goal's amount stays as it is. */
export async function updateStretchGoal(
  db: Db,
  {
    campaignId,
    goalId,
    actor,
    input,
    t = english,
    locale = "en",
  }: {
    campaignId: string;
    goalId: string;
    actor: CreatorActor;
    input: StretchGoalInput;
    t?: Translate;
    locale?: Locale;
  },
): Promise<{ ok: true } | Refusal> {
  return uniqueAmount(t, () =>
    inTransaction(db, async (trx) => {
      const campaign = await lockOwnCampaign(trx, campaignId, actor);
      if (!campaign) return campaignNotFound(t);
      const goal = await lockGoal(trx, campaign.id, goalId);
      if (!goal) return goalNotFound(t);
      const amountChanged = Number(goal.amount) !== input.amount;
      const refusal =
        stretchChangeRefusal({
          change: "update",
          campaignState: campaign.state,
          reached: goal.reached_at !== null,
          amountChanged,
          t,
        }) ??
        (amountChanged ? await amountRefusal(trx, campaign, input.amount, { t, locale, exceptId: goal.id }) : null);
      if (refusal) return refusal;
      await trx
        .updateTable("stretch_goals")
        // The amount is written only when it changes: writing it runs the reached-on-write trigger.
        .set({
          title: input.title,
          description: input.description,
          updated_at: new Date(),
          ...(amountChanged ? { amount: input.amount } : {}),
        })
        .where("id", "=", goal.id)
        .execute();
      await auditCampaign(trx, actor, campaign.id, "stretch_goal.update", {
        detail: { goalId: goal.id, ...(amountChanged ? { from: Number(goal.amount), to: input.amount } : {}) },
      });
      return { ok: true as const };
    }),
  );
}

/** Deletes a stretch goal of the creator's campaign that has not been reached. */
export async function deleteStretchGoal(
  db: Db,
  {
    campaignId,
    goalId,
    actor,
    t = english,
  }: { campaignId: string; goalId: string; actor: CreatorActor; t?: Translate },
): Promise<{ ok: true } | Refusal> {
  return inTransaction(db, async (trx) => {
    const campaign = await lockOwnCampaign(trx, campaignId, actor);
    if (!campaign) return campaignNotFound(t);
    const goal = await lockGoal(trx, campaign.id, goalId);
    if (!goal) return refuseField(404, "goalId", t("stretch:refusal.notFound"));
    const refusal = stretchChangeRefusal({
      change: "delete",
      campaignState: campaign.state,
      reached: goal.reached_at !== null,
      t,
    });
    if (refusal) return refusal;
    await trx.deleteFrom("stretch_goals").where("id", "=", goal.id).execute();
    await auditCampaign(trx, actor, campaign.id, "stretch_goal.delete", {
      detail: { goalId: goal.id, amount: Number(goal.amount) },
    });
    return { ok: true as const };
  });
}

/**
 * The unique (campaign, amount) index is the last word on "one goal per amount": a write that
 * raced past the check above (another writer that did not lock the campaign) gets the same message.
 */
async function uniqueAmount<T>(t: Translate, write: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string } | null)?.code === "23505") return taken(t);
    throw error;
  }
}
