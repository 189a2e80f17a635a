import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { AddOnChoices } from "~/components/add-on-choices";
import { Field, FieldError, FormError, Select } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { destinationName } from "~/domain/catalog";
import { chargeSentence } from "~/domain/charge-terms";
import type { Locale } from "~/domain/locale";
import { toInputValue } from "~/domain/money";
import { latePledgesOpen } from "~/domain/late-pledges";
import { addOnsOffered, NO_REWARD, pledgeSchema, pricePledge } from "~/domain/pledge-rules";
import { refuse, refuseField } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { findOpenPledge, getPledgeableCampaign } from "~/models/pledge.server";
import { offeredAddOns } from "~/models/pledge-add-ons.server";
import { getOptionalUser } from "~/services/accounts/auth.server";
import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { getStripe } from "~/services/stripe/client.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    { title: data ? t("public:pledge.meta.title", { title: data.campaign.title }) : t("public:pledge.meta.fallback") },
  ];
};

/** An amount as the form field shows it: "25.00", or "25,00" for a Spanish reader. */
function inputValue(amount: number | null | undefined, currency: Parameters<typeof toInputValue>[1], locale: Locale) {
  const value = toInputValue(amount, currency);
  return locale === "es" ? value.replace(".", ",") : value;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const user = await getOptionalUser(request);
  const campaign = await getPledgeableCampaign(db, { slug: params.slug ?? "" });
  if (!campaign) notFound(requestTranslator(request, user)("public:pledge.refusal.notFound"));
  const existing = user ? await findOpenPledge(db, { campaignId: campaign.id, backerId: user.id }) : undefined;
  const url = new URL(request.url);
  // After a funded deadline, late pledges (paid at once, for the tiers offered late, no add-ons).
  const late = latePledgesOpen(campaign);
  const open =
    late || (campaign.state === "live" && campaign.deadline !== null && campaign.deadline.getTime() > Date.now());
  const addOns = late ? [] : await offeredAddOns(db, { campaignId: campaign.id });
  return json({
    campaign: {
      slug: campaign.slug,
      title: campaign.title,
      creatorName: campaign.creator_name,
      currency: campaign.currency,
      deadline: campaign.deadline?.toISOString() ?? null,
      fundingModel: campaign.funding_model,
      collection: campaign.collection,
      open,
      late,
      lateUntil: late ? (campaign.late_pledges_until?.toISOString() ?? null) : null,
      isOwn: user?.id === campaign.creator_id,
    },
    tiers: campaign.tiers
      .filter((t) => !t.hidden && (!late || t.late_price !== null))
      .map((t) => ({
        id: t.id,
        title: t.title,
        description: t.description,
        // A late pledge starts at the late price and counts against the late limit.
        minimum_amount: late ? t.late_price! : t.minimum_amount,
        ships: t.ships,
        shipping: t.shipping,
        left: late
          ? t.late_limit === null
            ? null
            : Math.max(0, t.late_limit - t.late_claimed_count)
          : t.quantity_limit === null
            ? null
            : Math.max(0, t.quantity_limit - t.claimed_count),
      })),
    addOns,
    choice: {
      tier: url.searchParams.get("tier") ?? "",
      amount: url.searchParams.get("amount") ?? "",
      destination: url.searchParams.get("destination") ?? "",
      // Quantities chosen before signing in come back in the return address.
      addOns: Object.fromEntries(
        addOns.flatMap((a) => {
          const value = url.searchParams.get(`addOns.${a.id}`);
          return value && /^\d{1,4}$/.test(value) ? [[a.id, value]] : [];
        }),
      ) as Record<string, string>,
    },
    cancelled: url.searchParams.has("cancelled"),
    signedIn: Boolean(user),
    existingPledgeId: existing && existing.state !== "checkout" ? existing.id : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const slug = params.slug ?? "";
  const choice = new URLSearchParams({
    tier: String(form.get("tier") ?? ""),
    amount: String(form.get("amount") ?? ""),
    destination: String(form.get("destination") ?? ""),
  });
  for (const [name, value] of form.entries())
    if (name.startsWith("addOns.") && typeof value === "string" && value !== "" && value !== "0")
      choice.append(name.slice(0, 50), value.slice(0, 8));
  const user = await getOptionalUser(request);
  if (!user) {
    // Sign in (or up) comes in the flow: the choice travels in the return address.
    const back = `/projects/${encodeURIComponent(slug)}/pledge?${choice}`;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  const t = requestTranslator(request, user);
  const submission = parseWithZod(form, { schema: pledgeSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  // A suspended account keeps its pledges (they settle as usual) but makes no new ones.
  if (user.suspended) return replyWithRefusal(submission, refuse(403, t("errors:suspended")));
  const result = await startPledgeCheckout(await getDb(), getStripe(), {
    slug,
    backer: { id: user.id, email: user.email, name: user.name },
    form: submission.value,
    appUrl: getConfig().appUrl,
    t,
    locale: requestLocale(request, user),
  });
  // The checkout service answers in its own shape. "You already back this project" needs no link
  // here: the reloaded page shows the existing pledge's link in place of this form.
  if (!result.ok)
    return replyWithRefusal(
      submission,
      result.field ? refuseField(result.status, result.field, result.message) : refuse(result.status, result.message),
    );
  return redirect(result.checkoutUrl, 303);
}

export default function PledgePage() {
  const { campaign, tiers, addOns, choice, cancelled, signedIn, existingPledgeId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submitting = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const f = useFormat();
  const schema = useMemo(() => pledgeSchema(t), [t]);
  const initialTier = tiers.some((t) => t.id === choice.tier)
    ? choice.tier
    : (tiers.find((t) => t.left !== 0)?.id ?? (campaign.late ? "" : NO_REWARD));
  const minimumOf = (id: string) =>
    inputValue(tiers.find((tier) => tier.id === id)?.minimum_amount ?? 100, campaign.currency, f.locale);
  // The choice is controlled (the total follows it); it starts from what was typed, or the link's choice.
  const [form, fields] = useForm({
    defaultValue: {
      tier: initialTier,
      amount: choice.amount || minimumOf(initialTier),
      destination: choice.destination,
      addOns: choice.addOns,
    },
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const [tierId, setTierId] = useState(fields.tier.initialValue ?? initialTier);
  const tier = tiers.find((candidate) => candidate.id === tierId) ?? null;
  const [amount, setAmount] = useState(fields.amount.initialValue ?? "");
  const [destination, setDestination] = useState(fields.destination.initialValue ?? "");
  const [quantities, setQuantities] = useState<Record<string, string>>(() => {
    const typed = fields.addOns.initialValue;
    return typed && typeof typed === "object" ? (typed as Record<string, string>) : {};
  });
  const offered = addOnsOffered(addOns, tier?.id ?? null);
  const addOnFields = fields.addOns.getFieldset();
  const price = pricePledge({
    currency: campaign.currency,
    tier,
    amountInput: amount,
    destination,
    addOns,
    // Only the reward's own add-ons count: switching rewards keeps the others typed but unpriced.
    addOnQuantities: Object.fromEntries(offered.map((a) => [a.id, quantities[a.id]])),
    t,
    locale: f.locale,
  });
  const deadline = campaign.deadline ? f.deadline(campaign.deadline) : "";
  const money = (value: number) => f.money(value, campaign.currency);

  const pickTier = (id: string) => {
    setTierId(id);
    setAmount(minimumOf(id));
    setDestination("");
  };

  return (
    <div className="container pledge-layout">
      <nav aria-label={t("public:pledge.breadcrumb")} className="breadcrumb">
        <Link to={`/projects/${campaign.slug}`}>{t("public:pledge.backTo", { title: campaign.title })}</Link>
      </nav>
      <h1>{t("public:pledge.title", { title: campaign.title })}</h1>
      <p className="muted">{t("public:by", { name: campaign.creatorName })}</p>
      {cancelled ? <p className="notice">{t("public:pledge.cancelled")}</p> : null}
      {campaign.late && campaign.lateUntil ? (
        <p className="notice notice-success">{t("public:pledge.lateOpen", { until: f.date(campaign.lateUntil) })}</p>
      ) : null}
      {!campaign.open ? (
        <div className="form-error" role="alert">
          {t("public:pledge.closed")}
        </div>
      ) : campaign.isOwn ? (
        <div className="form-error" role="alert">
          {t("public:pledge.own")}
        </div>
      ) : existingPledgeId ? (
        <p className="notice">
          <Trans
            i18nKey="public:pledge.alreadyBacking"
            t={t}
            components={{ change: <Link to={`/me/pledges/${existingPledgeId}`} /> }}
          />
        </p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="pledge-form">
          <FormError errors={form.errors} />
          <fieldset className="tier-choices" aria-describedby={fields.tier.errors ? fields.tier.errorId : undefined}>
            <legend>{t("public:pledge.chooseReward")}</legend>
            {tiers.map((choice) => (
              <label
                key={choice.id}
                className={`tier-choice${choice.id === tierId ? " selected" : ""}${choice.left === 0 ? " sold-out" : ""}`}
              >
                <input
                  type="radio"
                  name={fields.tier.name}
                  value={choice.id}
                  checked={choice.id === tierId}
                  disabled={choice.left === 0}
                  onChange={() => pickTier(choice.id)}
                />
                <span className="tier-choice-body">
                  <span className="tier-choice-head">
                    <strong>{choice.title}</strong>
                    <span className="tier-price">
                      {t("public:pledge.orMore", { amount: money(choice.minimum_amount) })}
                    </span>
                  </span>
                  {choice.description ? <span className="muted">{choice.description}</span> : null}
                  <span className="tier-meta">
                    {choice.left === null
                      ? t("public:pledge.unlimited")
                      : choice.left === 0
                        ? t("public:pledge.soldOut")
                        : t("public:pledge.left", { count: choice.left })}
                    {" · "}
                    {choice.ships ? t("public:pledge.shipsToYou") : t("public:pledge.noShipping")}
                  </span>
                </span>
              </label>
            ))}
            {campaign.late ? null : (
              <label className={`tier-choice${tierId === NO_REWARD ? " selected" : ""}`}>
                <input
                  type="radio"
                  name={fields.tier.name}
                  value={NO_REWARD}
                  checked={tierId === NO_REWARD}
                  onChange={() => pickTier(NO_REWARD)}
                />
                <span className="tier-choice-body">
                  <strong>{t("public:pledge.noReward")}</strong>
                  <span className="muted">{t("public:pledge.noRewardText")}</span>
                </span>
              </label>
            )}
            <FieldError id={fields.tier.errorId} errors={fields.tier.errors} />
          </fieldset>

          <Field
            label={t("public:pledge.amountLabel", { currency: campaign.currency.toUpperCase() })}
            field={fields.amount}
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            hint={
              tier ? t("public:pledge.atLeast", { amount: money(tier.minimum_amount) }) : t("public:pledge.anyAmount")
            }
          />

          {tier?.ships ? (
            <Select
              label={t("public:pledge.shipTo")}
              field={fields.destination}
              value={destination}
              onChange={(e) => setDestination(e.target.value)}
              placeholder={t("public:pledge.chooseDestination")}
              options={tier.shipping.map((r) => ({
                value: r.destination,
                label: t("public:pledge.destinationOption", {
                  destination: destinationName(r.destination, t),
                  amount: money(r.amount),
                }),
              }))}
            />
          ) : null}

          <AddOnChoices
            addOns={offered}
            currency={campaign.currency}
            quantities={quantities}
            onChange={(id, value) => setQuantities((q) => ({ ...q, [id]: value }))}
            fieldOf={(id) => addOnFields[id] ?? { errorId: `add-on-${id}-error` }}
            destination={destination}
          />

          <div className="pledge-summary" aria-live="polite">
            <div className="pledge-total">
              <span>{t("public:pledge.total")}</span>
              <strong>{price.ok ? money(price.amount) : "—"}</strong>
            </div>
            {price.ok && price.addOnsAmount > 0 ? (
              <p className="muted small">
                {t("public:pledge.breakdownWithAddOns", {
                  base: money(price.baseAmount),
                  addOns: money(price.addOnsAmount),
                  shipping: money(price.shippingAmount),
                })}
              </p>
            ) : price.ok && price.shippingAmount > 0 ? (
              <p className="muted small">
                {t("public:pledge.breakdown", { base: money(price.baseAmount), shipping: money(price.shippingAmount) })}
              </p>
            ) : null}
            {campaign.late ? (
              <p className="charge-sentence">{t("public:pledge.lateCharge")}</p>
            ) : campaign.deadline ? (
              <p className="charge-sentence">
                {chargeSentence({
                  fundingModel: campaign.fundingModel,
                  collection: campaign.collection,
                  deadline: campaign.deadline,
                  t,
                  locale: f.locale,
                })}
              </p>
            ) : null}
            {campaign.late ? null : <p className="muted small">{t("public:pledge.endsOn", { deadline })}</p>}
          </div>

          <button type="submit" className="button button-primary button-large button-block" disabled={submitting}>
            {submitting
              ? t("public:pledge.opening")
              : signedIn
                ? t("public:pledge.continue")
                : t("public:pledge.signIn")}
          </button>
          <p className="muted small center">{t("public:pledge.stripeNote")}</p>
        </Form>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
