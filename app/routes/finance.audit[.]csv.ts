import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireRole } from "~/services/accounts/auth.server";
import { auditChoices, auditCsvStream, parseAuditQuery } from "~/services/finance/audit-log.server";
import { requestLocale, requestTranslator } from "~/web/locale.server";

/**
 * The audit log as CSV with the page's filter (every matching row, not one page), newest first:
 * RFC 4180 and formula-safe through the shared encoder, ISO timestamps in UTC, the same redaction
 * as the page. A bad filter is a 400 naming the problem, as on the page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const db = await getDb();
  const parsed = parseAuditQuery(new URL(request.url).searchParams, await auditChoices(db, locale), t);
  if (!parsed.ok) {
    return new Response(t("audit:csv.badFilter", { problems: parsed.problems.join(" ") }), {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const body = await auditCsvStream(db, { filter: parsed.filter, locale, t });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${t("audit:csv.filename")}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
