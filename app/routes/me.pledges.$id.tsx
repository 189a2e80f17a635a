import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Fragment, useState } from "react";
import { Field, FormError, Select } from "~/components/fields";
import { getConfig } from "~/config.server";
import { destinationName } from "~/domain/catalog";
import { formatMoney, toInputValue } from "~/domain/money";
import { NO_REWARD, nextStep, PLEDGE_STATE_LABELS, pledgeFormSchema } from "~/domain/pledge-rules";
import { refuse } from "~/domain/refusal";
import { formatDeadline, formatShortDateTime } from "~/domain/time";
import { getPledgeableCampaign, getPledgeHistory } from "~/models/pledge.server";
import { moneyMovementsOf } from "~/models/pledge-payments.server";
import { requireOwnPledge } from "~/services/pledges/backer.server";
import { cancelPledge, changePledge, startCardUpdate } from "~/services/pledges/management.server";
import { getStripe } from "~/services/stripe/client.server";
import { openRaiseOf } from "~/services/pledges/up-front-changes.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Your pledge to ${data.pledge.campaignTitle} · Colecta` : "Pledge · Colecta" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, pledge } = await requireOwnPledge(request, params.id);
  const [history, campaign, movements, raise] = await Promise.all([
    getPledgeHistory(db, { pledgeId: pledge.id }),
    getPledgeableCampaign(db, { slug: pledge.campaign_slug }),
    moneyMovementsOf(db, pledge.id),
    openRaiseOf(db, pledge.id),
  ]);
  const deadlineLabel = pledge.deadline ? formatDeadline(pledge.deadline) : "the deadline";
  const editable =
    pledge.state === "active" && pledge.campaign_state === "live" && (pledge.deadline?.getTime() ?? 0) > Date.now();
  return json({
    pledge: {
      id: pledge.id,
      state: pledge.state,
      stateLabel: PLEDGE_STATE_LABELS[pledge.state],
      currency: pledge.currency,
      amount: formatMoney(pledge.amount, pledge.currency),
      base: formatMoney(pledge.base_amount, pledge.currency),
      baseInput: toInputValue(pledge.base_amount, pledge.currency),
      shipping: pledge.shipping_amount > 0 ? formatMoney(pledge.shipping_amount, pledge.currency) : null,
      destination: pledge.shipping_destination,
      destinationName: pledge.shipping_destination ? destinationName(pledge.shipping_destination) : null,
      tierId: pledge.tier_id,
      tierTitle: pledge.tier_title ?? "No reward",
      card: pledge.card_last4 ? `${(pledge.card_brand ?? "card").toUpperCase()} •••• ${pledge.card_last4}` : null,
      checkoutUrl: pledge.state === "checkout" ? pledge.checkout_url : null,
      pledgedOn: pledge.created_at.toISOString(),
      campaignTitle: pledge.campaign_title,
      campaignSlug: pledge.campaign_slug,
      collection: pledge.collection,
      next: nextStep({
        state: pledge.state,
        collection: pledge.collection,
        fundingModel: pledge.funding_model,
        deadlineLabel,
      }),
      editable,
    },
    tiers: (campaign?.tiers ?? [])
      .filter((t) => !t.hidden)
      .map((t) => ({
        id: t.id,
        title: t.title,
        minimum: formatMoney(t.minimum_amount, pledge.currency),
        full: t.quantity_limit !== null && t.claimed_count >= t.quantity_limit && t.id !== pledge.tier_id,
        shipping: t.shipping.map((r) => ({
          code: r.destination,
          label: `${destinationName(r.destination)} (+${formatMoney(r.amount, pledge.currency)})`,
        })),
      })),
    movements: movements.map((m) => ({
      key: m.key,
      label: `${m.kind === "payment" ? "Paid" : m.pending ? "Refund on its way" : "Refunded"} ${formatMoney(m.amount, pledge.currency)}`,
      why: MOVEMENT_REASONS[m.purpose] ?? null,
      at: m.at.toISOString(),
    })),
    raise: raise?.checkout_url
      ? {
          amount: formatMoney(raise.amount, raise.currency),
          difference: formatMoney(raise.difference, raise.currency),
          url: raise.checkout_url,
        }
      : null,
    history: history.map((h) => ({
      id: h.id,
      at: h.at.toISOString(),
      label: h.from_state === h.to_state ? (h.reason ?? "Changed") : PLEDGE_STATE_LABELS[h.to_state],
      reason: h.from_state === h.to_state ? null : h.reason,
    })),
  });
}

