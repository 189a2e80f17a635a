import { randomUUID } from "node:crypto";
import type { Db } from "../../../db/schema.js";
import { pledgeStateLabels } from "~/domain/finance";
import type { Locale, Translate } from "~/domain/locale";
import { formatMoney, toInputValue } from "~/domain/money";
import { refundEligibility } from "~/domain/refunds";
import { getPledgeForFinance, pledgeMoney } from "~/models/finance-pledge.server";
import { journalForPledge } from "~/models/ledger.server";
import { addOnLinesOf } from "~/models/pledge-add-ons.server";
import { EVIDENCE_FIELD_NAMES, evidenceClosed, isEvidenceDueSoon, type EvidenceField } from "~/domain/disputes";
import { listDisputesOfPledge, shippingOfPledge } from "~/models/disputes.server";
import { parkedSettlementRefund } from "./settlement-refund.server";

// What the finance pledge page shows: the pledge, its money and what may be done with it, its
// history, attempts, journal lines, refunds and audit trail, as strings ready to draw in the
// reader's language (`t`, `locale`). Reasons, memos and audit entries are data: shown as stored.

/** A pending refund older than this may be retried from the page (younger ones are in flight). */
const RESUMABLE_AFTER_MS = 60_000;

export type FinancePledgePage = NonNullable<Awaited<ReturnType<typeof getFinancePledgePage>>>;

export async function getFinancePledgePage(
  db: Db,
  { pledgeId, t, locale }: { pledgeId: string; t: Translate; locale: Locale },
) {
  const found = await getPledgeForFinance(db, { pledgeId });
  if (!found) return undefined;
  const { pledge, transitions, attempts, payments, refunds, audit, payout } = found;
  const [money, journal, addOns, disputes] = await Promise.all([
    pledgeMoney(db, { pledgeId: pledge.id }),
    journalForPledge(db, { pledgeId: pledge.id }),
    addOnLinesOf(db, { pledgeIds: [pledge.id] }),
    getPledgeDisputes(db, { pledgeId: pledge.id, t, locale }),
  ]);
  const c = pledge.currency;
  const m = (amount: number) => formatMoney(amount, c, { locale });
  const refund = refundEligibility({
    state: pledge.state,
    payoutStatus: payout?.status ?? null,
    currency: c,
    money,
    wording: { t, locale },
  });
  // The amount field shows a number as the reader types it: "50,00" in Spanish.
  const input = toInputValue(money.refundable, c);
  const refundClosed = !refund.ok && refund.block === "payout_prepared" ? refund.message : null;
  return {
    pledge: {
      id: pledge.id,
      state: pledge.state,
      stateLabel: pledgeStateLabels(t)[pledge.state],
      campaignId: pledge.campaign_id,
      campaignTitle: pledge.campaign_title,
      backer: pledge.backer_name,
      backerEmail: pledge.backer_email,
      tier: pledge.tier_title ?? t("finance:pledge.noReward"),
      addOns:
        addOns.length > 0
          ? addOns
              .map((l) => t("finance:pledge.addOn", { count: l.quantity, title: l.title, amount: m(l.amount) }))
              .join("; ")
          : null,
      amount: m(pledge.amount),
      currency: c,
      card: pledge.card_last4
        ? `${(pledge.card_brand ?? t("finance:pledge.card")).toUpperCase()} •••• ${pledge.card_last4}`
        : null,
      customer: pledge.stripe_customer_id,
      paymentMethod: pledge.stripe_payment_method_id,
      paymentIntent: pledge.stripe_payment_intent_id,
      payments: payments.map((p) => ({
        id: p.stripe_payment_intent_id,
        label:
          p.purpose === "top_up"
            ? t("finance:pledge.raise", { amount: m(p.amount) })
            : t("finance:pledge.payment", { amount: m(p.amount) }),
      })),
      lastError: pledge.last_charge_error,
      nextChargeAt: pledge.next_charge_at?.toISOString() ?? null,
      createdAt: pledge.created_at.toISOString(),
    },
    money: {
      collected: m(money.collected),
      refunded: m(money.refunded),
      pending: money.pending ? m(money.pending) : null,
      refundable: m(money.refundable),
      refundableRaw: money.refundable,
      refundableInput: locale === "es" ? input.replace(".", ",") : input,
    },
    canRefund: refund.ok,
    refundAfterPayout: refund.ok && refund.afterPayout ? t("recovery:refund.afterPayout") : null,
    refundClosed,
    canRetry: pledge.state === "errored",
    settlementRefund:
      pledge.state === "refunding"
        ? await parkedSettlementRefund(db, { pledgeId: pledge.id, campaignId: pledge.campaign_id, locale })
        : null,
    disputes,
    // One per rendered refund form: a double submit carries the same key and refunds once.
    requestKey: randomUUID(),
    transitions: transitions.map((t) => ({
      id: t.id,
      at: t.at.toISOString(),
      from: t.from_state,
      to: t.to_state,
      actor: t.actor_name,
      reason: t.reason,
      detail: Object.entries(t.detail ?? {}).map(([k, v]) => ({
        k: k.replace(/_/g, " "),
        v: typeof v === "object" ? JSON.stringify(v) : String(v),
      })),
    })),
    attempts: attempts.map((a) => ({
      id: a.id,
      attempt: a.attempt,
      kind: a.kind,
      key: a.idempotency_key,
      amount: m(a.amount),
      status: a.status,
      stripeId: a.stripe_object_id,
      error: [a.error_code, a.decline_code].filter(Boolean).join(" / ") || null,
      message: a.error_message,
      startedAt: a.started_at.toISOString(),
      finishedAt: a.finished_at?.toISOString() ?? null,
    })),
    journal: journal.map((j, i) => ({
      key: `${j.transaction_id}-${i}`,
      transactionId: j.transaction_id,
      kind: j.kind,
      at: j.created_at.toISOString(),
      account: j.account_code,
      debit: j.amount > 0 ? formatMoney(j.amount, j.currency, { locale }) : "",
      credit: j.amount < 0 ? formatMoney(-j.amount, j.currency, { locale }) : "",
      stripeId: j.stripe_object_id,
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      amount: m(r.amount),
      reason: r.reason,
      status: r.status,
      by: r.requested_by_name,
      stripeId: r.stripe_refund_id,
      at: r.created_at.toISOString(),
      resumable: r.status === "pending" && Date.now() - r.created_at.getTime() > RESUMABLE_AFTER_MS,
    })),
    audit: audit.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      action: a.action,
      actor: a.actor_name,
      reason: a.reason,
    })),
  };
}

