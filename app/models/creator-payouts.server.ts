import type { Db } from "../../db/schema.js";

// A creator's payouts as their payouts page shows them: funded campaigns still waiting for their
// money, and the payouts already paid.

/** Funded campaigns of one creator still waiting for their money (for the creator's payouts page). */
export async function listCreatorCampaignsAwaitingPayout(db: Db, { creatorId }: { creatorId: string }) {
  return (
    db
      .selectFrom("settlements")
      .innerJoin("campaigns", "campaigns.id", "settlements.campaign_id")
      // The settlement's payout (late pledges' further payouts are listed once paid).
      .leftJoin("payouts", (join) =>
        join.onRef("payouts.campaign_id", "=", "settlements.campaign_id").on("payouts.sequence", "=", 1),
      )
      .select([
        "campaigns.id",
        "campaigns.title",
        "settlements.stage",
        "settlements.currency",
        "payouts.status as payout_status",
        "payouts.amount as payout_amount",
      ])
      .where("campaigns.creator_id", "=", creatorId)
      .where("settlements.decision", "=", "funded")
      .where((eb) => eb.or([eb("payouts.status", "is", null), eb("payouts.status", "<>", "paid")]))
      .orderBy("settlements.decided_at", "desc")
      .limit(50)
      .execute()
  );
}

/** Payouts already transferred to the creator, newest first. */
export async function listCreatorPaidPayouts(db: Db, { creatorId }: { creatorId: string }) {
  return db
    .selectFrom("payouts")
    .innerJoin("campaigns", "campaigns.id", "payouts.campaign_id")
    .select([
      "payouts.id",
      "payouts.amount",
      "payouts.currency",
      "payouts.approved_at",
      "payouts.stripe_transfer_id",
      "campaigns.title",
    ])
    .where("campaigns.creator_id", "=", creatorId)
    .where("payouts.status", "=", "paid")
    .orderBy("payouts.approved_at", "desc")
    .limit(50)
    .execute();
}
