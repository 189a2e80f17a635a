import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReasonActionForm } from "~/components/finance/action-form";
import { Badge, FinTable, Notice, When, type BadgeTone } from "~/components/finance/finance-ui";
import { getDb } from "~/db.server";
import { actionReasonSchema } from "~/domain/finance";
import { alertText, type FinanceAlertDetail } from "~/domain/finance-alerts";
import { isUuid } from "~/domain/ids";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { recordAudit } from "~/models/audit.server";
import { listOpenAlerts, listResolvedAlerts, resolveFinanceAlertById } from "~/models/finance-alerts.server";
import { requireRole } from "~/services/accounts/auth.server";
import { refuseWithoutSecondFactor } from "~/services/security/two-factor.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

// The finance desk's alerts: money that needs a person (a failed refund, a refused transfer, a
// dispute, a refund the creator still owes...), newest first, each linked to where it is fixed,
// and resolved either by the code when the problem goes away or here with a note (audited).

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("alerts:title") }];

const TONES: Record<string, BadgeTone> = { info: "info", warning: "warn", critical: "bad" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const db = await getDb();
  const [open, resolved] = await Promise.all([listOpenAlerts(db), listResolvedAlerts(db)]);
  const words = (a: { kind: string; detail: Record<string, unknown> }) =>
    alertText(t, locale, { kind: a.kind, detail: a.detail as FinanceAlertDetail });
  const about = (a: { campaign_id: string | null; pledge_id: string | null; campaign_title: string | null }) =>
    a.pledge_id
      ? { href: `/finance/pledges/${a.pledge_id}`, label: a.campaign_title ?? a.pledge_id }
      : a.campaign_id
        ? { href: `/finance/campaigns/${a.campaign_id}`, label: a.campaign_title ?? a.campaign_id }
        : null;
  return json({
    open: open.map((a) => ({
      id: a.id,
      severity: a.severity,
      raisedAt: a.raised_at.toISOString(),
      ...words(a),
      about: about(a),
    })),
    resolved: resolved.map((a) => ({
      id: a.id,
      severity: a.severity,
      resolvedAt: a.resolved_at!.toISOString(),
      note: a.resolution ?? "",
      by: a.resolved_by_name,
      ...words(a),
      about: about(a),
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const db = await getDb();
  const form = await readForm(request);
  if (String(form.get("intent") ?? "") !== "resolve")
    return replyWithRefusal(null, refuse(400, t("finance:unknownAction")));
  const submission = parseWithZod(form, { schema: actionReasonSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const alertId = form.get("alertId");
  if (!isUuid(alertId)) return replyWithRefusal(submission, refuse(404, t("alerts:notFound")));
  const unguarded = await refuseWithoutSecondFactor(db, { actorId: user.id, t });
  if (unguarded) return replyWithRefusal(submission, unguarded);
  const done = await db.transaction().execute(async (trx) => {
    const ok = await resolveFinanceAlertById(trx, { id: String(alertId), by: user.id, note: submission.value.reason });
    if (ok)
      await recordAudit(trx, {
        actorId: user.id,
        action: "finance_alert.resolved",
        subjectType: "finance_alert",
        subjectId: String(alertId),
        reason: submission.value.reason,
        ip: clientIp(context),
      });
    return ok;
  });
  if (!done) return replyWithRefusal(submission, refuse(409, t("alerts:notFound")));
  return json({ intent: "resolve", notice: t("alerts:resolved") });
}

export default function FinanceAlerts() {
  const { open, resolved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const notice = actionData && "notice" in actionData ? String(actionData.notice) : null;
  return (
    <>
      <div className="fin-top">
        <h1>{t("alerts:title")}</h1>
      </div>
      <p className="muted">{t("alerts:intro")}</p>
      {notice ? <Notice>{notice}</Notice> : null}
      <section className="fin-section" aria-labelledby="open-alerts">
        <header>
          <h2 id="open-alerts">{t("alerts:openCount", { count: open.length })}</h2>
        </header>
        {open.length === 0 ? (
          <div className="fin-section-body">
            <p className="muted">{t("alerts:empty")}</p>
          </div>
        ) : (
          <ul className="fin-alert-list">
            {open.map((a) => (
              <li key={a.id} className={`fin-alert-card fin-alert-card-${a.severity}`}>
                <div className="fin-alert-head">
                  <Badge tone={TONES[a.severity] ?? "neutral"}>{t(`alerts:severity.${a.severity}`)}</Badge>
                  <strong>{a.title}</strong>
                  <span className="muted small">
                    <When at={a.raisedAt} zone />
                  </span>
                </div>
                <p>{a.body}</p>
                {a.about ? (
                  <p className="small">
                    {t("alerts:columns.about")}: <Link to={a.about.href}>{a.about.label}</Link>
                  </p>
                ) : null}
                <details>
                  <summary>{t("alerts:resolve")}</summary>
                  <ReasonActionForm
                    intent="resolve"
                    extra={{ alertId: a.id }}
                    title={t("alerts:resolve")}
                    button={t("alerts:resolve")}
                    tone="secondary"
                    actionData={actionData}
                    placeholder={t("alerts:resolveNote")}
                  />
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
      {resolved.length > 0 ? (
        <section className="fin-section" aria-labelledby="resolved-alerts">
          <header>
            <h2 id="resolved-alerts">{t("alerts:resolvedList")}</h2>
          </header>
          <FinTable columns={[t("alerts:columns.resolved"), t("alerts:columns.alert"), t("alerts:columns.action")]}>
            {resolved.map((a) => (
              <tr key={a.id}>
                <td>
                  <When at={a.resolvedAt} />
                </td>
                <td>
                  <strong>{a.title}</strong>
                  {a.about ? (
                    <>
                      {" · "}
                      <Link to={a.about.href}>{a.about.label}</Link>
                    </>
                  ) : null}
                </td>
                <td>{a.by ? `${a.by}: ${a.note}` : a.note}</td>
              </tr>
            ))}
          </FinTable>
        </section>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
