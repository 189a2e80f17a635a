import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { Database, PledgeState } from "../../../db/schema.js";
import { transitionCampaign } from "../../models/campaign-state.server";
import { queueEmails, type OutgoingEmail } from "../../models/outbox.server";
import { transitionPledges } from "../../models/pledge-state.server";
import { freezeStatement } from "../finance/statement.server";
import { noPendingAttempt, selectPledgesWithBacker, type SettlingCampaign } from "./attempts.server";
import type { ReportProgress, SettlementContext } from "./context.server";
import {
  creatorClosedNotice,
  noticeOf,
  pledgeDroppedNotice,
  releasedNotice,
  type NoticePledge,
} from "./notices.server";
import { countParkedRefunds } from "./refused-refunds.server";
import { countOf, creatorOf, tallies, type LoadedCampaign } from "./settling-campaign.server";

// The end of a settlement: pledges that need no Stripe call are moved on (released when nothing
// was charged, dropped when grace ran out), and the settlement closes once no pledge has work.

// `refunding` is not here: a refund in flight has a pending attempt (which keeps the settlement
// open below), and one Stripe refused is parked for finance (refused-refunds.server.ts).
const TERMINAL_FOR_CLOSE: PledgeState[] = ["active", "collecting", "checkout"];

/** Pledges moved per transaction: small enough to keep row locks short, large enough to be few. */
const MOVE_BATCH = 500;

type PledgeFilter = (eb: ExpressionBuilder<Database, "pledges" | "users">) => Expression<SqlBool>;

/**
 * Moves the campaign's pledges in `from` to `to`, a batch per transaction, each with its history
 * row (`note`) and its email; pledges another worker holds are skipped and left to it.
 * Returns how many this call moved.
 */
export async function movePledgesInBatches(
  ctx: SettlementContext,
  campaign: SettlingCampaign,
  {
    from,
    to,
    note,
    only,
    notice,
    onBatch,
  }: {
    from: PledgeState;
    to: PledgeState;
    note: string;
    /** Narrows the pledges that move, beyond the campaign and the state. */
    only?: PledgeFilter;
    notice: (pledge: NoticePledge) => OutgoingEmail;
    /** Called after each batch with the total moved so far. */
    onBatch: (done: number) => void;
  },
): Promise<number> {
  let done = 0;
  while (!ctx.signal?.aborted) {
    const n = await ctx.db.transaction().execute(async (trx) => {
      const query = selectPledgesWithBacker(trx)
        .where("pledges.campaign_id", "=", campaign.id)
        .where("pledges.state", "=", from);
      const rows = await (only ? query.where(only) : query)
        .orderBy("pledges.id")
        .limit(MOVE_BATCH)
        .forUpdate(["pledges"])
        .skipLocked()
        .execute();
      const ids = new Set(
        await transitionPledges(trx, {
          pledgeIds: rows.map((r) => r.id),
          from,
          to,
          actorId: null,
          reason: note,
        }),
      );
      await queueEmails(
        trx,
        rows.filter((r) => ids.has(r.id)).map((row) => notice(noticeOf(campaign, row))),
      );
      return ids.size;
    });
    if (n === 0) break;
    done += n;
    onBatch(done);
  }
  return done;
}

/** Not funded or cancelled, card saved for the deadline: nothing was charged, release them. */
export async function releasePledges(ctx: SettlementContext, campaign: SettlingCampaign, progress: ReportProgress) {
  const goal = countOf(await tallies(ctx, campaign.id), ["active"]);
  return movePledgesInBatches(ctx, campaign, {
    from: "active",
    to: "released",
    note:
      campaign.decision === "cancelled"
        ? "Campaign cancelled: nothing charged"
        : "Campaign not funded: nothing charged",
    notice: (pledge) => releasedNotice(pledge, { appUrl: ctx.config.appUrl, decision: campaign.decision }),
    onBatch: (done) => progress("releasing", done, goal),
  });
}

/** Grace is over: pledges still unpaid are dropped, which frees their reward slots. */
export async function dropUnpaid(ctx: SettlementContext, campaign: SettlingCampaign, progress: ReportProgress) {
  return movePledgesInBatches(ctx, campaign, {
    from: "errored",
    to: "dropped",
    note: "Payment not completed before the end of the grace period",
    // A backer still paying on the fix-payment page keeps the pledge until that page is read back.
    only: noPendingAttempt,
    notice: (pledge) => pledgeDroppedNotice(pledge, { appUrl: ctx.config.appUrl }),
    onBatch: (done) => progress("dropping", done, done),
  });
}

/**
 * Closes the settlement when no pledge has work left: the campaign takes its final state (the
 * decision at the deadline stands, even if dropped pledges leave a funded campaign under its
 * goal), the stage becomes `closed`, and a campaign with nothing to pay out freezes its statement.
 * A funded campaign with failed payments waits in `grace` instead.
 */
export async function tryClose(
  ctx: SettlementContext,
  c: LoadedCampaign,
): Promise<"closed" | "grace" | "open" | "busy"> {
  return ctx.db.transaction().execute(async (trx) => {
    // NO KEY UPDATE: journal inserts elsewhere hold KEY SHARE on the campaign row and must not block this.
    const locked = await trx
      .selectFrom("campaigns")
      .select(["state"])
      .where("id", "=", c.id)
      .forNoKeyUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!locked) return "busy";
    const settlement = await trx
      .selectFrom("settlements")
      .selectAll()
      .where("campaign_id", "=", c.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (settlement.stage === "closed") return "closed";
    const t = await tallies(ctx, c.id, trx);
    if (countOf(t, TERMINAL_FOR_CLOSE) > 0) return "open";
    const pendingFix = await trx
      .selectFrom("charge_attempts")
      .innerJoin("pledges", "pledges.id", "charge_attempts.pledge_id")
      .select("charge_attempts.id")
      .where("pledges.campaign_id", "=", c.id)
      .where("charge_attempts.status", "=", "pending")
      .executeTakeFirst();
    if (pendingFix) return "open";
    if (countOf(t, ["errored"]) > 0) {
      if (settlement.stage !== "grace")
        await trx.updateTable("settlements").set({ stage: "grace" }).where("campaign_id", "=", c.id).execute();
      return "grace";
    }
    if (locked.state === "settling") {
      await transitionCampaign(trx, {
        campaignId: c.id,
        to: settlement.decision === "funded" ? "funded" : "unfunded",
        actorId: null,
        reason: "Settlement closed",
        expectedFrom: "settling",
        set: { ended_at: ctx.now },
      });
    }
    await trx
      .updateTable("settlements")
      .set({ stage: "closed", closed_at: ctx.now })
      .where("campaign_id", "=", c.id)
      .execute();
    if (settlement.decision === "funded") {
      const collected = t.filter((x) => ["collected", "partially_refunded", "disputed", "refunded"].includes(x.state));
      await queueEmails(trx, [
        creatorClosedNotice(creatorOf(c), {
          collected: collected.reduce((n, x) => n + x.amount, 0),
          collectedCount: collected.reduce((n, x) => n + x.count, 0),
          dropped: countOf(t, ["dropped"]),
          appUrl: ctx.config.appUrl,
        }),
      ]);
    } else if ((await countParkedRefunds(trx, { campaignId: c.id })) === 0) {
      // Nothing will be paid out: the money is final now (zeros, or charges and their refunds).
      // With a refund parked for finance it is not: that refund's retry freezes it.
      await freezeStatement(trx, { campaignId: c.id });
    }
    return "closed";
  });
}
