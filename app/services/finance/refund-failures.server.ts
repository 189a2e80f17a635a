import type Stripe from "stripe";
import type { Db, PledgeState } from "../../../db/schema.js";
import type { Config } from "../../config.server";
import { recipientLocale, refundFailedEmail } from "../../domain/emails";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { translatorFor } from "../../i18n";
import { recordAudit } from "../../models/audit.server";
import { raiseFinanceAlert } from "../../models/finance-alerts.server";
import { pledgeMoney } from "../../models/finance-pledge.server";
import { cancelRecoveryOf } from "./recoveries.server";
import { postJournal } from "../../models/ledger.server";
import { queueEmails } from "../../models/outbox.server";
import { refreshRefundedAmounts } from "../../models/pledge-payments.server";
import { pledgeWithBackerQuery } from "../../models/pledge.server";
import { transitionPledge } from "../../models/pledge-state.server";
import { writeEmail } from "../emails.server";
import { refuseWithoutSecondFactor } from "../security/two-factor.server";
import { refusedRefundAlertKey } from "../settlement/refused-refunds.server";
import { retrySettlementRefundNow } from "../settlement/retry-refund.server";

// Refunds Stripe accepted and then failed (`refund.failed`, `charge.refund.updated`): the money
// came back to the platform's balance, so nothing may stay booked as refunded. The refund is
// read again from Stripe (never from the payload), and in one transaction under the pledge's
// lock our row is failed, the booking reversed once, the pledge moved back to what is left
// refunded (or, for a settlement refund, parked to be refunded again), finance alerted, the
// backer told, and the audit log written. A delivery twice, or before our own record of the
// refund's success, converges on the same state.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RefundFailureOutcome =
  /** Booked back (or failed before anything was booked), alert raised. */
  | "failed"
  /** Already recorded as failed: nothing to do. */
  | "already"
  /** Stripe says the refund did not fail (a charge.refund.updated of another kind). */
  | "not_failed"
  /** Not one of ours. */
  | "unknown";

