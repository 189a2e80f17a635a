import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import type { Db } from "../../../db/schema.js";
import {
  AUDIT_CSV_LIMIT,
  auditFilterSchema,
  compactDetail,
  detailLine,
  filterOf,
  redactText,
  shownSubjectId,
  subjectLink,
  type AuditFilter,
} from "../../domain/audit-log";
import type { Locale, Translate } from "../../domain/locale";
import { CATALOGUES } from "../../i18n";
import {
  latestAuditId,
  listAuditActions,
  listAuditLog,
  listAuditSubjectTypes,
  type AuditLogRow,
} from "../../models/audit-log.server";
import { csvRow, type CsvValue } from "../../web/csv";

// The audit log as the finance desk reads it: the filter form's choices, the filter parsed from
// the query, and each row worded for the page and the CSV with nothing personal about a backer.

export interface AuditChoices {
  actions: Array<{ value: string; label: string }>;
  types: Array<{ value: string; label: string }>;
}

/** The actions and object types the selects offer: every one the code writes, and any in the log. */
export async function auditChoices(db: Db, locale: Locale): Promise<AuditChoices> {
  const words = CATALOGUES[locale].audit;
  const [actions, types] = await Promise.all([listAuditActions(db), listAuditSubjectTypes(db)]);
  const allActions = [...new Set([...Object.keys(words.actions), ...actions])];
  const allTypes = [...new Set([...Object.keys(words.subjects), ...types])];
  const label = (map: Record<string, string>, key: string) => map[key] ?? key;
  return {
    actions: allActions
      .map((value) => ({ value, label: label(words.actions, value) }))
      .sort((a, b) => a.label.localeCompare(b.label, locale)),
    types: allTypes
      .map((value) => ({ value, label: label(words.subjects, value) }))
      .sort((a, b) => a.label.localeCompare(b.label, locale)),
  };
}

export type ParsedAuditQuery =
  | { ok: true; filter: AuditFilter; before?: number; after?: number; reply: SubmissionResult<string[]> }
  | { ok: false; reply: SubmissionResult<string[]>; problems: string[] };

/** The filter in a query string, checked against the choices; a refusal names each bad field. */
export function parseAuditQuery(params: URLSearchParams, choices: AuditChoices, t: Translate): ParsedAuditQuery {
  const schema = auditFilterSchema(t, {
    actions: choices.actions.map((a) => a.value),
    types: choices.types.map((a) => a.value),
  });
  const submission = parseWithZod(params, { schema });
  if (submission.status !== "success") {
    const reply = submission.reply();
    const problems = Object.values(reply.error ?? {})
      .flat()
      .filter((m): m is string => typeof m === "string");
    return { ok: false, reply, problems };
  }
  const { before, after } = submission.value;
  return {
    ok: true,
    filter: filterOf(submission.value),
    before: before ? Number(before) : undefined,
    after: after && !before ? Number(after) : undefined,
    reply: submission.reply(),
  };
}

/** One row as the desk shows it: words in the reader's language, personal data left out. */
export function presentAuditRow(row: AuditLogRow, locale: Locale) {
  const words = CATALOGUES[locale].audit;
  const actions: Record<string, string> = words.actions;
  const subjects: Record<string, string> = words.subjects;
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor_id
      ? row.actor_is_staff
        ? { kind: "staff" as const, id: row.actor_id, name: row.actor_name ?? "", email: row.actor_email ?? "" }
        : { kind: "account" as const, id: row.actor_id }
      : { kind: "system" as const },
    action: row.action,
    actionLabel: actions[row.action] ?? row.action,
    subject: row.subject_type
      ? {
          type: row.subject_type,
          typeLabel: subjects[row.subject_type] ?? row.subject_type,
          id: shownSubjectId(row.subject_type, row.subject_id),
          href: subjectLink(row.subject_type, row.subject_id),
        }
      : null,
    reason: row.reason === null ? null : redactText(row.reason),
    detail: compactDetail(row.detail),
    ip: row.ip,
  };
}

export type AuditRowView = ReturnType<typeof presentAuditRow>;

const CSV_BATCH = 500;

/**
 * The filtered log as CSV, newest first, streamed in batches read by id (each its own short
 * query), up to AUDIT_CSV_LIMIT rows; a longer result ends with a row saying so. Rows written
 * after the export began are left out, so the file is one consistent cut of the log.
 */
export async function auditCsvStream(
  db: Db,
  { filter, locale, t }: { filter: AuditFilter; locale: Locale; t: Translate },
) {
  const upTo = await latestAuditId(db);
  const h = (key: string) => t(`audit:csv.headers.${key}`);
  let before: number | undefined;
  let written = 0;
  let done = false;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(
        encoder.encode(
          csvRow([
            h("id"),
            h("at"),
            h("actorId"),
            h("actorName"),
            h("actorEmail"),
            h("action"),
            h("actionLabel"),
            h("subjectType"),
            h("subjectId"),
            h("reason"),
            h("detail"),
            h("ip"),
          ]),
        ),
      );
    },
    async pull(controller) {
      if (done) return;
      const room = AUDIT_CSV_LIMIT - written;
      const { rows, more } = await listAuditLog(db, { filter, before, upTo, limit: Math.min(CSV_BATCH, room) });
      let chunk = "";
      for (const row of rows) {
        const view = presentAuditRow(row, locale);
        const cells: CsvValue[] = [
          view.id,
          view.at,
          view.actor.kind === "system" ? "" : view.actor.id,
          view.actor.kind === "staff" ? view.actor.name : view.actor.kind === "system" ? "system" : "",
          view.actor.kind === "staff" ? view.actor.email : "",
          view.action,
          view.actionLabel,
          view.subject?.type ?? "",
          view.subject?.id ?? "",
          view.reason ?? "",
          detailLine(row.detail),
          view.ip ?? "",
        ];
        chunk += csvRow(cells);
      }
      written += rows.length;
      before = rows.at(-1)?.id;
      if (!more || rows.length === 0) {
        done = true;
      } else if (written >= AUDIT_CSV_LIMIT) {
        done = true;
        chunk += csvRow(["", "", "", "", "", "", t("audit:csv.truncated", { limit: AUDIT_CSV_LIMIT })]);
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (done) controller.close();
    },
  });
}
