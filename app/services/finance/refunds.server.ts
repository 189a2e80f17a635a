import Stripe from "stripe";
import type { CurrencyCode, Db } from "../../../db/schema.js";
import { recipientLocale, refundIssuedEmail } from "../../domain/emails";
import { DEFAULT_LOCALE, type Locale, type Translate } from "../../domain/locale";
import { formatMoney } from "../../domain/money";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { statusWord } from "../../domain/finance";
import { isRefundableState, refundEligibility, type Wording } from "../../domain/refunds";
import { translatorFor } from "../../i18n";
import { recordAudit } from "../../models/audit.server";
import { payoutCarrying, pledgeMoney } from "../../models/finance-pledge.server";
import { PAYMENT_REFUND_PURPOSES, refreshRefundedAmounts } from "../../models/pledge-payments.server";
import { pledgeWithBackerQuery } from "../../models/pledge.server";
import { bookRefund } from "../../models/ledger.server";
import { queueEmails } from "../../models/outbox.server";
import { transitionPledge } from "../../models/pledge-state.server";
import { writeEmail } from "../emails.server";
import { refuseWithoutSecondFactor } from "../security/two-factor.server";
import { sendPaymentRefund } from "../pledges/payment-refunds.server";
import { openRecovery, recoverFromPayout } from "./recoveries.server";

export type RefundOutcome = { ok: true; refundId: string; message: string; duplicate?: boolean } | Refusal;

// Messages are worded in the caller's language (the request's); English when none is given.
const english: Translate = translatorFor("en");
const wordingOf = (t: Translate = english, locale: Locale = DEFAULT_LOCALE): Wording => ({ t, locale });

/** A pending refund younger than this is assumed to be in flight in another request. */
const IN_FLIGHT_MS = 60_000;

/**
 * Refunds a collected pledge in full or in part. The `refunds` row (and its idempotency key,
 * derived from the form's request key) is written BEFORE the Stripe call, under the pledge's
 * lock, so a double submit finds the row and refunds once, and concurrent refunds can never add
 * up to more than was collected. The result is booked, the pledge moves to refunded or
 * partially_refunded, the backer is emailed and the audit log says who and why. `t` and
 * `locale` word the answer for the finance user (English by default).
 */
