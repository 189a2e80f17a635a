import type { Db, ReportReason, ReportSubject } from "../../../db/schema.js";
import { POSTING_LIMITS, postingLimitKey } from "../../domain/conversation-limits";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { fileReport, findReportableSubject } from "../../models/report.server";
import { describeWait, rateLimited, type RateLimited } from "../accounts/too-many.server";
import { hitRateLimit } from "../rate-limit.server";

// A person reports a comment or a message: only one they can see, at most POSTING_LIMITS.report
// times an hour, once per subject (a second report is answered kindly, not as an error).

export type ReportOutcome = { ok: true; outcome: "reported" | "already_reported" } | Refusal | RateLimited;

export async function reportSubject(
  db: Db,
  input: {
    reporterId: string;
    subjectType: ReportSubject;
    subjectId: string;
    reason: ReportReason;
    note: string;
    t: Translate;
  },
): Promise<ReportOutcome> {
  const { t } = input;
  const subject = await findReportableSubject(db, {
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    viewerId: input.reporterId,
  });
  if (!subject) return refuse(404, t("moderation:report.notFound"));
  const limit = await hitRateLimit(db, postingLimitKey("report", input.reporterId), POSTING_LIMITS.report);
  if (!limit.allowed)
    return rateLimited(
      limit.retryAfterSeconds,
      t("moderation:report.tooMany", { wait: describeWait(t, limit.retryAfterSeconds) }),
    );
  const { created } = await fileReport(db, {
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    campaignId: subject.campaignId,
    reporterId: input.reporterId,
    reason: input.reason,
    note: input.note,
  });
  return { ok: true, outcome: created ? "reported" : "already_reported" };
}
