import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { parseQueueFilters } from "~/domain/reconciliation-items";
import { requireRole } from "~/services/accounts/auth.server";
import { queueCsvRows } from "~/services/finance/reconciliation/queue-view.server";
import { toCsv } from "~/web/csv";
import { requestTranslator } from "~/web/locale.server";

/**
 * The reconciliation queue as CSV: the items the page's filters select (same query string), in
 * the request's language for the words, with amounts in minor units beside their currency code,
 * through the shared formula-safe encoder. Filters that cannot be read: 400 with why.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const parsed = parseQueueFilters(new URL(request.url).searchParams, t);
  if (!parsed.ok) {
    return new Response(Object.values(parsed.errors).join("\n"), {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const rows = await queueCsvRows(await getDb(), { filters: parsed.filters, userId: user.id, t });
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${t("reconciliation:csv.filename")}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
