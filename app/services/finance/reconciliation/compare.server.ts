import type Stripe from "stripe";
import type { Db, JournalKind } from "../../../../db/schema.js";
import { isUuid } from "../../../domain/ids";
import {
  listLedgerEntries,
  payoutsById,
  pendingRefundIds,
  pledgesByIds,
  type LedgerEntry,
  type Mismatch,
} from "../../../models/reconciliation.server";
import { findCharge, idOf, listStripeSide, retrieveOrNull, type StripeSide } from "./stripe-side.server";

// Reconciliation's comparison, both ways: every booked charge, fee, refund, dispute and payout
// against its Stripe object (amount and status), then every Stripe payment, refund, dispute and
// transfer that belongs to Colecta against the ledger. Pure reading; the run stores the result.

/** What Stripe says of a booked object when it differs: the mismatch, its Stripe figures and why. */
interface Difference {
  kind: string;
  id: string;
  amount: number | null;
  status: string | null;
  detail: string;
}

type Finding = { kind: string; detail: string };

/** Every check judges the same way: a status Stripe should not show first, else an amount that is not the booked one. */
function difference(
  seen: { id: string; amount: number; status: string | null },
  booked: number,
  { badStatus, amount }: { badStatus?: Finding | false; amount: Finding },
): Difference | null {
  if (badStatus) return { ...badStatus, ...seen };
  return seen.amount !== booked ? { ...amount, ...seen } : null;
}

/** How one kind of booked event is checked against Stripe. */
interface BookedCheck<T> {
  kind: JournalKind;
  /** The mismatch when Stripe has no such object, and its detail. */
  missing: { kind: string; detail: (id: string) => string };
  find: (id: string) => Promise<T | null>;
  differs: (object: T, entry: LedgerEntry) => Difference | null;
}

const fromLedger = (e: LedgerEntry) => ({
  campaignId: e.campaignId,
  pledgeId: e.pledgeId,
  currency: e.currency,
  ledgerObjectId: e.stripeObjectId,
  ledgerAmount: e.amount,
});

const fromStripe = (id: string | null, amount: number | null, status: string | null) => ({
  stripeObjectId: id,
  stripeAmount: amount,
  stripeStatus: status,
});

type Found = { mismatches: Mismatch[]; checked: Set<string> };

/**
 * The ledger's entries of one kind with a Stripe object, one per object: a booking and the one
 * undoing it (a refund Stripe failed, a dispute won) add up to what the ledger holds for it.
 */
function combined(entries: readonly LedgerEntry[], kind: JournalKind): (LedgerEntry & { stripeObjectId: string })[] {
  const byObject = new Map<string, LedgerEntry & { stripeObjectId: string }>();
  for (const e of entries) {
    if (e.kind !== kind || !e.stripeObjectId) continue;
    const seen = byObject.get(e.stripeObjectId);
    if (seen) seen.amount += e.amount;
    else byObject.set(e.stripeObjectId, { ...e, stripeObjectId: e.stripeObjectId });
  }
  return [...byObject.values()];
}

/** Runs one check over the ledger's entries of its kind. */
const bookedCheck =
  <T>(check: BookedCheck<T>) =>
  async (entries: readonly LedgerEntry[], out: Found) => {
    for (const e of combined(entries, check.kind)) {
      const id = e.stripeObjectId;
      out.checked.add(id);
      const object = await check.find(id);
      if (!object) {
        out.mismatches.push({
          kind: check.missing.kind,
          ...fromLedger(e),
          ...fromStripe(null, null, null),
          detail: check.missing.detail(id),
        });
        continue;
      }
      const difference = check.differs(object, e);
      if (difference) {
        out.mismatches.push({
          kind: difference.kind,
          ...fromLedger(e),
          ...fromStripe(difference.id, difference.amount, difference.status),
          detail: difference.detail,
        });
      }
    }
  };

