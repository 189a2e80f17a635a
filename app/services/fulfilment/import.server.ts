import { createHash } from "node:crypto";
import { sql } from "kysely";
import { inTransaction } from "../../../db/transaction.js";
import type { Db, FulfilmentStatus } from "../../../db/schema.js";
import { canTransitionFulfilment } from "../../domain/fulfilment";
import { isUuid } from "../../domain/ids";
import {
  checkImportRows,
  IMPORT_MAX_ROWS,
  parseCsv,
  type ImportRow,
  type ImportRowError,
} from "../../domain/tracking-import";
import { ensureFulfilments, transitionFulfilment } from "../../models/fulfilment-state.server";
import { lockCampaignFulfilment } from "../../models/fulfilment.server";
import { queueShippedEmail } from "./notify.server";

// The CSV import of tracking numbers, in two steps. Preview: every row checked (alone, against
// the others, and against the campaign's pledges and their statuses), and a fingerprint of the
// statuses it read. Apply: in ONE transaction, the rows' fulfilments locked, everything checked
// again and the fingerprint compared; any error or any change since the preview and nothing is
// applied; otherwise every row is shipped (and its backer emailed) or, on a failure, none is.

export interface ImportPlan {
  /** The file could not be read as CSV at all. */
  unreadable: boolean;
  /** Rows checked, with their pledges; applied only when `errors` is empty. */
  rows: Array<ImportRow & { pledgeId: string; backerName: string; status: FulfilmentStatus }>;
  errors: ImportRowError[];
  fingerprint: string;
}

interface Match {
  pledge_id: string;
  campaign_id: string;
  status: FulfilmentStatus | null;
  updated: string | null;
  backer_name: string;
}

async function matchReferences(db: Db, campaignId: string, rows: ImportRow[], lock: boolean) {
  const ids = rows.map((r) => r.reference).filter((r) => isUuid(r));
  const shorts = rows.map((r) => r.reference).filter((r) => !isUuid(r));
  const base = () =>
    db
      .selectFrom("pledges as p")
      .innerJoin("users as u", "u.id", "p.backer_id")
      .leftJoin("fulfilments as f", "f.pledge_id", "p.id")
      .select([
        "p.id as pledge_id",
        "p.campaign_id",
        "f.status",
        sql<string | null>`f.updated_at::text`.as("updated"),
        "u.name as backer_name",
      ]);
  const read = async () => ({
    byId: ids.length > 0 ? ((await base().where("p.id", "in", ids).execute()) as Match[]) : [],
    byShort:
      shorts.length > 0
        ? ((await base()
            .where("p.campaign_id", "=", campaignId)
            .where(sql<boolean>`left(p.id::text, 8) in (${sql.join(shorts)})`)
            .execute()) as Match[])
        : [],
  });
  const first = await read();
  if (!lock) return first;
  // Locked in one order (by id) so two imports touching the same pledges cannot deadlock, then
  // read again: what another transaction committed while this one waited is what counts.
  const mine = [...first.byId, ...first.byShort]
    .filter((m) => m.campaign_id === campaignId && m.status)
    .map((m) => m.pledge_id);
  if (mine.length === 0) return first;
  await db
    .selectFrom("fulfilments")
    .select("pledge_id")
    .where("pledge_id", "in", [...new Set(mine)].sort())
    .orderBy("pledge_id")
    .forUpdate()
    .execute();
  return read();
}

