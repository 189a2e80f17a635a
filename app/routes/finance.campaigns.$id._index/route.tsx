import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ReasonActionForm } from "~/components/finance/action-form";
import { Badge, Notice, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { actionReasonSchema } from "~/domain/finance";
import { refuse } from "~/domain/refusal";
import { getCampaignForFinance } from "~/models/finance.server";
import { requireRole } from "~/services/accounts/auth.server";
import { approvePayout, freezeClosedStatement, preparePayout } from "~/services/finance/payouts.server";
import { getStripe } from "~/services/stripe/client.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import { getFinanceCampaignPage } from "./page.server";
import { StatementMoney, StatementPledges } from "./statement-tables";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Statement: ${data.campaign.title} · Finance · Colecta` : "Statement · Finance · Colecta" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const page = isUuid(params.id)
    ? await getFinanceCampaignPage(await getDb(), {
        campaignId: params.id,
        userId: user.id,
        platformFeeBps: getConfig().PLATFORM_FEE_BPS,
      })
    : undefined;
  if (!page) notFound("Campaign not found.");
  return json(page);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const db = await getDb();
  const campaign = isUuid(params.id) ? await getCampaignForFinance(db, { campaignId: params.id }) : undefined;
  if (!campaign) notFound("Campaign not found.");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (!["prepare-payout", "approve-payout", "freeze"].includes(intent))
    return replyWithRefusal(null, refuse(400, "Unknown action."));
  const submission = parseWithZod(form, { schema: actionReasonSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const ip = clientIp(context);
  const base = { campaignId: campaign.id, actorId: user.id, reason: submission.value.reason, ip };
  const result =
    intent === "prepare-payout"
      ? await preparePayout(db, { ...base, platformFeeBps: getConfig().PLATFORM_FEE_BPS })
      : intent === "approve-payout"
        ? await approvePayout(db, getStripe(), base)
        : await freezeClosedStatement(db, base);
  if (!result.ok) return replyWithRefusal(submission, result);
  return json({ intent, notice: result.message });
}

export default function CampaignStatement() {
  const { campaign, statement, payout, plan, userId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();

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

      {actionData && "notice" in actionData ? <Notice>{actionData.notice}</Notice> : null}

      {!statement ? (
        <section className="fin-section">
          <p className="fin-empty">This campaign has not reached settlement, so it has no statement yet.</p>
        </section>
      ) : (
        <div className="fin-grid">
          <div>
            <StatementMoney campaignId={campaign.id} currency={campaign.currency} statement={statement} />

            <StatementPledges campaignId={campaign.id} statement={statement} />
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