export async function refundPledge(
  db: Db,
  stripe: Stripe,
  {
    pledgeId,
    actorId,
    amount,
    reason,
    requestKey,
    ip,
    t,
    locale,
  }: {
    pledgeId: string;
    actorId: string;
    amount: number;
    reason: string;
    requestKey: string;
    ip?: string | null;
    t?: Translate;
    locale?: Locale;
  },
): Promise<RefundOutcome> {
  const wording = wordingOf(t, locale);
  const w = wording.t;
  const unguarded = await refuseWithoutSecondFactor(db, { actorId, t: w });
  if (unguarded) return unguarded;
  const idempotencyKey = `colecta-refund-${requestKey}`;
  const target = await chooseCharge(db, stripe, { pledgeId, amount, wording });
  if (!target.ok) return target;
  const opened = await db.transaction().execute(async (trx) => {
    // The settlement first (shared), as preparing a payout takes it (exclusive) before reading
    // refunds in flight: a refund opens before the payout is prepared or after, never across it.
    await trx
      .selectFrom("settlements")
      .select("settlements.campaign_id")
      .where("settlements.campaign_id", "=", (eb) =>
        eb.selectFrom("pledges").select("pledges.campaign_id").where("pledges.id", "=", pledgeId),
      )
      .forShare()
      .execute();
    const pledge = await trx
      .selectFrom("pledges")
      .select(["id", "state", "currency", "campaign_id", "late", "late_payout_id"])
      .where("id", "=", pledgeId)
      .forUpdate()
      .executeTakeFirst();
    if (!pledge) return refuse(404, w("finance:notFound.pledge"));
    const existing = await trx
      .selectFrom("refunds")
      .selectAll()
      .where("idempotency_key", "=", idempotencyKey)
      .executeTakeFirst();
    if (existing) return { ok: true as const, existing };
    const payout = await payoutCarrying(trx, pledge);
    const money = await pledgeMoney(trx, { pledgeId });
    const eligible = refundEligibility({
      state: pledge.state,
      payoutStatus: payout?.status ?? null,
      currency: pledge.currency,
      money,
      amount,
      wording,
    });
    if (!eligible.ok) {
      // An amount the form should not have allowed is the amount field's error; the rest are the pledge's.
      return eligible.block === "nothing_left" || eligible.block === "over_limit"
        ? refuseField(400, "amount", eligible.message)
        : refuse(409, eligible.message);
    }
    const row = await trx
      .insertInto("refunds")
      .values({
        pledge_id: pledgeId,
        amount,
        currency: pledge.currency,
        reason,
        requested_by: actorId,
        idempotency_key: idempotencyKey,
        stripe_charge_id: target.chargeId ?? money.chargeId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ok: true as const, created: row, chargeId: row.stripe_charge_id! };
  });
  if (!opened.ok) return opened;

  if ("existing" in opened && opened.existing) {
    const row = opened.existing;
    if (row.status === "succeeded")
      return {
        ok: true,
        refundId: row.id,
        duplicate: true,
        message: w("finance:refundRefusal.alreadyIssued"),
      };
    if (row.status === "failed") return refuse(409, w("finance:refundRefusal.alreadyFailed"));
    if (Date.now() - row.created_at.getTime() < IN_FLIGHT_MS) {
      return refuse(409, w("finance:refundRefusal.inFlight"));
    }
    return resumeRefund(db, stripe, { refundId: row.id, actorId, ip, ...wording });
  }
  return sendRefund(db, stripe, { refundId: opened.created!.id, chargeId: opened.chargeId!, actorId, ip, wording });
}

/**
 * A pledge paid up front and raised before the deadline was paid in several payments, each its
 * own charge: one refund goes against one charge, the one with the most left (read from Stripe).
 * A pledge with a single charge needs no reading.
 */
async function chooseCharge(
  db: Db,
  stripe: Stripe,
  { pledgeId, amount, wording }: { pledgeId: string; amount: number; wording: Wording },
): Promise<{ ok: true; chargeId: string | null } | Refusal> {
  const { t, locale } = wording;
  const charges = await db
    .selectFrom("journal_transactions")
    .select("stripe_object_id")
    .where("pledge_id", "=", pledgeId)
    .where("kind", "=", "charge")
    .execute();
  const ids = charges.map((c) => c.stripe_object_id).filter((id): id is string => id !== null);
  if (ids.length <= 1) return { ok: true, chargeId: ids[0] ?? null };
  let best: { id: string; left: number; currency: string } | null = null;
  try {
    for (const id of ids) {
      const charge = await stripe.charges.retrieve(id);
      const left = charge.amount - charge.amount_refunded;
      if (!best || left > best.left) best = { id, left, currency: charge.currency };
    }
  } catch (error) {
    console.warn(`[refund] could not read the charges of pledge ${pledgeId}: ${(error as Error).message}`);
    return refuse(503, t("finance:refundRefusal.stripeUnreachable"));
  }
  if (best && amount > best.left) {
    return refuseField(
      400,
      "amount",
      t("finance:refundRefusal.severalPayments", {
        count: ids.length,
        max: formatMoney(best.left, best.currency as CurrencyCode, { locale }),
      }),
    );
  }
  return { ok: true, chargeId: best?.id ?? null };
}

/** Retries the Stripe call of a pending refund (same idempotency key: Stripe refunds once). */
export async function resumeRefund(
  db: Db,
  stripe: Stripe,
  {
    refundId,
    actorId,
    ip,
    t,
    locale,
  }: { refundId: string; actorId: string; ip?: string | null; t?: Translate; locale?: Locale },
): Promise<RefundOutcome> {
  const wording = wordingOf(t, locale);
  const w = wording.t;
  const unguarded = await refuseWithoutSecondFactor(db, { actorId, t: w });
  if (unguarded) return unguarded;
  const row = await db
    .selectFrom("refunds")
    .select(["id", "pledge_id", "status", "purpose"])
    .where("id", "=", refundId)
    .executeTakeFirst();
  if (!row) return refuse(404, w("finance:refundRefusal.refundNotFound"));
  if (row.status !== "pending")
    return {
      ok: true,
      refundId,
      duplicate: true,
      message: w("finance:refundRefusal.already", { status: statusWord(w, row.status) }),
    };
  if (PAYMENT_REFUND_PURPOSES.includes(row.purpose)) {
    // Made before the deadline (a pledge lowered or cancelled): aimed at one payment.
    const sent = await sendPaymentRefund(db, stripe, refundId);
    if (sent.status === "succeeded")
      return { ok: true, refundId, message: w("finance:refundRefusal.sent", { id: sent.stripeRefundId }) };
    if (sent.status === "failed") return refuse(502, w("finance:refundRefusal.stripeRefusedLog"));
    return refuse(503, w("finance:refundRefusal.stillPending"));
  }
  // The same charge as the first request (the idempotency key demands the same parameters).
  const chargeId =
    (await db.selectFrom("refunds").select("stripe_charge_id").where("id", "=", refundId).executeTakeFirstOrThrow())
      .stripe_charge_id ?? (await pledgeMoney(db, { pledgeId: row.pledge_id })).chargeId;
  if (!chargeId) return refuse(409, w("finance:refundRefusal.noCharge"));
  return sendRefund(db, stripe, { refundId, chargeId, actorId, ip, wording });
}

async function sendRefund(
  db: Db,
  stripe: Stripe,
  {
    refundId,
    chargeId,
    actorId,
    ip,
    wording,
  }: { refundId: string; chargeId: string; actorId: string; ip?: string | null; wording: Wording },
): Promise<RefundOutcome> {
  const { t } = wording;
  const row = await db.selectFrom("refunds").selectAll().where("id", "=", refundId).executeTakeFirstOrThrow();
  const pledge = await db
    .selectFrom("pledges")
    .select(["campaign_id"])
    .where("id", "=", row.pledge_id)
    .executeTakeFirstOrThrow();
  let refund: Stripe.Refund;
  try {
    refund = await stripe.refunds.create(
      {
        charge: chargeId,
        amount: row.amount,
        reason: "requested_by_customer",
        metadata: { pledge_id: row.pledge_id, refund_id: row.id, campaign_id: pledge.campaign_id },
      },
      { idempotencyKey: row.idempotency_key },
    );
  } catch (error) {
    const refused =
      error instanceof Stripe.errors.StripeCardError || error instanceof Stripe.errors.StripeInvalidRequestError;
    const message = (error as Error).message;
    if (!refused) {
      // We cannot tell whether Stripe refunded: keep the row pending; a retry reuses its key.
      console.warn(`[refund ${row.id}] Stripe call failed, left pending: ${message}`);
      return refuse(503, t("finance:refundRefusal.pendingRetry"));
    }
    await db
      .transaction()
      .execute((trx) =>
        recordRefundFailed(trx, row, { actorId, ip, detail: { amount: row.amount, stripe_error: message } }),
      );
    return refuse(502, t("finance:refundRefusal.stripeRefused", { message }));
  }
  return finishRefund(db, stripe, { refundId: row.id, refund, actorId, ip, wording });
}

/** A refund Stripe refused is failed once (only from pending) and the audit log says why. */
async function recordRefundFailed(
  trx: Db,
  row: { id: string; pledge_id: string; reason: string },
  {
    actorId,
    ip,
    stripeRefundId,
    detail,
  }: { actorId: string; ip?: string | null; stripeRefundId?: string; detail: Record<string, unknown> },
) {
  await trx
    .updateTable("refunds")
    .set({ status: "failed", finished_at: new Date(), ...(stripeRefundId ? { stripe_refund_id: stripeRefundId } : {}) })
    .where("id", "=", row.id)
    .where("status", "=", "pending")
    .execute();
  await recordAudit(trx, {
    actorId,
    action: "pledge.refund_failed",
    subjectType: "pledge",
    subjectId: row.pledge_id,
    reason: row.reason,
    detail: { refund_id: row.id, ...detail },
    ip,
  });
}

/** Records Stripe's answer once (the refunds row is locked and must still be pending). */
async function finishRefund(
  db: Db,
  stripe: Stripe,
  {
    refundId,
    refund,
    actorId,
    ip,
    wording,
  }: { refundId: string; refund: Stripe.Refund; actorId: string; ip?: string | null; wording: Wording },
): Promise<RefundOutcome> {
  const { t, locale } = wording;
  const done = await db
    .transaction()
    .execute(async (trx): Promise<{ outcome: RefundOutcome; recoveryId?: string | null }> => {
      const row = await trx
        .selectFrom("refunds")
        .selectAll()
        .where("id", "=", refundId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (row.status !== "pending")
        return {
          outcome: {
            ok: true,
            refundId,
            duplicate: true,
            message: t("finance:refundRefusal.already", { status: statusWord(t, row.status) }),
          },
        };
      if (refund.status === "failed" || refund.status === "canceled") {
        await recordRefundFailed(trx, row, {
          actorId,
          ip,
          stripeRefundId: refund.id,
          detail: { stripe_refund_id: refund.id, status: refund.status },
        });
        return {
          outcome: refuse(
            502,
            t("finance:refundRefusal.stripeCouldNot", {
              id: refund.id,
              status: statusWord(t, refund.status ?? "failed"),
            }),
          ),
        };
      }
      const pledge = await pledgeWithBackerQuery(trx, { pledgeId: row.pledge_id })
        .select([
          "pledges.id",
          "pledges.state",
          "pledges.campaign_id",
          "pledges.currency",
          "pledges.late",
          "pledges.late_payout_id",
          "users.id as backer_id",
          "users.email",
          "users.name",
          "users.locale",
          "campaigns.title",
        ])
        .forUpdate()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("refunds")
        .set({ status: "succeeded", stripe_refund_id: refund.id, finished_at: new Date() })
        .where("id", "=", refundId)
        .execute();
      await bookRefund(trx, {
        campaignId: pledge.campaign_id,
        pledgeId: pledge.id,
        currency: pledge.currency,
        amount: row.amount,
        refundId: refund.id,
        createdBy: actorId,
      });
      // Paid out already: what the creator must give back, recorded before anyone asks Stripe.
      const recoveryId = await openRecovery(trx, { refundId: row.id, pledge, amount: row.amount });
      const money = await pledgeMoney(trx, { pledgeId: pledge.id });
      await refreshRefundedAmounts(trx, [pledge.id]);
      const to = money.refunded >= money.collected ? "refunded" : "partially_refunded";
      if (isRefundableState(pledge.state)) {
        await transitionPledge(trx, {
          pledgeId: pledge.id,
          to,
          actorId,
          reason: row.reason,
          detail: { refund_id: row.id, stripe_refund_id: refund.id, amount: row.amount },
        });
      }
      await queueEmails(trx, [
        {
          kind: "refund_issued",
          toEmail: pledge.email,
          toUserId: pledge.backer_id,
          // Finance's request is not the backer's: their saved language, else English.
          ...writeEmail(refundIssuedEmail, recipientLocale(pledge.locale), {
            backerName: pledge.name,
            campaignTitle: pledge.title,
            amount: row.amount,
            currency: pledge.currency,
            reference: refund.id,
          }),
          dedupeKey: `refund_issued:${row.id}`,
        },
      ]);
      await recordAudit(trx, {
        actorId,
        action: "pledge.refunded",
        subjectType: "pledge",
        subjectId: pledge.id,
        reason: row.reason,
        detail: {
          refund_id: row.id,
          stripe_refund_id: refund.id,
          amount: row.amount,
          currency: pledge.currency,
          pledge_state: to,
        },
        ip,
      });
      const shown = formatMoney(row.amount, pledge.currency, { locale });
      return {
        recoveryId,
        outcome: {
          ok: true,
          refundId,
          message:
            to === "refunded"
              ? t("finance:refundRefusal.refundedWhole", { amount: shown, id: refund.id })
              : t("finance:refundRefusal.refunded", { amount: shown, id: refund.id }),
        },
      };
    });
  if (!done.recoveryId || !done.outcome.ok) return done.outcome;
  // The backer has their money; now take it back from the creator's transfer.
  const recovered = await recoverFromPayout(db, stripe, done.recoveryId);
  const currency = (
    await db.selectFrom("refunds").select("currency").where("id", "=", refundId).executeTakeFirstOrThrow()
  ).currency;
  const m = (amount: number) => formatMoney(amount, currency, { locale });
  const after =
    recovered.status === "reversed"
      ? t("recovery:refund.recovered", { amount: m(recovered.reversed), reversal: recovered.reversalId })
      : recovered.status === "owed"
        ? [
            recovered.reversed > 0
              ? t("recovery:refund.recovered", { amount: m(recovered.reversed), reversal: "" })
              : "",
            t("recovery:refund.owed", { amount: m(recovered.owed) }),
          ]
            .filter(Boolean)
            .join(" ")
        : t("recovery:refund.pending");
  return { ...done.outcome, message: `${done.outcome.message} ${after}` };
}
