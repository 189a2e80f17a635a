import type { Db, ReportSubject } from "../../../db/schema.js";
import { inTransaction } from "../../../db/transaction.js";
import type { Translate } from "../../domain/locale";
import { actionsFor, RESOLUTION_OF, type SubjectAction } from "../../domain/moderation";
import { refuse, type Refusal } from "../../domain/refusal";
import { recordAudit } from "../../models/audit.server";
import { changeCommentVisibility } from "../../models/comment-state.server";
import { changeIdeaVisibility } from "../../models/idea-state.server";
import { authorOfSubject, hideMessage, resolveReports } from "../../models/report.server";
import { setSuspension } from "../../models/suspension.server";

// What a moderator does at the desk. Each decision happens in one transaction: the change to the
// comment, message or account, every open report of the subject resolved with it, and an audit
// row with the moderator's reason. A decision repeated (a double submit) resolves nothing more.

/** The audit log's words for each decision on a subject: `comment.hide`, `message.author_suspended`. */
const AUDIT_VERB: Record<SubjectAction, string> = {
  hide: "hide",
  delete: "delete",
  dismiss: "reports_dismissed",
  suspend: "author_suspended",
};

export interface Moderator {
  userId: string;
  ip?: string;
}

export async function moderateSubject(
  db: Db,
  {
    moderator,
    subjectType,
    subjectId,
    action,
    reason,
    t,
  }: {
    moderator: Moderator;
    subjectType: ReportSubject;
    subjectId: string;
    action: SubjectAction;
    reason: string;
    t: Translate;
  },
): Promise<{ ok: true; resolved: number } | Refusal> {
  if (!actionsFor(subjectType).includes(action)) return refuse(400, t("moderation:validation.unknownAction"));
  return inTransaction(db, async (trx) => {
    const authorId = await authorOfSubject(trx, { subjectType, subjectId });
    if (!authorId) return refuse(404, t("moderation:desk.subjectGone"));
    let detail: Record<string, unknown> = {};
    if (action === "hide" || action === "delete") {
      if (subjectType === "comment") {
        const moved = await changeCommentVisibility(trx, {
          commentId: subjectId,
          actorId: moderator.userId,
          to: action === "hide" ? "hidden" : "deleted",
          reason,
        });
        if (!moved.ok) return refuse(409, t("moderation:desk.alreadyDeleted"));
        detail = { from: moved.from, to: moved.to };
      } else if (subjectType === "idea") {
        const moved = await changeIdeaVisibility(trx, {
          ideaId: subjectId,
          actorId: moderator.userId,
          to: action === "hide" ? "hidden" : "deleted",
          reason,
        });
        if (!moved.ok) return refuse(409, t("moderation:desk.alreadyDeleted"));
        detail = { from: moved.from, to: moved.to };
      } else {
        await hideMessage(trx, { messageId: subjectId, actorId: moderator.userId, reason });
      }
    }
    if (action === "suspend") {
      await setSuspension(trx, { userId: authorId, suspend: true, reason });
      await recordAudit(trx, {
        actorId: moderator.userId,
        action: "user.suspend",
        subjectType: "user",
        subjectId: authorId,
        reason,
        detail: { because: { subjectType, subjectId } },
        ip: moderator.ip,
      });
    }
    const resolved = await resolveReports(trx, {
      subjectType,
      subjectId,
      resolution: RESOLUTION_OF[action],
      moderatorId: moderator.userId,
    });
    await recordAudit(trx, {
      actorId: moderator.userId,
      action: `${subjectType}.${AUDIT_VERB[action]}`,
      subjectType,
      subjectId,
      reason,
      detail: { ...detail, reportsResolved: resolved, authorId },
      ip: moderator.ip,
    });
    return { ok: true as const, resolved };
  });
}

/** Suspends an account or lifts the suspension, from the person's page; audited either way. */
export async function changeSuspension(
  db: Db,
  {
    moderator,
    userId,
    suspend,
    reason,
    t,
  }: { moderator: Moderator; userId: string; suspend: boolean; reason: string; t: Translate },
): Promise<{ ok: true; changed: boolean } | Refusal> {
  if (suspend && userId === moderator.userId) return refuse(400, t("moderation:user.notYourself"));
  return inTransaction(db, async (trx) => {
    const result = await setSuspension(trx, { userId, suspend, reason });
    if (!result) return refuse(404, t("moderation:user.notFound"));
    if (result.changed)
      await recordAudit(trx, {
        actorId: moderator.userId,
        action: suspend ? "user.suspend" : "user.unsuspend",
        subjectType: "user",
        subjectId: userId,
        reason,
        ip: moderator.ip,
      });
    return { ok: true as const, changed: result.changed };
  });
}