/** What the page's actions need to know of the pledge: its currency, refund limit and refunds. */
export async function getFinancePledgeForAction(db: Db, { pledgeId }: { pledgeId: string }) {
  const pledge = await db
    .selectFrom("pledges")
    .select(["id", "currency"])
    .where("id", "=", pledgeId)
    .executeTakeFirst();
  if (!pledge) return undefined;
  const [money, refunds] = await Promise.all([
    pledgeMoney(db, { pledgeId }),
    db.selectFrom("refunds").select("id").where("pledge_id", "=", pledgeId).execute(),
  ]);
  return {
    id: pledge.id,
    currency: pledge.currency,
    refundable: money.refundable,
    refundIds: refunds.map((r) => r.id),
  };
}

/**
 * The pledge's disputes as the page draws them: status, reason, amount, deadline (flagged when
 * within three days or past), outcome, and whether evidence may still be sent (or why not). The
 * evidence form starts with what the fulfilment record says of the reward's shipping.
 */
async function getPledgeDisputes(db: Db, { pledgeId, t, locale }: { pledgeId: string; t: Translate; locale: Locale }) {
  const [rows, shipping] = await Promise.all([
    listDisputesOfPledge(db, { pledgeId }),
    shippingOfPledge(db, { pledgeId }),
  ]);
  const now = new Date();
  return rows.map((d) => {
    const closed = evidenceClosed({
      status: d.status,
      outcome: d.outcome,
      evidenceDueBy: d.evidence_due_by,
      evidenceSubmittedAt: d.evidence_submitted_at,
    });
    const prefill: Partial<Record<EvidenceField, string>> = {};
    if (shipping?.carrier) prefill.shipping_carrier = shipping.carrier;
    if (shipping?.tracking_number) prefill.shipping_tracking_number = shipping.tracking_number;
    // When the backer received the reward: Stripe's "service date".
    if (shipping?.delivered_at) prefill.service_date = shipping.delivered_at.toISOString().slice(0, 10);
    return {
      id: d.id,
      stripeId: d.stripe_dispute_id,
      status: d.status,
      statusLabel: t(`finance:disputes.status.${d.status}`),
      reason: t(`finance:disputes.reason.${d.reason ?? "unknown"}`, {
        defaultValue: (d.reason ?? "").replace(/_/g, " "),
      }),
      amount: formatMoney(d.amount, d.currency, { locale }),
      dueBy: d.evidence_due_by?.toISOString() ?? null,
      // Red while evidence is still wanted and the deadline is close or gone.
      dueSoon: !d.outcome && !d.evidence_submitted_at && isEvidenceDueSoon(d.evidence_due_by, now),
      pastDue: Boolean(d.evidence_due_by && d.evidence_due_by.getTime() <= now.getTime()),
      outcome: d.outcome,
      closedAt: d.closed_at?.toISOString() ?? null,
      submittedAt: d.evidence_submitted_at?.toISOString() ?? null,
      submittedBy: d.submitted_by_name,
      evidenceClosed: closed,
      prefill: Object.fromEntries(EVIDENCE_FIELD_NAMES.filter((n) => prefill[n]).map((n) => [n, prefill[n]!])),
      // One per rendered evidence form: a double submit carries the same key and submits once.
      requestKey: randomUUID(),
    };
  });
}