/** Ledger -> Stripe, in the order the checks are given (the charge check fills the fee's cache). */
function bookedChecks(stripe: Stripe, side: StripeSide) {
  return [
    bookedCheck<Stripe.Charge>({
      kind: "charge",
      missing: {
        kind: "charge_missing_in_stripe",
        detail: (id) => `The ledger books charge ${id}; Stripe has no such charge.`,
      },
      find: (id) => findCharge(stripe, side, id),
      differs: (charge, e) =>
        difference({ id: charge.id, amount: charge.amount, status: charge.status }, e.amount, {
          badStatus: charge.status !== "succeeded" && {
            kind: "charge_not_succeeded",
            detail: `Booked as collected, but the charge is ${charge.status} in Stripe.`,
          },
          amount: { kind: "charge_amount_differs", detail: "The booked amount and Stripe's charge amount differ." },
        }),
    }),
    bookedCheck<Stripe.BalanceTransaction>({
      kind: "stripe_fee",
      missing: { kind: "fee_missing_in_stripe", detail: (id) => `Stripe has no balance transaction ${id}.` },
      find: async (id) =>
        side.balanceTransactions.get(id) ?? (await retrieveOrNull(() => stripe.balanceTransactions.retrieve(id))),
      differs: (bt, e) =>
        difference({ id: bt.id, amount: bt.fee, status: bt.status }, e.amount, {
          amount: {
            kind: "fee_amount_differs",
            detail: "The booked Stripe fee and the balance transaction's fee differ.",
          },
        }),
    }),
    bookedCheck<Stripe.Refund>({
      kind: "refund",
      missing: { kind: "refund_missing_in_stripe", detail: (id) => `Stripe has no refund ${id}.` },
      find: async (id) => side.refunds.get(id) ?? (await retrieveOrNull(() => stripe.refunds.retrieve(id))),
      differs: (refund, e) =>
        // Failed at Stripe and booked back: the ledger holds nothing for it, as Stripe does.
        e.amount === 0 && (refund.status === "failed" || refund.status === "canceled")
          ? null
          : difference({ id: refund.id, amount: refund.amount, status: refund.status }, e.amount, {
              badStatus: refund.status !== "succeeded" &&
                refund.status !== "pending" && {
                  kind: "refund_not_succeeded",
                  detail: `Booked as refunded, but the refund is ${refund.status} in Stripe.`,
                },
              amount: { kind: "refund_amount_differs", detail: "The booked refund and Stripe's refund amount differ." },
            }),
    }),
    bookedCheck<Stripe.Dispute>({
      kind: "dispute",
      missing: { kind: "dispute_missing_in_stripe", detail: (id) => `Stripe has no dispute ${id}.` },
      find: async (id) => side.disputes.get(id) ?? (await retrieveOrNull(() => stripe.disputes.retrieve(id))),
      differs: (dispute, e) => {
        // The ledger books the withdrawn amount plus Stripe's dispute fee, less what a won dispute reinstated.
        const txns = dispute.balance_transactions ?? [];
        const expected = txns.reduce((sum, bt) => sum - bt.net, 0);
        return difference({ id: dispute.id, amount: expected, status: dispute.status }, e.amount, {
          amount: {
            kind: "dispute_amount_differs",
            detail: "The booked dispute (amount and fee) and what Stripe withdrew differ.",
          },
        });
      },
    }),
    bookedCheck<Stripe.Transfer>({
      kind: "payout",
      missing: { kind: "payout_missing_in_stripe", detail: (id) => `Stripe has no transfer ${id}.` },
      find: async (id) => side.transfers.get(id) ?? (await retrieveOrNull(() => stripe.transfers.retrieve(id))),
      // The transfer as sent; its reversals are booked (and checked) apart.
      differs: (transfer, e) =>
        difference(
          { id: transfer.id, amount: transfer.amount, status: transfer.reversed ? "reversed" : "paid" },
          e.amount,
          {
            amount: {
              kind: "payout_amount_differs",
              detail: "The booked payout and the transfer differ.",
            },
          },
        ),
    }),
    bookedCheck<Stripe.TransferReversal>({
      kind: "payout_reversal",
      missing: { kind: "reversal_missing_in_stripe", detail: (id) => `Stripe has no transfer reversal ${id}.` },
      find: async (id) => side.reversals.get(id) ?? null,
      differs: (reversal, e) =>
        difference({ id: reversal.id, amount: reversal.amount, status: null }, e.amount, {
          amount: {
            kind: "reversal_amount_differs",
            detail: "The booked recovery and Stripe's transfer reversal differ.",
          },
        }),
    }),
  ];
}

