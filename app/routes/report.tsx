import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod/v4";
import { REPORT_OUTCOME_PARAM, REPORTED_SUBJECT_PARAM } from "~/components/report-form";
import { getDb } from "~/db.server";
import { reportSchema } from "~/domain/moderation";
import { requireParticipant } from "~/services/accounts/auth.server";
import { reportSubject } from "~/services/moderation/reports.server";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import { safeRedirect } from "~/web/safe-redirect";

// Where the Report control posts (app/components/report-form.tsx). There is nothing to GET.
export function loader() {
  throw new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireParticipant(request);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: reportSchema(t) });
  // Remix's own fetches carry ?_data; a plain form post (no JavaScript) goes back to the page.
  const fromFetcher = new URL(request.url).searchParams.has("_data");
  const back = (outcome: string) => {
    const target = new URL(safeRedirect(form.get("redirectTo")), "http://colecta.invalid");
    target.searchParams.set(REPORT_OUTCOME_PARAM, outcome);
    target.searchParams.set(REPORTED_SUBJECT_PARAM, String(form.get("subjectId") ?? ""));
    return redirect(target.pathname + target.search, 303);
  };
  if (submission.status !== "success") return fromFetcher ? json(submission.reply(), { status: 400 }) : back("invalid");
  const result = await reportSubject(await getDb(), { ...submission.value, reporterId: user.id, t });
  if (!result.ok) {
    if (!fromFetcher) {
      if (result.status === 429) return back("limited");
      notFound(result.formError);
    }
    const headers: HeadersInit =
      "retryAfterSeconds" in result ? { "Retry-After": String(result.retryAfterSeconds) } : {};
    return replyWithRefusal(submission, result, { headers });
  }
  return fromFetcher ? json({ outcome: result.outcome }) : back(result.outcome);
}
