import type { CampaignState, Db } from "../../db/schema.js";
import { assertCampaignTransition, IllegalTransitionError } from "../domain/campaign-states";

/**
 * The only way a campaign changes state: locks the row, checks the move against the state table,
 * and records who, when and why. Call inside a transaction with other writes that belong to it.
 */
export async function transitionCampaign(
  trx: Db,
  {
    campaignId,
    to,
    actorId,
    reason,
    expectedFrom,
    set = {},
  }: {
    campaignId: string;
    to: CampaignState;
    actorId: string | null;
    reason?: string;
    /** When given, the move happens only from this state (otherwise IllegalTransitionError). */
    expectedFrom?: CampaignState;
    set?: Partial<{ deadline: Date; launched_at: Date; ended_at: Date; duration_days: number | null }>;
  },
) {
  const current = await trx
    .selectFrom("campaigns")
    .select(["state"])
    .where("id", "=", campaignId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (expectedFrom && current.state !== expectedFrom) throw new IllegalTransitionError("campaign", current.state, to);
  assertCampaignTransition(current.state, to);
  await trx
    .updateTable("campaigns")
    .set({ state: to, updated_at: new Date(), ...set })
    .where("id", "=", campaignId)
    .execute();
  await trx
    .insertInto("campaign_transitions")
    .values({
      campaign_id: campaignId,
      from_state: current.state,
      to_state: to,
      actor_id: actorId,
      reason: reason ?? null,
    })
    .execute();
  return { from: current.state, to };
}

/** A campaign's first history row: it was created as a draft (its state column's default). */
export async function recordNewCampaign(
  trx: Db,
  { campaignId, actorId, reason }: { campaignId: string; actorId: string | null; reason?: string },
) {
  await trx
    .insertInto("campaign_transitions")
    .values({ campaign_id: campaignId, from_state: null, to_state: "draft", actor_id: actorId, reason: reason ?? null })
    .execute();
}
