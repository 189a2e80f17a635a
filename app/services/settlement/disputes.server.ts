import { sql } from "kysely";
import Stripe from "stripe";
import type { Db, DisputeStatus } from "../../../db/schema.js";
import { IllegalTransitionError } from "../../domain/campaign-states";
import { AWAITING_RESPONSE, EVIDENCE_FIELD_NAMES, evidenceClosed, type EvidenceField } from "../../domain/disputes";
import type { Translate } from "../../domain/locale";
import { refuse, refuseField, type Refusal } from "../../domain/refusal";
import { translatorFor } from "../../i18n";
import { recordAudit } from "../../models/audit.server";
import {
  applyDisputeState,
  bookDisputeReinstatement,
  isDisputeStatus,
  listDisputesDueSoon,
  lockDisputeOfPledge,
  lockDisputeRow,
} from "../../models/disputes.server";
import { raiseFinanceAlert, resolveFinanceAlerts } from "../../models/finance-alerts.server";
import { bookDispute } from "../../models/ledger.server";
import { transitionPledge } from "../../models/pledge-state.server";
import { refuseWithoutSecondFactor } from "../security/two-factor.server";

export type DisputeSync = { outcome: "disputed" | "won" | "lost" | "already" | "unknown"; pledgeId?: string };

/**
 * Every `charge.dispute.*` event (created, updated, funds_reinstated, closed): the dispute is
 * re-read from Stripe (never taken from the payload) and the app catches up with it, so
 * duplicated and out-of-order deliveries converge:
 *  - the withdrawal (amount + Stripe's dispute fee) is booked once, the pledge moves
 *    collected -> disputed and a `dispute_opened` alert is raised, while the dispute is open;
 *  - won: the reinstated amount (from the reinstatement balance transaction) is booked once,
 *    the pledge goes back to what it was, `dispute_won` is raised and the open alerts resolved;
 *  - lost: the row is final, the pledge stays disputed, `dispute_lost` is raised.
 * The money moves whatever the campaign's payout stage is (Stripe decides); the statement shows it.
 */
