import { randomUUID } from "node:crypto";
import { isUuid } from "~/domain/ids";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment } from "react";
import { ReasonActionForm, type FinanceActionData } from "~/components/finance/action-form";
import { FinTable, Notice, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { FormError, useSchemaValidation } from "~/components/forms";
import { AdornedField, TextArea } from "~/components/form-controls";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { actionReasonSchema, refundFormSchema } from "~/domain/finance";
import { CURRENCIES, formatMoney, toInputValue } from "~/domain/money";
import { PLEDGE_STATE_LABELS } from "~/domain/pledge-rules";
import { getPledgeForFinance, pledgeMoney } from "~/models/finance.server";
import { journalForPledge } from "~/models/ledger.server";
import { requireRole } from "~/services/accounts/auth.server";
import { refundPledge, resumeRefund } from "~/services/finance/refunds.server";
import { retryErroredCharge } from "~/services/finance/retry-charge.server";
import { getStripe } from "~/services/stripe/client.server";
import { clientIp } from "~/web/context";
import { parseForm } from "~/web/forms";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import type { CurrencyCode } from "../../db/schema.js";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Pledge ${data.pledge.id.slice(0, 8)} · Finance · Colecta` : "Pledge · Finance · Colecta" },
];

async function loadPledge(id: string | undefined) {
  if (!isUuid(id)) notFound("Pledge not found.");
  const db = await getDb();
  const found = await getPledgeForFinance(db, { pledgeId: id! });
  if (!found) notFound("Pledge not found.");
  return { db, found };
}

const REFUNDABLE = ["collected", "partially_refunded"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  const { db, found } = await loadPledge(params.id);
  const { pledge, transitions, attempts, refunds, audit } = found;
  const [money, journal, payout, payments] = await Promise.all([
    pledgeMoney(db, { pledgeId: pledge.id }),
    journalForPledge(db, { pledgeId: pledge.id }),
    db.selectFrom("payouts").select(["status"]).where("campaign_id", "=", pledge.campaign_id).executeTakeFirst(),
    // Paid up front and raised: one PaymentIntent per payment.
    db
      .selectFrom("pledge_payments")
      .select(["stripe_payment_intent_id", "amount", "purpose"])
      .where("pledge_id", "=", pledge.id)
      .orderBy("id")
      .execute(),
  ]);
  const c = pledge.currency;
  const m = (amount: number) => formatMoney(amount, c);
  const refundClosed = payout
    ? payout.status === "paid"
      ? "The campaign has been paid out; its statement is final."
      : "A payout has been prepared for this campaign; refunds are closed."
    : null;
  return json({
    pledge: {
      id: pledge.id,
      state: pledge.state,
      stateLabel: PLEDGE_STATE_LABELS[pledge.state],
      campaignId: pledge.campaign_id,
      campaignTitle: pledge.campaign_title,
      backer: pledge.backer_name,
      backerEmail: pledge.backer_email,
      tier: pledge.tier_title ?? "No reward",
      amount: m(pledge.amount),
      currency: c,
      card: pledge.card_last4 ? `${(pledge.card_brand ?? "card").toUpperCase()} •••• ${pledge.card_last4}` : null,
      customer: pledge.stripe_customer_id,
      paymentMethod: pledge.stripe_payment_method_id,
      paymentIntent: pledge.stripe_payment_intent_id,
      payments: payments.map((p) => ({
        id: p.stripe_payment_intent_id,
        label: `${p.purpose === "top_up" ? "Raise" : "Payment"} ${formatMoney(p.amount, pledge.currency)}`,
      })),
      lastError: pledge.last_charge_error,
      nextChargeAt: pledge.next_charge_at?.toISOString() ?? null,
      createdAt: pledge.created_at.toISOString(),
    },
    money: {
      collected: m(money.collected),
      refunded: m(money.refunded),
      pending: money.pending ? m(money.pending) : null,
      refundable: m(money.refundable),
      refundableRaw: money.refundable,
      refundableInput: toInputValue(money.refundable, c),
    },
    canRefund: REFUNDABLE.includes(pledge.state) && money.refundable > 0 && !refundClosed,
    refundClosed: REFUNDABLE.includes(pledge.state) ? refundClosed : null,
    canRetry: pledge.state === "errored",
    requestKey: randomUUID(),
    transitions: transitions.map((t) => ({
      id: t.id,
      at: t.at.toISOString(),
      from: t.from_state,
      to: t.to_state,
      actor: t.actor_name,
      reason: t.reason,
      detail: Object.entries(t.detail ?? {}).map(([k, v]) => ({
        k: k.replace(/_/g, " "),
        v: typeof v === "object" ? JSON.stringify(v) : String(v),
      })),
    })),
    attempts: attempts.map((a) => ({
      id: a.id,
      attempt: a.attempt,
      kind: a.kind,
      key: a.idempotency_key,
      amount: m(a.amount),
      status: a.status,
      stripeId: a.stripe_object_id,
      error: [a.error_code, a.decline_code].filter(Boolean).join(" / ") || null,
      message: a.error_message,
      startedAt: a.started_at.toISOString(),
      finishedAt: a.finished_at?.toISOString() ?? null,
    })),
    journal: journal.map((j, i) => ({
      key: `${j.transaction_id}-${i}`,
      transactionId: j.transaction_id,
      kind: j.kind,
      at: j.created_at.toISOString(),
      account: j.account_code,
      debit: j.amount > 0 ? formatMoney(j.amount, j.currency) : "",
      credit: j.amount < 0 ? formatMoney(-j.amount, j.currency) : "",
      stripeId: j.stripe_object_id,
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      amount: m(r.amount),
      reason: r.reason,
      status: r.status,
      by: r.requested_by_name,
      stripeId: r.stripe_refund_id,
      at: r.created_at.toISOString(),
      resumable: r.status === "pending" && Date.now() - r.created_at.getTime() > 60_000,
    })),
    audit: audit.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      action: a.action,
      actor: a.actor_name,
      reason: a.reason,
    })),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const { db, found } = await loadPledge(params.id);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const values = {
    amount: String(form.get("amount") ?? "").slice(0, 60),
    reason: String(form.get("reason") ?? "").slice(0, 600),
  };
  const ip = clientIp(context);
  const pledgeId = found.pledge.id;

  if (intent === "refund") {
    const money = await pledgeMoney(db, { pledgeId });
    const parsed = parseForm(refundFormSchema({ currency: found.pledge.currency, refundable: money.refundable }), form);
    if (!parsed.ok)
      return json<FinanceActionData>({ intent, fieldErrors: parsed.fieldErrors, values }, { status: 400 });
    const result = await refundPledge(db, getStripe(), { pledgeId, actorId: user.id, ...parsed.data, ip });
    if (!result.ok) {
      return json<FinanceActionData>(
        result.field
          ? { intent, fieldErrors: { [result.field]: result.message }, values }
          : { intent, formError: result.message, values },
        { status: result.status },
      );
    }
    return json<FinanceActionData>({ intent, notice: result.message });
  }
  if (intent === "resume-refund") {
    const refundId = String(form.get("refundId") ?? "");
    const refund = found.refunds.find((r) => r.id === refundId);
    if (!refund)
      return json<FinanceActionData>({ intent, formError: "That refund is not on this pledge." }, { status: 400 });
    const result = await resumeRefund(db, getStripe(), { refundId, actorId: user.id, ip });
    if (!result.ok) return json<FinanceActionData>({ intent, formError: result.message }, { status: result.status });
    return json<FinanceActionData>({ intent, notice: result.message });
  }
  if (intent === "retry-charge") {
    const parsed = parseForm(actionReasonSchema, form);
    if (!parsed.ok)
      return json<FinanceActionData>({ intent, fieldErrors: parsed.fieldErrors, values }, { status: 400 });
    const result = await retryErroredCharge(db, getStripe(), getConfig(), {
      pledgeId,
      actorId: user.id,
      reason: parsed.data.reason,
      ip,
    });
    if (!result.ok)
      return json<FinanceActionData>({ intent, formError: result.message, values }, { status: result.status });
    return json<FinanceActionData>({ intent, notice: result.message });
  }
  return json<FinanceActionData>({ formError: "Unknown action." }, { status: 400 });
}

function RefundForm({
  currency,
  refundable,
  refundableText,
  refundableInput,
  requestKey,
  actionData,
}: {
  currency: CurrencyCode;
  refundable: number;
  refundableText: string;
  refundableInput: string;
  requestKey: string;
  actionData: FinanceActionData | undefined;
}) {
  const mine = actionData?.intent === "refund" ? actionData : undefined;
  const { errors, onSubmit } = useSchemaValidation(refundFormSchema({ currency, refundable }), mine?.fieldErrors);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "refund";
  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="fin-action">
      <h3>Refund</h3>
      <p className="muted small">
        Up to {refundableText} can be refunded. The backer is emailed; the refund is booked and audited.
      </p>
      <FormError message={mine?.formError ?? errors.requestKey} />
      <input type="hidden" name="intent" value="refund" />
      <input type="hidden" name="requestKey" value={requestKey} />
      <AdornedField
        label={`Amount (${currency.toUpperCase()})`}
        name="amount"
        prefix={currency.toUpperCase()}
        inputMode="decimal"
        autoComplete="off"
        defaultValue={mine?.values?.amount ?? refundableInput}
        hint={
          CURRENCIES[currency].exponent === 0
            ? "Whole units; this currency has no decimals."
            : "For a partial refund, enter less than the full amount."
        }
        error={errors.amount}
      />
      <TextArea
        label="Reason (for the audit log)"
        name="reason"
        rows={2}
        maxLength={500}
        required
        defaultValue={mine?.values?.reason}
        placeholder="e.g. Reward can't ship to the backer's country"
        error={errors.reason}
      />
      <button type="submit" className="button button-danger" disabled={busy}>
        {busy ? "Refunding…" : "Issue refund"}
      </button>
    </Form>
  );
}

export default function FinancePledge() {
  const data = useLoaderData<typeof loader>();
  const { pledge, money } = data;
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <nav aria-label="Breadcrumb" className="fin-breadcrumb">
        <Link to="/finance">Finance desk</Link> /{" "}
        <Link to={`/finance/campaigns/${pledge.campaignId}`}>{pledge.campaignTitle}</Link> / Pledge
      </nav>
      <div className="fin-top">
        <h1>
          Pledge <code className="fin-ref">{pledge.id}</code>
        </h1>
        <StatusBadge status={pledge.state} label={pledge.stateLabel} />
      </div>
      <p className="fin-meta">
        <span>
          Backer <strong>{pledge.backer}</strong> ({pledge.backerEmail})
        </span>
        <span>
          Reward <strong>{pledge.tier}</strong>
        </span>
        <span>
          Pledged <When at={pledge.createdAt} /> UTC
        </span>
      </p>
      {actionData?.notice ? <Notice>{actionData.notice}</Notice> : null}
      {actionData && !actionData.intent && actionData.formError ? <FormError message={actionData.formError} /> : null}

      <div className="fin-top-grid">
        <section className="fin-section" aria-labelledby="money-title">
          <header>
            <h2 id="money-title">Money</h2>
            <p className="muted small">{pledge.currency.toUpperCase()}</p>
          </header>
          <div className="fin-section-body">
            <dl className="fin-facts">
              <dt>Pledged</dt>
              <dd>{pledge.amount}</dd>
              <dt>Collected (booked)</dt>
              <dd>{money.collected}</dd>
              <dt>Refunded (booked)</dt>
              <dd>{money.refunded}</dd>
              {money.pending ? (
                <>
                  <dt>Refund in progress</dt>
                  <dd>{money.pending}</dd>
                </>
              ) : null}
              <dt>
                <strong>Refundable</strong>
              </dt>
              <dd>
                <strong>{money.refundable}</strong>
              </dd>
              <dt>Card</dt>
              <dd>{pledge.card ?? "—"}</dd>
              <dt>Customer</dt>
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
                  <dt>PaymentIntent</dt>
                  <dd>
                    <Ref id={pledge.paymentIntent} />
                  </dd>
                </>
              )}
              {pledge.lastError ? (
                <>
                  <dt>Last charge error</dt>
                  <dd>{pledge.lastError}</dd>
                </>
              ) : null}
              {pledge.nextChargeAt ? (
                <>
                  <dt>Next retry</dt>
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
            <h2 id="actions-title">Actions</h2>
          </header>
          <div className="fin-section-body">
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
                title="Retry the charge now"
                button="Retry charge"
                actionData={actionData}
                placeholder="e.g. Backer updated their card by phone"
              >
                <p className="muted small">
                  Charges the saved card once more, with the settlement's idempotency keys. Grace retries continue if it
                  fails.
                </p>
              </ReasonActionForm>
            ) : null}
            {!data.canRefund && !data.canRetry && !data.refundClosed ? (
              <p className="muted small">No action applies to a pledge that is {pledge.stateLabel.toLowerCase()}.</p>
            ) : null}
            {actionData?.intent === "resume-refund" && actionData.formError ? (
              <FormError message={actionData.formError} />
            ) : null}
          </div>
        </section>
      </div>

      <section className="fin-section" aria-labelledby="history-title">
        <header>
          <h2 id="history-title">State changes</h2>
        </header>
        <FinTable columns={["When (UTC)", "From", "To", "By", "Reason"]}>
          {data.transitions.map((t) => (
            <tr key={t.id}>
              <td className="nowrap">
                <When at={t.at} />
              </td>
              <td>{t.from ? <StatusBadge status={t.from} /> : <span className="muted">new</span>}</td>
              <td>
                <StatusBadge status={t.to} />
              </td>
              <td>{t.actor ?? <span className="muted">system</span>}</td>
              <td className="wrap">
                {t.reason ?? ""}
                {t.detail.length ? (
                  <span className="fin-detail">
                    {t.detail.map((d) => (
                      <span key={d.k}>
                        {d.k} <Ref id={d.v} />
                      </span>
                    ))}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </FinTable>
      </section>

      <section className="fin-section" aria-labelledby="attempts-title">
        <header>
          <h2 id="attempts-title">Charge attempts</h2>
          <p className="muted small">{data.attempts.length}</p>
        </header>
        {data.attempts.length === 0 ? (
          <p className="fin-empty">No charge attempt was made for this pledge.</p>
        ) : (
          <FinTable
            columns={[
              "#",
              "Kind",
              "Started (UTC)",
              { label: "Amount", num: true },
              "Status",
              "Stripe object",
              "Idempotency key",
              "Error",
            ]}
          >
            {data.attempts.map((a) => (
              <tr key={a.id}>
                <td className="num">{a.attempt}</td>
                <td>{a.kind}</td>
                <td className="nowrap">
                  <When at={a.startedAt} />
                </td>
                <td className="num">{a.amount}</td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td>
                  <Ref id={a.stripeId} />
                </td>
                <td>
                  <Ref id={a.key} />
                </td>
                <td className="wrap">
                  {a.error ? <code className="fin-ref">{a.error}</code> : null}{" "}
                  {a.message ? <span className="small">{a.message}</span> : null}
                </td>
              </tr>
            ))}
          </FinTable>
        )}
      </section>

      <section className="fin-section" aria-labelledby="journal-title">
        <header>
          <h2 id="journal-title">Journal lines</h2>
          <p className="muted small">debits and credits booked for this pledge</p>
        </header>
        {data.journal.length === 0 ? (
          <p className="fin-empty">Nothing is booked for this pledge.</p>
        ) : (
          <FinTable
            columns={[
              "Txn",
              "Kind",
              "Booked (UTC)",
              "Account",
              { label: "Debit", num: true },
              { label: "Credit", num: true },
              "Stripe object",
            ]}
          >
            {data.journal.map((j) => (
              <tr key={j.key}>
                <td className="num">{j.transactionId}</td>
                <td className="nowrap">{j.kind.replace("_", " ")}</td>
                <td className="nowrap">
                  <When at={j.at} />
                </td>
                <td>
                  <code className="fin-ref">{j.account}</code>
                </td>
                <td className="num">{j.debit}</td>
                <td className="num">{j.credit}</td>
                <td>
                  <Ref id={j.stripeId} />
                </td>
              </tr>
            ))}
          </FinTable>
        )}
      </section>

      <section className="fin-section" aria-labelledby="refunds-title">
        <header>
          <h2 id="refunds-title">Refunds</h2>
        </header>
        {data.refunds.length === 0 ? (
          <p className="fin-empty">No refund was requested.</p>
        ) : (
          <FinTable
            columns={["Requested (UTC)", "By", { label: "Amount", num: true }, "Status", "Stripe refund", "Reason"]}
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
                        Retry
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

      <section className="fin-section" aria-labelledby="audit-title">
        <header>
          <h2 id="audit-title">Audit log</h2>
        </header>
        {data.audit.length === 0 ? (
          <p className="fin-empty">No staff action on this pledge yet.</p>
        ) : (
          <table className="fin-table">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {data.audit.map((a) => (
                <tr key={a.id}>
                  <td className="nowrap">
                    <When at={a.at} />
                  </td>
                  <td>{a.actor ?? "system"}</td>
                  <td>
                    <code className="fin-ref">{a.action}</code>
                  </td>
                  <td className="wrap">{a.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
