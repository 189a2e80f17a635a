import { z } from "zod";
import type { ReconciliationItemStatus } from "../../db/schema.js";
import { isUuid } from "./ids";
import type { Translate } from "./locale";

// The reconciliation queue's pure rules: what identifies a problem across runs, the statuses and
// the moves a finance user may make between them (a table), the forms (one zod schema each) and
// the queue's filters.

export const ITEM_STATUSES = [
  "open",
  "investigating",
  "resolved",
  "auto_resolved",
] as const satisfies readonly ReconciliationItemStatus[];

export function isItemStatus(value: unknown): value is ReconciliationItemStatus {
  return typeof value === "string" && (ITEM_STATUSES as readonly string[]).includes(value);
}

/** Every mismatch kind a run can find (their words: mismatchLabel in domain/finance.ts). */
export const MISMATCH_KINDS = [
  "charge_missing_in_stripe",
  "charge_not_succeeded",
  "charge_amount_differs",
  "fee_amount_differs",
  "fee_missing_in_stripe",
  "charge_not_booked",
  "refund_missing_in_stripe",
  "refund_not_succeeded",
  "refund_amount_differs",
  "refund_not_booked",
  "payout_missing_in_stripe",
  "payout_amount_differs",
  "transfer_not_booked",
  "dispute_missing_in_stripe",
  "dispute_amount_differs",
  "dispute_not_booked",
] as const;

/**
 * What a mismatch is about, so that the same problem seen by two runs is one item: the booked
 * Stripe object for a ledger-side difference, the Stripe object for money the ledger does not
 * know, else the pledge, else the campaign. (The backfill migration 0027 froze the same rule.)
 */
export function mismatchSubject(m: {
  ledgerObjectId: string | null;
  stripeObjectId: string | null;
  pledgeId: string | null;
  campaignId: string | null;
  detail: string;
}): string {
  return (
    m.ledgerObjectId ??
    m.stripeObjectId ??
    (m.pledgeId
      ? `pledge:${m.pledgeId}`
      : m.campaignId
        ? `campaign:${m.campaignId}`
        : `detail:${m.detail.slice(0, 200)}`)
  );
}

/** What a finance user does to an item. */
export type ItemAction = "take" | "release" | "resolve" | "reopen";

export const ITEM_ACTIONS = ["take", "release", "resolve", "reopen"] as const satisfies readonly ItemAction[];

/** The moves a person makes, as a table: from which statuses, to which. Runs make the others. */
export const ITEM_MOVES: Record<
  ItemAction,
  { from: readonly ReconciliationItemStatus[]; to: ReconciliationItemStatus }
> = {
  take: { from: ["open"], to: "investigating" },
  release: { from: ["investigating"], to: "open" },
  resolve: { from: ["open", "investigating"], to: "resolved" },
  reopen: { from: ["resolved", "auto_resolved"], to: "open" },
};

/** The actions a finance user may take on an item in this status (the buttons the page shows). */
export function actionsFor(status: ReconciliationItemStatus): ItemAction[] {
  return ITEM_ACTIONS.filter((a) => ITEM_MOVES[a].from.includes(status));
}

export const NOTE_MIN = 3;
export const NOTE_MAX = 500;

const expected = (t: Translate) => z.enum(ITEM_STATUSES, { error: t("reconciliation:validation.expected") });

const note = (t: Translate) =>
  z
    .string({ error: t("reconciliation:validation.noteRequired") })
    .trim()
    .min(NOTE_MIN, t("reconciliation:validation.noteTooShort", { min: NOTE_MIN }))
    .max(NOTE_MAX, t("reconciliation:validation.noteTooLong", { max: NOTE_MAX }));

/** Resolving: a note is required (what was found and done). */
export function resolveItemSchema(t: Translate) {
  return z.object({ intent: z.literal("resolve"), expected: expected(t), note: note(t) });
}

/** Reopening: a note is optional. */
export function reopenItemSchema(t: Translate) {
  return z.object({
    intent: z.literal("reopen"),
    expected: expected(t),
    note: z
      .string()
      .trim()
      .max(NOTE_MAX, t("reconciliation:validation.noteTooLong", { max: NOTE_MAX }))
      .optional(),
  });
}

