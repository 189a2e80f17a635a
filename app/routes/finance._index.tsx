import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, FinTable, StatusBadge, When } from "~/components/finance/finance-ui";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { DESK_STAGES, deskStageOf, type DeskStage } from "~/domain/finance";
import { formatMoney } from "~/domain/money";
import { platformFeeFor } from "~/domain/statement";
import { listDisputedPledges, listSettledCampaigns, listStuckRefunds, statementsFor } from "~/models/finance.server";
import { getLastReconciliationRun } from "~/models/reconciliation.server";
import { requireRole } from "~/services/accounts/auth.server";
import type { CurrencyCode } from "../../db/schema.js";

export const meta: MetaFunction = () => [{ title: "Finance desk · Colecta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  const db = await getDb();
  const [rows, disputes, stuckRefunds, lastRun] = await Promise.all([
    listSettledCampaigns(db),
    listDisputedPledges(db),
    listStuckRefunds(db),
    getLastReconciliationRun(db),
  ]);
  const statements = await statementsFor(db, rows);
  const basisPoints = getConfig().PLATFORM_FEE_BPS;
  const campaigns = rows.map((r) => {
    const s = statements.get(r.id)!;
    const { stage, next } = deskStageOf({
      stage: r.stage,
      decision: r.decision,
      payoutStatus: r.payout_status,
      payoutsEnabled: Boolean(r.payouts_enabled),
    });
    const m = (amount: number) => formatMoney(amount, r.currency);
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
        amount: formatMoney(d.amount, d.currency),
      })),
      stuckRefunds: stuckRefunds.map((r) => ({
        id: r.id,
        pledgeId: r.pledge_id,
        campaign: r.campaign_title,
        amount: formatMoney(r.amount, r.currency),
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

export default function FinanceOverview() {
  const { campaigns, alerts } = useLoaderData<typeof loader>();
  const byStage = (stage: DeskStage) => campaigns.filter((c) => c.stage === stage);
  const alertCount =
    (!alerts.lastRun || alerts.lastRun.status !== "clean" ? 1 : 0) +
    alerts.disputes.length +
    alerts.awaitingApproval.length +
    alerts.noAccount.length +
    alerts.stuckRefunds.length +
    alerts.unbalanced.length;

  return (
    <>
      <div className="fin-top">
        <h1>Finance desk</h1>
        <p className="muted small">{campaigns.length} settled campaigns · amounts in each campaign's currency</p>
      </div>

      <dl className="fin-kpis">
        {DESK_STAGES.map((s) => (
          <div className="fin-kpi" key={s.stage}>
            <dt>{s.title}</dt>
            <dd>{byStage(s.stage).length}</dd>
          </div>
        ))}
      </dl>

      <section className="fin-section" aria-labelledby="alerts-title">
        <header>
          <h2 id="alerts-title">Needs attention</h2>
          <p className="muted small">
            {alertCount === 0 ? "Nothing waiting" : `${alertCount} item${alertCount === 1 ? "" : "s"}`}
          </p>
        </header>
        <ul className="fin-alerts">
          <li>
            {!alerts.lastRun ? (
              <Badge tone="warn">Reconciliation</Badge>
            ) : (
              <StatusBadge
                status={alerts.lastRun.status}
                label={
                  alerts.lastRun.status === "clean"
                    ? "Reconciled"
                    : alerts.lastRun.status === "mismatches"
                      ? "Mismatches"
                      : alerts.lastRun.status
                }
              />
            )}
            <span className="fin-alert-text">
              {!alerts.lastRun
                ? "Reconciliation has never run."
                : alerts.lastRun.status === "clean"
                  ? `Last run matched all ${alerts.lastRun.checked} objects.`
                  : alerts.lastRun.status === "mismatches"
                    ? `Last run found ${alerts.lastRun.mismatches} mismatch${alerts.lastRun.mismatches === 1 ? "" : "es"} between the ledger and Stripe.`
                    : `Last run ${alerts.lastRun.status}.`}{" "}
              {alerts.lastRun ? (
                <span className="muted small">
                  <When at={alerts.lastRun.at} /> UTC
                </span>
              ) : null}
            </span>
            <Link to="/finance/reconciliation">Open reconciliation</Link>
          </li>
          {alerts.awaitingApproval.map((a) => (
            <li key={`approve-${a.id}`}>
              <Badge tone="warn">Approve payout</Badge>
              <span className="fin-alert-text">
                {a.title}: payout of <strong>{a.payout}</strong> is waiting for a second finance user's approval.
              </span>
              <Link to={`/finance/campaigns/${a.id}`}>Review</Link>
            </li>
          ))}
          {alerts.noAccount.map((a) => (
            <li key={`account-${a.id}`}>
              <Badge tone="warn">No payout account</Badge>
              <span className="fin-alert-text">
                {a.title} is funded, but {a.creator} has not connected a payout account that can receive payouts.
              </span>
              <Link to={`/finance/campaigns/${a.id}`}>Statement</Link>
            </li>
          ))}
          {alerts.disputes.map((d) => (
            <li key={`dispute-${d.id}`}>
              <Badge tone="bad">Dispute</Badge>
              <span className="fin-alert-text">
                {d.backer} disputed {d.amount} on {d.campaign}.
              </span>
              <Link to={`/finance/pledges/${d.id}`}>Pledge</Link>
            </li>
          ))}
          {alerts.stuckRefunds.map((r) => (
            <li key={`refund-${r.id}`}>
              <Badge tone="warn">Refund pending</Badge>
              <span className="fin-alert-text">
                A refund of {r.amount} on {r.campaign} has not completed; retry it from the pledge.
              </span>
              <Link to={`/finance/pledges/${r.pledgeId}`}>Pledge</Link>
            </li>
          ))}
          {alerts.unbalanced.map((c) => (
            <li key={`balance-${c.id}`}>
              <Badge tone="bad">Does not balance</Badge>
              <span className="fin-alert-text">{c.title}: the statement's balance check is not zero.</span>
              <Link to={`/finance/campaigns/${c.id}`}>Statement</Link>
            </li>
          ))}
        </ul>
      </section>

      {DESK_STAGES.map((s) => {
        const rows = byStage(s.stage);
        return (
          <section
            className={rows.length === 0 ? "fin-section fin-section-empty" : "fin-section"}
            aria-labelledby={`stage-${s.stage}`}
            key={s.stage}
          >
            <header>
              <h2 id={`stage-${s.stage}`}>{s.title}</h2>
              <p className="muted small">
                {rows.length === 0 ? s.empty : `${rows.length} campaign${rows.length === 1 ? "" : "s"}`}
              </p>
            </header>
            {rows.length === 0 ? null : (
              <FinTable
                columns={[
                  "Campaign · creator",
                  "Decided (UTC)",
                  { label: "Pledges", num: true },
                  { label: "At deadline", num: true },
                  { label: "Collected", num: true },
                  { label: "Refunds, disputes", num: true },
                  { label: "Stripe fees", num: true },
                  { label: s.stage === "paid_out" ? "Paid out" : "Payout", num: true },
                  "Status",
                ]}
                foot={
                  rows.length > 1 ? (
                    <tfoot>
                      {totalsByCurrency(rows).map((t) => (
                        <tr key={t.currency}>
                          <td colSpan={3}>Total ({t.currency.toUpperCase()})</td>
                          <td className="num">{formatMoney(t.pledged, t.currency as CurrencyCode)}</td>
                          <td className="num">{formatMoney(t.collected, t.currency as CurrencyCode)}</td>
                          <td className="num">{formatMoney(t.out, t.currency as CurrencyCode)}</td>
                          <td className="num">{formatMoney(t.fees, t.currency as CurrencyCode)}</td>
                          <td className="num">
                            {s.stage === "closed"
                              ? "—"
                              : formatMoney(s.stage === "paid_out" ? t.paid : t.due, t.currency as CurrencyCode)}
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
                    <td className="num">{c.pledges}</td>
                    <td className="num">{c.pledged}</td>
                    <td className="num">{c.collected}</td>
                    <td className="num">{c.refundsDisputes}</td>
                    <td className="num">{c.fees}</td>
                    <td className="num">{s.stage === "closed" ? "—" : c.payout}</td>
                    <td className="nowrap">
                      <Badge
                        tone={
                          c.next === "Ready to prepare"
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
                          <Badge tone="bad">Unbalanced</Badge>
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