const MOVEMENT_REASONS: Record<string, string> = {
  pledge: "your pledge",
  top_up: "raise",
  pledge_lowered: "pledge lowered",
  pledge_cancelled: "pledge cancelled",
  change_refused: "a raise that could not be made",
  settlement: "the project was not funded",
  desk: "refund by Colecta",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, pledge } = await requireOwnPledge(request, params.id);
  const pledgeId = pledge.id;
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");

  if (intent === "change") {
    const submission = parseWithZod(form, { schema: pledgeFormSchema });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await changePledge(db, getStripe(), {
      pledgeId,
      backerId: user.id,
      form: submission.value,
      appUrl: getConfig().appUrl,
      locale: requestLocale(request, user),
    });
    if (!result.ok) return replyWithRefusal(submission, result);
    // A raise of a pledge paid up front: the difference is paid on Stripe's page first.
    if (result.checkoutUrl) return redirect(result.checkoutUrl, 303);
    return redirect(`/me/pledges/${pledgeId}?changed=${result.refunded ? "lowered" : "1"}`);
  }
  if (intent === "cancel") {
    const result = await cancelPledge(db, getStripe(), {
      pledgeId,
      backerId: user.id,
      locale: requestLocale(request, user),
    });
    if (!result.ok) return replyWithRefusal(null, result);
    return redirect(`/me/pledges/${pledgeId}?cancelled=1`);
  }
  if (intent === "update-card") {
    const result = await startCardUpdate(db, getStripe(), {
      pledgeId,
      backerId: user.id,
      appUrl: getConfig().appUrl,
      locale: requestLocale(request, user),
    });
    if (!result.ok) return replyWithRefusal(null, result);
    return redirect(result.url, 303);
  }
  return replyWithRefusal(null, refuse(400, "Unknown action."));
}

