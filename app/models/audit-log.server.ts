import { sql, type SelectQueryBuilder } from "kysely";
import type { Database, Db } from "../../db/schema.js";
import { dayRange, type AuditFilter } from "../domain/audit-log";

// The whole audit log for the finance desk, filtered and paged by id (the log only grows, so a
// page is "the next N before id X", never an offset that drifts as rows arrive).

export interface AuditLogRow {
  id: number;
  at: Date;
  actor_id: string | null;
  /** Name and email only when the actor is staff (holds any role); null for everyone else. */
  actor_name: string | null;
  actor_email: string | null;
  actor_is_staff: boolean;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  reason: string | null;
  detail: unknown;
  ip: string | null;
}

type AuditQuery = SelectQueryBuilder<Database, "audit_log", object>;

const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function applyFilter(query: AuditQuery, filter: AuditFilter): AuditQuery {
  let q = query;
  const person = filter.person;
  if (person?.kind === "system") q = q.where("audit_log.actor_id", "is", null);
  else if (person?.kind === "id") q = q.where("audit_log.actor_id", "=", person.id);
  else if (person?.kind === "email")
    q = q.where("audit_log.actor_id", "in", (db) =>
      db.selectFrom("users").select("users.id").where("users.email", "=", person.email),
    );
  else if (person?.kind === "search") {
    // Searching by part of a name or an address finds staff only: a backer is found by their whole
    // address or account id, never by guessing letters.
    const pattern = likeText(person.text);
    q = q.where("audit_log.actor_id", "in", (db) =>
      db
        .selectFrom("users")
        .innerJoin("user_roles", "user_roles.user_id", "users.id")
        .select("users.id")
        .where((eb) => eb.or([eb("users.name", "ilike", pattern), eb("users.email", "ilike", pattern)])),
    );
  }
  if (filter.action) q = q.where("audit_log.action", "=", filter.action);
  if (filter.type) q = q.where("audit_log.subject_type", "=", filter.type);
  if (filter.id) q = q.where("audit_log.subject_id", "=", filter.id);
  const { start, end } = dayRange(filter);
  if (start) q = q.where("audit_log.at", ">=", start);
  if (end) q = q.where("audit_log.at", "<", end);
  return q;
}

/**
 * One page of the log matching the filter, newest first: the `limit` rows before id `before`
 * (older), or after id `after` (newer), or the newest. `more` says whether another row lies beyond.
 */
export async function listAuditLog(
  db: Db,
  {
    filter,
    before,
    after,
    limit,
    upTo,
  }: { filter: AuditFilter; before?: number; after?: number; limit: number; upTo?: number },
): Promise<{ rows: AuditLogRow[]; more: boolean }> {
  let q = applyFilter(db.selectFrom("audit_log") as AuditQuery, filter);
  if (before !== undefined) q = q.where("audit_log.id", "<", before);
  if (after !== undefined) q = q.where("audit_log.id", ">", after);
  if (upTo !== undefined) q = q.where("audit_log.id", "<=", upTo);
  const rows = await q
    .leftJoin("users as actor", "actor.id", "audit_log.actor_id")
    .select([
      "audit_log.id",
      "audit_log.at",
      "audit_log.actor_id",
      "audit_log.action",
      "audit_log.subject_type",
      "audit_log.subject_id",
      "audit_log.reason",
      "audit_log.detail",
      "audit_log.ip",
      sql<boolean>`exists (select 1 from user_roles r where r.user_id = audit_log.actor_id)`.as("actor_is_staff"),
      "actor.name as name",
      "actor.email as email",
    ])
    .orderBy("audit_log.id", after !== undefined ? "asc" : "desc")
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (after !== undefined) page.reverse();
  return {
    more,
    rows: page.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor_id: r.actor_id,
      actor_is_staff: Boolean(r.actor_is_staff),
      // Staff may see staff; anyone else is an account id.
      actor_name: r.actor_is_staff ? (r.name ?? null) : null,
      actor_email: r.actor_is_staff ? (r.email ?? null) : null,
      action: r.action,
      subject_type: r.subject_type,
      subject_id: r.subject_id,
      reason: r.reason,
      detail: r.detail,
      ip: r.ip,
    })),
  };
}

/** The newest id in the log (an export reads up to it, so rows arriving meanwhile stay out). */
export async function latestAuditId(db: Db): Promise<number> {
  const row = await db
    .selectFrom("audit_log")
    .select(sql<number>`coalesce(max(id), 0)::bigint`.as("id"))
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * The distinct values of an indexed column (action, subject type), by skipping through its index
 * one value at a time: a handful of probes however long the log grows.
 */
async function distinctValues(db: Db, column: "action" | "subject_type"): Promise<string[]> {
  const col = sql.ref(column);
  const { rows } = await sql<{ value: string }>`
    with recursive seen(value) as (
      (select ${col} from audit_log where ${col} is not null order by ${col} limit 1)
      union all
      select (select ${col} from audit_log where ${col} > seen.value order by ${col} limit 1)
        from seen where seen.value is not null
    )
    select value from seen where value is not null`.execute(db);
  return rows.map((r) => r.value);
}

export function listAuditActions(db: Db) {
  return distinctValues(db, "action");
}

export function listAuditSubjectTypes(db: Db) {
  return distinctValues(db, "subject_type");
}

/** Staff accounts, for the person field's suggestions (staff may see staff). */
export async function listStaff(db: Db) {
  return db
    .selectFrom("users")
    .select(["users.id", "users.name", "users.email"])
    .where("users.id", "in", (q) => q.selectFrom("user_roles").select("user_id"))
    .orderBy("users.name")
    .limit(200)
    .execute();
}
