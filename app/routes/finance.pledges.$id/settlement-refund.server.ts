import type { Db } from "../../../db/schema.js";
import type { Locale } from "~/domain/locale";
import { formatMoney } from "~/domain/money";
import { listParkedRefunds } from "~/services/settlement/refused-refunds.server";

/**
 * A settlement refund Stripe refused for this pledge (it is parked: `refunding`, no attempt in
 * flight), as the pledge page's retry panel draws it; null when there is none.
 */
export async function parkedSettlementRefund(
  db: Db,
  { pledgeId, campaignId, locale }: { pledgeId: string; campaignId: string; locale: Locale },
) {
  const parked = (await listParkedRefunds(db, { campaignId })).find((p) => p.pledgeId === pledgeId);
  if (!parked) return null;
  return { held: formatMoney(parked.held, parked.currency, { locale }), message: parked.message };
}