export async function recordRefundFailure(
  db: Db,
  stripe: Stripe,
  stripeRefundId: string,
): Promise<{ outcome: RefundFailureOutcome; pledgeId?: string; reversed?: boolean }> {
  const refund = await stripe.refunds.retrieve(stripeRefundId);
  if (refund.status !== "failed" && refund.status !== "canceled") return { outcome: "not_failed" };
  const failureReason = refund.failure_reason ?? refund.status;

  let found = await db
    .selectFrom("refunds")
    .select(["id", "pledge_id"])
    .where("stripe_refund_id", "=", refund.id)
    .executeTakeFirst();
  const metadataId = refund.metadata?.refund_id;
  if (!found && metadataId && UUID.test(metadataId)) {
    found = await db
      .selectFrom("refunds")
      .select(["id", "pledge_id"])
      .where("id", "=", metadataId)
      .where((eb) => eb.or([eb("stripe_refund_id", "is", null), eb("stripe_refund_id", "=", refund.id)]))
      .executeTakeFirst();
  }
  if (!found) {
    // A settlement refund whose success the settlement has not recorded yet (its attempt is still
    // pending): failing the event leaves it for the sweep, which finds the row once it exists.
    const pledgeId = refund.metadata?.pledge_id;
    if (refund.metadata?.purpose === "unfunded" && pledgeId && UUID.test(pledgeId)) {
      const pending = await db
        .selectFrom("charge_attempts")
        .select("id")
        .where("pledge_id", "=", pledgeId)
        .where("kind", "=", "refund")
        .where("status", "=", "pending")
        .executeTakeFirst();
      if (pending) throw new Error(`Refund ${refund.id} failed before the settlement recorded it; retried later`);
    }
    console.warn(`[refund ${refund.id}] failed at Stripe but is not one of ours`);
    return { outcome: "unknown" };
  }
  const { id: refundRowId, pledge_id: pledgeId } = found;

  return db.transaction().execute(async (trx) => {
    // The pledge first, as every writer of its money does.
    const pledge = await pledgeWithBackerQuery(trx, { pledgeId })
      .select([
        "pledges.id",
        "pledges.state",
        "pledges.campaign_id",
        "pledges.currency",
        "users.id as backer_id",
        "users.email",
        "users.name",
        "users.locale",
        "campaigns.title",
      ])
      .forUpdate(["pledges"])
      .executeTakeFirstOrThrow();
    const row = await trx
      .selectFrom("refunds")
      .selectAll()
      .where("id", "=", refundRowId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status === "failed") return { outcome: "already" as const, pledgeId };
    // Still pending: our success was never recorded, so nothing was booked or emailed.
    const wasPending = row.status === "pending";
    await trx
      .updateTable("refunds")
      .set({ status: "failed", failure_reason: failureReason, stripe_refund_id: refund.id, finished_at: new Date() })
      .where("id", "=", row.id)
      .execute();
    // Made after the payout: nothing is to be taken back from the creator any more.
    await cancelRecoveryOf(trx, { refundId: row.id });

    // Booked back only if it was booked (a refund before settlement is booked with the payment).
    const original = await trx
      .selectFrom("journal_transactions")
      .select(["late"])
      .where("idempotency_key", "=", `refund:${refund.id}`)
      .executeTakeFirst();
    let reversed = false;
    if (original) {
      reversed = await postJournal(trx, {
        kind: "refund",
        campaignId: pledge.campaign_id,
        pledgeId,
        currency: row.currency,
        stripeObjectId: refund.id,
        idempotencyKey: `refund_failed:${refund.id}`,
        memo: `Refund ${refund.id} failed at Stripe (${failureReason})`,
        // The segment of the refund it reverses.
        late: original.late,
        lines: [
          { account: "refunds", amount: -row.amount },
          { account: "stripe_balance", amount: row.amount },
        ],
      });
    }
    await refreshRefundedAmounts(trx, [pledgeId]);

    const settlementRefund = row.purpose === "settlement";
    let to: PledgeState | null = null;
    if (!wasPending && settlementRefund) {
      // The backer is still owed the money: parked for finance's retry, the refusal on the attempt.
      if (pledge.state === "refunded") to = "refunding";
      await trx
        .updateTable("charge_attempts")
        .set({
          status: "failed",
          error_code: "refund_failed",
          error_message: `Refund ${refund.id} failed: ${failureReason}`,
        })
        .where("id", "=", (eb) =>
          eb
            .selectFrom("charge_attempts")
            .select("id")
            .where("pledge_id", "=", pledgeId)
            .where("kind", "=", "refund")
            .where("status", "=", "succeeded")
            .orderBy("id", "desc")
            .limit(1),
        )
        .execute();
      // An unfunded or cancelled campaign's money is not final any more: its statement reopens
      // and freezes again when the retry refunds it (refused-refunds.server.ts).
      await trx
        .updateTable("settlements")
        .set({ statement: null, statement_checksum: null })
        .where("campaign_id", "=", pledge.campaign_id)
        .where("decision", "!=", "funded")
        .where("statement_checksum", "is not", null)
        .execute();
    } else if (reversed && (pledge.state === "refunded" || pledge.state === "partially_refunded")) {
      const money = await pledgeMoney(trx, { pledgeId });
      const next: PledgeState =
        money.refunded <= 0 ? "collected" : money.refunded >= money.collected ? "refunded" : "partially_refunded";
      if (next !== pledge.state) to = next;
    }
    const detail = {
      refund_id: row.id,
      stripe_refund_id: refund.id,
      amount: row.amount,
      failure_reason: failureReason,
    };
    if (to) {
      await transitionPledge(trx, { pledgeId, to, actorId: null, reason: "refund failed at Stripe", detail });
    }

    const money = await pledgeMoney(trx, { pledgeId });
    await raiseFinanceAlert(
      trx,
      settlementRefund
        ? {
            kind: "settlement_refund_refused",
            dedupeKey: refusedRefundAlertKey(pledgeId),
            campaignId: pledge.campaign_id,
            pledgeId,
            detail: {
              amount: money.refundable || row.amount,
              currency: row.currency,
              reference: refund.id,
              message: failureReason,
            },
          }
        : {
            kind: "refund_failed",
            dedupeKey: `refund_failed:${refund.id}`,
            campaignId: pledge.campaign_id,
            pledgeId,
            detail: { amount: row.amount, currency: row.currency, reference: refund.id, message: failureReason },
          },
    );
    if (!wasPending) {
      // They were told the refund was issued; now that it did not arrive, and that we will be in touch.
      await queueEmails(trx, [
        {
          kind: "refund_failed",
          toEmail: pledge.email,
          toUserId: pledge.backer_id,
          ...writeEmail(refundFailedEmail, recipientLocale(pledge.locale), {
            backerName: pledge.name,
            campaignTitle: pledge.title,
            amount: row.amount,
            currency: row.currency,
            reference: refund.id,
          }),
          dedupeKey: `refund_failed:${row.id}`,
        },
      ]);
    }
    await recordAudit(trx, {
      actorId: null,
      action: reversed ? "pledge.refund_reversed" : "pledge.refund_failed",
      subjectType: "pledge",
      subjectId: pledgeId,
      reason: "refund failed at Stripe",
      detail: { ...detail, currency: row.currency, purpose: row.purpose, pledge_state: to ?? pledge.state },
    });
    return { outcome: "failed" as const, pledgeId, reversed };
  });
}

/**
 * A finance user's retry of a settlement refund Stripe refused: second factor first, then the
 * settlement makes the attempt (its own number and key) and writes the audit entry with who and
 * why. `t` words the answer (English by default).
 */
export async function retryRefusedSettlementRefund(
  db: Db,
  stripe: Stripe,
  config: Config,
  {
    pledgeId,
    actorId,
    reason,
    ip,
    t = translatorFor("en"),
  }: { pledgeId: string; actorId: string; reason: string; ip?: string | null; t?: Translate },
): Promise<{ ok: true; message: string } | Refusal> {
  const unguarded = await refuseWithoutSecondFactor(db, { actorId, t });
  if (unguarded) return unguarded;
  let result;
  try {
    result = await retrySettlementRefundNow({ db, stripe, config, pledgeId, actorId, reason, ip, t });
  } catch (error) {
    console.warn(`[pledge ${pledgeId}] settlement refund retry failed: ${(error as Error).message}`);
    return refuse(503, t("finance:settlementRefund.refusal.unavailable"));
  }
  if (!result.ok) return result;
  if (result.outcome === "refunded") return { ok: true, message: result.message };
  return refuse(502, result.message);
}