export async function recordDispute(db: Db, stripe: Stripe, disputeId: string): Promise<DisputeSync> {
  const dispute = await stripe.disputes.retrieve(disputeId);
  const pledgeId = await pledgeOfDispute(db, stripe, dispute);
  if (!pledgeId) return { outcome: "unknown" };
  const status: DisputeStatus = isDisputeStatus(dispute.status) ? dispute.status : "needs_response";
  const transactions = (dispute.balance_transactions ?? []) as Stripe.BalanceTransaction[];
  const withdrawal = transactions.find((bt) => bt.amount < 0);
  const reinstatement = transactions.find((bt) => bt.amount > 0);
  const dueBy = dispute.evidence_details?.due_by ? new Date(dispute.evidence_details.due_by * 1000) : null;

  return db.transaction().execute(async (trx): Promise<DisputeSync> => {
    const pledge = await trx
      .selectFrom("pledges")
      .select(["state", "campaign_id", "currency"])
      .where("id", "=", pledgeId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const campaign = await trx
      .selectFrom("campaigns")
      .select("title")
      .where("id", "=", pledge.campaign_id)
      .executeTakeFirstOrThrow();
    const { row, created } = await lockDisputeRow(trx, {
      stripeDisputeId: dispute.id,
      pledgeId,
      campaignId: pledge.campaign_id,
      amount: dispute.amount,
      currency: pledge.currency,
      reason: dispute.reason ?? null,
      status,
      dueBy,
    });
    const booking = { campaignId: pledge.campaign_id, pledgeId, currency: pledge.currency, disputeId: dispute.id };
    const detail = {
      amount: dispute.amount,
      currency: pledge.currency,
      reference: dispute.id,
      campaignTitle: campaign.title,
      ...(dueBy ? { until: dueBy.toISOString() } : {}),
    };
    const alertOf = { campaignId: pledge.campaign_id, pledgeId };
    // The money that left when the dispute opened, whatever happened since: booked once, from
    // Stripe's withdrawal (an inquiry, a `warning_*` dispute, moves no money and books nothing).
    if (withdrawal) await bookDispute(trx, { ...booking, amount: -withdrawal.amount, fee: withdrawal.fee });
    let outcome: DisputeSync["outcome"] = "already";

    if (status === "won") {
      // A "won" read is never stale: book the money that came back, once, and restore the pledge.
      let booked = false;
      if (reinstatement) booked = await bookDisputeReinstatement(trx, { ...booking, amount: reinstatement.net });
      else console.warn(`[dispute ${dispute.id}] won but no reinstatement balance transaction yet`);
      if (pledge.state === "disputed") {
        await transitionPledge(trx, {
          pledgeId,
          to: await stateBeforeDispute(trx, pledgeId),
          actorId: null,
          reason: "dispute won",
          detail: { dispute: dispute.id, reinstated: reinstatement?.net ?? 0 },
        });
      }
      const reached = await applyDisputeState(trx, row, stateOf(dispute, status, dueBy));
      if (booked || reached) {
        outcome = "won";
        const amount = reinstatement?.net ?? dispute.amount;
        await raiseFinanceAlert(trx, {
          kind: "dispute_won",
          dedupeKey: `dispute_won:${dispute.id}`,
          ...alertOf,
          detail: { ...detail, amount },
        });
        await resolveOpenAlerts(trx, dispute.id, "dispute won");
      }
      return { outcome, pledgeId };
    }

    // A row that reached an outcome is final: this read is older than what we know.
    if (row.outcome) return { outcome, pledgeId };
    const reached = await applyDisputeState(trx, row, stateOf(dispute, status, dueBy));
    if (reached === "lost") {
      await raiseFinanceAlert(trx, {
        kind: "dispute_lost",
        dedupeKey: `dispute_lost:${dispute.id}`,
        ...alertOf,
        detail,
      });
      await resolveOpenAlerts(trx, dispute.id, "dispute lost");
      outcome = "lost";
    }
    // An inquiry (no money withdrawn) leaves the pledge as it is.
    if (pledge.state !== "disputed" && withdrawal) {
      try {
        await transitionPledge(trx, {
          pledgeId,
          to: "disputed",
          actorId: null,
          reason: `Disputed by the card holder (${dispute.reason})`,
          detail: { dispute: dispute.id, amount: dispute.amount },
        });
        if (outcome === "already") outcome = "disputed";
      } catch (error) {
        if (!(error instanceof IllegalTransitionError)) throw error;
        console.warn(`[dispute ${dispute.id}] pledge ${pledgeId} is ${pledge.state}; booked without a state change`);
      }
    }
    if (!reached) {
      // Raised once, when the open dispute is first seen here; its outcome resolves it.
      if (created)
        await raiseFinanceAlert(trx, {
          kind: "dispute_opened",
          dedupeKey: `dispute_opened:${dispute.id}`,
          ...alertOf,
          detail,
        });
      // Evidence went in (from the desk, the Dashboard, or a call whose answer we lost).
      if (!AWAITING_RESPONSE.includes(status))
        await resolveFinanceAlerts(trx, {
          dedupeKeys: [`dispute_evidence_due:${dispute.id}`],
          note: "evidence submitted",
        });
    }
    return { outcome, pledgeId };
  });
}

function stateOf(dispute: Stripe.Dispute, status: DisputeStatus, dueBy: Date | null) {
  return {
    status,
    amount: dispute.amount,
    reason: dispute.reason ?? null,
    dueBy,
    submitted: (dispute.evidence_details?.submission_count ?? 0) > 0,
  };
}

function resolveOpenAlerts(db: Db, disputeId: string, note: string) {
  return resolveFinanceAlerts(db, {
    dedupeKeys: [`dispute_opened:${disputeId}`, `dispute_evidence_due:${disputeId}`],
    note,
  });
}

/** The state the pledge left for disputed (collected, or partially refunded before the dispute). */
async function stateBeforeDispute(trx: Db, pledgeId: string) {
  const last = await trx
    .selectFrom("pledge_transitions")
    .select("from_state")
    .where("pledge_id", "=", pledgeId)
    .where("to_state", "=", "disputed")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return last?.from_state === "partially_refunded" ? ("partially_refunded" as const) : ("collected" as const);
}

/** The pledge a dispute is about: by its PaymentIntent, or the intent's pledge_id metadata. */
async function pledgeOfDispute(db: Db, stripe: Stripe, dispute: Stripe.Dispute): Promise<string | null> {
  const paymentIntentId =
    typeof dispute.payment_intent === "string" ? dispute.payment_intent : dispute.payment_intent?.id;
  if (!paymentIntentId) return null;
  const byIntent = await db
    .selectFrom("pledges")
    .select(["id"])
    .where("stripe_payment_intent_id", "=", paymentIntentId)
    .executeTakeFirst();
  if (byIntent) return byIntent.id;
  const pi = await stripe.paymentIntents.retrieve(paymentIntentId);
  const fromMetadata = pi.metadata?.pledge_id;
  if (!fromMetadata || !/^[0-9a-f-]{36}$/i.test(fromMetadata)) return null;
  const byMetadata = await db.selectFrom("pledges").select(["id"]).where("id", "=", fromMetadata).executeTakeFirst();
  return byMetadata?.id ?? null;
}

/**
 * The settlement worker's idle pass: a `dispute_evidence_due` alert for each open dispute that
 * waits for evidence due within three days. Once per dispute. Returns how many were raised.
 */
export async function raiseDueDisputeAlerts(db: Db, now: Date = new Date()): Promise<number> {
  const due = await listDisputesDueSoon(db, { now });
  let raised = 0;
  for (const d of due) {
    const ok = await raiseFinanceAlert(db, {
      kind: "dispute_evidence_due",
      dedupeKey: `dispute_evidence_due:${d.stripe_dispute_id}`,
      campaignId: d.campaign_id,
      pledgeId: d.pledge_id,
      detail: {
        amount: d.amount,
        currency: d.currency,
        reference: d.stripe_dispute_id,
        until: d.evidence_due_by!.toISOString(),
        campaignTitle: d.campaign_title,
      },
    });
    if (ok) raised++;
  }
  return raised;
}

const english: Translate = translatorFor("en");

export type EvidenceOutcome = { ok: true; message: string; status: string } | Refusal;

/**
 * Evidence from the finance desk, submitted to the bank through Stripe. The request key (one per
 * rendered form) is written on the dispute's row before the call and the idempotency key is
 * derived from it, so a double submit or a retry submits once; the call's answer, or the
 * `charge.dispute.updated` event if we crash first, records the submission. Audited.
 */
export async function submitDisputeEvidence(
  db: Db,
  stripe: Stripe,
  {
    pledgeId,
    disputeId,
    actorId,
    reason,
    requestKey,
    evidence,
    ip,
    t = english,
  }: {
    pledgeId: string;
    disputeId: string;
    actorId: string;
    reason: string;
    requestKey: string;
    evidence: Partial<Record<EvidenceField, string>>;
    ip?: string | null;
    t?: Translate;
  },
): Promise<EvidenceOutcome> {
  const unguarded = await refuseWithoutSecondFactor(db, { actorId, t });
  if (unguarded) return unguarded;
  const claimed = await db.transaction().execute(async (trx) => {
    const row = await lockDisputeOfPledge(trx, { disputeId, pledgeId });
    if (!row) return refuse(404, t("finance:disputes.refusal.notFound"));
    // The same form again (a double submit): it was sent once, say so.
    if (row.evidence_request_key === requestKey && row.evidence_submitted_at)
      return { ok: true as const, duplicate: true as const, disputeStatus: row.status };
    const closed = evidenceClosed({
      status: row.status,
      outcome: row.outcome,
      evidenceDueBy: row.evidence_due_by,
      evidenceSubmittedAt: row.evidence_submitted_at,
    });
    if (closed) return refuse(409, t(`finance:disputes.closedReason.${closed}`));
    const inFlight =
      row.evidence_request_key &&
      row.evidence_request_key !== requestKey &&
      Date.now() - row.updated_at.getTime() < 60_000;
    if (inFlight) return refuse(409, t("finance:disputes.refusal.inFlight"));
    await trx
      .updateTable("disputes")
      .set({ evidence_request_key: requestKey, evidence_submitted_by: actorId, updated_at: new Date() })
      .where("id", "=", row.id)
      .execute();
    return { ok: true as const, duplicate: false as const, stripeDisputeId: row.stripe_dispute_id };
  });
  if (!claimed.ok) return claimed;
  if (claimed.duplicate)
    return { ok: true, status: claimed.disputeStatus, message: t("finance:disputes.refusal.alreadySent") };

  let answer: Stripe.Dispute;
  try {
    answer = await stripe.disputes.update(
      claimed.stripeDisputeId,
      { evidence, submit: true },
      { idempotencyKey: `colecta-dispute-evidence-${requestKey}` },
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) {
      // Stripe refused what was sent: at the field it names when it is one of ours.
      const field = /^evidence\[(\w+)\]$/.exec(error.param ?? "")?.[1];
      if (field && (EVIDENCE_FIELD_NAMES as string[]).includes(field))
        return refuseField(400, field, t("finance:disputes.refusal.stripeRefusedField", { message: error.message }));
      return refuse(502, t("finance:disputes.refusal.stripeRefused", { message: error.message }));
    }
    console.warn(
      `[dispute ${claimed.stripeDisputeId}] evidence call failed, can be retried: ${(error as Error).message}`,
    );
    return refuse(503, t("finance:disputes.refusal.unreachable"));
  }

  await db.transaction().execute(async (trx) => {
    const row = await lockDisputeOfPledge(trx, { disputeId, pledgeId });
    if (!row) return;
    const status = isDisputeStatus(answer.status) ? answer.status : row.status;
    await trx
      .updateTable("disputes")
      .set({
        ...(row.outcome ? {} : { status }),
        evidence_submitted_at: row.evidence_submitted_at ?? new Date(),
        evidence_submitted_by: actorId,
        updated_at: new Date(),
      })
      .where("id", "=", row.id)
      .execute();
    await resolveFinanceAlerts(trx, {
      dedupeKeys: [`dispute_evidence_due:${answer.id}`],
      note: "evidence submitted",
    });
    // A retry of the same form (Stripe replayed its answer) was audited the first time.
    const audited = await trx
      .selectFrom("audit_log")
      .select("id")
      .where("action", "=", "dispute.evidence_submitted")
      .where("subject_id", "=", pledgeId)
      .where(sql<boolean>`detail->>'request_key' = ${requestKey}`)
      .executeTakeFirst();
    if (audited) return;
    await recordAudit(trx, {
      actorId,
      action: "dispute.evidence_submitted",
      subjectType: "pledge",
      subjectId: pledgeId,
      reason,
      // The evidence itself may hold the backer's personal data: the audit names the fields only.
      detail: { dispute: answer.id, fields: Object.keys(evidence), status: answer.status, request_key: requestKey },
      ip,
    });
  });
  return { ok: true, status: answer.status, message: t("finance:disputes.submitted", { id: answer.id }) };
}
