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
      // Late pledges' money is paid out only when none is open, none waits and no payout is unpaid.
      eb
        .or([
          eb("campaigns.late_pledges_until", ">", new Date()),
          eb.exists(
            eb
              .selectFrom("payouts as further")
              .select("further.id")
              .whereRef("further.campaign_id", "=", "campaigns.id")
              .where("further.status", "<>", "paid"),
          ),
          eb.exists(
            eb
              .selectFrom("pledges as late")
              .select("late.id")
              .whereRef("late.campaign_id", "=", "campaigns.id")
              .where("late.late", "=", true)
              .where("late.late_payout_id", "is", null)
              .where("late.collected_amount", ">", 0),
          ),
        ])
        .as("lateMoneyMoving"),
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
      paidOut: c.payoutStatus === "paid" && !c.lateMoneyMoving,
      disputedPledges: Number(c.disputed ?? 0),
    })),
  };
}
