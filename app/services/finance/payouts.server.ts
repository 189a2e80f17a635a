import Stripe from "stripe";
import type { CurrencyCode, Db } from "../../../db/schema.js";
import { formatMoney } from "../../domain/money";
import { refuse, type Refusal } from "../../domain/refusal";
import { platformFeeFor } from "../../domain/statement";
import { recordAudit } from "../../models/audit.server";
import { bookPayout, bookPlatformFee } from "../../models/ledger.server";
import { buildStatement, freezeStatement } from "./statement.server";

export interface PayoutPlan {
  ready: boolean;
  /** Why it cannot be prepared yet, in the desk's words (empty when ready). */
  waitingFor: string[];
  currency: CurrencyCode | null;
  platformFee: number;
  amount: number;
  destination: string | null;
}

/**
 * What a payout would be now and what, if anything, it waits for: a closed, funded settlement;
 * no refund in flight; the creator's connected account able to receive payouts; something left
 * to pay. The amount is the statement's payout due less the platform fee (PLATFORM_FEE_BPS of
 * collected net of refunds).
 */
export async function planPayout(
  db: Db,
  { campaignId, platformFeeBps }: { campaignId: string; platformFeeBps: number },
): Promise<PayoutPlan> {
  const plan: PayoutPlan = {
    ready: false,
    waitingFor: [],
    currency: null,
    platformFee: 0,
    amount: 0,
    destination: null,
  };
  const settlement = await db
    .selectFrom("settlements")
    .innerJoin("campaigns", "campaigns.id", "settlements.campaign_id")
    .leftJoin("payout_accounts", "payout_accounts.user_id", "campaigns.creator_id")
    .select([
      "settlements.stage",
      "settlements.decision",
      "settlements.currency",
      "settlements.grace_ends_at",
      "payout_accounts.stripe_account_id",
      "payout_accounts.payouts_enabled",
    ])
    .where("settlements.campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!settlement) {
    plan.waitingFor.push("The campaign has not been settled yet.");
    return plan;
  }
  plan.currency = settlement.currency;
  plan.destination = settlement.stripe_account_id;
  if (settlement.decision !== "funded") {
    plan.waitingFor.push(
      `The campaign was ${settlement.decision === "cancelled" ? "cancelled" : "not funded"}; there is nothing to pay out.`,
    );
    return plan;
  }
  if (settlement.stage === "collecting") plan.waitingFor.push("Settlement is still charging pledges.");
  if (settlement.stage === "grace") {
    plan.waitingFor.push(
      `Settlement is in its grace period for failed payments${settlement.grace_ends_at ? ` (until ${settlement.grace_ends_at.toISOString().slice(0, 16).replace("T", " ")} UTC)` : ""}.`,
    );
  }
  const payout = await db
    .selectFrom("payouts")
    .select(["status"])
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (payout) {
    plan.waitingFor.push(`A payout already exists (${payout.status}).`);
    return plan;
  }
  const pending = await db
    .selectFrom("refunds")
    .innerJoin("pledges", "pledges.id", "refunds.pledge_id")
    .select("refunds.id")
    .where("pledges.campaign_id", "=", campaignId)
    .where("refunds.status", "=", "pending")
    .executeTakeFirst();
  if (pending) plan.waitingFor.push("A refund is still in progress; finish or retry it first.");
  if (!settlement.stripe_account_id) plan.waitingFor.push("The creator has not connected a payout account.");
  else if (!settlement.payouts_enabled)
    plan.waitingFor.push("The creator's payout account cannot receive payouts yet (onboarding is not complete).");

  const built = await buildStatement(db, { campaignId });
  if (built) {
    const s = built.statement;
    plan.platformFee =
      platformFeeFor({ collected: s.collected, refunded: s.refunded, basisPoints: platformFeeBps }) - s.platformFee;
    if (plan.platformFee < 0) plan.platformFee = 0;
    plan.amount = s.payoutDue - plan.platformFee;
    if (plan.amount < 0)
      plan.waitingFor.push(
        `Refunds, disputes and fees exceed what was collected (short by ${formatMoney(-plan.amount, s.currency)}); there is nothing to pay out.`,
      );
  }
  plan.ready = plan.waitingFor.length === 0;
  return plan;
}

