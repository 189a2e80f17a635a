import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Badge, FinTable, StatusBadge, When } from "~/components/finance/finance-ui";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { useFormat } from "~/components/locale";
import { DESK_STAGES, deskStageOf, deskStageWords, statusWord, type DeskStage } from "~/domain/finance";
import { formatMoney } from "~/domain/money";
import { metaTranslator } from "~/i18n";
import { platformFeeFor } from "~/domain/statement";
import { listDisputedPledges, listSettledCampaigns, listStuckRefunds, statementsFor } from "~/models/finance.server";
import { countOpenAlerts } from "~/models/finance-alerts.server";
import { getLastReconciliationRun } from "~/models/reconciliation.server";
import { latestDisputesOf } from "~/models/disputes.server";
import { requireRole } from "~/services/accounts/auth.server";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import type { CurrencyCode } from "../../db/schema.js";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("finance:meta.desk") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const locale = requestLocale(request, user);
  const t = requestTranslator(request, user);
  const db = await getDb();
  const [rows, disputes, stuckRefunds, lastRun, openAlerts] = await Promise.all([
    listSettledCampaigns(db),
    listDisputedPledges(db),
    listStuckRefunds(db),
    getLastReconciliationRun(db),
    countOpenAlerts(db),
  ]);
  const statements = await statementsFor(db, rows);
  const disputeRows = await latestDisputesOf(db, { pledgeIds: disputes.map((d) => d.id) });
  const basisPoints = getConfig().PLATFORM_FEE_BPS;
  const campaigns = rows.map((r) => {
    const s = statements.get(r.id)!;
    const { stage, step, next } = deskStageOf(
      {
        stage: r.stage,
        decision: r.decision,
        payoutStatus: r.payout_status,
        payoutsEnabled: Boolean(r.payouts_enabled),
      },
      t,
    );
    const m = (amount: number) => formatMoney(amount, r.currency, { locale });
    // Before preparation the platform fee is not booked yet: show what the payout would be.
    const due = r.payout_id
      ? s.payoutDue
      : s.payoutDue - platformFeeFor({ collected: s.collected, refunded: s.refunded, basisPoints }) + s.platformFee;
    return {
      id: r.id,
      title: r.title,
      creator: r.creator_name,
      decision: r.decision,
      decidedAt: r.decided_at.toISOString(),
      stage,
      step,
      next,
      currency: r.currency,
      raw: {
        pledged: r.pledged_at_deadline,
        collected: s.collected,
        out: s.refunded + s.disputed,
        fees: s.stripeFees,
        due,
        paid: s.paidOut,
      },
      pledged: m(r.pledged_at_deadline),
      pledges: r.pledges_at_deadline,
      collected: m(s.collected),
      refundsDisputes: m(s.refunded + s.disputed),
      fees: m(s.stripeFees),
      payout: s.paidOut > 0 ? m(s.paidOut) : r.payout_amount !== null ? m(r.payout_amount) : m(due),
      balanced: s.balanceCheck === 0,
      hasAccount: Boolean(r.payouts_enabled),
      payoutStatus: r.payout_status,
    };
  });
  const noAccount = campaigns.filter((c) => c.stage === "awaiting_payout" && !c.payoutStatus && !c.hasAccount);
  const awaitingApproval = campaigns.filter((c) => c.payoutStatus === "prepared");
  const unbalanced = campaigns.filter((c) => !c.balanced);
  return json({
    campaigns,
    alerts: {
      open: openAlerts,
      lastRun: lastRun
        ? {
            id: lastRun.id,
            status: lastRun.status,
            at: (lastRun.finished_at ?? lastRun.started_at).toISOString(),
            mismatches: lastRun.mismatch_count,
            checked: lastRun.objects_checked,
          }
        : null,
      disputes: disputes.map((d) => ({
        id: d.id,
        campaignId: d.campaign_id,
        campaign: d.campaign_title,
        backer: d.backer_name,
        amount: formatMoney(d.amount, d.currency, { locale }),
        disputeStatus: disputeRows.get(d.id) ? t(`finance:disputes.status.${disputeRows.get(d.id)!.status}`) : null,
        dueBy: disputeRows.get(d.id)?.evidence_due_by?.toISOString() ?? null,
      })),
      stuckRefunds: stuckRefunds.map((r) => ({
        id: r.id,
        pledgeId: r.pledge_id,
        campaign: r.campaign_title,
        amount: formatMoney(r.amount, r.currency, { locale }),
      })),
      awaitingApproval: awaitingApproval.map((c) => ({ id: c.id, title: c.title, payout: c.payout })),
      noAccount: noAccount.map((c) => ({ id: c.id, title: c.title, creator: c.creator })),
      unbalanced: unbalanced.map((c) => ({ id: c.id, title: c.title })),
    },
  });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["campaigns"][number];

