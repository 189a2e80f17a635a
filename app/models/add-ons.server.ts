import type { Db, Trx } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import {
  addOnChangeProblems,
  addOnDeletionProblem,
  ADD_ON_EDITABLE_STATES,
  offeredTiersProblem,
  type AddOnInput,
} from "../domain/add-on-rules";
import type { Translate } from "../domain/locale";
import { refuse } from "../domain/refusal";
import { translatorFor } from "../i18n";
import {
  auditCampaign,
  campaignNotFoundIn,
  lockCampaign,
  refused,
  type CreatorActor,
  type WriteFailure,
} from "./campaign.server";

// A campaign's add-ons: listing them with their shipping surcharges, the rewards that offer them,
// the units claimed and the pledge lines that carry them; and the creator's writes (create,
// change, hide, show, delete) under the campaign's lock while its state still lets rewards
// change. The campaign's lock is the one every reward write takes too, so the rewards an add-on
// is checked against cannot change under it. Refusals are worded in the caller's language (`t`,
// the request's; English by default).

const english: Translate = translatorFor("en");
const addOnNotFound = (t: Translate) => refuse(404, t("addOns:refusal.notFound"));

/** The campaign's rewards an add-on can be offered with (hidden ones too), in the campaign's order. */
export function listAddOnTierChoices(db: Db, { campaignId }: { campaignId: string }) {
  return db
    .selectFrom("tiers")
    .select(["id", "title", "ships", "hidden"])
    .where("campaign_id", "=", campaignId)
    .orderBy("position")
    .orderBy("created_at")
    .limit(500)
    .execute();
}

