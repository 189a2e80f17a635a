import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireRole } from "~/services/accounts/auth.server";
import { frozenPeriod } from "~/services/finance/period-close.server";
import { toCsv, type CsvValue } from "~/web/csv";
import { requestTranslator } from "~/web/locale.server";
import { notFound } from "~/web/responses";

/**
 * A closed month's frozen journal lines as CSV, straight from the stored document (not from the
 * journal), one row per line by line id. Column names are the same in every language.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const frozen = await frozenPeriod(await getDb(), { month: String(params.month ?? "") });
  if (!frozen) notFound(t("audit:notFound"));
  const h = (key: string) => t(`audit:linesCsv.headers.${key}`);
  const rows: CsvValue[][] = [
    [
      h("line"),
      h("transaction"),
      h("createdAt"),
      h("kind"),
      h("campaign"),
      h("pledge"),
      h("account"),
      h("amount"),
      h("side"),
      h("currency"),
      h("segment"),
      h("stripeObject"),
    ],
    ...frozen.document.lines.map((l) => [
      l.line,
      l.transaction,
      l.createdAt,
      l.kind,
      l.campaign,
      l.pledge,
      l.account,
      // Unsigned with its side, as the statement CSV does: no cell starts with a minus sign that
      // the formula guard would have to escape.
      Math.abs(l.amount),
      l.amount > 0 ? "debit" : "credit",
      l.currency.toUpperCase(),
      l.late ? "late" : "settlement",
      l.stripeObject,
    ]),
  ];
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${frozen.close.month}-${t("audit:linesCsv.filename")}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Checksum-Sha256": frozen.close.checksum,
    },
  });
}