export type PayoutOutcome = { ok: true; payoutId: string; message: string } | Refusal;

/**
 * Prepares the payout: books the platform fee and writes the `payouts` row, both in one
 * transaction under the settlement's lock (so two preparers cannot both succeed).
 */
export async function preparePayout(
  db: Db,
  {
    campaignId,
    actorId,
    reason,
    platformFeeBps,
    ip,
  }: { campaignId: string; actorId: string; reason: string; platformFeeBps: number; ip?: string | null },
): Promise<PayoutOutcome> {
  return db.transaction().execute(async (trx): Promise<PayoutOutcome> => {
    const locked = await trx
      .selectFrom("settlements")
      .select("campaign_id")
      .where("campaign_id", "=", campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return refuse(404, "This campaign has not been settled.");
    const plan = await planPayout(trx, { campaignId, platformFeeBps });
    if (!plan.ready) return refuse(409, `The payout can't be prepared yet: ${plan.waitingFor.join(" ")}`);
    const payout = await trx
      .insertInto("payouts")
      .values({
        campaign_id: campaignId,
        amount: plan.amount,
        currency: plan.currency!,
        destination_account: plan.destination,
        prepared_by: actorId,
      })
      .onConflict((oc) => oc.column("campaign_id").doNothing())
      .returning(["id"])
      .executeTakeFirst();
    if (!payout) return refuse(409, "A payout for this campaign was already prepared.");
    await bookPlatformFee(trx, {
      campaignId,
      currency: plan.currency!,
      amount: plan.platformFee,
      payoutId: payout.id,
      createdBy: actorId,
    });
    await recordAudit(trx, {
      actorId,
      action: "payout.prepared",
      subjectType: "campaign",
      subjectId: campaignId,
      reason,
      detail: {
        payout_id: payout.id,
        amount: plan.amount,
        platform_fee: plan.platformFee,
        currency: plan.currency,
        destination: plan.destination,
      },
      ip,
    });
    return {
      ok: true,
      payoutId: payout.id,
      message: `Payout of ${formatMoney(plan.amount, plan.currency!)} prepared (platform fee ${formatMoney(plan.platformFee, plan.currency!)} booked). Another finance user must approve it.`,
    };
  });
}

/** An approval younger than this is assumed to be transferring in another request. */
const IN_FLIGHT_MS = 60_000;

export const FOUR_EYES_MESSAGE = "You prepared this payout, so another finance user must approve it (four-eyes rule).";

function isFourEyesViolation(error: unknown) {
  const e = error as { code?: string; constraint?: string; message?: string };
  return (
    e?.code === "23514" && (e.constraint === "payouts_four_eyes" || String(e.message).includes("payouts_four_eyes"))
  );
}

/**
 * Approves a prepared payout and pays it: the approval is recorded first (the database refuses
 * an approver who prepared it), then the Stripe transfer to the creator's connected account
 * with an idempotency key derived from the payout (a retry after a crash transfers once), then
 * the booking, the paid mark and the frozen statement.
 */
export async function approvePayout(
  db: Db,
  stripe: Stripe,
  { campaignId, actorId, reason, ip }: { campaignId: string; actorId: string; reason: string; ip?: string | null },
): Promise<PayoutOutcome> {
  let locked;
  try {
    locked = await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("payouts")
        .selectAll()
        .where("campaign_id", "=", campaignId)
        .forUpdate()
        .executeTakeFirst();
      if (!row || row.status !== "prepared") return { row, justApproved: false };
      const approved = await trx
        .updateTable("payouts")
        .set({ status: "approved", approved_by: actorId, approved_at: new Date() })
        .where("id", "=", row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { row: approved, justApproved: true };
    });
  } catch (error) {
    if (isFourEyesViolation(error)) return refuse(403, FOUR_EYES_MESSAGE);
    throw error;
  }
  const payout = locked.row;
  if (!payout) return refuse(404, "There is no prepared payout for this campaign.");
  if (payout.status === "paid")
    return { ok: true, payoutId: payout.id, message: "This payout was already paid; nothing more was transferred." };
  // Approved a moment ago by another request (a double click): that request is transferring.
  if (
    !locked.justApproved &&
    payout.approved_at &&
    Date.now() - payout.approved_at.getTime() < IN_FLIGHT_MS &&
    !payout.failure
  ) {
    return refuse(409, "This payout is being transferred right now. Reload the page in a moment.");
  }

  let transferId: string | null = null;
  if (payout.amount > 0) {
    if (!payout.destination_account) return refuse(409, "The payout has no destination account.");
    try {
      const transfer = await stripe.transfers.create(
        {
          amount: payout.amount,
          currency: payout.currency,
          destination: payout.destination_account,
          transfer_group: campaignId,
          metadata: { payout_id: payout.id, campaign_id: campaignId },
        },
        { idempotencyKey: `colecta-payout-${payout.id}` },
      );
      transferId = transfer.id;
    } catch (error) {
      const message = (error as Error).message;
      const refused =
        error instanceof Stripe.errors.StripeInvalidRequestError ||
        error instanceof Stripe.errors.StripePermissionError;
      await db
        .updateTable("payouts")
        .set({ failure: message.slice(0, 1000) })
        .where("id", "=", payout.id)
        .where("status", "<>", "paid")
        .execute();
      await recordAudit(db, {
        actorId,
        action: "payout.transfer_failed",
        subjectType: "campaign",
        subjectId: campaignId,
        reason,
        detail: { payout_id: payout.id, stripe_error: message },
        ip,
      });
      return refused
        ? refuse(502, `Stripe refused the transfer: ${message}`)
        : refuse(
            503,
            "We couldn't reach Stripe. The payout stays approved; retry the transfer — it will never be sent twice.",
          );
    }
  }

  const paid = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("payouts")
      .selectAll()
      .where("id", "=", payout.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status === "paid") return false;
    if (transferId)
      await bookPayout(trx, { campaignId, currency: row.currency, amount: row.amount, transferId, createdBy: actorId });
    await trx
      .updateTable("payouts")
      .set({ status: "paid", stripe_transfer_id: transferId, failure: null })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, {
      actorId,
      action: "payout.approved",
      subjectType: "campaign",
      subjectId: campaignId,
      reason,
      detail: {
        payout_id: row.id,
        amount: row.amount,
        currency: row.currency,
        stripe_transfer_id: transferId,
        prepared_by: row.prepared_by,
      },
      ip,
    });
    return true;
  });
  const frozen = await freezeStatement(db, { campaignId });
  return {
    ok: true,
    payoutId: payout.id,
    message: paid
      ? `Paid ${formatMoney(payout.amount, payout.currency)}${transferId ? ` (transfer ${transferId})` : ""}. Statement frozen · sha256 ${frozen.checksum?.slice(0, 12)}…`
      : "This payout was already paid; nothing more was transferred.",
  };
}