/** A campaign's add-ons (one when `addOnId` is given), in order, with what the pages show of each. */
async function addOnsOf(db: Db, { campaignId, addOnId }: { campaignId: string; addOnId?: string }) {
  let query = db
    .selectFrom("add_ons")
    .select([
      "id",
      "title",
      "description",
      "price",
      "quantity_limit",
      "per_backer_max",
      "claimed_count",
      "ships",
      "hidden",
      "position",
    ])
    .where("campaign_id", "=", campaignId);
  if (addOnId) query = query.where("id", "=", addOnId);
  const addOns = await query.orderBy("position").orderBy("created_at").limit(500).execute();
  if (addOns.length === 0) return [];
  const ids = addOns.map((a) => a.id);
  const [rates, offeredWith, lines] = await Promise.all([
    db
      .selectFrom("add_on_shipping_rates")
      .select(["add_on_id", "destination", "amount"])
      .where("add_on_id", "in", ids)
      .execute(),
    db
      .selectFrom("add_on_tiers")
      .innerJoin("tiers", "tiers.id", "add_on_tiers.tier_id")
      .select(["add_on_tiers.add_on_id", "add_on_tiers.tier_id"])
      .where("add_on_tiers.add_on_id", "in", ids)
      .orderBy("tiers.position")
      .orderBy("tiers.created_at")
      .execute(),
    db
      .selectFrom("pledge_add_ons")
      .select(["add_on_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("add_on_id", "in", ids)
      .groupBy("add_on_id")
      .execute(),
  ]);
  return addOns.map((a) => ({
    ...a,
    price: Number(a.price),
    shippingRates: rates
      .filter((r) => r.add_on_id === a.id)
      .map((r) => ({ destination: r.destination, amount: Number(r.amount) })),
    tierIds: offeredWith.filter((o) => o.add_on_id === a.id).map((o) => o.tier_id),
    lineCount: Number(lines.find((l) => l.add_on_id === a.id)?.n ?? 0),
  }));
}

/** Every add-on of a campaign (hidden too), in order, with shipping rates, tiers and pledge lines. */
export function listAddOns(db: Db, { campaignId }: { campaignId: string }) {
  return addOnsOf(db, { campaignId });
}

export type CampaignAddOn = Awaited<ReturnType<typeof listAddOns>>[number];

/** One add-on, if it is the campaign's (the campaign check is in the query). */
export async function getAddOn(db: Db, { campaignId, addOnId }: { campaignId: string; addOnId: string }) {
  const [addOn] = await addOnsOf(db, { campaignId, addOnId });
  return addOn;
}

async function lockEditableCampaign(trx: Trx, campaignId: string, actor: CreatorActor, t: Translate) {
  const campaign = await lockCampaign(trx, campaignId, actor);
  if (!campaign) return { failure: campaignNotFoundIn(t) };
  if (!ADD_ON_EDITABLE_STATES.includes(campaign.state)) return { failure: refused(t("addOns:refusal.ended")) };
  return { campaign };
}

/** The add-on's row, locked, with the pledge lines that carry it; undefined when not the campaign's. */
async function lockAddOn(trx: Trx, campaignId: string, addOnId: string) {
  const addOn = await trx
    .selectFrom("add_ons")
    .select(["id", "claimed_count", "hidden"])
    .where("id", "=", addOnId)
    .where("campaign_id", "=", campaignId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!addOn) return undefined;
  const lines = await trx
    .selectFrom("pledge_add_ons")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("add_on_id", "=", addOnId)
    .executeTakeFirstOrThrow();
  return { ...addOn, lineCount: Number(lines.n) };
}

/**
 * Why the add-on can't be offered with the chosen rewards, as the `tiers` field's refusal: read
 * under the campaign's lock, only among the campaign's own rewards.
 */
async function offeredTiersRefusal(trx: Trx, campaignId: string, input: AddOnInput, t: Translate) {
  const tiers =
    input.tierIds.length === 0
      ? []
      : await trx
          .selectFrom("tiers")
          .select(["id", "title", "ships"])
          .where("campaign_id", "=", campaignId)
          .where("id", "in", input.tierIds)
          .execute();
  const problem = offeredTiersProblem({ ships: input.ships, tierIds: input.tierIds, tiers, t });
  return problem ? refuse(400, undefined, { tiers: problem }) : null;
}

/** The add-on form as the row stores it (rates and rewards go to their own tables). */
function addOnColumns(input: AddOnInput) {
  return {
    title: input.title,
    description: input.description,
    price: input.price,
    quantity_limit: input.quantityLimit,
    per_backer_max: input.perBackerMax,
    ships: input.ships,
  };
}

/** Replaces the add-on's shipping surcharges and the rewards that offer it with the form's. */
async function writeRatesAndTiers(trx: Trx, addOnId: string, input: AddOnInput) {
  await trx.deleteFrom("add_on_shipping_rates").where("add_on_id", "=", addOnId).execute();
  await trx.deleteFrom("add_on_tiers").where("add_on_id", "=", addOnId).execute();
  if (input.shippingRates.length > 0) {
    await trx
      .insertInto("add_on_shipping_rates")
      .values(input.shippingRates.map((r) => ({ add_on_id: addOnId, destination: r.destination, amount: r.amount })))
      .execute();
  }
  await trx
    .insertInto("add_on_tiers")
    .values(input.tierIds.map((tierId) => ({ add_on_id: addOnId, tier_id: tierId })))
    .execute();
}

export async function createAddOn(
  db: Db,
  {
    campaignId,
    actor,
    input,
    t = english,
  }: { campaignId: string; actor: CreatorActor; input: AddOnInput; t?: Translate },
): Promise<{ ok: true; addOnId: string } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { failure } = await lockEditableCampaign(trx, campaignId, actor, t);
    if (failure) return failure;
    const tiersRefusal = await offeredTiersRefusal(trx, campaignId, input, t);
    if (tiersRefusal) return tiersRefusal;
    const last = await trx
      .selectFrom("add_ons")
      .select((eb) => eb.fn.max("position").as("max"))
      .where("campaign_id", "=", campaignId)
      .executeTakeFirst();
    const addOn = await trx
      .insertInto("add_ons")
      .values({
        campaign_id: campaignId,
        ...addOnColumns(input),
        position: last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeRatesAndTiers(trx, addOn.id, input);
    await auditCampaign(trx, actor, campaignId, "add_on.create", { detail: { addOnId: addOn.id } });
    return { ok: true as const, addOnId: addOn.id };
  });
}

/**
 * Changes an add-on. Its price may change at any time: pledge lines keep the unit price they
 * were priced at, so nobody's pledge moves.
 */
export async function updateAddOn(
  db: Db,
  {
    campaignId,
    addOnId,
    actor,
    input,
    t = english,
  }: { campaignId: string; addOnId: string; actor: CreatorActor; input: AddOnInput; t?: Translate },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { campaign, failure } = await lockEditableCampaign(trx, campaignId, actor, t);
    if (failure) return failure;
    const addOn = await lockAddOn(trx, campaignId, addOnId);
    if (!addOn) return addOnNotFound(t);
    const { form, ...fieldErrors } = addOnChangeProblems({
      campaignState: campaign.state,
      claimedCount: addOn.claimed_count,
      next: { quantityLimit: input.quantityLimit },
      t,
    });
    const tiersRefusal = await offeredTiersRefusal(trx, campaignId, input, t);
    if (form || tiersRefusal || Object.keys(fieldErrors).length > 0) {
      return refuse(400, form, { ...fieldErrors, ...tiersRefusal?.fieldErrors });
    }
    await trx
      .updateTable("add_ons")
      .set({ ...addOnColumns(input), updated_at: new Date() })
      .where("id", "=", addOnId)
      .execute();
    await writeRatesAndTiers(trx, addOnId, input);
    await auditCampaign(trx, actor, campaignId, "add_on.update", { detail: { addOnId } });
    return { ok: true as const };
  });
}

