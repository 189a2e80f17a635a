import { sql } from "kysely";
import Stripe from "stripe";
import type { Db, JournalKind } from "../../../db/schema.js";

export interface Mismatch {
  kind: string;
  campaignId: string | null;
  pledgeId: string | null;
  currency: string | null;
  ledgerObjectId: string | null;
  ledgerAmount: number | null;
  stripeObjectId: string | null;
  stripeAmount: number | null;
  stripeStatus: string | null;
  detail: string;
}

interface LedgerEntry {
  kind: JournalKind;
  stripeObjectId: string | null;
  campaignId: string;
  pledgeId: string | null;
  currency: string;
  amount: number;
}

/** A run is considered abandoned (a crashed process) after this long. */
const STALE_RUN_MS = 15 * 60_000;
const PAGE = 2_000;

/** The ledger's money events that have a Stripe counterpart, read in keyset pages. */
async function loadLedger(db: Db): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom("journal_transactions as t")
      .innerJoin("journal_lines as l", "l.transaction_id", "t.id")
      .select([
        "t.id",
        "t.kind",
        "t.stripe_object_id",
        "t.campaign_id",
        "t.pledge_id",
        sql<string>`min(l.currency)`.as("currency"),
        // Every event's debit line carries its amount (charge: the balance; fee: fees; refund: refunds...).
        sql<number>`coalesce(sum(l.amount) filter (where l.amount > 0), 0)::bigint`.as("amount"),
      ])
      .where("t.id", ">", after)
      .where("t.kind", "<>", "platform_fee")
      .groupBy("t.id")
      .orderBy("t.id")
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      entries.push({
        kind: r.kind,
        stripeObjectId: r.stripe_object_id,
        campaignId: r.campaign_id,
        pledgeId: r.pledge_id,
        currency: r.currency,
        amount: Number(r.amount),
      });
    }
    if (rows.length < PAGE) return entries;
    after = rows[rows.length - 1]!.id;
  }
}

