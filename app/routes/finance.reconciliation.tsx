import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { FinTable, Notice, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { formErrorsOf, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { useFormat } from "~/components/locale";
import { mismatchLabel, statusWord } from "~/domain/finance";
import { formatMoney, isCurrency } from "~/domain/money";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { recordAudit } from "~/models/audit.server";
import { getLastReconciliationRun, listMismatches } from "~/models/reconciliation.server";
import { requireRole } from "~/services/accounts/auth.server";
import { runReconciliation } from "~/services/finance/reconciliation.server";
import { getStripe } from "~/services/stripe/client.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("finance:meta.reconciliation") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const db = await getDb();
  const run = await getLastReconciliationRun(db);
  const mismatches = run ? await listMismatches(db, { runId: run.id }) : [];
  const money = (amount: number | null, currency: string | null) =>
    amount === null
      ? null
      : currency && isCurrency(currency)
        ? formatMoney(amount, currency, { locale })
        : String(amount);
  const by = run?.started_by
    ? await db.selectFrom("users").select("name").where("id", "=", run.started_by).executeTakeFirst()
    : undefined;
  return json({
    run: run
      ? {
          id: run.id,
          status: run.status,
          source: run.source,
          by:
            by?.name ??
            (run.source === "cli"
              ? "npm run reconcile"
              : run.source === "schedule"
                ? t("finance:reconciliation.scheduled")
                : null),
          startedAt: run.started_at.toISOString(),
          finishedAt: run.finished_at?.toISOString() ?? null,
          checked: run.objects_checked,
          mismatchCount: run.mismatch_count,
          error: run.error,
        }
      : null,
    mismatches: mismatches.map((m) => ({
      id: m.id,
      kind: m.kind,
      label: mismatchLabel(t, m.kind),
      campaignId: m.campaign_id,
      campaign: m.campaign_title,
      pledgeId: m.pledge_id,
      ledgerId: m.ledger_object_id,
      ledgerAmount: money(m.ledger_amount, m.currency),
      stripeId: m.stripe_object_id,
      stripeAmount: money(m.stripe_amount, m.currency),
      stripeStatus: m.stripe_status,
      detail: m.detail,
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  if (form.get("intent") !== "run") return replyWithRefusal(null, refuse(400, t("finance:unknownAction")));
  const db = await getDb();
  const result = await runReconciliation(db, getStripe(), { actorId: user.id, t });
  await recordAudit(db, {
    actorId: user.id,
    action: "reconciliation.run",
    subjectType: "reconciliation_run",
    subjectId: result.runId ? String(result.runId) : undefined,
    // The audit log is data: its reason stays in English whatever the reader's language.
    reason: "Run from the finance desk",
    detail: result.ok ? { checked: result.checked, mismatches: result.mismatches } : { error: result.message },
    ip: clientIp(context),
  });
  if (!result.ok) return replyWithRefusal(null, refuse(result.status, result.message));
  return json({
    notice:
      result.mismatches === 0
        ? t("finance:reconciliation.reconciled", { checked: result.checked })
        : t("finance:reconciliation.found", { count: result.mismatches, checked: result.checked }),
  });
}

export default function Reconciliation() {
  const { run, mismatches } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const running = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <div className="fin-top">
        <h1>{t("finance:reconciliation.title")}</h1>
        <Form method="post">
          <input type="hidden" name="intent" value="run" />
          <button type="submit" className="button button-primary" disabled={running}>
            {running ? t("finance:reconciliation.running") : t("finance:reconciliation.run")}
          </button>
        </Form>
      </div>
      <p className="muted small">
        <Trans i18nKey="finance:reconciliation.lead" components={{ code: <code /> }} />
      </p>
      {actionData && "notice" in actionData ? <Notice>{actionData.notice}</Notice> : null}
      <FormError errors={formErrorsOf(actionData)} />

      <section className="fin-section" aria-labelledby="last-run-title">
        <header>
          <h2 id="last-run-title">{t("finance:reconciliation.lastRun")}</h2>
          {run ? (
            <StatusBadge
              status={run.status}
              label={
                run.status === "clean"
                  ? t("finance:reconciliation.allMatch")
                  : run.status === "mismatches"
                    ? t("finance:reconciliation.mismatchCount", { count: run.mismatchCount })
                    : statusWord(t, run.status)
              }
            />
          ) : null}
        </header>
        {!run ? (
          <p className="fin-empty">{t("finance:reconciliation.neverRun")}</p>
        ) : (
          <div className="fin-section-body">
            {run.status === "clean" ? (
              <p className="fin-alert-ok" style={{ padding: 0, marginBottom: 10 }}>
                {t("finance:reconciliation.allObjectsMatch", { checked: f.number(run.checked) })}
              </p>
            ) : null}
            {run.status === "failed" ? (
              <p className="form-error" role="alert">
                {t("finance:reconciliation.runFailed", { message: run.error })}
              </p>
            ) : null}
            <dl className="fin-facts" style={{ maxWidth: 480 }}>
              <dt>{t("finance:reconciliation.facts.run")}</dt>
              <dd>#{run.id}</dd>
              <dt>{t("finance:reconciliation.facts.startedBy")}</dt>
              <dd>{run.by ?? "—"}</dd>
              <dt>{t("finance:reconciliation.facts.started")}</dt>
              <dd>
                <When at={run.startedAt} />
              </dd>
              <dt>{t("finance:reconciliation.facts.finished")}</dt>
              <dd>
                <When at={run.finishedAt} />
              </dd>
              <dt>{t("finance:reconciliation.facts.compared")}</dt>
              <dd>{f.number(run.checked)}</dd>
              <dt>{t("finance:reconciliation.facts.mismatches")}</dt>
              <dd>{f.number(run.mismatchCount)}</dd>
            </dl>
          </div>
        )}
      </section>

      {mismatches.length > 0 ? (
        <section className="fin-section" aria-labelledby="mismatches-title">
          <header>
            <h2 id="mismatches-title">{t("finance:reconciliation.mismatchesTitle")}</h2>
            <p className="muted small">{t("finance:reconciliation.mismatchesLead")}</p>
          </header>
          <FinTable
            columns={[
              t("finance:reconciliation.columns.problem"),
              t("finance:reconciliation.columns.where"),
              t("finance:reconciliation.columns.ledgerObject"),
              { label: t("finance:reconciliation.columns.ledgerAmount"), num: true },
              t("finance:reconciliation.columns.stripeObject"),
              { label: t("finance:reconciliation.columns.stripeAmount"), num: true },
              t("finance:reconciliation.columns.stripeStatus"),
            ]}
          >
            {mismatches.map((m) => (
              <tr key={m.id}>
                <td className="wrap">
                  <strong>{m.label}</strong>
                  <div className="muted small">{m.detail}</div>
                </td>
                <td>
                  {m.campaignId ? (
                    <Link to={`/finance/campaigns/${m.campaignId}`}>
                      {m.campaign ?? t("finance:reconciliation.campaign")}
                    </Link>
                  ) : (
                    "—"
                  )}
                  {m.pledgeId ? (
                    <div className="small">
                      <Link to={`/finance/pledges/${m.pledgeId}`}>
                        {t("finance:reconciliation.pledge", { id: m.pledgeId.slice(0, 8) })}
                      </Link>
                    </div>
                  ) : null}
                </td>
                <td>
                  <Ref id={m.ledgerId} />
                </td>
                <td className="num">
                  {m.ledgerAmount ?? <span className="muted">{t("finance:reconciliation.notBooked")}</span>}
                </td>
                <td>
                  <Ref id={m.stripeId} />
                </td>
                <td className="num">
                  {m.stripeAmount ?? <span className="muted">{t("finance:reconciliation.none")}</span>}
                </td>
                <td>{m.stripeStatus ? <StatusBadge status={m.stripeStatus} /> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </FinTable>
        </section>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
