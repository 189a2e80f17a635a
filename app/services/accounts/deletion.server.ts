import type { Db } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import { deletionBlockers, type DeletionBlocker } from "../../domain/account-deletion";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { translatorFor } from "../../i18n";
import { deleteAccountTokens } from "../../models/account-token.server";
import { listAccountHoldings } from "../../models/account-holdings.server";
import { recordAudit } from "../../models/audit.server";
import { revokeUserSessions } from "../../models/session.server";
import { anonymiseUser } from "../../models/user.server";
import { anonymiseAddressesOfBacker } from "../../models/fulfilment.server";
import { checkCurrentPassword } from "./settings.server";
import type { RateLimited } from "./too-many.server";

// Deleting an account: its personal data is replaced and it can never sign in again, while the
// row stays for the pledges, payouts and journal lines that point at it. Refused while money
// is still moving (app/domain/account-deletion.ts), with the reasons.

const english: Translate = translatorFor("en");

export async function accountDeletionBlockers(db: Db, { userId }: { userId: string }) {
  return deletionBlockers(await listAccountHoldings(db, { userId }));
}

export function describeBlockers(t: Translate, blockers: DeletionBlocker[]) {
  return blockers.map((b) => t(`account:delete.blocker.${b}`));
}

export async function deleteAccount(
  db: Db,
  { userId, password, ip, t = english }: { userId: string; password: string; ip: string; t?: Translate },
): Promise<{ ok: true } | Refusal | RateLimited> {
  const checked = await checkCurrentPassword(db, { userId, password, t, field: "password" });
  if (!checked.ok) return checked;
  return inTransaction(db, async (trx) => {
    const blockers = deletionBlockers(await listAccountHoldings(trx, { userId }));
    if (blockers.length > 0) {
      await recordAudit(trx, {
        actorId: userId,
        action: "user.delete_refused",
        subjectType: "user",
        subjectId: userId,
        detail: { blockers },
        ip,
      });
      return refuse(409, [t("account:delete.refused"), ...describeBlockers(t, blockers)].join(" "));
    }
    await anonymiseUser(trx, { userId });
    await anonymiseAddressesOfBacker(trx, { userId });
    await revokeUserSessions(trx, { userId });
    await deleteAccountTokens(trx, { userId });
    await recordAudit(trx, { actorId: userId, action: "user.deleted", subjectType: "user", subjectId: userId, ip });
    return { ok: true as const };
  });
}
