import type { FulfilmentStatus } from "../../db/schema.js";
import { IllegalTransitionError } from "~/domain/campaign-states";
import {
  assertFulfilmentTransition,
  canTransitionFulfilment,
  FULFILMENT_TRANSITIONS,
  owesReward,
} from "~/domain/fulfilment";
import { FULFILMENT_STATUSES, isHttpsUrl, parseShipDate, shortReference } from "~/domain/fulfilment-forms";
import { checkImportRows, parseCsv } from "~/domain/tracking-import";

// The rules of fulfilment with no database: the table of moves, the links and dates a creator
// types, and the CSV of tracking numbers.

describe("the fulfilment moves", () => {
  const legal: Array<[FulfilmentStatus, FulfilmentStatus]> = [
    ["awaiting_survey", "ready"],
    ["awaiting_survey", "shipped"],
    ["awaiting_survey", "delivered"],
    ["ready", "awaiting_survey"],
    ["ready", "shipped"],
    ["ready", "delivered"],
    ["shipped", "delivered"],
    ["shipped", "received"],
    ["shipped", "problem"],
    ["delivered", "received"],
    ["delivered", "problem"],
    ["received", "problem"],
    ["problem", "shipped"],
    ["problem", "delivered"],
    ["problem", "received"],
  ];

  it("allows exactly the listed moves", () => {
    const all = FULFILMENT_STATUSES.flatMap((from) => FULFILMENT_STATUSES.map((to) => [from, to] as const));
    const allowed = all.filter(([from, to]) => canTransitionFulfilment(from, to));
    expect(allowed).toEqual(legal);
    expect(Object.keys(FULFILMENT_TRANSITIONS).sort()).toEqual([...FULFILMENT_STATUSES].sort());
  });

  it("refuses anything else with an error, never silently", () => {
    expect(() => assertFulfilmentTransition("received", "shipped")).toThrow(IllegalTransitionError);
    expect(() => assertFulfilmentTransition("shipped", "shipped")).toThrow(IllegalTransitionError);
    expect(() => assertFulfilmentTransition("awaiting_survey", "received")).toThrow(IllegalTransitionError);
    expect(() => assertFulfilmentTransition("ready", "shipped")).not.toThrow();
  });

  it("owes a reward once the money is in", () => {
    expect(owesReward("collected", "at_deadline")).toBe(true);
    expect(owesReward("partially_refunded", "at_deadline")).toBe(true);
    expect(owesReward("active", "at_deadline")).toBe(false);
    expect(owesReward("active", "immediate")).toBe(true);
    expect(owesReward("refunded", "immediate")).toBe(false);
  });
});

describe("what the creator types", () => {
  it("takes https links only", () => {
    expect(isHttpsUrl("https://tools.usps.com/go/TrackConfirmAction?tLabels=1")).toBe(true);
    expect(isHttpsUrl("http://track.example/1")).toBe(false);
    expect(isHttpsUrl("javascript:alert(1)")).toBe(false);
    expect(isHttpsUrl("https://localhost/x")).toBe(false);
    expect(isHttpsUrl("https://a.example/ x")).toBe(false);
  });

  it("takes real shipping dates, not future ones", () => {
    const now = new Date("2026-12-02T10:00:00Z");
    expect(parseShipDate("2026-12-01", now)?.toISOString()).toBe("2026-12-01T12:00:00.000Z");
    expect(parseShipDate("2026-02-30", now)).toBeNull();
    expect(parseShipDate("2026-12-09", now)).toBeNull();
    expect(parseShipDate("01/12/2026", now)).toBeNull();
    expect(parseShipDate("1999-12-31", now)).toBeNull();
  });

  it("shows a short reference of a pledge", () => {
    expect(shortReference("3f2a9c1e-0000-4000-8000-000000000000")).toBe("3F2A9C1E");
  });
});

describe("the CSV of tracking numbers", () => {
  it("reads quoted fields, doubled quotes, CRLF and a byte order mark", () => {
    expect(parseCsv('\uFEFFa,"b, c","say ""hi"""\r\n1,2,3')).toEqual([
      ["a", "b, c", 'say "hi"'],
      ["1", "2", "3"],
    ]);
    expect(parseCsv('a,"open')).toBeNull();
    expect(parseCsv("a\u0000b")).toBeNull();
  });

  it("skips a header and blank lines, numbering rows as the file does", () => {
    const now = new Date("2026-12-02T10:00:00Z");
    const rows = parseCsv(
      ["reference,carrier,tracking,url,date", "", "ABCDEF12,UPS,1Z,,2026-12-01", "abcdef12,UPS,1Y,,2026-12-01"].join(
        "\n",
      ),
    )!;
    const checked = checkImportRows(rows, now);
    expect(checked.rows.map((r) => [r.row, r.reference])).toEqual([[3, "abcdef12"]]);
    expect(checked.errors).toEqual([{ row: 4, code: "duplicateReference", detail: "abcdef12" }]);
  });
});