async function retrieveOrNull<T>(fetch: () => Promise<T>): Promise<T | null> {
  try {
    return await fetch();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
    throw error;
  }
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

/**
 * Compares the ledger with Stripe, both ways: every booked charge, fee, refund, dispute and
 * payout against its Stripe object (amount and status), and every Stripe payment, refund,
 * dispute and transfer that belongs to Colecta against the ledger. Pure reading; returns the
 * mismatches and how many objects were compared.
 */
export async function compareLedgerWithStripe(
  db: Db,
  stripe: Stripe,
): Promise<{ checked: number; mismatches: Mismatch[] }> {
  const ledger = await loadLedger(db);
  const mismatches: Mismatch[] = [];
  const checkedIds = new Set<string>();
  const booked = (kind: JournalKind) => ledger.filter((e) => e.kind === kind && e.stripeObjectId);
  const bookedIds = (kind: JournalKind) => new Set(booked(kind).map((e) => e.stripeObjectId!));
  const fromLedger = (e: LedgerEntry) => ({
    campaignId: e.campaignId,
    pledgeId: e.pledgeId,
    currency: e.currency,
    ledgerObjectId: e.stripeObjectId,
    ledgerAmount: e.amount,
  });
  const fromStripe = (id: string, amount: number | null, status: string | null) => ({
    stripeObjectId: id,
    stripeAmount: amount,
    stripeStatus: status,
  });

  // Stripe's side, listed with pagination (PaymentIntents with their charge and balance transaction).
  const charges = new Map<string, Stripe.Charge>();
  const balanceTransactions = new Map<string, Stripe.BalanceTransaction>();
  const intents: Stripe.PaymentIntent[] = [];
  for await (const pi of stripe.paymentIntents.list({
    limit: 100,
    expand: ["data.latest_charge.balance_transaction"],
  })) {
    intents.push(pi);
    const charge = pi.latest_charge;
    if (charge && typeof charge === "object") {
      charges.set(charge.id, charge);
      const bt = charge.balance_transaction;
      if (bt && typeof bt === "object") balanceTransactions.set(bt.id, bt);
    }
  }
  const refunds = new Map<string, Stripe.Refund>();
  for await (const r of stripe.refunds.list({ limit: 100 })) refunds.set(r.id, r);
  const transfers = new Map<string, Stripe.Transfer>();
  for await (const t of stripe.transfers.list({ limit: 100 })) transfers.set(t.id, t);
  const disputes = new Map<string, Stripe.Dispute>();
  for await (const d of stripe.disputes.list({ limit: 100 })) disputes.set(d.id, d);

  // Ledger -> Stripe.
  for (const e of booked("charge")) {
    checkedIds.add(e.stripeObjectId!);
    let charge = charges.get(e.stripeObjectId!) ?? null;
    if (!charge) {
      charge = await retrieveOrNull(() =>
        stripe.charges.retrieve(e.stripeObjectId!, { expand: ["balance_transaction"] }),
      );
      if (charge) {
        charges.set(charge.id, charge);
        const bt = charge.balance_transaction;
        if (bt && typeof bt === "object") balanceTransactions.set(bt.id, bt);
      }
    }
    if (!charge) {
      mismatches.push({
        kind: "charge_missing_in_stripe",
        ...fromLedger(e),
        stripeObjectId: null,
        stripeAmount: null,
        stripeStatus: null,
        detail: `The ledger books charge ${e.stripeObjectId}; Stripe has no such charge.`,
      });
    } else if (charge.status !== "succeeded") {
      mismatches.push({
        kind: "charge_not_succeeded",
        ...fromLedger(e),
        ...fromStripe(charge.id, charge.amount, charge.status),
        detail: `Booked as collected, but the charge is ${charge.status} in Stripe.`,
      });
    } else if (charge.amount !== e.amount) {
      mismatches.push({
        kind: "charge_amount_differs",
        ...fromLedger(e),
        ...fromStripe(charge.id, charge.amount, charge.status),
        detail: "The booked amount and Stripe's charge amount differ.",
      });
    }
  }
  for (const e of booked("stripe_fee")) {
    checkedIds.add(e.stripeObjectId!);
    const bt =
      balanceTransactions.get(e.stripeObjectId!) ??
      (await retrieveOrNull(() => stripe.balanceTransactions.retrieve(e.stripeObjectId!)));
    if (!bt) {
      mismatches.push({
        kind: "fee_missing_in_stripe",
        ...fromLedger(e),
        stripeObjectId: null,
        stripeAmount: null,
        stripeStatus: null,
        detail: `Stripe has no balance transaction ${e.stripeObjectId}.`,
      });
    } else if (bt.fee !== e.amount) {
      mismatches.push({
        kind: "fee_amount_differs",
        ...fromLedger(e),
        ...fromStripe(bt.id, bt.fee, bt.status),
        detail: "The booked Stripe fee and the balance transaction's fee differ.",
      });
    }
  }
  for (const e of booked("refund")) {
    checkedIds.add(e.stripeObjectId!);
    const refund =
      refunds.get(e.stripeObjectId!) ?? (await retrieveOrNull(() => stripe.refunds.retrieve(e.stripeObjectId!)));
    if (!refund) {
      mismatches.push({
        kind: "refund_missing_in_stripe",
        ...fromLedger(e),
        stripeObjectId: null,
        stripeAmount: null,
        stripeStatus: null,
        detail: `Stripe has no refund ${e.stripeObjectId}.`,
      });
    } else if (refund.status !== "succeeded" && refund.status !== "pending") {
      mismatches.push({
        kind: "refund_not_succeeded",
        ...fromLedger(e),
        ...fromStripe(refund.id, refund.amount, refund.status),
        detail: `Booked as refunded, but the refund is ${refund.status} in Stripe.`,
      });
    } else if (refund.amount !== e.amount) {
      mismatches.push({
        kind: "refund_amount_differs",
        ...fromLedger(e),
        ...fromStripe(refund.id, refund.amount, refund.status),
        detail: "The booked refund and Stripe's refund amount differ.",
      });
    }
  }
  for (const e of booked("dispute")) {
    checkedIds.add(e.stripeObjectId!);
    const dispute =
      disputes.get(e.stripeObjectId!) ?? (await retrieveOrNull(() => stripe.disputes.retrieve(e.stripeObjectId!)));
    if (!dispute) {
      mismatches.push({
        kind: "dispute_missing_in_stripe",
        ...fromLedger(e),
        stripeObjectId: null,
        stripeAmount: null,
        stripeStatus: null,
        detail: `Stripe has no dispute ${e.stripeObjectId}.`,
      });
      continue;
    }
    // The ledger books the withdrawn amount plus Stripe's dispute fee.
    const withdrawn = (dispute.balance_transactions ?? []).reduce((sum, bt) => sum - bt.amount, 0);
    const expected = withdrawn > 0 ? withdrawn : dispute.amount;
    if (expected !== e.amount) {
      mismatches.push({
        kind: "dispute_amount_differs",
        ...fromLedger(e),
        ...fromStripe(dispute.id, expected, dispute.status),
        detail: "The booked dispute (amount and fee) and what Stripe withdrew differ.",
      });
    }
  }
  for (const e of booked("payout")) {
    checkedIds.add(e.stripeObjectId!);
    const transfer =
      transfers.get(e.stripeObjectId!) ?? (await retrieveOrNull(() => stripe.transfers.retrieve(e.stripeObjectId!)));
    if (!transfer) {
      mismatches.push({
        kind: "payout_missing_in_stripe",
        ...fromLedger(e),
        stripeObjectId: null,
        stripeAmount: null,
        stripeStatus: null,
        detail: `Stripe has no transfer ${e.stripeObjectId}.`,
      });
    } else if (transfer.amount - transfer.amount_reversed !== e.amount) {
      mismatches.push({
        kind: "payout_amount_differs",
        ...fromLedger(e),
        ...fromStripe(transfer.id, transfer.amount - transfer.amount_reversed, transfer.reversed ? "reversed" : "paid"),
        detail: "The booked payout and the transfer (net of reversals) differ.",
      });
    }
  }

  // Stripe -> ledger: Colecta's money in Stripe that the ledger does not know.
  const chargeIds = bookedIds("charge");
  const pledgeIds = [
    ...new Set(
      intents
        .map((pi) => pi.metadata?.pledge_id)
        .filter((id): id is string => typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id)),
    ),
  ];
  const pledges = new Map<
    string,
    { campaign_id: string; currency: string; state: string; decision: string | null; stage: string | null }
  >();
  for (let i = 0; i < pledgeIds.length; i += 500) {
    const rows = await db
      .selectFrom("pledges")
      .leftJoin("settlements", "settlements.campaign_id", "pledges.campaign_id")
      .select([
        "pledges.id",
        "pledges.campaign_id",
        "pledges.currency",
        "pledges.state",
        "settlements.decision",
        "settlements.stage",
      ])
      .where("pledges.id", "in", pledgeIds.slice(i, i + 500))
      .execute();
    for (const r of rows) pledges.set(r.id, r);
  }
  for (const pi of intents) {
    const pledgeId = pi.metadata?.pledge_id;
    if (pi.status !== "succeeded" || !pledgeId) continue;
    const pledge = pledges.get(pledgeId);
    // Only money the ledger must already hold: a funded campaign past its charge run.
    if (!pledge || pledge.decision !== "funded" || pledge.stage === "collecting") continue;
    // Paid up front and cancelled (refunded) by the backer before the deadline: never the creator's money.
    if (pledge.state === "cancelled" || pledge.state === "abandoned") continue;
    // A raise paid too late to apply, refunded in full: never part of the pledge.
    const latest = typeof pi.latest_charge === "object" ? pi.latest_charge : null;
    if (pi.metadata?.purpose === "change" && latest?.refunded) continue;
    const chargeId = idOf(pi.latest_charge);
    checkedIds.add(pi.id);
    if (!chargeId || !chargeIds.has(chargeId)) {
      mismatches.push({
        kind: "charge_not_booked",
        campaignId: pledge.campaign_id,
        pledgeId,
        currency: pi.currency,
        ledgerObjectId: null,
        ledgerAmount: null,
        ...fromStripe(pi.id, pi.amount_received || pi.amount, pi.status),
        detail: `PaymentIntent ${pi.id} (charge ${chargeId ?? "-"}) succeeded for this pledge but no charge is booked.`,
      });
    }
  }
  const ledgerCharges = new Map(booked("charge").map((e) => [e.stripeObjectId!, e]));
  const refundIds = bookedIds("refund");
  const pendingRefundRows = new Set(
    (await db.selectFrom("refunds").select("id").where("status", "=", "pending").execute()).map((r) => r.id),
  );
  for (const refund of refunds.values()) {
    const charge = ledgerCharges.get(idOf(refund.charge) ?? "");
    if (!charge) continue;
    checkedIds.add(refund.id);
    if (refundIds.has(refund.id) || refund.status === "failed" || refund.status === "canceled") continue;
    // A refund our desk started and has not finished recording is in flight, not missing.
    if (pendingRefundRows.has(refund.metadata?.refund_id ?? "")) continue;
    mismatches.push({
      kind: "refund_not_booked",
      campaignId: charge.campaignId,
      pledgeId: charge.pledgeId,
      currency: refund.currency,
      ledgerObjectId: null,
      ledgerAmount: null,
      ...fromStripe(refund.id, refund.amount, refund.status ?? null),
      detail: `Stripe refunded ${refund.amount} on booked charge ${charge.stripeObjectId}; the ledger has no such refund.`,
    });
  }
  const disputeIds = bookedIds("dispute");
  for (const dispute of disputes.values()) {
    const charge = ledgerCharges.get(idOf(dispute.charge) ?? "");
    if (!charge) continue;
    checkedIds.add(dispute.id);
    if (disputeIds.has(dispute.id)) continue;
    mismatches.push({
      kind: "dispute_not_booked",
      campaignId: charge.campaignId,
      pledgeId: charge.pledgeId,
      currency: dispute.currency,
      ledgerObjectId: null,
      ledgerAmount: null,
      ...fromStripe(dispute.id, dispute.amount, dispute.status),
      detail: `Stripe opened dispute ${dispute.id} on booked charge ${charge.stripeObjectId}; the ledger has no dispute.`,
    });
  }
  const payoutIds = bookedIds("payout");
  const knownPayouts = new Map(
    (await db.selectFrom("payouts").select(["id", "campaign_id", "currency"]).execute()).map((p) => [p.id, p]),
  );
  for (const transfer of transfers.values()) {
    const payout = knownPayouts.get(transfer.metadata?.payout_id ?? "");
    if (!payout) continue;
    checkedIds.add(transfer.id);
    if (payoutIds.has(transfer.id)) continue;
    mismatches.push({
      kind: "transfer_not_booked",
      campaignId: payout.campaign_id,
      pledgeId: null,
      currency: transfer.currency,
      ledgerObjectId: null,
      ledgerAmount: null,
      ...fromStripe(transfer.id, transfer.amount, transfer.reversed ? "reversed" : "paid"),
      detail: `Transfer ${transfer.id} for payout ${payout.id} is in Stripe but not booked. Retrying the payout books it.`,
    });
  }
  return { checked: checkedIds.size, mismatches };
}

