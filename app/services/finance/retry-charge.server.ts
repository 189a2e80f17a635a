import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import type { Config } from "../../config.server";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { translatorFor } from "../../i18n";
import { refuseWithoutSecondFactor } from "../security/two-factor.server";
import { retryChargeNow } from "../settlement/retry-now.server";

/**
 * A finance user's "retry the charge now" on an errored pledge: settlement makes the attempt
 * (same protocol, keys and booking as its scheduled retries) and writes the one audit entry,
 * with the attempt, who asked and why. `t` words the answer (English by default).
 */
export async function retryErroredCharge(
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
    result = await retryChargeNow({ db, stripe, config, pledgeId, actorId, reason, ip, t });
  } catch (error) {
    console.warn(`[pledge ${pledgeId}] retry charge failed: ${(error as Error).message}`);
    return refuse(503, t("finance:retryRefusal.unavailable"));
  }
  if (!result.ok) return result;
  if (result.outcome === "collected") return { ok: true, message: result.message };
  return refuse(502, t("finance:retryRefusal.stillInGrace", { message: result.message }));
}