async function setAddOnHidden(
  db: Db,
  {
    campaignId,
    addOnId,
    actor,
    hidden,
    t,
  }: { campaignId: string; addOnId: string; actor: CreatorActor; hidden: boolean; t: Translate },
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { failure } = await lockEditableCampaign(trx, campaignId, actor, t);
    if (failure) return failure;
    const updated = await trx
      .updateTable("add_ons")
      .set({ hidden, updated_at: new Date() })
      .where("id", "=", addOnId)
      .where("campaign_id", "=", campaignId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return addOnNotFound(t);
    await auditCampaign(trx, actor, campaignId, hidden ? "add_on.hide" : "add_on.show", { detail: { addOnId } });
    return { ok: true as const };
  });
}

type AddOnTarget = { campaignId: string; addOnId: string; actor: CreatorActor; t?: Translate };

/** Nobody new can choose it; pledges that carry it keep it. */
export function hideAddOn(db: Db, { t = english, ...target }: AddOnTarget) {
  return setAddOnHidden(db, { ...target, hidden: true, t });
}

export function showAddOn(db: Db, { t = english, ...target }: AddOnTarget) {
  return setAddOnHidden(db, { ...target, hidden: false, t });
}

/** Deletes an add-on no pledge line carries; one that is on a pledge can only be hidden. */
export async function deleteAddOn(
  db: Db,
  { campaignId, addOnId, actor, t = english }: AddOnTarget,
): Promise<{ ok: true } | WriteFailure> {
  return inTransaction(db, async (trx) => {
    const { campaign, failure } = await lockEditableCampaign(trx, campaignId, actor, t);
    if (failure) return failure;
    const addOn = await lockAddOn(trx, campaignId, addOnId);
    if (!addOn) return addOnNotFound(t);
    const problem = addOnDeletionProblem({ campaignState: campaign.state, lineCount: addOn.lineCount, t });
    if (problem) return refused(problem);
    await trx.deleteFrom("add_on_shipping_rates").where("add_on_id", "=", addOnId).execute();
    await trx.deleteFrom("add_on_tiers").where("add_on_id", "=", addOnId).execute();
    await trx.deleteFrom("add_ons").where("id", "=", addOnId).execute();
    await auditCampaign(trx, actor, campaignId, "add_on.delete", { detail: { addOnId } });
    return { ok: true as const };
  });
}
