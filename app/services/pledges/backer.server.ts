import { getDb } from "../../db.server";
import { getPledgeForBacker } from "../../models/pledge.server";
import { requestTranslator } from "../../web/locale.server";
import { notFound } from "../../web/responses";
import { requireUser } from "../accounts/auth.server";

// What every page about one of the backer's pledges does first: who is asking, and is this
// pledge theirs. Someone else's pledge and a malformed id both answer 404 (ownership is in the query).

export async function requireOwnPledge(request: Request, pledgeId: string | undefined) {
  const user = await requireUser(request);
  const db = await getDb();
  const pledge = await getPledgeForBacker(db, { pledgeId: pledgeId ?? "", backerId: user.id });
  if (!pledge) notFound(requestTranslator(request, user)("backer:refusal.notFound"));
  return { user, db, pledge };
}