/** Freezes the statement of a campaign whose money is final without a payout (not funded, cancelled). */
export async function freezeClosedStatement(
  db: Db,
  { campaignId, actorId, reason, ip }: { campaignId: string; actorId: string; reason: string; ip?: string | null },
): Promise<{ ok: true; message: string } | Refusal> {
  const settlement = await db
    .selectFrom("settlements")
    .select(["stage", "decision"])
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!settlement) return refuse(404, "This campaign has not been settled.");
  if (settlement.stage !== "closed")
    return refuse(409, "Settlement is still running; the statement can be frozen once it closes.");
  if (settlement.decision === "funded")
    return refuse(409, "A funded campaign's statement freezes when its payout is paid.");
  const built = await buildStatement(db, { campaignId });
  if (built && !built.frozen && built.statement.balanceCheck !== 0) {
    return refuse(409, "The statement does not balance, so it can't be frozen. Run reconciliation and investigate.");
  }
  const frozen = await freezeStatement(db, { campaignId });
  await recordAudit(db, {
    actorId,
    action: "statement.frozen",
    subjectType: "campaign",
    subjectId: campaignId,
    reason,
    detail: { checksum: frozen.checksum },
    ip,
  });
  return { ok: true, message: `Statement frozen · sha256 ${frozen.checksum?.slice(0, 12)}…` };
}
