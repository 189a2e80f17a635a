import { isUuid } from "~/domain/ids";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { answerTo, ReasonActionForm } from "~/components/finance/action-form";
import { FinTable, Notice, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { formErrorsOf, FormError } from "~/components/fields";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { disputeEvidenceSchema, evidenceOf } from "~/domain/disputes";
import { actionReasonSchema, refundFormSchema, resumeRefundSchema } from "~/domain/finance";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { requireRole } from "~/services/accounts/auth.server";
import { refundPledge, resumeRefund } from "~/services/finance/refunds.server";
import { retryErroredCharge } from "~/services/finance/retry-charge.server";
import { retryRefusedSettlementRefund } from "~/services/finance/refund-failures.server";
import { submitDisputeEvidence } from "~/services/settlement/disputes.server";
import { getStripe } from "~/services/stripe/client.server";
import { clientIp } from "~/web/context";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import { getFinancePledgeForAction, getFinancePledgePage } from "./page.server";
import { AuditLog, ChargeAttempts, JournalLines, StateChanges } from "./pledge-history";
import { DisputePanel } from "./dispute-panel";
import { RefundForm } from "./refund-form";
import { SettlementRefundPanel } from "./settlement-refund-panel";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    { title: data ? t("finance:meta.pledge", { id: data.pledge.id.slice(0, 8) }) : t("finance:meta.pledgeFallback") },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const page = isUuid(params.id)
    ? await getFinancePledgePage(await getDb(), { pledgeId: params.id, t, locale })
    : undefined;
  if (!page) notFound(t("finance:notFound.pledge"));
  return json(page);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const db = await getDb();
  const pledge = isUuid(params.id) ? await getFinancePledgeForAction(db, { pledgeId: params.id }) : undefined;
  if (!pledge) notFound(t("finance:notFound.pledge"));
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const ip = clientIp(context);
  const pledgeId = pledge.id;

  if (intent === "refund") {
    const schema = refundFormSchema(t, locale, { currency: pledge.currency, refundable: pledge.refundable });
    const submission = parseWithZod(form, { schema });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await refundPledge(db, getStripe(), {
      pledgeId,
      actorId: user.id,
      ...submission.value,
      ip,
      t,
      locale,
    });
    if (!result.ok) return replyWithRefusal(submission, result);
    return json({ intent, notice: result.message });
  }
  if (intent === "resume-refund") {
    const submission = parseWithZod(form, { schema: resumeRefundSchema(t) });
    if (submission.status !== "success" || !pledge.refundIds.includes(submission.value.refundId))
      return replyWithRefusal(submission, refuse(400, t("finance:validation.refundNotOnPledge")));
    const result = await resumeRefund(db, getStripe(), {
      refundId: submission.value.refundId,
      actorId: user.id,
      ip,
      t,
      locale,
    });
    if (!result.ok) return replyWithRefusal(submission, result);
    return json({ intent, notice: result.message });
  }
  if (intent === "retry-charge") {
    const submission = parseWithZod(form, { schema: actionReasonSchema(t) });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await retryErroredCharge(db, getStripe(), getConfig(), {
      pledgeId,
      actorId: user.id,
      reason: submission.value.reason,
      ip,
      t,
    });
    if (!result.ok) return replyWithRefusal(submission, result);
    return json({ intent, notice: result.message });
  }
  if (intent === "retry-settlement-refund") {
    const submission = parseWithZod(form, { schema: actionReasonSchema(t) });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await retryRefusedSettlementRefund(db, getStripe(), getConfig(), {
      pledgeId,
      actorId: user.id,
      reason: submission.value.reason,
      ip,
      t,
    });
    if (!result.ok) return replyWithRefusal(submission, result);
    return json({ intent, notice: result.message });
  }
  if (intent === "dispute-evidence") {
    const submission = parseWithZod(form, { schema: disputeEvidenceSchema(t) });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const { reason, requestKey, disputeId, ...evidence } = submission.value;
    const result = await submitDisputeEvidence(db, getStripe(), {
      pledgeId,
      disputeId,
      actorId: user.id,
      reason,
      requestKey,
      evidence: evidenceOf(evidence),
      ip,
      t,
    });
    if (!result.ok) return replyWithRefusal(submission, result);
    return json({ intent, notice: result.message });
  }
  return replyWithRefusal(null, refuse(400, t("finance:unknownAction")));
}

