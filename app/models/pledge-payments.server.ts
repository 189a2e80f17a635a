import { sql } from "kysely";
import type { CurrencyCode, Db, RefundPurpose, Trx } from "../../db/schema.js";

// The payments a pledge paid up front is made of (its first payment and one top-up per raise),
// and the refunds aimed at them before settlement. A pledge's payments minus those refunds is
// always what the backer has paid for it; settlement keeps or refunds every payment.

/** Refunds that happen before settlement (aimed at one payment, sent by `sendPaymentRefund`). */
export const PAYMENT_REFUND_PURPOSES: RefundPurpose[] = ["pledge_lowered", "pledge_cancelled", "change_refused"];
/**
 * Of those, the ones that return part of the pledge's own payments. A raise refused as a whole
 * (`change_refused`) returns a payment that never became part of the pledge: it is neither
 * booked nor counted in the pledge's refunded amount.
 */
export const PLEDGE_REFUND_PURPOSES: RefundPurpose[] = ["pledge_lowered", "pledge_cancelled"];

export async function recordPledgePayment(
  trx: Db,
  p: {
    pledgeId: string;
    paymentIntentId: string;
    amount: number;
    currency: CurrencyCode;
    purpose: "pledge" | "top_up";
    at?: Date;
  },
) {
  await trx
    .insertInto("pledge_payments")
    .values({
      pledge_id: p.pledgeId,
      stripe_payment_intent_id: p.paymentIntentId,
      amount: p.amount,
      currency: p.currency,
      purpose: p.purpose,
      ...(p.at ? { created_at: p.at } : {}),
    })
    .onConflict((oc) => oc.column("stripe_payment_intent_id").doNothing())
    .execute();
}

/**
 * Sets each pledge's `refunded_amount` from its succeeded refunds (a raise refused as a whole
 * never counts): the one definition settlement, the desk and late pre-deadline refunds share.
 */
export async function refreshRefundedAmounts(trx: Db, pledgeIds: string[]) {
  if (pledgeIds.length === 0) return;
  await sql`
    update pledges p
       set refunded_amount = coalesce((select sum(r.amount) from refunds r where r.pledge_id = p.id and r.status = 'succeeded' and r.purpose <> 'change_refused'), 0),
           updated_at = now()
     where p.id in (${sql.join(pledgeIds.map((id) => sql`${id}::uuid`))})`.execute(trx);
}

/**
 * Each payment of a pledge with what is left of it: its amount minus refunds succeeded or on
 * their way (pending). Oldest first. A pledge paid before payments were recorded one by one
 * falls back to its single payment intent.
 */
export async function paymentsOf(db: Db, pledgeId: string) {
  const rows = await db
    .selectFrom("pledge_payments")
    .select([
      "pledge_payments.stripe_payment_intent_id as paymentIntentId",
      "pledge_payments.amount",
      "pledge_payments.purpose",
      "pledge_payments.created_at as createdAt",
      (eb) =>
        eb
          .selectFrom("refunds")
          .select(sql<number>`coalesce(sum(refunds.amount), 0)::bigint`.as("n"))
          .whereRef("refunds.stripe_payment_intent_id", "=", "pledge_payments.stripe_payment_intent_id")
          .where("refunds.status", "in", ["pending", "succeeded"])
          .as("refunded"),
    ])
    .where("pledge_payments.pledge_id", "=", pledgeId)
    .orderBy("pledge_payments.id")
    .execute();
  return rows.map((r) => ({ ...r, refunded: Number(r.refunded ?? 0), remaining: r.amount - Number(r.refunded ?? 0) }));
}

export type PaymentShare = { paymentIntentId: string; amount: number };

/** Splits `amount` over the payments, newest first (a raise's top-up goes back before the first payment). */
export function allocateRefund(
  payments: { paymentIntentId: string; remaining: number }[],
  amount: number,
): PaymentShare[] {
  const shares: PaymentShare[] = [];
  let left = amount;
  for (const p of [...payments].reverse()) {
    if (left <= 0) break;
    const take = Math.min(left, p.remaining);
    if (take > 0) shares.push({ paymentIntentId: p.paymentIntentId, amount: take });
    left -= take;
  }
  if (left > 0) throw new Error(`Cannot refund ${amount}: only ${amount - left} is left on the pledge's payments`);
  return shares;
}

/**
 * Writes pending refunds, one per payment share, before any Stripe call (in the caller's
 * transaction). Keys are derived from `keyPrefix` and the payment, so the same decision always
 * makes the same requests. Returns the refund ids to send.
 */
export async function openPaymentRefunds(
  trx: Trx,
  r: {
    pledgeId: string;
    currency: CurrencyCode;
    purpose: RefundPurpose;
    reason: string;
    requestedBy: string | null;
    keyPrefix: string;
    shares: PaymentShare[];
  },
): Promise<string[]> {
  if (r.shares.length === 0) return [];
  const rows = await trx
    .insertInto("refunds")
    .values(
      r.shares.map((s) => ({
        pledge_id: r.pledgeId,
        amount: s.amount,
        currency: r.currency,
        reason: r.reason,
        requested_by: r.requestedBy,
        purpose: r.purpose,
        stripe_payment_intent_id: s.paymentIntentId,
        idempotency_key: `${r.keyPrefix}:${s.paymentIntentId}`,
      })),
    )
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}

/** What the backer paid and got back for one pledge, oldest first (the pledge page's receipt). */
export async function moneyMovementsOf(db: Db, pledgeId: string) {
  const [payments, refunds] = await Promise.all([
    db
      .selectFrom("pledge_payments")
      .select(["id", "amount", "purpose", "created_at"])
      .where("pledge_id", "=", pledgeId)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("refunds")
      .select(["id", "amount", "purpose", "status", "created_at"])
      .where("pledge_id", "=", pledgeId)
      .where("status", "in", ["pending", "succeeded"])
      .orderBy("created_at")
      .execute(),
  ]);
  return [
    ...payments.map((p) => ({
      key: `p${p.id}`,
      kind: "payment" as const,
      amount: p.amount,
      purpose: p.purpose as string,
      pending: false,
      at: p.created_at,
    })),
    ...refunds.map((r) => ({
      key: `r${r.id}`,
      kind: "refund" as const,
      amount: r.amount,
      purpose: r.purpose as string,
      pending: r.status === "pending",
      at: r.created_at,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
}