export type RunOutcome =
  | { ok: true; runId: number; checked: number; mismatches: number }
  | { ok: false; status: 409 | 503; message: string; runId?: number };

/** Runs reconciliation and stores the run and its mismatches (the desk shows the last run). */
export async function runReconciliation(
  db: Db,
  stripe: Stripe,
  { actorId, source = "desk" }: { actorId: string | null; source?: "desk" | "cli" },
): Promise<RunOutcome> {
  const running = await db
    .selectFrom("reconciliation_runs")
    .select("id")
    .where("status", "=", "running")
    .where("started_at", ">", new Date(Date.now() - STALE_RUN_MS))
    .executeTakeFirst();
  if (running)
    return {
      ok: false,
      status: 409,
      message: "A reconciliation run is already in progress. Reload the page in a moment.",
    };
  const run = await db
    .insertInto("reconciliation_runs")
    .values({ started_by: actorId, source })
    .returning("id")
    .executeTakeFirstOrThrow();
  try {
    const { checked, mismatches } = await compareLedgerWithStripe(db, stripe);
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < mismatches.length; i += 500) {
        await trx
          .insertInto("reconciliation_mismatches")
          .values(
            mismatches.slice(i, i + 500).map((m) => ({
              run_id: run.id,
              kind: m.kind,
              campaign_id: m.campaignId,
              pledge_id: m.pledgeId,
              currency: m.currency,
              ledger_object_id: m.ledgerObjectId,
              ledger_amount: m.ledgerAmount,
              stripe_object_id: m.stripeObjectId,
              stripe_amount: m.stripeAmount,
              stripe_status: m.stripeStatus,
              detail: m.detail,
            })),
          )
          .execute();
      }
      await trx
        .updateTable("reconciliation_runs")
        .set({
          status: mismatches.length ? "mismatches" : "clean",
          finished_at: new Date(),
          objects_checked: checked,
          mismatch_count: mismatches.length,
        })
        .where("id", "=", run.id)
        .execute();
    });
    return { ok: true, runId: run.id, checked, mismatches: mismatches.length };
  } catch (error) {
    const message = (error as Error).message;
    await db
      .updateTable("reconciliation_runs")
      .set({ status: "failed", finished_at: new Date(), error: message.slice(0, 1000) })
      .where("id", "=", run.id)
      .execute();
    console.warn(`[reconciliation ${run.id}] failed: ${message}`);
    return { ok: false, status: 503, runId: run.id, message: `The run failed: ${message}` };
  }
}
