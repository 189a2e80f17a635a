import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireRole } from "~/services/accounts/auth.server";
import { frozenPeriod } from "~/services/finance/period-close.server";
import { toCsv, type CsvValue } from "~/web/csv";
import { requestTranslator } from "~/web/locale.server";
import { notFound } from "~/web/responses";

/**
 * A closed month's frozen statement rows as CSV, from the stored document: one row per campaign,
 * segment, currency and statement figure, with the month's movement and the running figure at the
 * month's end (signed minor units). The campaign's title is today's, for the reader; it is not
 * part of the frozen document.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const db = await getDb();
  const frozen = await frozenPeriod(db, { month: String(params.month ?? "") });
  if (!frozen) notFound(t("audit:notFound"));
  const ids = [...new Set(frozen.document.statements.map((s) => s.campaign))];
  const titles = new Map(
    ids.length === 0
      ? []
      : (await db.selectFrom("campaigns").select(["id", "title"]).where("id", "in", ids).execute()).map((c) => [
          c.id,
          c.title,
        ]),
  );
  const h = (key: string) => t(`audit:statementsCsv.headers.${key}`);
  const rows: CsvValue[][] = [
    [
      h("month"),
      h("campaign"),
      h("title"),
      h("segment"),
      h("currency"),
      h("lines"),
      h("figure"),
      h("inMonth"),
      h("atMonthEnd"),
    ],
  ];
  for (const s of frozen.document.statements) {
    for (const figure of Object.keys(s.atMonthEnd).sort()) {
      rows.push([
        frozen.document.month,
        s.campaign,
        titles.get(s.campaign) ?? "",
        s.segment,
        s.currency.toUpperCase(),
        s.linesInMonth,
        figure,
        // A figure as a signed number: negative values are written as text by the formula guard.
        s.inMonth[figure] ?? 0,
        s.atMonthEnd[figure] ?? 0,
      ]);
    }
  }
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${frozen.close.month}-${t("audit:statementsCsv.filename")}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Checksum-Sha256": frozen.close.checksum,
    },
  });
}
