import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireRole } from "~/services/accounts/auth.server";
import { frozenPeriod } from "~/services/finance/period-close.server";
import { requestTranslator } from "~/web/locale.server";
import { notFound } from "~/web/responses";

/**
 * A closed month's frozen document, byte for byte as stored: `sha256sum` of the file is the
 * checksum the periods page shows.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const frozen = await frozenPeriod(await getDb(), { month: String(params.month ?? "") });
  if (!frozen) notFound(t("audit:notFound"));
  return new Response(frozen.close.document, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="period-${frozen.close.month}.json"`,
      "Cache-Control": "private, no-store",
      "X-Checksum-Sha256": frozen.close.checksum,
    },
  });
}