export default function FinancePledge() {
  const data = useLoaderData<typeof loader>();
  const { pledge, money } = data;
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  return (
    <>
      <nav aria-label={t("finance:nav.breadcrumb")} className="fin-breadcrumb">
        <Link to="/finance">{t("finance:nav.desk")}</Link> /{" "}
        <Link to={`/finance/campaigns/${pledge.campaignId}`}>{pledge.campaignTitle}</Link> / {t("finance:nav.pledge")}
      </nav>
      <div className="fin-top">
        <h1>
          {t("finance:pledge.title")} <code className="fin-ref">{pledge.id}</code>
        </h1>
        <StatusBadge status={pledge.state} label={pledge.stateLabel} />
      </div>
      <p className="fin-meta">
        <span>
          {t("finance:pledge.backer")} <strong>{pledge.backer}</strong> ({pledge.backerEmail})
        </span>
        <span>
          {t("finance:pledge.reward")} <strong>{pledge.tier}</strong>
        </span>
        {pledge.addOns ? (
          <span>
            {t("finance:pledge.addOns")} <strong>{pledge.addOns}</strong>
          </span>
        ) : null}
        <span>
          {t("finance:pledge.pledgedAt")} <When at={pledge.createdAt} zone />
        </span>
      </p>
      {actionData && "notice" in actionData ? <Notice>{actionData.notice}</Notice> : null}
      {/* An answer that echoes no fields is about the page, not one of its forms. */}
      <FormError errors={actionData && "initialValue" in actionData ? undefined : formErrorsOf(actionData)} />

      <div className="fin-top-grid">
        <section className="fin-section" aria-labelledby="money-title">
          <header>
            <h2 id="money-title">{t("finance:pledge.moneyTitle")}</h2>
            <p className="muted small">{pledge.currency.toUpperCase()}</p>
          </header>
          <div className="fin-section-body">
            <dl className="fin-facts">
              <dt>{t("finance:pledge.pledged")}</dt>
              <dd>{pledge.amount}</dd>
              <dt>{t("finance:pledge.collected")}</dt>
              <dd>{money.collected}</dd>
              <dt>{t("finance:pledge.refunded")}</dt>
              <dd>{money.refunded}</dd>
              {money.pending ? (
                <>
                  <dt>{t("finance:pledge.pending")}</dt>
                  <dd>{money.pending}</dd>
                </>
              ) : null}
              <dt>
                <strong>{t("finance:pledge.refundable")}</strong>
              </dt>
              <dd>
                <strong>{money.refundable}</strong>
              </dd>
              <dt>{t("finance:pledge.cardLabel")}</dt>
              <dd>{pledge.card ?? "—"}</dd>
              <dt>{t("finance:pledge.customer")}</dt>
              <dd>
                <Ref id={pledge.customer} />
              </dd>
              {pledge.payments.length > 1 ? (
                pledge.payments.map((p) => (
                  <Fragment key={p.id}>
                    <dt>{p.label}</dt>
                    <dd>
                      <Ref id={p.id} />
                    </dd>
                  </Fragment>
                ))
              ) : (
                <>
                  <dt>{t("finance:pledge.paymentIntent")}</dt>
                  <dd>
                    <Ref id={pledge.paymentIntent} />
                  </dd>
                </>
              )}
              {pledge.lastError ? (
                <>
                  <dt>{t("finance:pledge.lastError")}</dt>
                  <dd>{pledge.lastError}</dd>
                </>
              ) : null}
              {pledge.nextChargeAt ? (
                <>
                  <dt>{t("finance:pledge.nextRetry")}</dt>
                  <dd>
                    <When at={pledge.nextChargeAt} />
                  </dd>
                </>
              ) : null}
            </dl>
          </div>
        </section>

        <section className="fin-section" aria-labelledby="actions-title">
          <header>
            <h2 id="actions-title">{t("finance:pledge.actionsTitle")}</h2>
          </header>
          <div className="fin-section-body">
            {data.refundAfterPayout ? <p className="fin-notice fin-notice-warn">{data.refundAfterPayout}</p> : null}
            {data.canRefund ? (
              <RefundForm
                key={data.requestKey}
                currency={pledge.currency}
                refundable={money.refundableRaw}
                refundableText={money.refundable}
                refundableInput={money.refundableInput}
                requestKey={data.requestKey}
                actionData={actionData}
              />
            ) : null}
            {data.refundClosed ? <p className="muted small">{data.refundClosed}</p> : null}
            {data.canRetry ? (
              <ReasonActionForm
                intent="retry-charge"
                title={t("finance:pledge.retryTitle")}
                button={t("finance:pledge.retryButton")}
                actionData={actionData}
                placeholder={t("finance:pledge.retryPlaceholder")}
              >
                <p className="muted small">{t("finance:pledge.retryLead")}</p>
              </ReasonActionForm>
            ) : null}
            <SettlementRefundPanel parked={data.settlementRefund} actionData={actionData} />
            {!data.canRefund && !data.canRetry && !data.refundClosed && !data.settlementRefund ? (
              <p className="muted small">
                {t("finance:pledge.noAction", { state: pledge.stateLabel.toLocaleLowerCase() })}
              </p>
            ) : null}
            <FormError errors={formErrorsOf(answerTo(actionData, "resume-refund"))} />
          </div>
        </section>
      </div>

      <DisputePanel disputes={data.disputes} actionData={actionData} />

      <StateChanges transitions={data.transitions} />

      <ChargeAttempts attempts={data.attempts} />

      <JournalLines journal={data.journal} />

      <section className="fin-section" aria-labelledby="refunds-title">
        <header>
          <h2 id="refunds-title">{t("finance:pledge.refundsTitle")}</h2>
        </header>
        {data.refunds.length === 0 ? (
          <p className="fin-empty">{t("finance:pledge.noRefunds")}</p>
        ) : (
          <FinTable
            columns={[
              t("finance:pledge.refundColumns.requested"),
              t("finance:pledge.refundColumns.by"),
              { label: t("finance:pledge.refundColumns.amount"), num: true },
              t("finance:pledge.refundColumns.status"),
              t("finance:pledge.refundColumns.stripe"),
              t("finance:pledge.refundColumns.reason"),
            ]}
          >
            {data.refunds.map((r) => (
              <tr key={r.id}>
                <td className="nowrap">
                  <When at={r.at} />
                </td>
                <td>{r.by ?? "—"}</td>
                <td className="num">{r.amount}</td>
                <td>
                  <StatusBadge status={r.status} />
                  {r.resumable ? (
                    <Form method="post" style={{ display: "inline", marginLeft: 8 }}>
                      <input type="hidden" name="intent" value="resume-refund" />
                      <input type="hidden" name="refundId" value={r.id} />
                      <button type="submit" className="button button-secondary" disabled={busy}>
                        {t("finance:pledge.retry")}
                      </button>
                    </Form>
                  ) : null}
                </td>
                <td>
                  <Ref id={r.stripeId} />
                </td>
                <td className="wrap">{r.reason}</td>
              </tr>
            ))}
          </FinTable>
        )}
      </section>

      <AuditLog audit={data.audit} />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
