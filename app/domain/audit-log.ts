import { z } from "zod";
import type { Translate } from "./locale";

// The finance desk's audit log (issue 17): what its filters accept, and what of a row may be
// shown. The log is written by every part of the site (recordAudit), so a row can name a backer:
// their address as the subject of a failed sign-in, an address or a name in a detail. The desk
// sees staff by name and email and everyone else by account id only, and never an email address,
// postal address or name of anyone else, whatever the row holds.

/** Rows on one page of the log. */
export const AUDIT_PAGE_SIZE = 50;
/** The most rows one CSV export carries; a longer filter's file says so in its last row. */
export const AUDIT_CSV_LIMIT = 100_000;

/** Who the person filter means: no actor (the system, a CLI), one account, or a search. */
export type PersonFilter =
  { kind: "system" } | { kind: "id"; id: string } | { kind: "email"; email: string } | { kind: "search"; text: string };

export interface AuditFilter {
  person?: PersonFilter;
  /** As typed, for the form and the CSV link. */
  personText?: string;
  action?: string;
  type?: string;
  id?: string;
  /** Inclusive UTC days, as YYYY-MM-DD. */
  from?: string;
  to?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day as YYYY-MM-DD that exists (no 31 April), else undefined. */
export function parseDay(text: string): Date | undefined {
  const m = DAY.exec(text);
  if (!m) return undefined;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return at.toISOString().slice(0, 10) === text ? at : undefined;
}

export function personFilterOf(typed: string): PersonFilter {
  const text = typed.trim();
  if (text.toLowerCase() === "system") return { kind: "system" };
  if (UUID.test(text)) return { kind: "id", id: text.toLowerCase() };
  if (/^[^\s@]+@[^\s@]+$/.test(text)) return { kind: "email", email: text.toLowerCase() };
  return { kind: "search", text };
}

const optionalText = (max: number, message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z.string().max(max, message).optional(),
  );

/**
 * The filter form (a GET form: the browser and the loader parse the same query). `actions` and
 * `types` are what the select offers; anything else is refused at its field.
 */
export function auditFilterSchema(t: Translate, { actions, types }: { actions: string[]; types: string[] }) {
  const day = () =>
    optionalText(10, t("audit:validation.date")).refine(
      (v) => v === undefined || parseDay(v) !== undefined,
      t("audit:validation.date"),
    );
  return z
    .object({
      person: optionalText(200, t("audit:validation.personLong")),
      action: optionalText(100, t("audit:validation.action")).refine(
        (v) => v === undefined || actions.includes(v),
        t("audit:validation.action"),
      ),
      type: optionalText(60, t("audit:validation.type")).refine(
        (v) => v === undefined || types.includes(v),
        t("audit:validation.type"),
      ),
      id: optionalText(200, t("audit:validation.idLong")),
      from: day(),
      to: day(),
      before: optionalText(20, t("audit:validation.cursor")).refine(
        (v) => v === undefined || /^[1-9]\d{0,15}$/.test(v),
        t("audit:validation.cursor"),
      ),
      after: optionalText(20, t("audit:validation.cursor")).refine(
        (v) => v === undefined || /^\d{1,16}$/.test(v),
        t("audit:validation.cursor"),
      ),
    })
    .superRefine((value, ctx) => {
      if (value.id && !value.type)
        ctx.addIssue({ code: "custom", path: ["type"], message: t("audit:validation.typeForId") });
      if (value.from && value.to && value.from > value.to)
        ctx.addIssue({ code: "custom", path: ["to"], message: t("audit:validation.toBeforeFrom") });
    });
}

export type AuditFilterInput = z.infer<ReturnType<typeof auditFilterSchema>>;

export function filterOf(input: AuditFilterInput): AuditFilter {
  return {
    ...(input.person ? { person: personFilterOf(input.person), personText: input.person } : {}),
    ...(input.action ? { action: input.action } : {}),
    ...(input.type ? { type: input.type } : {}),
    ...(input.id ? { id: input.id } : {}),
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
  };
}

/** The filter as query parameters (for the CSV link and the pager), cursors left out. */
export function filterQuery(filter: AuditFilter): URLSearchParams {
  const query = new URLSearchParams();
  if (filter.personText) query.set("person", filter.personText);
  for (const key of ["action", "type", "id", "from", "to"] as const) {
    const value = filter[key];
    if (value) query.set(key, value);
  }
  return query;
}

/** [start, end) of the filter's days in UTC; `to` is inclusive, so its end is the next midnight. */
export function dayRange(filter: Pick<AuditFilter, "from" | "to">) {
  const from = filter.from ? parseDay(filter.from) : undefined;
  const to = filter.to ? parseDay(filter.to) : undefined;
  return { start: from, end: to ? new Date(to.getTime() + 24 * 3600_000) : undefined };
}

// What may never leave the log for the desk's page or file.
const PERSONAL_KEY = /e-?mail|address|name|phone|street|postal|postcode|zip|city|recipient/i;
const EMAIL_IN_TEXT = /[^\s@<>"',;:()]+@[^\s@<>"',;:()]+\.[^\s@<>"',;:()]+/g;
/** Subjects whose id is itself personal data (a failed sign-in records the address typed). */
const PERSONAL_SUBJECTS = new Set(["email"]);

export const HIDDEN = "[hidden]";

/** Free text with every email address in it replaced. */
export function redactText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, HIDDEN);
}

/** The subject's id as the desk may see it. */
export function shownSubjectId(type: string | null, id: string | null): string | null {
  if (id === null) return null;
  return type !== null && PERSONAL_SUBJECTS.has(type) ? HIDDEN : redactText(id);
}

/**
 * A row's detail as a compact "key: value" list, nested keys joined with dots, with personal keys
 * and any email address in a value hidden.
 */
export function compactDetail(detail: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (value: unknown, path: string) => {
    if (path && PERSONAL_KEY.test(path.split(".").pop()!)) {
      out.push([path, HIDDEN]);
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && path) out.push([path, "{}"]);
      for (const [key, inner] of entries) walk(inner, path ? `${path}.${key}` : key);
    } else if (Array.isArray(value)) {
      out.push([
        path,
        value
          .map((v) => (v !== null && typeof v === "object" ? JSON.stringify(v) : String(v)))
          .map(redactText)
          .join(", "),
      ]);
    } else {
      out.push([path || "value", redactText(String(value))]);
    }
  };
  walk(detail ?? {}, "");
  return out;
}

/** The compact detail on one line (the CSV's cell, the page's title text). */
export function detailLine(detail: unknown): string {
  return compactDetail(detail)
    .map(([key, value]) => `${key}: ${value}`)
    .join("; ");
}

/**
 * Where the finance desk shows a subject, when it has a page for it: a pledge's page, a campaign's
 * statement, the reconciliation, a closed month.
 */
export function subjectLink(type: string | null, id: string | null): string | null {
  if (!type || !id) return null;
  if (type === "pledge" && UUID.test(id)) return `/finance/pledges/${id}`;
  if (type === "campaign" && UUID.test(id)) return `/finance/campaigns/${id}`;
  if (type === "reconciliation_run") return "/finance/reconciliation";
  if (type === "period" && /^\d{4}-\d{2}$/.test(id)) return `/finance/periods#period-${id}`;
  return null;
}