function totalsByCurrency(rows: Row[]) {
  const totals = new Map<
    string,
    { currency: string; pledged: number; collected: number; out: number; fees: number; due: number; paid: number }
  >();
  for (const r of rows) {
    const t = totals.get(r.currency) ?? {
      currency: r.currency,
      pledged: 0,
      collected: 0,
      out: 0,
      fees: 0,
      due: 0,
      paid: 0,
    };
    t.pledged += r.raw.pledged;
    t.collected += r.raw.collected;
    t.out += r.raw.out;
    t.fees += r.raw.fees;
    t.due += r.raw.due;
    t.paid += r.raw.paid;
    totals.set(r.currency, t);
  }
  return [...totals.values()];
}

/** A name (a campaign's, a person's) inside a translated sentence, kept as text, never as markup. */
const text = (value: ReactNode) => <>{value}</>;

export default function FinanceOverview() {
  const { campaigns, alerts } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const stageWords = deskStageWords(t);
  const byStage = (stage: DeskStage) => campaigns.filter((c) => c.stage === stage);
  const alertCount =
    alerts.open +
    (!alerts.lastRun || alerts.lastRun.status !== "clean" ? 1 : 0) +
    alerts.disputes.length +
    alerts.awaitingApproval.length +
    alerts.noAccount.length +
    alerts.stuckRefunds.length +
    alerts.unbalanced.length;

  return (
    <>
      <div className="fin-top">
        <h1>{t("finance:desk.title")}</h1>
        <p className="muted small">{t("finance:desk.summary", { count: campaigns.length })}</p>
      </div>

      <dl className="fin-kpis">
        {DESK_STAGES.map((stage) => (
          <div className="fin-kpi" key={stage}>
            <dt>{stageWords[stage].title}</dt>
            <dd>{f.number(byStage(stage).length)}</dd>
          </div>
        ))}
      </dl>

      <section className="fin-section" aria-labelledby="alerts-title">
        <header>
          <h2 id="alerts-title">{t("finance:desk.alerts.title")}</h2>
          <p className="muted small">
            {alertCount === 0 ? t("finance:desk.alerts.none") : t("finance:desk.alerts.items", { count: alertCount })}
          </p>
        </header>
        <ul className="fin-alerts">
          {alerts.open > 0 ? (
            <li>
              <Badge tone="bad">{t("alerts:openCount", { count: alerts.open })}</Badge>{" "}
              <Link to="/finance/alerts">{t("alerts:viewAll")}</Link>
            </li>
          ) : null}
          <li>
            {!alerts.lastRun ? (
              <Badge tone="warn">{t("finance:desk.alerts.reconciliation")}</Badge>
            ) : (
              <StatusBadge
                status={alerts.lastRun.status}
                label={
                  alerts.lastRun.status === "clean"
                    ? t("finance:desk.alerts.reconciled")
                    : alerts.lastRun.status === "mismatches"
                      ? t("finance:desk.alerts.mismatches")
                      : statusWord(t, alerts.lastRun.status)
                }
              />
            )}
            <span className="fin-alert-text">
              {!alerts.lastRun
                ? t("finance:desk.alerts.neverRun")
                : alerts.lastRun.status === "clean"
                  ? t("finance:desk.alerts.lastClean", { checked: f.number(alerts.lastRun.checked) })
                  : alerts.lastRun.status === "mismatches"
                    ? t("finance:desk.alerts.lastMismatches", { count: alerts.lastRun.mismatches })
                    : t("finance:desk.alerts.lastOther", { status: statusWord(t, alerts.lastRun.status) })}{" "}
              {alerts.lastRun ? (
                <span className="muted small">
                  <When at={alerts.lastRun.at} zone />
                </span>
              ) : null}
            </span>
            <Link to="/finance/reconciliation">{t("finance:desk.alerts.openReconciliation")}</Link>
          </li>
          {alerts.awaitingApproval.map((a) => (
            <li key={`approve-${a.id}`}>
              <Badge tone="warn">{t("finance:desk.alerts.approvePayout")}</Badge>
              <span className="fin-alert-text">
                <Trans
                  i18nKey="finance:desk.alerts.approveText"
                  values={{ payout: a.payout }}
                  components={{ title: text(a.title), strong: <strong /> }}
                />
              </span>
              <Link to={`/finance/campaigns/${a.id}`}>{t("finance:desk.alerts.review")}</Link>
            </li>
          ))}
          {alerts.noAccount.map((a) => (
            <li key={`account-${a.id}`}>
              <Badge tone="warn">{t("finance:desk.alerts.noAccount")}</Badge>
              <span className="fin-alert-text">
                <Trans
                  i18nKey="finance:desk.alerts.noAccountText"
                  components={{ title: text(a.title), creator: text(a.creator) }}
                />
              </span>
              <Link to={`/finance/campaigns/${a.id}`}>{t("finance:desk.alerts.statement")}</Link>
            </li>
          ))}
          {alerts.disputes.map((d) => (
            <li key={`dispute-${d.id}`}>
              <Badge tone="bad">{t("finance:desk.alerts.dispute")}</Badge>
              <span className="fin-alert-text">
                <Trans
                  i18nKey="finance:desk.alerts.disputeText"
                  values={{ amount: d.amount }}
                  components={{ backer: text(d.backer), campaign: text(d.campaign) }}
                />
                {d.disputeStatus ? <> · {d.disputeStatus}</> : null} ·{" "}
                {d.dueBy ? (
                  <>
                    {t("finance:disputes.desk.due")} <When at={d.dueBy} zone />
                  </>
                ) : (
                  t("finance:disputes.desk.noDue")
                )}
              </span>
              <Link to={`/finance/pledges/${d.id}`}>{t("finance:desk.alerts.pledge")}</Link>
            </li>
          ))}
          {alerts.stuckRefunds.map((r) => (
            <li key={`refund-${r.id}`}>
              <Badge tone="warn">{t("finance:desk.alerts.refundPending")}</Badge>
              <span className="fin-alert-text">
                <Trans
                  i18nKey="finance:desk.alerts.refundPendingText"
                  values={{ amount: r.amount }}
                  components={{ campaign: text(r.campaign) }}
                />
              </span>
              <Link to={`/finance/pledges/${r.pledgeId}`}>{t("finance:desk.alerts.pledge")}</Link>
            </li>
          ))}
          {alerts.unbalanced.map((c) => (
            <li key={`balance-${c.id}`}>
              <Badge tone="bad">{t("finance:desk.alerts.unbalanced")}</Badge>
              <span className="fin-alert-text">
                <Trans i18nKey="finance:desk.alerts.unbalancedText" components={{ title: text(c.title) }} />
              </span>
              <Link to={`/finance/campaigns/${c.id}`}>{t("finance:desk.alerts.statement")}</Link>
            </li>
          ))}
        </ul>
      </section>

      {DESK_STAGES.map((stage) => {
        const rows = byStage(stage);
        const money = (amount: number, currency: string) => f.money(amount, currency as CurrencyCode);
        return (
          <section
            className={rows.length === 0 ? "fin-section fin-section-empty" : "fin-section"}
            aria-labelledby={`stage-${stage}`}
            key={stage}
          >
            <header>
              <h2 id={`stage-${stage}`}>{stageWords[stage].title}</h2>
              <p className="muted small">
                {rows.length === 0 ? stageWords[stage].empty : t("finance:desk.campaigns", { count: rows.length })}
              </p>
            </header>
            {rows.length === 0 ? null : (
              <FinTable
                columns={[
                  t("finance:desk.columns.campaign"),
                  t("finance:desk.columns.decided"),
                  { label: t("finance:desk.columns.pledges"), num: true },
                  { label: t("finance:desk.columns.atDeadline"), num: true },
                  { label: t("finance:desk.columns.collected"), num: true },
                  { label: t("finance:desk.columns.refundsDisputes"), num: true },
                  { label: t("finance:desk.columns.stripeFees"), num: true },
                  {
                    label: stage === "paid_out" ? t("finance:desk.columns.paidOut") : t("finance:desk.columns.payout"),
                    num: true,
                  },
                  t("finance:desk.columns.status"),
                ]}
                foot={
                  rows.length > 1 ? (
                    <tfoot>
                      {totalsByCurrency(rows).map((total) => (
                        <tr key={total.currency}>
                          <td colSpan={3}>{t("finance:desk.total", { currency: total.currency.toUpperCase() })}</td>
                          <td className="num">{money(total.pledged, total.currency)}</td>
                          <td className="num">{money(total.collected, total.currency)}</td>
                          <td className="num">{money(total.out, total.currency)}</td>
                          <td className="num">{money(total.fees, total.currency)}</td>
                          <td className="num">
                            {stage === "closed"
                              ? "—"
                              : money(stage === "paid_out" ? total.paid : total.due, total.currency)}
                          </td>
                          <td />
                        </tr>
                      ))}
                    </tfoot>
                  ) : null
                }
              >
                {rows.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link to={`/finance/campaigns/${c.id}`}>{c.title}</Link>
                      <div className="muted small">{c.creator}</div>
                    </td>
                    <td className="nowrap">
                      <When at={c.decidedAt} />
                    </td>
                    <td className="num">{f.number(c.pledges)}</td>
                    <td className="num">{c.pledged}</td>
                    <td className="num">{c.collected}</td>
                    <td className="num">{c.refundsDisputes}</td>
                    <td className="num">{c.fees}</td>
                    <td className="num">{stage === "closed" ? "—" : c.payout}</td>
                    <td className="nowrap">
                      <Badge
                        tone={
                          c.step === "ready"
                            ? "info"
                            : c.stage === "paid_out"
                              ? "good"
                              : c.stage === "closed"
                                ? "neutral"
                                : "warn"
                        }
                      >
                        {c.next}
                      </Badge>
                      {!c.balanced ? (
                        <>
                          {" "}
                          <Badge tone="bad">{t("finance:desk.unbalanced")}</Badge>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </FinTable>
            )}
          </section>
        );
      })}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
