import type { CurrencyCode, Db, Trx } from "../../../../db/schema.js";
import { mismatchLabel } from "../../../domain/finance";
import type { FinanceAlertDetail } from "../../../domain/finance-alerts";
import type { Translate } from "../../../domain/locale";
import { formatMoney, isCurrency } from "../../../domain/money";
import { refuse, type Refusal } from "../../../domain/refusal";
import type { ItemActionInput } from "../../../domain/reconciliation-items";
import { translatorFor } from "../../../i18n";
import { recordAudit } from "../../../models/audit.server";
import { raiseFinanceAlert, resolveFinanceAlerts } from "../../../models/finance-alerts.server";
import { moveItem, recordRunFindings } from "../../../models/reconciliation-items.server";
import type { Mismatch } from "../../../models/reconciliation.server";
import { inTransaction } from "../../../../db/transaction.js";
import { refuseWithoutSecondFactor } from "../../security/two-factor.server";

// The reconciliation queue's side effects: a finished run's findings raise a finance alert per
// new (or returning) problem and resolve the alerts of problems gone; a finance user's move is
// audited, and resolving an item resolves its alert. Each in the transaction of its cause.

const english = translatorFor("en");

/** The alert that goes with an item: one per item, found again by this key. */
export const itemAlertKey = (itemId: number) => `reconciliation:${itemId}`;

/** The alert's facts: the mismatch's label in English, its reference and its amount. */
export function alertDetailFor(m: Mismatch): FinanceAlertDetail {
  const reference = m.stripeObjectId ?? m.ledgerObjectId ?? undefined;
  const amount = m.stripeAmount ?? m.ledgerAmount ?? undefined;
  const currency = m.currency && isCurrency(m.currency) ? (m.currency as CurrencyCode) : undefined;
  const money = amount !== undefined && currency ? formatMoney(amount, currency, { locale: "en" }) : null;
  const message = [mismatchLabel(english, m.kind), reference ? `: ${reference}` : "", money ? ` (${money})` : ""].join(
    "",
  );
  return {
    message,
    ...(reference ? { reference } : {}),
    ...(amount !== undefined && currency ? { amount, currency } : {}),
  };
}

/** Applies a finished run to the queue and its alerts, in the run's closing transaction. */
export async function queueRunFindings(
  trx: Trx,
  { runId, mismatches }: { runId: number; mismatches: readonly Mismatch[] },
) {
  const findings = await recordRunFindings(trx, { runId, mismatches });
  for (const item of findings.opened) {
    await raiseFinanceAlert(trx, {
      kind: "reconciliation_mismatch",
      dedupeKey: itemAlertKey(item.id),
      campaignId: item.mismatch.campaignId,
      pledgeId: item.mismatch.pledgeId,
      detail: alertDetailFor(item.mismatch),
    });
  }
  for (const item of findings.autoResolved) {
    await resolveFinanceAlerts(trx, {
      dedupeKeys: [itemAlertKey(item.id)],
      note: `No longer seen by reconciliation run ${runId}.`,
    });
  }
  return findings;
}

export type ItemActionOutcome = { ok: true; message: string; id: number } | Refusal;

/** A finance user's move on a queue item: second factor, the move, its audit and its alert. */
export async function actOnItem(
  db: Db,
  {
    itemId,
    input,
    actorId,
    ip = null,
    t,
  }: { itemId: number; input: ItemActionInput; actorId: string; ip?: string | null; t: Translate },
): Promise<ItemActionOutcome> {
  const unguarded = await refuseWithoutSecondFactor(db, { actorId, t });
  if (unguarded) return unguarded;
  const note = "note" in input && input.note ? input.note : null;
  return inTransaction(db, async (trx) => {
    const moved = await moveItem(trx, { id: itemId, action: input.intent, expected: input.expected, actorId, note });
    if (!moved.ok) {
      if (moved.reason === "not_found") return refuse(404, t("reconciliation:item.notFound"));
      const status = t(`reconciliation:status.${moved.status}`).toLowerCase();
      return refuse(
        409,
        moved.reason === "stale"
          ? moved.by
            ? t("reconciliation:refusal.staleBy", { status, who: moved.by })
            : t("reconciliation:refusal.stale", { status })
          : t("reconciliation:refusal.notAllowed", { status }),
      );
    }
    await recordAudit(trx, {
      actorId,
      action: `reconciliation.item_${input.intent}`,
      subjectType: "reconciliation_item",
      subjectId: String(itemId),
      reason: note ?? undefined,
      detail: { kind: moved.kind, from: moved.from, to: moved.to },
      ip,
    });
    if (moved.to === "resolved")
      await resolveFinanceAlerts(trx, { dedupeKeys: [itemAlertKey(itemId)], by: actorId, note: note ?? "" });
    return { ok: true as const, id: itemId, message: t(`reconciliation:done.${input.intent}`) };
  });
}
