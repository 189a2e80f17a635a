import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isUuid } from "~/domain/ids";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { ReasonActionForm } from "~/components/finance/action-form";
import { Badge, Notice, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { useFormat } from "~/components/locale";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { actionReasonSchema, statusWord } from "~/domain/finance";
import { withFreshCode } from "~/domain/two-factor";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { getCampaignForFinance } from "~/models/finance.server";
import { requireRole } from "~/services/accounts/auth.server";
import { approvePayout, freezeClosedStatement, preparePayout } from "~/services/finance/payouts.server";
import { getStripe } from "~/services/stripe/client.server";
import { clientIp } from "~/web/context";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import { getFinanceCampaignPage } from "./page.server";
import { LatePledgesSection } from "./late-pledges";
import { AfterPayoutSection } from "./after-payout";
import { OpenItemsSection } from "./open-items";
import { StatementAddOns, StatementMoney, StatementPledges } from "./statement-tables";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    { title: data ? t("finance:meta.statement", { title: data.campaign.title }) : t("finance:meta.statementFallback") },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const page = isUuid(params.id)
    ? await getFinanceCampaignPage(await getDb(), {
        campaignId: params.id,
        userId: user.id,
        platformFeeBps: getConfig().PLATFORM_FEE_BPS,
        t,
        locale: requestLocale(request, user),
      })
    : undefined;
  if (!page) notFound(t("finance:notFound.campaign"));
  return json(page);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const db = await getDb();
  const campaign = isUuid(params.id) ? await getCampaignForFinance(db, { campaignId: params.id }) : undefined;
  if (!campaign) notFound(t("finance:notFound.campaign"));
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (!["prepare-payout", "approve-payout", "prepare-late-payout", "approve-late-payout", "freeze"].includes(intent))
    return replyWithRefusal(null, refuse(400, t("finance:unknownAction")));
  // Approving moves money: it asks for a fresh code from the approver's authenticator app.
  const approving = intent === "approve-payout" || intent === "approve-late-payout";
  const schema = approving ? withFreshCode(actionReasonSchema(t), t) : actionReasonSchema(t);
  const submission = parseWithZod(form, { schema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const ip = clientIp(context);
  const base = { campaignId: campaign.id, actorId: user.id, reason: submission.value.reason, ip, t };
  const code = "code" in submission.value ? String(submission.value.code) : "";
  // A further payout (late pledges' money) is prepared apart; approving takes the latest payout.
  const result =
    intent === "prepare-payout" || intent === "prepare-late-payout"
      ? await preparePayout(db, {
          ...base,
          locale,
          platformFeeBps: getConfig().PLATFORM_FEE_BPS,
          late: intent === "prepare-late-payout",
        })
      : approving
        ? await approvePayout(db, getStripe(), {
            ...base,
            code,
            locale,
            payoutId: isUuid(form.get("payoutId")) ? String(form.get("payoutId")) : undefined,
          })
        : await freezeClosedStatement(db, base);
  if (!result.ok) {
    const retryAfter = "retryAfterSeconds" in result ? { "Retry-After": String(result.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, result, { headers: retryAfter, hideFields: ["code"] });
  }
  return json({ intent, notice: result.message });
}

export default function CampaignStatement() {
  const { campaign, statement, payout, plan, userId, late, openItems, afterPayout } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();

  return (
    <>
      <nav aria-label={t("finance:nav.breadcrumb")} className="fin-breadcrumb">
        <Link to="/finance">{t("finance:nav.desk")}</Link> / {t("finance:nav.statement")}
      </nav>
      <div className="fin-top">
        <h1>{campaign.title}</h1>
        <div className="fin-actions-row">
          {statement?.frozen ? (
            <span className="fin-frozen" title={statement.checksum ?? undefined}>
              {t("finance:statement.frozen", { checksum: statement.checksum })}
            </span>
          ) : statement ? (
            <Badge tone="info">{t("finance:statement.live")}</Badge>
          ) : null}
          {statement ? (
            <a className="button button-secondary" href={`/finance/campaigns/${campaign.id}/statement.csv`} download>
              {t("finance:statement.downloadCsv")}
            </a>
          ) : null}
        </div>
      </div>
      <p className="fin-meta">
        <span>
          {t("finance:statement.creator")} <strong>{campaign.creator}</strong> ({campaign.creatorEmail})
        </span>
        <span>
          {t("finance:statement.goal")} <strong>{campaign.goal}</strong>
        </span>
        <span>{campaign.fundingModel}</span>
        <span>{campaign.collection}</span>
        <span>
          {t("finance:statement.deadline")} <When at={campaign.deadline} zone />
        </span>
        <span>
          {t("finance:statement.decision")}{" "}
          {campaign.decision ? (
            <StatusBadge
              status={campaign.decision === "funded" ? "succeeded" : "cancelled"}
              label={statusWord(t, campaign.decision)}
            />
          ) : (
            <strong>{t("finance:statement.notSettled")}</strong>
          )}
        </span>
        {campaign.stage ? (
          <span>
            {t("finance:statement.settlement")} <strong>{statusWord(t, campaign.stage)}</strong>
            {campaign.stage === "grace" && campaign.graceEndsAt ? (
              <>
                {" "}
                {t("finance:statement.until")} <When at={campaign.graceEndsAt} />
              </>
            ) : null}
          </span>
        ) : null}
        <span>
          <Link to={`/projects/${campaign.slug}`}>{t("finance:statement.publicPage")}</Link>
        </span>
      </p>

      {actionData && "notice" in actionData ? <Notice>{actionData.notice}</Notice> : null}

      {!statement ? (
        <section className="fin-section">
          <p className="fin-empty">{t("finance:statement.none")}</p>
        </section>
      ) : (
        <div className="fin-grid">
          <div>
            <StatementMoney campaignId={campaign.id} currency={campaign.currency} statement={statement} />

            <StatementPledges campaignId={campaign.id} statement={statement} />

            <StatementAddOns statement={statement} />
          </div>

          <div>
            <section className="fin-section" aria-labelledby="payout-title">
              <header>
                <h2 id="payout-title">{t("finance:payout.title")}</h2>
                {payout ? <StatusBadge status={payout.status} label={payout.statusLabel} /> : null}
              </header>
              <div className="fin-section-body">
                {payout ? (
                  <dl className="fin-facts">
                    <dt>{t("finance:payout.amount")}</dt>
                    <dd>
                      <strong>{payout.amount}</strong>
                    </dd>
                    <dt>{t("finance:payout.destination")}</dt>
                    <dd>
                      <Ref id={payout.destination} />
                    </dd>
                    <dt>{t("finance:payout.preparedBy")}</dt>
                    <dd>
                      {payout.preparedBy} · <When at={payout.preparedAt} />
                    </dd>
                    <dt>{t("finance:payout.approvedBy")}</dt>
                    <dd>
                      {payout.approvedBy ? (
                        <>
                          {payout.approvedBy} · <When at={payout.approvedAt} />
                        </>
                      ) : (
                        <span className="muted">{t("finance:payout.notYet")}</span>
                      )}
                    </dd>
                    <dt>{t("finance:payout.transfer")}</dt>
                    <dd>
                      <Ref id={payout.transferId} />
                    </dd>
                  </dl>
                ) : null}
                {payout?.waitingUntil ? (
                  <p className="fin-note" role="note">
                    {t("recovery:payout.waitingNote", { when: f.shortDateTime(payout.waitingUntil) })}
                  </p>
                ) : payout?.failure ? (
                  <p className="form-error" role="alert">
                    {t("finance:payout.lastFailure", { failure: payout.failure })}
                  </p>
                ) : null}

                {payout?.status === "prepared" && payout.preparedById === userId ? (
                  <p className="fin-note" role="note">
                    {t("finance:payout.fourEyes")}
                  </p>
                ) : null}
                {payout?.status === "prepared" && payout.preparedById !== userId ? (
                  <ReasonActionForm
                    intent="approve-payout"
                    withCode
                    extra={{ payoutId: payout.id }}
                    title={t("finance:payout.approveTitle")}
                    button={t("finance:payout.approveButton", { amount: payout.amount })}
                    actionData={actionData}
                    placeholder={t("finance:payout.approvePlaceholder")}
                  >
                    <p className="muted small">{t("finance:payout.approveLead", { amount: payout.amount })}</p>
                  </ReasonActionForm>
                ) : null}
                {payout && (payout.status === "approved" || payout.status === "failed") ? (
                  <ReasonActionForm
                    intent="approve-payout"
                    withCode
                    extra={{ payoutId: payout.id }}
                    title={t("finance:payout.retryTitle")}
                    button={t("finance:payout.retryButton")}
                    actionData={actionData}
                  >
                    <p className="muted small">{t("finance:payout.retryLead")}</p>
                  </ReasonActionForm>
                ) : null}

                {!payout && plan ? (
                  plan.ready ? (
                    <ReasonActionForm
                      intent="prepare-payout"
                      title={t("finance:payout.prepareTitle")}
                      button={t("finance:payout.prepareButton", { amount: plan.amount })}
                      actionData={actionData}
                      placeholder={t("finance:payout.preparePlaceholder")}
                    >
                      <p className="muted small">
                        <Trans
                          i18nKey="finance:payout.prepareLead"
                          values={{ fee: plan.platformFee, percent: f.number(plan.bps / 100), amount: plan.amount }}
                          components={{ strong: <strong />, account: <Ref id={campaign.account?.id} /> }}
                        />
                      </p>
                      {plan.netted ? <p className="muted small">{plan.netted}</p> : null}
                    </ReasonActionForm>
                  ) : (
                    <div>
                      <p className="muted small" style={{ margin: 0 }}>
                        {t("finance:payout.waiting")}
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

            <OpenItemsSection items={openItems} />

            {afterPayout ? <AfterPayoutSection after={afterPayout} /> : null}

            {late ? <LatePledgesSection late={late} userId={userId} actionData={actionData} /> : null}

            {!statement.frozen && campaign.stage === "closed" && campaign.decision !== "funded" ? (
              <section className="fin-section" aria-labelledby="freeze-title">
                <header>
                  <h2 id="freeze-title">{t("finance:payout.closeTitle")}</h2>
                </header>
                <div className="fin-section-body">
                  <ReasonActionForm
                    intent="freeze"
                    title={t("finance:payout.freezeTitle")}
                    button={t("finance:payout.freezeButton")}
                    tone="secondary"
                    actionData={actionData}
                  >
                    <p className="muted small">
                      {t("finance:payout.freezeLead", { decision: statusWord(t, campaign.decision ?? "") })}
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
