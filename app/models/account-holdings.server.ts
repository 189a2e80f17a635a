import type { Db } from "../../db/schema.js";

// What of an account's money is still moving: the states of its pledges, and of its campaigns
// with whether each was paid out and how many of its pledges are disputed. Read under lock by
// account deletion (app/domain/account-deletion.ts decides).

export async function listAccountHoldings(db: Db, { userId }: { userId: string }) {
  const pledges = await db.selectFrom("pledges").select("state").where("backer_id", "=", userId).execute();
  const campaigns = await db
    .selectFrom("campaigns")
    .leftJoin("payouts", (join) =>
      join.onRef("payouts.campaign_id", "=", "campaigns.id").on("payouts.sequence", "=", 1),
    )
    .select((eb) => [
      "campaigns.state",
      "payouts.status as payoutStatus",
      eb
        .selectFrom("pledges")
        .select((p) => p.fn.countAll<number>().as("n"))
        .whereRef("pledges.campaign_id", "=", "campaigns.id")
        .where("pledges.state", "=", "disputed")
        .as("disputed"),
    ])
    .where("campaigns.creator_id", "=", userId)
    .execute();
  return {
    pledgeStates: pledges.map((p) => p.state),
    campaigns: campaigns.map((c) => ({
      state: c.state,
      paidOut: c.payoutStatus === "paid",
      disputedPledges: Number(c.disputed ?? 0),
    })),
  };
}
