import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { AddOnChoices } from "~/components/add-on-choices";
import { Field, FormError, Select } from "~/components/fields";
import { BackerReward } from "~/components/fulfilment/backer-reward";
import { useFormat } from "~/components/locale";
import { getConfig } from "~/config.server";
import {
  historyReason,
  mayHaveMoneyMovements,
  pledgeChangeSchema,
  pledgeNextStep,
  pledgeStateLabel,
} from "~/domain/backer-pledges";
import { destinationName } from "~/domain/catalog";
import { toLocalInputValue } from "~/domain/form-text";
import { addOnsOffered, NO_REWARD, type PricedAddOn } from "~/domain/pledge-rules";
import { refuse } from "~/domain/refusal";
import { metaTranslator, perLocale, translatorFor } from "~/i18n";
import { DEFAULT_LOCALE, toLocale } from "~/domain/locale";
import { owesReward } from "~/domain/fulfilment";
import { changeableTiersOf, getPledgeHistory } from "~/models/pledge.server";
import { addOnLinesOf, offeredAddOns } from "~/models/pledge-add-ons.server";
import { moneyMovementsOf } from "~/models/pledge-payments.server";
import { ideaThanksOnPledge } from "~/models/idea.server";
import { requireOwnPledge } from "~/services/pledges/backer.server";
import { backerRewardAction, backerRewardView } from "~/services/fulfilment/backer-page.server";
import { cancelPledge, changePledge, startCardUpdate } from "~/services/pledges/management.server";
import { getStripe } from "~/services/stripe/client.server";
import { openRaiseOf } from "~/services/pledges/up-front-changes.server";
import { surveyBannerFor } from "~/services/surveys/answers.server";
import { SurveyBanner } from "~/components/survey-form";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import styles from "~/styles/pledges.css";
import fulfilmentStyles from "~/styles/fulfilment.css";
import surveyStyles from "~/styles/surveys.css";

