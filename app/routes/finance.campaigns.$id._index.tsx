import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ReasonActionForm, type FinanceActionData } from "~/components/finance/action-form";
import { Badge, Notice, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { actionReasonSchema, PAYOUT_STATUS_LABELS, type StatementLine } from "~/domain/finance";
import { formatMoney } from "~/domain/money";
import { getCampaignForFinance } from "~/models/finance.server";
import { requireRole } from "~/services/accounts/auth.server";
import { approvePayout, freezeClosedStatement, planPayout, preparePayout } from "~/services/finance/payouts.server";
import { buildStatement } from "~/services/finance/statement.server";
import { getStripe } from "~/services/stripe/client.server";
import { clientIp } from "~/web/context";
import { parseForm } from "~/web/forms";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Statement: ${data.campaign.title} · Finance · Colecta` : "Statement · Finance · Colecta" },
];

async function loadCampaign(id: string | undefined) {
  if (!isUuid(id)) notFound("Campaign not found.");
  const db = await getDb();
  const campaign = await getCampaignForFinance(db, { campaignId: id! });
  if (!campaign) notFound("Campaign not found.");
  return { db, campaign };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const { db, campaign } = await loadCampaign(params.id);
  const built = campaign.decision ? await buildStatement(db, { campaignId: campaign.id }) : undefined;
  const plan =
    campaign.decision && !campaign.payout
      ? await planPayout(db, { campaignId: campaign.id, platformFeeBps: getConfig().PLATFORM_FEE_BPS })
      : null;
  const currency = campaign.currency;
  const m = (amount: number) => formatMoney(amount, currency);
  // Deductions show with a minus sign, but never as "-$0.00".
  const less = (amount: number) => m(amount === 0 ? 0 : -amount);
  const s = built?.statement;
  const payout = campaign.payout;
  return json({
    userId: user.id,
    campaign: {
      id: campaign.id,
      title: campaign.title,
      slug: campaign.slug,
      state: campaign.state,
      currency,
      goal: m(campaign.goal_amount),
      fundingModel: campaign.funding_model === "all_or_nothing" ? "All or nothing" : "Flexible",
      collection: campaign.collection === "at_deadline" ? "Charged at deadline" : "Charged at pledge",
      deadline: campaign.deadline?.toISOString() ?? null,
      creator: campaign.creator_name,
      creatorEmail: campaign.creator_email,
      decision: campaign.decision,
      stage: campaign.stage,
      decidedAt: campaign.decided_at?.toISOString() ?? null,
      graceEndsAt: campaign.grace_ends_at?.toISOString() ?? null,
      closedAt: campaign.closed_at?.toISOString() ?? null,
      account: campaign.stripe_account_id
        ? { id: campaign.stripe_account_id, payoutsEnabled: Boolean(campaign.payouts_enabled) }
        : null,
    },
    statement: s
      ? {
          frozen: built!.frozen,
          checksum: built!.checksum,
          pledges: [
            {
              line: "deadline" as StatementLine,
              label: "Pledged at deadline",
              count: s.pledgesAtDeadline,
              amount: m(s.pledgedAtDeadline),
              any: s.pledgesAtDeadline > 0,
            },
            {
              line: "collected" as StatementLine,
              label: "Collected",
              count: null,
              amount: m(s.collected),
              any: s.collected !== 0,
            },
            {
              line: "grace" as StatementLine,
              label: "In grace (payment failed, retrying)",
              count: s.inGrace.count,
              amount: m(s.inGrace.amount),
              any: s.inGrace.count > 0,
            },
            {
              line: "dropped" as StatementLine,
              label: "Dropped at end of grace",
              count: s.dropped.count,
              amount: m(s.dropped.amount),
              any: s.dropped.count > 0,
            },
            {
              line: "released" as StatementLine,
              label: "Released (nothing charged)",
              count: s.released.count,
              amount: m(s.released.amount),
              any: s.released.count > 0,
            },
          ],
          money: [
            { line: "collected" as StatementLine | null, label: "Collected", amount: m(s.collected), negative: false },
            {
              line: "refunded" as StatementLine | null,
              label: "Refunded",
              amount: less(s.refunded),
              negative: s.refunded > 0,
            },
            {
              line: "disputed" as StatementLine | null,
              label: "Disputed (amount and fees)",
              amount: less(s.disputed),
              negative: s.disputed > 0,
            },
            {
              line: "fees" as StatementLine | null,
              label: "Stripe fees",
              amount: less(s.stripeFees),
              negative: s.stripeFees > 0,
            },
            {
              line: null,
              label: `Platform fee${s.platformFee === 0 && !payout ? " (booked when the payout is prepared)" : ""}`,
              amount: less(s.platformFee),
              negative: s.platformFee > 0,
            },
            { line: null, label: "Paid out to the creator", amount: less(s.paidOut), negative: s.paidOut > 0 },
          ],
          payoutDue: m(s.payoutDue),
          feePending: !payout && s.platformFee === 0 && campaign.decision === "funded",
          zero: m(0),
          balanceCheck: s.balanceCheck,
          balanceCheckText: m(s.balanceCheck),
        }
      : null,
    payout: payout
      ? {
          status: payout.status,
          statusLabel: PAYOUT_STATUS_LABELS[payout.status],
          amount: m(payout.amount),
          destination: payout.destination_account,
          preparedBy: payout.prepared_by_name,
          preparedById: payout.prepared_by,
          preparedAt: payout.prepared_at.toISOString(),
          approvedBy: payout.approved_by_name,
          approvedAt: payout.approved_at?.toISOString() ?? null,
          transferId: payout.stripe_transfer_id,
          failure: payout.failure,
        }
      : null,
    plan: plan
      ? {
          ready: plan.ready,
          waitingFor: plan.waitingFor,
          amount: m(Math.max(0, plan.amount)),
          platformFee: m(plan.platformFee),
          bps: getConfig().PLATFORM_FEE_BPS,
        }
      : null,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const { db, campaign } = await loadCampaign(params.id);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const values = { reason: String(form.get("reason") ?? "").slice(0, 600) };
  if (!["prepare-payout", "approve-payout", "freeze"].includes(intent)) {
    return json<FinanceActionData>({ formError: "Unknown action." }, { status: 400 });
  }
  const parsed = parseForm(actionReasonSchema, form);
  if (!parsed.ok) return json<FinanceActionData>({ intent, fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  const ip = clientIp(context);
  const base = { campaignId: campaign.id, actorId: user.id, reason: parsed.data.reason, ip };
  const result =
    intent === "prepare-payout"
      ? await preparePayout(db, { ...base, platformFeeBps: getConfig().PLATFORM_FEE_BPS })
      : intent === "approve-payout"
        ? await approvePayout(db, getStripe(), base)
        : await freezeClosedStatement(db, base);
  if (!result.ok)
    return json<FinanceActionData>({ intent, formError: result.message, values }, { status: result.status });
  return json<FinanceActionData>({ intent, notice: result.message });
}

export default function CampaignStatement() {
  const { campaign, statement, payout, plan, userId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const zero = statement?.zero;
  const drill = (line: StatementLine) => `/finance/campaigns/${campaign.id}/pledges?line=${line}`;

  return (
    <>
      <nav aria-label="Breadcrumb" className="fin-breadcrumb">
        <Link to="/finance">Finance desk</Link> / Statement
      </nav>
      <div className="fin-top">
        <h1>{campaign.title}</h1>
        <div className="fin-actions-row">
          {statement?.frozen ? (
            <span className="fin-frozen" title={statement.checksum ?? undefined}>
              Frozen · sha256 {statement.checksum}
            </span>
          ) : statement ? (
            <Badge tone="info">Live statement (not frozen)</Badge>
          ) : null}
          {statement ? (
            <a className="button button-secondary" href={`/finance/campaigns/${campaign.id}/statement.csv`} download>
              Download CSV
            </a>
          ) : null}
        </div>
      </div>
      <p className="fin-meta">
        <span>
          Creator <strong>{campaign.creator}</strong> ({campaign.creatorEmail})
        </span>
        <span>
          Goal <strong>{campaign.goal}</strong>
        </span>
        <span>{campaign.fundingModel}</span>
        <span>{campaign.collection}</span>
        <span>
          Deadline <When at={campaign.deadline} /> UTC
        </span>
        <span>
          Decision{" "}
          {campaign.decision ? (
            <StatusBadge
              status={campaign.decision === "funded" ? "succeeded" : "cancelled"}
              label={campaign.decision}
            />
          ) : (
            <strong>not settled</strong>
          )}
        </span>
        {campaign.stage ? (
          <span>
            Settlement <strong>{campaign.stage}</strong>
            {campaign.stage === "grace" && campaign.graceEndsAt ? (
              <>
                {" "}
                until <When at={campaign.graceEndsAt} />
              </>
            ) : null}
          </span>
        ) : null}
        <span>
          <Link to={`/projects/${campaign.slug}`}>Public page</Link>
        </span>
      </p>

      {actionData?.notice ? <Notice>{actionData.notice}</Notice> : null}

      {!statement ? (
        <section className="fin-section">
          <p className="fin-empty">This campaign has not reached settlement, so it has no statement yet.</p>
        </section>
      ) : (
        <div className="fin-grid">
          <div>
            <section className="fin-section" aria-labelledby="money-title">
              <header>
                <h2 id="money-title">Settlement statement</h2>
                <p className="muted small">{campaign.currency.toUpperCase()} · from the journal</p>
              </header>
              <table className="fin-table fin-statement">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col" className="num">
                      Pledges
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {statement.money.map((l) => (
                    <tr key={l.label}>
                      <td>{l.label}</td>
                      <td className={l.negative ? "num negative" : "num"}>{l.amount}</td>
                      <td className="num">
                        {l.line && l.amount !== zero ? (
                          <Link to={drill(l.line)} aria-label={`Pledges behind ${l.label}`}>
                            View
                          </Link>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    </tr>
                  ))}
                  <tr className="line-total">
                    <td>
                      Payout due to the creator
                      {statement.feePending ? <span className="explain"> (before the platform fee)</span> : null}
                    </td>
                    <td className="num">{statement.payoutDue}</td>
                    <td />
                  </tr>
                  <tr className="line-check">
                    <td>
                      Balance check{" "}
                      <span className="explain">(Stripe balance − payout due − platform fee; must be zero)</span>
                    </td>
                    <td className={statement.balanceCheck === 0 ? "num fin-balance-ok" : "num fin-balance-bad"}>
                      {statement.balanceCheckText} {statement.balanceCheck === 0 ? "✓" : "✗"}
                    </td>
                    <td />
                  </tr>
                </tbody>
              </table>
            </section>

            <section className="fin-section" aria-labelledby="pledges-title">
              <header>
                <h2 id="pledges-title">Pledges</h2>
                <p className="muted small">counts and pledged amounts</p>
              </header>
              <table className="fin-table fin-statement">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col" className="num">
                      Count
                    </th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col" className="num">
                      Pledges
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {statement.pledges.map((l) => (
                    <tr key={l.line}>
                      <td>{l.label}</td>
                      <td className="num">{l.count ?? "—"}</td>
                      <td className="num">{l.amount}</td>
                      <td className="num">
                        {l.any ? (
                          <Link to={drill(l.line)} aria-label={`Pledges behind ${l.label}`}>
                            View
                          </Link>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>

          <div>
            <section className="fin-section" aria-labelledby="payout-title">
              <header>
                <h2 id="payout-title">Payout</h2>
                {payout ? <StatusBadge status={payout.status} label={payout.statusLabel} /> : null}
              </header>
              <div className="fin-section-body">
                {payout ? (
                  <dl className="fin-facts">
                    <dt>Amount</dt>
                    <dd>
                      <strong>{payout.amount}</strong>
                    </dd>
                    <dt>Destination</dt>
                    <dd>
                      <Ref id={payout.destination} />
                    </dd>
                    <dt>Prepared by</dt>
                    <dd>
                      {payout.preparedBy} · <When at={payout.preparedAt} />
                    </dd>
                    <dt>Approved by</dt>
                    <dd>
                      {payout.approvedBy ? (
                        <>
                          {payout.approvedBy} · <When at={payout.approvedAt} />
                        </>
                      ) : (
                        <span className="muted">not yet</span>
                      )}
                    </dd>
                    <dt>Stripe transfer</dt>
                    <dd>
                      <Ref id={payout.transferId} />
                    </dd>
                  </dl>
                ) : null}
                {payout?.failure ? (
                  <p className="form-error" role="alert">
                    Last transfer attempt failed: {payout.failure}
                  </p>
                ) : null}

                {payout?.status === "prepared" && payout.preparedById === userId ? (
                  <p className="fin-note" role="note">
                    You prepared this payout, so another finance user must approve it (four-eyes rule).
                  </p>
                ) : null}
                {payout?.status === "prepared" && payout.preparedById !== userId ? (
                  <ReasonActionForm
                    intent="approve-payout"
                    title="Approve and transfer"
                    button={`Approve payout of ${payout.amount}`}
                    actionData={actionData}
                    placeholder="e.g. Statement checked against Stripe"
                  >
                    <p className="muted small">
                      Transfers {payout.amount} to the creator's connected account and freezes the statement.
                    </p>
                  </ReasonActionForm>
                ) : null}
                {payout && (payout.status === "approved" || payout.status === "failed") ? (
                  <ReasonActionForm
                    intent="approve-payout"
                    title="Complete the transfer"
                    button="Retry transfer"
                    actionData={actionData}
                  >
                    <p className="muted small">
                      The payout is approved but its transfer did not complete. Retrying can never transfer twice.
                    </p>
                  </ReasonActionForm>
                ) : null}

                {!payout && plan ? (
                  plan.ready ? (
                    <ReasonActionForm
                      intent="prepare-payout"
                      title="Prepare the payout"
                      button={`Prepare payout of ${plan.amount}`}
                      actionData={actionData}
                      placeholder="e.g. Settlement closed, statement reviewed"
                    >
                      <p className="muted small">
                        Books the platform fee of {plan.platformFee} ({plan.bps / 100}%) and prepares a transfer of{" "}
                        <strong>{plan.amount}</strong> to <Ref id={campaign.account?.id} />. Another finance user
                        approves it.
                      </p>
                    </ReasonActionForm>
                  ) : (
                    <div>
                      <p className="muted small" style={{ margin: 0 }}>
                        No payout yet. It waits for:
                      </p>
                      <ul className="fin-waiting">
                        {plan.waitingFor.map((w) => (
                          <li key={w}>{w}</li>
                        ))}
                      </ul>
                    </div>
                  )
                ) : null}
              </div>
            </section>

            {!statement.frozen && campaign.stage === "closed" && campaign.decision !== "funded" ? (
              <section className="fin-section" aria-labelledby="freeze-title">
                <header>
                  <h2 id="freeze-title">Close the books</h2>
                </header>
                <div className="fin-section-body">
                  <ReasonActionForm
                    intent="freeze"
                    title="Freeze the statement"
                    button="Freeze statement"
                    tone="secondary"
                    actionData={actionData}
                  >
                    <p className="muted small">
                      The campaign is {campaign.decision}; nothing is paid out. Freezing stores the statement with its
                      checksum.
                    </p>
                  </ReasonActionForm>
                </div>
              </section>
            ) : null}
          </div>
        </div>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
