import type { AccountTokenPurpose, Db } from "../../../db/schema.js";
import type { TokenProblem } from "../../models/account-token.server";
import { getConfig } from "../../config.server";
import { recordAudit } from "../../models/audit.server";

// What the account-link services share: the absolute link a token travels in, and the audit
// entry of a link that was refused (forged, expired or already used).

const PATHS: Record<AccountTokenPurpose, string> = {
  reset_password: "/reset-password",
  verify_email: "/verify-email",
  change_email: "/confirm-email",
};

/** An absolute link to a page of the site (emails are read away from it). */
export function siteLink(path: string) {
  return `${getConfig().appUrl}${path}`;
}

/** The absolute link that carries a token. */
export function accountLink(purpose: AccountTokenPurpose, token: string) {
  return siteLink(`${PATHS[purpose]}?${new URLSearchParams({ token })}`);
}

export async function auditRefusedToken(
  db: Db,
  { purpose, problem, ip }: { purpose: AccountTokenPurpose; problem: TokenProblem; ip: string | null },
) {
  await recordAudit(db, { actorId: null, action: `account_token.refused`, reason: problem, detail: { purpose }, ip });
}