export default function PledgeDetail() {
  const { pledge, tiers, history, movements, raise } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  // One form has fields (the change); the other buttons' refusals show with its errors, above it.
  const [form, fields] = useForm({
    defaultValue: { tier: pledge.tierId ?? NO_REWARD, amount: pledge.baseInput, destination: pledge.destination ?? "" },
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: pledgeFormSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const [tierId, setTierId] = useState(fields.tier.initialValue ?? NO_REWARD);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const tier = tiers.find((t) => t.id === tierId);
  const banner = params.has("confirmed")
    ? "Thank you! Your pledge is confirmed."
    : params.has("fixed")
      ? "Thank you — your payment went through and your pledge counts."
      : params.get("changed") === "raised"
        ? "Your pledge was raised. Thank you! The difference was charged to your card."
        : params.get("changed") === "lowered"
          ? "Your pledge was changed. The difference is refunded to the card you paid with (it usually appears within 5-10 business days)."
          : params.has("changed")
            ? "Your pledge was changed."
            : params.has("cancelled")
              ? "Your pledge is cancelled."
              : params.get("card") === "updated"
                ? "Your card was updated."
                : null;

  return (
    <div className="container pledge-detail">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/me/pledges">← My pledges</Link>
      </nav>
      {banner ? (
        <p className="notice notice-success" role="status">
          {banner}
        </p>
      ) : null}
      {params.get("raise") === "refused" ? (
        <p className="form-error" role="alert">
          Your payment for the change arrived after it could no longer be made, so it is being refunded in full. Your
          pledge is unchanged.
        </p>
      ) : params.get("raise") === "cancelled" ? (
        <p className="notice" role="status">
          You left checkout, so nothing was charged and your pledge is unchanged.
        </p>
      ) : null}
      {raise ? (
        <p className="notice" role="status">
          You asked to raise this pledge to {raise.amount}. It changes once the {raise.difference} difference is paid.{" "}
          <a href={raise.url}>Pay the difference</a>
        </p>
      ) : null}
      <div className="pledge-head">
        <div>
          <h1>Your pledge to {pledge.campaignTitle}</h1>
          <p className="muted">
            <Link to={`/projects/${pledge.campaignSlug}`}>View the project</Link>
          </p>
        </div>
        <span className={`status status-${pledge.state}`}>{pledge.stateLabel}</span>
      </div>
      <p className="lead">{pledge.next}</p>
      {pledge.checkoutUrl ? (
        <a className="button button-primary" href={pledge.checkoutUrl}>
          Finish checkout
        </a>
      ) : null}
      <FormError errors={form.errors} />

      <div className="pledge-grid">
        <section className="card" aria-labelledby="receipt-title">
          <h2 id="receipt-title">Receipt</h2>
          <dl className="receipt">
            <dt>Reward</dt>
            <dd>{pledge.tierTitle}</dd>
            <dt>Pledge</dt>
            <dd>{pledge.base}</dd>
            {pledge.shipping ? (
              <>
                <dt>Shipping to {pledge.destinationName}</dt>
                <dd>{pledge.shipping}</dd>
              </>
            ) : null}
            <dt className="receipt-total">Total</dt>
            <dd className="receipt-total">{pledge.amount}</dd>
            {movements.map((m) => (
              <Fragment key={m.key}>
                <dt>
                  {m.label}
                  {m.why ? <span className="muted small"> ({m.why})</span> : null}
                </dt>
                <dd className="muted small">{formatShortDateTime(m.at)}</dd>
              </Fragment>
            ))}
            <dt>Payment method</dt>
            <dd>{pledge.card ?? "—"}</dd>
            <dt>Pledged on</dt>
            <dd>{formatShortDateTime(pledge.pledgedOn)}</dd>
            <dt>Reference</dt>
            <dd className="mono small">{pledge.id}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">History</h2>
          <ol className="history">
            {history.map((h) => (
              <li key={h.id}>
                <strong>{h.label}</strong>
                {h.reason ? <span className="muted"> — {h.reason}</span> : null}
                <br />
                <time className="muted small" dateTime={h.at}>
                  {formatShortDateTime(h.at)}
                </time>
              </li>
            ))}
          </ol>
        </section>
      </div>

      {pledge.editable ? (
        <>
          <section className="card" aria-labelledby="change-title">
            <h2 id="change-title">Change your pledge</h2>
            <p className="muted small">
              {pledge.collection === "at_deadline"
                ? "Your saved card stays the same; nothing is charged now."
                : "This pledge was paid up front. Raise it and you pay only the difference, on Stripe's secure page; lower it and the difference is refunded to your card."}
            </p>
            <Form method="post" {...getFormProps(form)} className="stack">
              <input type="hidden" name="intent" value="change" />
              <Select
                label="Reward"
                field={fields.tier}
                value={tierId}
                onChange={(e) => setTierId(e.target.value)}
                options={[
                  ...tiers.map((t) => ({
                    value: t.id,
                    label: `${t.title} — ${t.minimum}+${t.full ? " (sold out)" : ""}`,
                    disabled: t.full,
                  })),
                  { value: NO_REWARD, label: "No reward" },
                ]}
              />
              <Field
                label={`Pledge amount (${pledge.currency.toUpperCase()}, before shipping)`}
                field={fields.amount}
                inputMode="decimal"
              />
              {tier && tier.shipping.length > 0 ? (
                <Select
                  label="Ship to"
                  field={fields.destination}
                  placeholder="Choose a destination…"
                  options={tier.shipping.map((r) => ({ value: r.code, label: r.label }))}
                />
              ) : null}
              <button type="submit" className="button button-primary" disabled={busy}>
                Save changes
              </button>
            </Form>
          </section>

          <section className="card pledge-actions" aria-labelledby="manage-title">
            <h2 id="manage-title">Manage</h2>
            {pledge.collection === "at_deadline" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="update-card" />
                <button type="submit" className="button button-secondary" disabled={busy}>
                  Update saved card
                </button>
              </Form>
            ) : null}
            {confirmingCancel ? (
              <Form method="post" className="cancel-confirm">
                <input type="hidden" name="intent" value="cancel" />
                <p>
                  {pledge.collection === "immediate"
                    ? "Cancel and refund your payment?"
                    : "Cancel this pledge? Your card will not be charged."}
                </p>
                <button type="submit" className="button button-danger" disabled={busy}>
                  Yes, cancel my pledge
                </button>
                <button type="button" className="button button-ghost" onClick={() => setConfirmingCancel(false)}>
                  Keep it
                </button>
              </Form>
            ) : (
              <Form
                method="post"
                onSubmit={(e) => {
                  e.preventDefault();
                  setConfirmingCancel(true);
                }}
              >
                <input type="hidden" name="intent" value="cancel" />
                <button type="submit" className="button button-ghost danger-text">
                  Cancel pledge
                </button>
              </Form>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
