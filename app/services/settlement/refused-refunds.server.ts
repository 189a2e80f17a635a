import { sql } from "kysely";
import type { CurrencyCode, Db } from "../../../db/schema.js";
import { raiseFinanceAlert, resolveFinanceAlerts } from "../../models/finance-alerts.server";
import { pledgeMoney } from "../../models/finance-pledge.server";
import { freezeStatement } from "../finance/statement.server";

// Settlement refunds Stripe refused (at the call, or by failing one it had accepted): the pledge
// stays `refunding` with no pending attempt. That is "parked": the settlement does not wait for
// it (the campaign closes when everything else is done), the desk lists it as an open item with
// an alert, and a finance user retries it from the pledge's page (retry-refund.server.ts).

export const refusedRefundAlertKey = (pledgeId: string) => `settlement_refund_refused:${pledgeId}`;

/** A `refunding` pledge with no attempt in flight: its refund was refused and waits for finance. */
export function parkedRefundsQuery(db: Db, { campaignId }: { campaignId: string }) {
  return db
    .selectFrom("pledges")
    .where("pledges.campaign_id", "=", campaignId)
    .where("pledges.state", "=", "refunding")
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("charge_attempts")
            .select("charge_attempts.id")
            .whereRef("charge_attempts.pledge_id", "=", "pledges.id")
            .where("charge_attempts.status", "=", "pending"),
        ),
      ),
    );
}

export async function countParkedRefunds(db: Db, { campaignId }: { campaignId: string }): Promise<number> {
  const row = await parkedRefundsQuery(db, { campaignId })
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The campaign's parked refunds for the desk: the pledge, what is still held, and Stripe's last word. */
export async function listParkedRefunds(db: Db, { campaignId }: { campaignId: string }) {
  const rows = await parkedRefundsQuery(db, { campaignId })
    .select([
      "pledges.id",
      "pledges.amount",
      "pledges.currency",
      (eb) =>
        eb
          .selectFrom("charge_attempts")
          .select("charge_attempts.error_message")
          .whereRef("charge_attempts.pledge_id", "=", "pledges.id")
          .where("charge_attempts.kind", "=", "refund")
          .orderBy("charge_attempts.id", "desc")
          .limit(1)
          .as("message"),
    ])
    .orderBy("pledges.id")
    .execute();
  return Promise.all(
    rows.map(async (r) => {
      const money = await pledgeMoney(db, { pledgeId: r.id });
      return {
        pledgeId: r.id,
        // What Stripe still holds of the pledge's payments (the pledge's amount before any was booked).
        held: money.collected > 0 ? money.refundable : r.amount,
        currency: r.currency,
        message: r.message ?? null,
      };
    }),
  );
}

/** In the recording transaction: one alert per parked pledge (raised again if it was resolved). */
export async function parkRefusedRefunds(
  trx: Db,
  list: {
    campaignId: string;
    pledgeId: string;
    amount: number;
    currency: CurrencyCode;
    message: string;
    reference: string | null;
  }[],
) {
  for (const p of list) {
    const money = await pledgeMoney(trx, { pledgeId: p.pledgeId });
    await raiseFinanceAlert(trx, {
      kind: "settlement_refund_refused",
      dedupeKey: refusedRefundAlertKey(p.pledgeId),
      campaignId: p.campaignId,
      pledgeId: p.pledgeId,
      detail: {
        amount: money.collected > 0 ? money.refundable : p.amount,
        currency: p.currency,
        message: p.message.slice(0, 500),
        ...(p.reference ? { reference: p.reference } : {}),
      },
    });
  }
}

/** In the recording transaction: the pledges' refused refunds went through at last. */
export async function resolveRefusedRefunds(trx: Db, pledgeIds: string[], by: string | null = null) {
  if (pledgeIds.length === 0) return 0;
  return resolveFinanceAlerts(trx, {
    dedupeKeys: pledgeIds.map(refusedRefundAlertKey),
    by,
    note: "Refunded by the settlement",
  });
}

/**
 * An unfunded or cancelled campaign's statement is frozen when its settlement closes with no
 * parked refund; one closed while refunds were parked freezes when the last of them is refunded.
 */
export async function freezeWhenRefundsDone(db: Db, { campaignId }: { campaignId: string }) {
  const settlement = await db
    .selectFrom("settlements")
    .select(["stage", "decision", "statement_checksum"])
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!settlement || settlement.stage !== "closed" || settlement.decision === "funded") return false;
  if (settlement.statement_checksum) return false;
  if ((await countParkedRefunds(db, { campaignId })) > 0) return false;
  await freezeStatement(db, { campaignId });
  return true;
}
