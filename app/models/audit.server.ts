import type { Db } from "../../db/schema.js";

export interface AuditInput {
  actorId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  reason?: string;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/** Appends one entry to the audit log (who did what, to what, and why). */
export async function recordAudit(db: Db, entry: AuditInput) {
  await db
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId ?? null,
      reason: entry.reason ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}

export async function listAuditForSubject(
  db: Db,
  { subjectType, subjectId }: { subjectType: string; subjectId: string },
) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .where("subject_type", "=", subjectType)
    .where("subject_id", "=", subjectId)
    .orderBy("id")
    .execute();
}
