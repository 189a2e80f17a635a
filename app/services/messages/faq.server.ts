import type { Db } from "../../../db/schema.js";
import { POSTING_LIMITS, postingLimitKey } from "../../domain/conversation-limits";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { addFaqEntry, editFaqEntry } from "../../models/faq.server";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { hitRateLimit } from "../rate-limit.server";

// A creator writes their FAQ: a new entry or a changed one, at most POSTING_LIMITS.faq writes
// per window. Ownership is checked in the models' WHERE (a stranger's campaign is not found).

export async function saveFaqEntry(
  db: Db,
  input: {
    campaignId: string;
    creatorId: string;
    entryId?: string;
    question: string;
    answerMd: string;
    t: Translate;
  },
): Promise<{ ok: true; entryId: string } | Refusal | RateLimited> {
  const { t } = input;
  const limit = await hitRateLimit(db, postingLimitKey("faq", input.creatorId), POSTING_LIMITS.faq);
  if (!limit.allowed) {
    return rateLimited(
      limit.retryAfterSeconds,
      t("messages:faq.tooMany", { wait: describeWait(t, limit.retryAfterSeconds) }),
    );
  }
  if (input.entryId) {
    const edited = await editFaqEntry(db, { ...input, entryId: input.entryId });
    return edited ? { ok: true, entryId: input.entryId } : refuse(404, t("messages:faq.notFound"));
  }
  const added = await addFaqEntry(db, input);
  return added ? { ok: true, entryId: added.id } : refuse(404, t("messages:faq.notFound"));
}
