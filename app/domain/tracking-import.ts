import { CARRIER_MAX, isHttpsUrl, parseShipDate, TRACKING_NUMBER_MAX } from "./fulfilment-forms";
import { isUuid } from "./ids";

// The CSV of tracking numbers a creator uploads (from their shipping house): read as RFC 4180
// says, one shipment per row: pledge reference (the pledge id or the export's short reference),
// carrier, tracking number, tracking URL, shipped date (YYYY-MM-DD). A first row that is not a
// reference is the header. Pure: the checks that need no database, per row with its number.

export const IMPORT_MAX_BYTES = 512 * 1024;
export const IMPORT_MAX_ROWS = 5_000;

export type ImportErrorCode =
  | "missingReference"
  | "badReference"
  | "unknownReference"
  | "ambiguousReference"
  | "otherCampaign"
  | "cannotShip"
  | "duplicateReference"
  | "missingCarrier"
  | "missingTracking"
  | "tooLong"
  | "badUrl"
  | "badDate";

export interface ImportRowError {
  /** The row's line in the file, counting the header as 1. */
  row: number;
  code: ImportErrorCode;
  /** What the message names: the reference, or the current status. */
  detail?: string;
}

export interface ImportRow {
  row: number;
  reference: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  shippedAt: Date;
}

/** Rows of fields; null when the text is not CSV (an unterminated quote, a NUL byte). */
export function parseCsv(text: string): string[][] | null {
  if (text.includes("\u0000")) return null;
  const input = text.replace(/^\uFEFF/, "");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && input[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (quoted) return null;
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export const isShortReference = (value: string) => /^[0-9A-F]{8}$/i.test(value);

/**
 * Checks each row alone and against the others (a reference twice in the file). Returns the
 * rows that passed and the errors, in file order; blank lines are skipped.
 */
export function checkImportRows(
  rows: string[][],
  now: Date = new Date(),
): { rows: ImportRow[]; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const good: ImportRow[] = [];
  const seen = new Map<string, number>();
  const first = rows[0]?.[0]?.trim() ?? "";
  const start = first && !isUuid(first.toLowerCase()) && !isShortReference(first) ? 1 : 0;
  for (let i = start; i < rows.length; i++) {
    const cells = rows[i]!.map((c) => c.trim());
    if (cells.every((c) => c === "")) continue;
    const row = i + 1;
    const [reference = "", carrier = "", trackingNumber = "", trackingUrl = "", shippedOn = ""] = cells;
    const rowErrors: ImportRowError[] = [];
    const ref = reference.toLowerCase();
    if (!reference) rowErrors.push({ row, code: "missingReference" });
    else if (!isUuid(ref) && !isShortReference(reference))
      rowErrors.push({ row, code: "badReference", detail: reference.slice(0, 40) });
    else if (seen.has(ref)) rowErrors.push({ row, code: "duplicateReference", detail: reference });
    if (reference) seen.set(ref, row);
    if (!carrier) rowErrors.push({ row, code: "missingCarrier" });
    if (!trackingNumber) rowErrors.push({ row, code: "missingTracking" });
    if (carrier.length > CARRIER_MAX || trackingNumber.length > TRACKING_NUMBER_MAX)
      rowErrors.push({ row, code: "tooLong" });
    if (trackingUrl && !isHttpsUrl(trackingUrl)) rowErrors.push({ row, code: "badUrl" });
    const shippedAt = parseShipDate(shippedOn, now);
    if (!shippedAt) rowErrors.push({ row, code: "badDate", detail: shippedOn.slice(0, 20) });
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else
      good.push({
        row,
        reference: ref,
        carrier,
        trackingNumber,
        trackingUrl: trackingUrl || null,
        shippedAt: shippedAt!,
      });
  }
  return { rows: good, errors };
}