/** Compares the ledger with Stripe, both ways; returns the mismatches and how many objects were compared. */
export async function compareLedgerWithStripe(
  db: Db,
  stripe: Stripe,
): Promise<{ checked: number; mismatches: Mismatch[] }> {
  const ledger = await listLedgerEntries(db);
  const side = await listStripeSide(stripe);
  const out: Found = { mismatches: [], checked: new Set() };

  // Ledger -> Stripe.
  for (const check of bookedChecks(stripe, side)) await check(ledger, out);

  // Stripe -> ledger: Colecta's money in Stripe that the ledger does not know.
  const booked = (kind: JournalKind) => ledger.filter((e) => e.kind === kind && e.stripeObjectId);
  const bookedIds = (kind: JournalKind) => new Set(booked(kind).map((e) => e.stripeObjectId!));
  await findUnbookedPayments(db, side, bookedIds("charge"), out);

  const ledgerCharges = new Map(booked("charge").map((e) => [e.stripeObjectId!, e]));
  const inFlight = await pendingRefundIds(db);
  const onBookedCharge = <T extends { id: string; charge: string | { id: string } | null }>(
    objects: Iterable<T>,
    {
      bookedKind,
      skip,
      mismatch,
    }: {
      bookedKind: JournalKind;
      skip: (object: T) => boolean;
      mismatch: (
        object: T,
        charge: LedgerEntry,
      ) => Omit<Mismatch, "campaignId" | "pledgeId" | "ledgerObjectId" | "ledgerAmount">;
    },
  ) => {
    const bookedAs = bookedIds(bookedKind);
    for (const object of objects) {
      const charge = ledgerCharges.get(idOf(object.charge) ?? "");
      if (!charge) continue;
      out.checked.add(object.id);
      if (bookedAs.has(object.id) || skip(object)) continue;
      out.mismatches.push({
        campaignId: charge.campaignId,
        pledgeId: charge.pledgeId,
        ledgerObjectId: null,
        ledgerAmount: null,
        ...mismatch(object, charge),
      });
    }
  };
  onBookedCharge(side.refunds.values(), {
    bookedKind: "refund",
    // A refund our desk started and has not finished recording is in flight, not missing.
    skip: (refund) =>
      refund.status === "failed" || refund.status === "canceled" || inFlight.has(refund.metadata?.refund_id ?? ""),
    mismatch: (refund, charge) => ({
      kind: "refund_not_booked",
      currency: refund.currency,
      ...fromStripe(refund.id, refund.amount, refund.status ?? null),
      detail: `Stripe refunded ${refund.amount} on booked charge ${charge.stripeObjectId}; the ledger has no such refund.`,
    }),
  });
  onBookedCharge(side.disputes.values(), {
    bookedKind: "dispute",
    // An inquiry moves no money: nothing to book.
    skip: (dispute) => (dispute.balance_transactions ?? []).length === 0,
    mismatch: (dispute, charge) => ({
      kind: "dispute_not_booked",
      currency: dispute.currency,
      ...fromStripe(dispute.id, dispute.amount, dispute.status),
      detail: `Stripe opened dispute ${dispute.id} on booked charge ${charge.stripeObjectId}; the ledger has no dispute.`,
    }),
  });

  const payoutIds = bookedIds("payout");
  const knownPayouts = await payoutsById(db);
  for (const transfer of side.transfers.values()) {
    const payout = knownPayouts.get(transfer.metadata?.payout_id ?? "");
    if (!payout) continue;
    out.checked.add(transfer.id);
    if (payoutIds.has(transfer.id)) continue;
    out.mismatches.push({
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
  // Reversals of Colecta's transfers that the ledger does not hold.
  const reversalIds = bookedIds("payout_reversal");
  for (const reversal of side.reversals.values()) {
    const transfer = side.transfers.get(idOf(reversal.transfer) ?? "");
    const payout = knownPayouts.get(transfer?.metadata?.payout_id ?? "");
    if (!payout) continue;
    out.checked.add(reversal.id);
    if (reversalIds.has(reversal.id)) continue;
    out.mismatches.push({
      kind: "reversal_not_booked",
      campaignId: payout.campaign_id,
      pledgeId: null,
      currency: reversal.currency,
      ledgerObjectId: null,
      ledgerAmount: null,
      ...fromStripe(reversal.id, reversal.amount, null),
      detail: `Stripe reversed ${reversal.amount} of transfer ${transfer!.id} (payout ${payout.id}); the ledger has no such recovery.`,
    });
  }
  return { checked: out.checked.size, mismatches: out.mismatches };
}

/** Succeeded PaymentIntents of pledges whose money the ledger must already hold, with no charge booked. */
async function findUnbookedPayments(db: Db, side: StripeSide, chargeIds: Set<string>, out: Found) {
  const pledgeIds = [...new Set(side.intents.map((pi) => pi.metadata?.pledge_id).filter(isUuid))];
  const pledges = await pledgesByIds(db, pledgeIds);
  for (const pi of side.intents) {
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
    out.checked.add(pi.id);
    if (!chargeId || !chargeIds.has(chargeId)) {
      out.mismatches.push({
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
}
