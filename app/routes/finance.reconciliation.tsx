import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { FinTable, Notice, StatusBadge, When } from "~/components/finance/finance-ui";
import { formErrorsOf, FormError } from "~/components/fields";
import { ItemAbout, ItemAmount, ItemStatusBadge, QueueFilterForm } from "~/components/finance/reconciliation-queue";
import { getDb } from "~/db.server";
import { useFormat } from "~/components/locale";
import { statusWord } from "~/domain/finance";
import { filtersQuery, parseQueueFilters } from "~/domain/reconciliation-items";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { recordAudit } from "~/models/audit.server";
import { getLastReconciliationRun } from "~/models/reconciliation.server";
import { requireRole } from "~/services/accounts/auth.server";
import { runReconciliation } from "~/services/finance/reconciliation.server";
import { queuePage } from "~/services/finance/reconciliation/queue-view.server";
import { getStripe } from "~/services/stripe/client.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import styles from "~/styles/reconciliation.css";

// The reconciliation desk: the queue of problems the runs found (filtered by status, problem,
// campaign and assignee in the query string; open and investigating by default), the last run
// and the recent ones, and Run now. Each item's moves are posted to its own page.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("finance:meta.reconciliation") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const parsed = parseQueueFilters(new URL(request.url).searchParams, t);
  const db = await getDb();
  const [run, page] = await Promise.all([
    getLastReconciliationRun(db),
    queuePage(db, { filters: parsed.ok ? parsed.filters : null, userId: user.id, t, locale }),
  ]);
  const by = run?.started_by
    ? await db.selectFrom("users").select("name").where("id", "=", run.started_by).executeTakeFirst()
    : undefined;
  return json(
    {
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
      ...page,
      filters: parsed.filters,
      filterErrors: parsed.ok ? null : parsed.errors,
      query: parsed.ok ? filtersQuery(parsed.filters) : "",
    },
    // Filters that cannot be read are the reader's mistake: the page says which, with a 400.
    { status: parsed.ok ? 200 : 400 },
  );
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
  const data = useLoaderData<typeof loader>();
  const { run, items, counts, runs } = data;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const running = navigation.state !== "idle" && navigation.formData?.get("intent") === "run";
  const { t } = useTranslation();
  const f = useFormat();
  const total = counts.open + counts.investigating + counts.resolved + counts.auto_resolved;
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

      <section className="fin-section" aria-labelledby="queue-title">
        <header>
          <h2 id="queue-title">{t("reconciliation:queue.title")}</h2>
          <p className="rq-counts">
            {t("reconciliation:queue.counts", {
              open: f.number(counts.open),
              investigating: f.number(counts.investigating),
              resolved: f.number(counts.resolved),
              auto: f.number(counts.auto_resolved),
            })}
          </p>
        </header>
        <QueueFilterForm
          key={data.query}
          filters={data.filters}
          errors={data.filterErrors}
          kinds={data.kinds}
          campaigns={data.campaigns}
          csvHref={data.filterErrors ? null : `/finance/reconciliation.csv${data.query}`}
        />
        {data.filterErrors ? (
          <p className="fin-empty" role="alert">
            {t("reconciliation:validation.filters")}
          </p>
        ) : items.length === 0 ? (
          <p className="fin-empty">{total === 0 ? t("reconciliation:queue.none") : t("reconciliation:queue.empty")}</p>
        ) : (
          <FinTable
            columns={[
              t("reconciliation:queue.columns.problem"),
              t("reconciliation:queue.columns.about"),
              { label: t("reconciliation:queue.columns.ledger"), num: true },
              { label: t("reconciliation:queue.columns.stripe"), num: true },
              t("reconciliation:queue.columns.seen"),
              t("reconciliation:queue.columns.status"),
              t("reconciliation:queue.columns.actions"),
            ]}
          >
            {items.map((item) => (
              <tr key={item.id}>
                <td className="wrap">
                  <Link to={`/finance/reconciliation/items/${item.id}`}>
                    <strong>{item.label}</strong>
                  </Link>
                  <div className="muted small">{item.detail}</div>
                </td>
                <td>
                  <ItemAbout item={item} />
                </td>
                <td className="num">
                  <ItemAmount
                    amount={item.ledgerAmount}
                    id={item.ledgerId}
                    missing={t("reconciliation:queue.notBooked")}
                  />
                </td>
                <td className="num">
                  <ItemAmount
                    amount={item.stripeAmount}
                    id={item.stripeId}
                    missing={t("reconciliation:queue.none_amount")}
                  />
                  {item.stripeStatus ? (
                    <div>
                      <StatusBadge status={item.stripeStatus} />
                    </div>
                  ) : null}
                </td>
                <td className="rq-seen">
                  <div>{t("reconciliation:queue.seenRuns", { first: item.firstSeenRun, last: item.lastSeenRun })}</div>
                  <div className="muted">
                    <When at={item.lastSeenAt} />
                  </div>
                </td>
                <td>
                  <ItemStatusBadge status={item.status} />
                  <div className="small">
                    {item.assignee ?? <span className="muted">{t("reconciliation:queue.unassigned")}</span>}
                  </div>
                </td>
                <td>
                  <div className="rq-row-actions">
                    {item.actions.includes("take") ? (
                      <Form method="post" action={`/finance/reconciliation/items/${item.id}`}>
                        <input type="hidden" name="intent" value="take" />
                        <input type="hidden" name="expected" value={item.status} />
                        <button
                          type="submit"
                          className="button button-secondary rq-small"
                          aria-label={t("reconciliation:queue.takeLabel", { id: item.id })}
                        >
                          {t("reconciliation:queue.take")}
                        </button>
                      </Form>
                    ) : null}
                    <Link
                      to={`/finance/reconciliation/items/${item.id}`}
                      aria-label={t("reconciliation:queue.open", { id: item.id })}
                    >
                      #{item.id}
                    </Link>
                  </div>
                </td>
              </tr>
            ))}
          </FinTable>
        )}
        {data.truncated ? (
          <p className="fin-empty">{t("reconciliation:queue.truncated", { count: data.truncated })}</p>
        ) : null}
      </section>

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

      {runs.length > 1 ? (
        <section className="fin-section" aria-labelledby="runs-title">
          <header>
            <h2 id="runs-title">{t("reconciliation:runs.title")}</h2>
          </header>
          <FinTable
            columns={[
              t("reconciliation:runs.columns.run"),
              t("reconciliation:runs.columns.by"),
              t("reconciliation:runs.columns.started"),
              { label: t("reconciliation:runs.columns.compared"), num: true },
              { label: t("reconciliation:runs.columns.found"), num: true },
              t("reconciliation:runs.columns.status"),
            ]}
          >
            {runs.map((r) => (
              <tr key={r.id}>
                <td>#{r.id}</td>
                <td>{r.by ?? "—"}</td>
                <td>
                  <When at={r.startedAt} />
                </td>
                <td className="num">{f.number(r.checked)}</td>
                <td className="num">{f.number(r.mismatchCount)}</td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
              </tr>
            ))}
          </FinTable>
        </section>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