/** Checks a file against the campaign; `lock` (inside a transaction) locks the rows it matched. */
async function plan(
  db: Db,
  { campaignId, csv: raw, lock }: { campaignId: string; csv: string; lock: boolean },
): Promise<ImportPlan> {
  // Line breaks as one: a browser sends the file back from the preview page with CRLF.
  const csv = raw.replace(/\r\n?/g, "\n");
  const parsed = parseCsv(csv);
  if (!parsed) return { unreadable: true, rows: [], errors: [], fingerprint: "" };
  const checked = checkImportRows(parsed.slice(0, IMPORT_MAX_ROWS + 1));
  const errors = [...checked.errors];
  const { byId, byShort } = await matchReferences(db, campaignId, checked.rows, lock);
  const rows: ImportPlan["rows"] = [];
  const seenPledges = new Map<string, number>();
  for (const row of checked.rows) {
    const candidates = isUuid(row.reference)
      ? byId.filter((m) => m.pledge_id === row.reference)
      : byShort.filter((m) => m.pledge_id.startsWith(row.reference));
    const match = candidates[0];
    if (!match) errors.push({ row: row.row, code: "unknownReference", detail: row.reference.toUpperCase() });
    else if (candidates.length > 1)
      errors.push({ row: row.row, code: "ambiguousReference", detail: row.reference.toUpperCase() });
    else if (match.campaign_id !== campaignId)
      errors.push({ row: row.row, code: "otherCampaign", detail: row.reference });
    else if (seenPledges.has(match.pledge_id))
      // The same pledge by its id on one row and its short reference on another.
      errors.push({ row: row.row, code: "duplicateReference", detail: row.reference.toUpperCase() });
    else if (!match.status || !canTransitionFulfilment(match.status, "shipped"))
      errors.push({ row: row.row, code: "cannotShip", detail: match.status ?? "none" });
    else rows.push({ ...row, pledgeId: match.pledge_id, backerName: match.backer_name, status: match.status });
    if (match) seenPledges.set(match.pledge_id, row.row);
  }
  if (parsed.length > IMPORT_MAX_ROWS + 1) errors.push({ row: IMPORT_MAX_ROWS + 2, code: "tooLong" });
  errors.sort((a, b) => a.row - b.row);
  const states = [...byId, ...byShort]
    .filter((m) => m.campaign_id === campaignId)
    .map((m) => `${m.pledge_id}:${m.status ?? "-"}:${m.updated ?? "-"}`)
    .sort();
  const fingerprint = createHash("sha256").update(csv).update("\n").update(states.join("\n")).digest("hex");
  return { unreadable: false, rows, errors, fingerprint };
}

export async function previewImport(db: Db, { campaignId, csv }: { campaignId: string; csv: string }) {
  await ensureFulfilments(db, campaignId);
  return plan(db, { campaignId, csv, lock: false });
}

export type ApplyResult = { ok: true; applied: number } | { ok: false; reason: "errors" | "changed"; plan: ImportPlan };

/** Applies every row of the file in one transaction, or none. */
export async function applyImport(
  db: Db,
  { campaignId, csv, fingerprint, actorId }: { campaignId: string; csv: string; fingerprint: string; actorId: string },
): Promise<ApplyResult> {
  return inTransaction(db, async (trx) => {
    const again = await plan(trx, { campaignId, csv, lock: true });
    if (again.unreadable || again.errors.length > 0 || again.rows.length === 0)
      return { ok: false as const, reason: "errors" as const, plan: again };
    if (again.fingerprint !== fingerprint) return { ok: false as const, reason: "changed" as const, plan: again };
    for (const row of again.rows) {
      const f = (await lockCampaignFulfilment(trx, { campaignId, pledgeId: row.pledgeId }))!;
      const moved = await transitionFulfilment(trx, {
        pledgeId: row.pledgeId,
        to: "shipped",
        actorId,
        note: "import",
        set: {
          carrier: row.carrier,
          tracking_number: row.trackingNumber,
          tracking_url: row.trackingUrl,
          shipped_at: row.shippedAt,
          delivered_at: null,
        },
      });
      await queueShippedEmail(trx, f, moved.eventId, {
        carrier: row.carrier,
        trackingNumber: row.trackingNumber,
        trackingUrl: row.trackingUrl,
        shippedAt: row.shippedAt,
      });
    }
    return { ok: true as const, applied: again.rows.length };
  });
}
