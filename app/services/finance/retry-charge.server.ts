import type Stripe from "stripe";
import type { Db } from "../../../db/schema.js";
import type { Config } from "../../config.server";
import { recordAudit } from "../../models/audit.server";
import { retryChargeNow } from "../settlement/runner.server";

/**
 * A finance user's "retry the charge now" on an errored pledge: the settlement runner makes the
 * attempt (same protocol, keys and booking as its scheduled retries, and its own audit entry
 * with the attempt); this adds who asked and why.
 */
export async function retryErroredCharge(
  db: Db,
  stripe: Stripe,
  config: Config,
  { pledgeId, actorId, reason, ip }: { pledgeId: string; actorId: string; reason: string; ip?: string | null },
): Promise<{ ok: true; message: string } | { ok: false; status: 404 | 409 | 502 | 503; message: string }> {
  let result;
  try {
    result = await retryChargeNow({ db, stripe, config, pledgeId, actorId });
  } catch (error) {
    console.warn(`[pledge ${pledgeId}] retry charge failed: ${(error as Error).message}`);
    return {
      ok: false,
      status: 503,
      message: "We couldn't complete the retry right now. Nothing was charged twice; try again in a moment.",
    };
  }
  await recordAudit(db, {
    actorId,
    action: "pledge.charge_retry_requested",
    subjectType: "pledge",
    subjectId: pledgeId,
    reason,
    detail: result.ok ? { outcome: result.outcome } : { refused: result.message },
    ip,
  });
  if (!result.ok) return result;
  if (result.outcome === "collected") return { ok: true, message: result.message };
  return { ok: false, status: 502, message: `${result.message}. The pledge stays in grace.` };
}