/**
 * An action on an item. `expected` is the status the form was drawn with: when someone else moved
 * the item meanwhile the action is refused (409) rather than applied to what the user did not see.
 */
export function itemActionSchema(t: Translate) {
  return z.discriminatedUnion(
    "intent",
    [
      z.object({ intent: z.literal("take"), expected: expected(t) }),
      z.object({ intent: z.literal("release"), expected: expected(t) }),
      resolveItemSchema(t),
      reopenItemSchema(t),
    ],
    { error: t("reconciliation:validation.unknownAction") },
  );
}

export type ItemActionInput = z.infer<ReturnType<typeof itemActionSchema>>;

// --- The queue's filters --------------------------------------------------------------------

/** The status filter: one status, the default "active" (open and investigating), or all. */
export const STATUS_FILTERS = ["active", ...ITEM_STATUSES, "all"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const ASSIGNEE_FILTERS = ["anyone", "mine", "unassigned"] as const;
export type AssigneeFilter = (typeof ASSIGNEE_FILTERS)[number];

export interface QueueFilters {
  status: StatusFilter;
  kind: string | null;
  campaign: string | null;
  assignee: AssigneeFilter;
}

export const DEFAULT_FILTERS: QueueFilters = { status: "active", kind: null, campaign: null, assignee: "anyone" };

/** The statuses a status filter lets through. */
export function statusesOf(filter: StatusFilter): readonly ReconciliationItemStatus[] {
  if (filter === "active") return ["open", "investigating"];
  if (filter === "all") return ITEM_STATUSES;
  return [filter];
}

/**
 * Reads the queue's filters from a query string. Missing or empty means the default; anything
 * else not on the lists is refused with a message per field (the page answers 400).
 */
export function parseQueueFilters(
  search: URLSearchParams,
  t: Translate,
):
  | { ok: true; filters: QueueFilters }
  | { ok: false; filters: QueueFilters; errors: Partial<Record<keyof QueueFilters, string>> } {
  const read = (name: string) => {
    const values = search.getAll(name).filter((v) => v !== "");
    return values.length ? values : null;
  };
  const errors: Partial<Record<keyof QueueFilters, string>> = {};
  const filters: QueueFilters = { ...DEFAULT_FILTERS };
  const one = (name: keyof QueueFilters, accept: (v: string) => boolean, message: string) => {
    const values = read(name);
    if (!values) return null;
    if (values.length > 1 || !accept(values[0]!)) {
      errors[name] = message;
      return null;
    }
    return values[0]!;
  };
  const status = one(
    "status",
    (v) => (STATUS_FILTERS as readonly string[]).includes(v),
    t("reconciliation:validation.status"),
  );
  if (status) filters.status = status as StatusFilter;
  const kind = one(
    "kind",
    (v) => (MISMATCH_KINDS as readonly string[]).includes(v),
    t("reconciliation:validation.kind"),
  );
  if (kind) filters.kind = kind;
  const campaign = one("campaign", (v) => isUuid(v), t("reconciliation:validation.campaign"));
  if (campaign) filters.campaign = campaign;
  const assignee = one(
    "assignee",
    (v) => (ASSIGNEE_FILTERS as readonly string[]).includes(v),
    t("reconciliation:validation.assignee"),
  );
  if (assignee) filters.assignee = assignee as AssigneeFilter;
  return Object.keys(errors).length ? { ok: false, filters, errors } : { ok: true, filters };
}

/** The filters as a query string (for the CSV link and the item page's way back), defaults left out. */
export function filtersQuery(filters: QueueFilters): string {
  const params = new URLSearchParams();
  if (filters.status !== DEFAULT_FILTERS.status) params.set("status", filters.status);
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.campaign) params.set("campaign", filters.campaign);
  if (filters.assignee !== DEFAULT_FILTERS.assignee) params.set("assignee", filters.assignee);
  const query = params.toString();
  return query ? `?${query}` : "";
}