const changeSchemaFor = perLocale(pledgeChangeSchema);

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: fulfilmentStyles },
  { rel: "stylesheet", href: surveyStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    { title: data ? t("backer:pledge.meta", { title: data.pledge.campaignTitle }) : t("backer:pledge.metaFallback") },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, pledge, user } = await requireOwnPledge(request, params.id);
  const locale = requestLocale(request, user);
  const t = translatorFor(locale);
  const editable =
    pledge.state === "active" && pledge.campaign_state === "live" && (pledge.deadline?.getTime() ?? 0) > Date.now();
  // Only what this pledge can have: tiers to move to while it can change, money movements once
  // money can have moved, an open raise only when paid up front, a survey and a reward once it
  // owes one.
  const rewarded = owesReward(pledge.state, pledge.collection);
  const [history, tiers, addOns, addOnLines, movements, raise, survey, reward, thanks] = await Promise.all([
    getPledgeHistory(db, { pledgeId: pledge.id }),
    editable ? changeableTiersOf(db, { campaignId: pledge.campaign_id }) : [],
    editable ? offeredAddOns(db, { campaignId: pledge.campaign_id, pledgeId: pledge.id }) : ([] as PricedAddOn[]),
    addOnLinesOf(db, { pledgeIds: [pledge.id] }),
    mayHaveMoneyMovements(pledge.state, pledge.collection) ? moneyMovementsOf(db, pledge.id) : [],
    pledge.collection === "immediate" ? openRaiseOf(db, pledge.id) : undefined,
    rewarded ? surveyBannerFor(db, { pledgeId: pledge.id, backerId: user.id }) : null,
    rewarded ? backerRewardView(db, { pledgeId: pledge.id, backerId: user.id }) : null,
    // The pledge is the viewer's own (requireOwnPledge): the thank-yous recorded on it are theirs.
    ideaThanksOnPledge(db, { pledgeId: pledge.id }),
  ]);
  // Amounts and dates go out as numbers and ISO strings: the page formats them in its language.
  return json({
    survey,
    reward,
    thanks,
    addOns,
    addOnLines: addOnLines.map((l) => ({
      addOnId: l.add_on_id,
      title: l.title,
      quantity: l.quantity,
      amount: l.amount,
    })),
    pledge: {
      id: pledge.id,
      state: pledge.state,
      currency: pledge.currency,
      amount: pledge.amount,
      base: pledge.base_amount,
      baseInput: toLocalInputValue(pledge.base_amount, pledge.currency, locale),
      shipping: pledge.shipping_amount > 0 ? pledge.shipping_amount : null,
      destination: pledge.shipping_destination,
      destinationName: pledge.shipping_destination ? destinationName(pledge.shipping_destination, t) : null,
      tierId: pledge.tier_id,
      tierTitle: pledge.tier_title,
      cardBrand: pledge.card_last4 ? pledge.card_brand : null,
      cardLast4: pledge.card_last4,
      checkoutUrl: pledge.state === "checkout" ? pledge.checkout_url : null,
      pledgedOn: pledge.created_at.toISOString(),
      campaignTitle: pledge.campaign_title,
      campaignSlug: pledge.campaign_slug,
      collection: pledge.collection,
      fundingModel: pledge.funding_model,
      deadline: pledge.deadline?.toISOString() ?? null,
      editable,
    },
    tiers: tiers.map((tier) => ({
      id: tier.id,
      title: tier.title,
      minimum: tier.minimum_amount,
      full: tier.quantity_limit !== null && tier.claimed_count >= tier.quantity_limit && tier.id !== pledge.tier_id,
      shipping: tier.shipping.map((r) => ({
        code: r.destination,
        name: destinationName(r.destination, t),
        amount: r.amount,
      })),
    })),
    movements: movements.map((m) => ({
      key: m.key,
      kind: m.kind === "payment" ? ("paid" as const) : m.pending ? ("refundPending" as const) : ("refunded" as const),
      amount: m.amount,
      purpose: m.purpose,
      at: m.at.toISOString(),
    })),
    raise: raise?.checkout_url
      ? { amount: raise.amount, difference: raise.difference, currency: raise.currency, url: raise.checkout_url }
      : null,
    history: history.map((h) => ({
      id: h.id,
      at: h.at.toISOString(),
      changed: h.from_state === h.to_state,
      toState: h.to_state,
      reason: h.reason,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, pledge } = await requireOwnPledge(request, params.id);
  const pledgeId = pledge.id;
  const locale = requestLocale(request, user);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");

  if (intent === "change") {
    const submission = parseWithZod(form, { schema: pledgeChangeSchema(t) });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await changePledge(db, getStripe(), {
      pledgeId,
      backerId: user.id,
      form: submission.value,
      appUrl: getConfig().appUrl,
      locale,
      t,
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
      locale,
      t,
    });
    if (!result.ok) return replyWithRefusal(null, result);
    return redirect(`/me/pledges/${pledgeId}?cancelled=1`);
  }
  if (intent === "update-card") {
    const result = await startCardUpdate(db, getStripe(), {
      pledgeId,
      backerId: user.id,
      appUrl: getConfig().appUrl,
      locale,
      t,
    });
    if (!result.ok) return replyWithRefusal(null, result);
    return redirect(result.url, 303);
  }
  // The reward's forms ("I received it", "Report a problem").
  const reward = await backerRewardAction(db, { form, pledgeId, backerId: user.id, t });
  if (reward) return reward;
  return replyWithRefusal(null, refuse(400, t("backer:refusal.unknownAction")));
}

export default function PledgeDetail() {
  const { pledge, tiers, addOns, addOnLines, history, movements, raise, survey, reward, thanks } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const schema = changeSchemaFor(toLocale(i18n.language) ?? DEFAULT_LOCALE);
  const money = (amount: number) => f.money(amount, pledge.currency);
  // One form has fields (the change); the other buttons' refusals show with its errors, above it.
  const [form, fields] = useForm({
    defaultValue: {
      tier: pledge.tierId ?? NO_REWARD,
      amount: pledge.baseInput,
      destination: pledge.destination ?? "",
      addOns: Object.fromEntries(addOnLines.map((l) => [l.addOnId, String(l.quantity)])),
    },
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const [tierId, setTierId] = useState(fields.tier.initialValue ?? NO_REWARD);
  const [quantities, setQuantities] = useState<Record<string, string>>(() => {
    const typed = fields.addOns.initialValue;
    return typed && typeof typed === "object" ? (typed as Record<string, string>) : {};
  });
  const addOnFields = fields.addOns.getFieldset();
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const tier = tiers.find((t) => t.id === tierId);
  const banner = params.has("confirmed")
    ? t("backer:pledge.banner.confirmed")
    : params.has("fixed")
      ? t("backer:pledge.banner.fixed")
      : params.get("changed") === "raised"
        ? t("backer:pledge.banner.raised")
        : params.get("changed") === "lowered"
          ? t("backer:pledge.banner.lowered")
          : params.has("changed")
            ? t("backer:pledge.banner.changed")
            : params.has("cancelled")
              ? t("backer:pledge.banner.cancelled")
              : params.get("card") === "updated"
                ? t("backer:pledge.banner.cardUpdated")
                : null;
  const next = pledgeNextStep(t, {
    state: pledge.state,
    collection: pledge.collection,
    fundingModel: pledge.fundingModel,
    deadlineLabel: pledge.deadline ? f.deadline(pledge.deadline) : t("backer:theDeadline"),
  });
  const card = pledge.cardLast4
    ? t("backer:card", { brand: (pledge.cardBrand ?? t("backer:cardBrand")).toUpperCase(), last4: pledge.cardLast4 })
    : null;

  return (
    <div className="container pledge-detail">
      <nav aria-label={t("backer:pledge.breadcrumb")} className="breadcrumb">
        <Link to="/me/pledges">{t("backer:pledge.back")}</Link>
      </nav>
      <SurveyBanner pledgeId={pledge.id} banner={survey} />
      {thanks.map((thank) => (
        <p key={thank.ideaId} className="notice notice-success">
          {t("ideas:pledgeThanks", { idea: thank.ideaTitle, tier: thank.tierTitle })}
        </p>
      ))}
      {banner ? (
        <p className="notice notice-success" role="status">
          {banner}
        </p>
      ) : null}
      {params.get("raise") === "refused" ? (
        <p className="form-error" role="alert">
          {t("backer:pledge.raiseRefused")}
        </p>
      ) : params.get("raise") === "cancelled" ? (
        <p className="notice" role="status">
          {t("backer:pledge.raiseCancelled")}
        </p>
      ) : null}
      {raise ? (
        <p className="notice" role="status">
          {t("backer:pledge.raiseOpen", {
            amount: f.money(raise.amount, raise.currency),
            difference: f.money(raise.difference, raise.currency),
          })}{" "}
          <a href={raise.url}>{t("backer:pledge.payDifference")}</a>
        </p>
      ) : null}
      <div className="pledge-head">
        <div>
          <h1>{t("backer:pledge.title", { title: pledge.campaignTitle })}</h1>
          <p className="muted">
            <Link to={`/projects/${pledge.campaignSlug}`}>{t("backer:pledge.viewProject")}</Link>
          </p>
        </div>
        <span className={`status status-${pledge.state}`}>{pledgeStateLabel(t, pledge.state)}</span>
      </div>
      <p className="lead">{next}</p>
      {pledge.checkoutUrl ? (
        <a className="button button-primary" href={pledge.checkoutUrl}>
          {t("backer:pledge.finishCheckout")}
        </a>
      ) : null}
      <FormError errors={form.errors} />

      {reward ? <BackerReward reward={reward} actionData={actionData} /> : null}

      <div className="pledge-grid">
        <section className="card" aria-labelledby="receipt-title">
          <h2 id="receipt-title">{t("backer:pledge.receipt.title")}</h2>
          <dl className="receipt">
            <dt>{t("backer:pledge.receipt.reward")}</dt>
            <dd>{pledge.tierTitle ?? t("backer:noReward")}</dd>
            <dt>{t("backer:pledge.receipt.pledge")}</dt>
            <dd>{money(pledge.base)}</dd>
            {addOnLines.map((line) => (
              <Fragment key={line.addOnId}>
                <dt>{t("backer:pledge.receipt.addOn", { title: line.title, count: line.quantity })}</dt>
                <dd>{money(line.amount)}</dd>
              </Fragment>
            ))}
            {pledge.shipping !== null ? (
              <>
                <dt>{t("backer:pledge.receipt.shippingTo", { destination: pledge.destinationName })}</dt>
                <dd>{money(pledge.shipping)}</dd>
              </>
            ) : null}
            <dt className="receipt-total">{t("backer:pledge.receipt.total")}</dt>
            <dd className="receipt-total">{money(pledge.amount)}</dd>
            {movements.map((m) => {
              const why = movementReason(t, m.purpose);
              return (
                <Fragment key={m.key}>
                  <dt>
                    {m.kind === "paid"
                      ? t("backer:pledge.movement.paid", { amount: money(m.amount) })
                      : m.kind === "refundPending"
                        ? t("backer:pledge.movement.refundPending", { amount: money(m.amount) })
                        : t("backer:pledge.movement.refunded", { amount: money(m.amount) })}
                    {why ? <span className="muted small"> ({why})</span> : null}
                  </dt>
                  <dd className="muted small">{f.shortDateTime(m.at)}</dd>
                </Fragment>
              );
            })}
            <dt>{t("backer:pledge.receipt.paymentMethod")}</dt>
            <dd>{card ?? "—"}</dd>
            <dt>{t("backer:pledge.receipt.pledgedOn")}</dt>
            <dd>{f.shortDateTime(pledge.pledgedOn)}</dd>
            <dt>{t("backer:pledge.receipt.reference")}</dt>
            <dd className="mono small">{pledge.id}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">{t("backer:pledge.history.title")}</h2>
          <ol className="history">
            {history.map((h) => (
              <li key={h.id}>
                <strong>
                  {h.changed
                    ? h.reason
                      ? historyReason(t, h.reason)
                      : t("backer:pledge.history.changed")
                    : pledgeStateLabel(t, h.toState)}
                </strong>
                {!h.changed && h.reason ? <span className="muted"> — {historyReason(t, h.reason)}</span> : null}
                <br />
                <time className="muted small" dateTime={h.at}>
                  {f.shortDateTime(h.at)}
                </time>
              </li>
            ))}
          </ol>
        </section>
      </div>

      {pledge.editable ? (
        <>
          <section className="card" aria-labelledby="change-title">
            <h2 id="change-title">{t("backer:pledge.change.title")}</h2>
            <p className="muted small">
              {pledge.collection === "at_deadline"
                ? t("backer:pledge.change.atDeadline")
                : t("backer:pledge.change.immediate")}
            </p>
            <Form method="post" {...getFormProps(form)} className="stack">
              <input type="hidden" name="intent" value="change" />
              <Select
                label={t("backer:pledge.change.reward")}
                field={fields.tier}
                value={tierId}
                onChange={(e) => setTierId(e.target.value)}
                options={[
                  ...tiers.map((tier) => ({
                    value: tier.id,
                    label: tier.full
                      ? t("backer:pledge.change.tierOptionSoldOut", { title: tier.title, minimum: money(tier.minimum) })
                      : t("backer:pledge.change.tierOption", { title: tier.title, minimum: money(tier.minimum) }),
                    disabled: tier.full,
                  })),
                  { value: NO_REWARD, label: t("backer:noReward") },
                ]}
              />
              <Field
                label={t("backer:pledge.change.amount", { currency: pledge.currency.toUpperCase() })}
                field={fields.amount}
                inputMode="decimal"
              />
              {tier && tier.shipping.length > 0 ? (
                <Select
                  label={t("backer:pledge.change.shipTo")}
                  field={fields.destination}
                  placeholder={t("backer:pledge.change.shipToPlaceholder")}
                  options={tier.shipping.map((r) => ({
                    value: r.code,
                    label: t("backer:pledge.change.shippingOption", { destination: r.name, amount: money(r.amount) }),
                  }))}
                />
              ) : null}
              <AddOnChoices
                addOns={addOnsOffered(addOns, tier?.id ?? null)}
                currency={pledge.currency}
                quantities={quantities}
                onChange={(id, value) => setQuantities((q) => ({ ...q, [id]: value }))}
                fieldOf={(id) => addOnFields[id] ?? { errorId: `change-add-on-${id}-error` }}
                destination={pledge.destination ?? ""}
                idPrefix="change-add-on"
              />
              <button type="submit" className="button button-primary" disabled={busy}>
                {t("backer:pledge.change.save")}
              </button>
            </Form>
          </section>

          <section className="card pledge-actions" aria-labelledby="manage-title">
            <h2 id="manage-title">{t("backer:pledge.manage.title")}</h2>
            {pledge.collection === "at_deadline" ? (
              <Form method="post">
                <input type="hidden" name="intent" value="update-card" />
                <button type="submit" className="button button-secondary" disabled={busy}>
                  {t("backer:pledge.manage.updateCard")}
                </button>
              </Form>
            ) : null}
            {confirmingCancel ? (
              <Form method="post" className="cancel-confirm">
                <input type="hidden" name="intent" value="cancel" />
                <p>
                  {pledge.collection === "immediate"
                    ? t("backer:pledge.manage.confirmImmediate")
                    : t("backer:pledge.manage.confirmAtDeadline")}
                </p>
                <button type="submit" className="button button-danger" disabled={busy}>
                  {t("backer:pledge.manage.confirm")}
                </button>
                <button type="button" className="button button-ghost" onClick={() => setConfirmingCancel(false)}>
                  {t("backer:pledge.manage.keep")}
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
                  {t("backer:pledge.manage.cancel")}
                </button>
              </Form>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}

/** Why money moved, in the reader's words (null for a purpose this page does not name). */
function movementReason(t: (key: string) => string, purpose: string): string | null {
  switch (purpose) {
    case "pledge":
      return t("backer:pledge.movementReason.pledge");
    case "top_up":
      return t("backer:pledge.movementReason.top_up");
    case "pledge_lowered":
      return t("backer:pledge.movementReason.pledge_lowered");
    case "pledge_cancelled":
      return t("backer:pledge.movementReason.pledge_cancelled");
    case "change_refused":
      return t("backer:pledge.movementReason.change_refused");
    case "settlement":
      return t("backer:pledge.movementReason.settlement");
    case "desk":
      return t("backer:pledge.movementReason.desk");
    default:
      return null;
  }
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
