import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FinTable, Notice, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { formErrorsOf, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { MISMATCH_LABELS } from "~/domain/finance";
import { formatMoney, isCurrency } from "~/domain/money";
import { refuse } from "~/domain/refusal";
import { recordAudit } from "~/models/audit.server";
import { getLastReconciliationRun, listMismatches } from "~/models/reconciliation.server";
import { requireRole } from "~/services/accounts/auth.server";
import { runReconciliation } from "~/services/finance/reconciliation.server";
import { getStripe } from "~/services/stripe/client.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = () => [{ title: "Reconciliation · Finance · Colecta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  const db = await getDb();
  const run = await getLastReconciliationRun(db);
  const mismatches = run ? await listMismatches(db, { runId: run.id }) : [];
  const money = (amount: number | null, currency: string | null) =>
    amount === null ? null : currency && isCurrency(currency) ? formatMoney(amount, currency) : String(amount);
  const by = run?.started_by
    ? await db.selectFrom("users").select("name").where("id", "=", run.started_by).executeTakeFirst()
    : undefined;
  return json({
    run: run
      ? {
          id: run.id,
          status: run.status,
          source: run.source,
          by: by?.name ?? (run.source === "cli" ? "npm run reconcile" : null),
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
      label: MISMATCH_LABELS[m.kind] ?? m.kind,
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
  const form = await readForm(request);
  if (form.get("intent") !== "run") return replyWithRefusal(null, refuse(400, "Unknown action."));
  const db = await getDb();
  const result = await runReconciliation(db, getStripe(), { actorId: user.id });
  await recordAudit(db, {
    actorId: user.id,
    action: "reconciliation.run",
    subjectType: "reconciliation_run",
    subjectId: result.runId ? String(result.runId) : undefined,
    reason: "Run from the finance desk",
    detail: result.ok ? { checked: result.checked, mismatches: result.mismatches } : { error: result.message },
    ip: clientIp(context),
  });
  if (!result.ok) return replyWithRefusal(null, refuse(result.status, result.message));
  return json({
    notice:
      result.mismatches === 0
        ? `Reconciled: all ${result.checked} objects match.`
        : `Found ${result.mismatches} mismatch${result.mismatches === 1 ? "" : "es"} in ${result.checked} objects.`,
  });
}

export default function Reconciliation() {
  const { run, mismatches } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const running = useNavigation().state !== "idle";
  return (
    <>
      <div className="fin-top">
        <h1>Reconciliation</h1>
        <Form method="post">
          <input type="hidden" name="intent" value="run" />
          <button type="submit" className="button button-primary" disabled={running}>
            {running ? "Running…" : "Run now"}
          </button>
        </Form>
      </div>
      <p className="muted small">
        Compares the ledger with Stripe both ways: every booked charge, fee, refund, dispute and payout against its
        Stripe object, and every Colecta payment, refund, dispute and transfer in Stripe against the ledger. Also runs
        from the command line: <code>npm run reconcile</code>.
      </p>
      {actionData && "notice" in actionData ? <Notice>{actionData.notice}</Notice> : null}
      <FormError errors={formErrorsOf(actionData)} />

      <section className="fin-section" aria-labelledby="last-run-title">
        <header>
          <h2 id="last-run-title">Last run</h2>
          {run ? (
            <StatusBadge
              status={run.status}
              label={
                run.status === "clean"
                  ? "All match"
                  : run.status === "mismatches"
                    ? `${run.mismatchCount} mismatches`
                    : run.status
              }
            />
          ) : null}
        </header>
        {!run ? (
          <p className="fin-empty">Reconciliation has never run. Run it now to compare the ledger with Stripe.</p>
        ) : (
          <div className="fin-section-body">
            {run.status === "clean" ? (
              <p className="fin-alert-ok" style={{ padding: 0, marginBottom: 10 }}>
                All {run.checked} objects match.
              </p>
            ) : null}
            {run.status === "failed" ? (
              <p className="form-error" role="alert">
                The run failed: {run.error}
              </p>
            ) : null}
            <dl className="fin-facts" style={{ maxWidth: 480 }}>
              <dt>Run</dt>
              <dd>#{run.id}</dd>
              <dt>Started by</dt>
              <dd>{run.by ?? "—"}</dd>
              <dt>Started (UTC)</dt>
              <dd>
                <When at={run.startedAt} />
              </dd>
              <dt>Finished (UTC)</dt>
              <dd>
                <When at={run.finishedAt} />
              </dd>
              <dt>Objects compared</dt>
              <dd>{run.checked}</dd>
              <dt>Mismatches</dt>
              <dd>{run.mismatchCount}</dd>
            </dl>
          </div>
        )}
      </section>

      {mismatches.length > 0 ? (
        <section className="fin-section" aria-labelledby="mismatches-title">
          <header>
            <h2 id="mismatches-title">Mismatches</h2>
            <p className="muted small">ledger on the left, Stripe on the right</p>
          </header>
          <FinTable
            columns={[
              "Problem",
              "Campaign / pledge",
              "Ledger object",
              { label: "Ledger amount", num: true },
              "Stripe object",
              { label: "Stripe amount", num: true },
              "Stripe status",
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
                    <Link to={`/finance/campaigns/${m.campaignId}`}>{m.campaign ?? "Campaign"}</Link>
                  ) : (
                    "—"
                  )}
                  {m.pledgeId ? (
                    <div className="small">
                      <Link to={`/finance/pledges/${m.pledgeId}`}>Pledge {m.pledgeId.slice(0, 8)}</Link>
                    </div>
                  ) : null}
                </td>
                <td>
                  <Ref id={m.ledgerId} />
                </td>
                <td className="num">{m.ledgerAmount ?? <span className="muted">not booked</span>}</td>
                <td>
                  <Ref id={m.stripeId} />
                </td>
                <td className="num">{m.stripeAmount ?? <span className="muted">none</span>}</td>
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
