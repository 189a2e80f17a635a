import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Field, FieldError, FormError, Select } from "~/components/fields";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { destinationName } from "~/domain/catalog";
import { chargeSentence } from "~/domain/charge-terms";
import { formatMoney, toInputValue } from "~/domain/money";
import { NO_REWARD, pledgeFormSchema, pricePledge } from "~/domain/pledge-rules";
import { refuse, refuseField } from "~/domain/refusal";
import { formatDeadline } from "~/domain/time";
import { findOpenPledge, getPledgeableCampaign } from "~/models/pledge.server";
import { getOptionalUser } from "~/services/accounts/auth.server";
import { startPledgeCheckout } from "~/services/pledges/checkout.server";
import { getStripe } from "~/services/stripe/client.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Back ${data.campaign.title} · Colecta` : "Back a project · Colecta" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const campaign = await getPledgeableCampaign(db, { slug: params.slug ?? "" });
  if (!campaign) notFound("That project does not exist.");
  const user = await getOptionalUser(request);
  const existing = user ? await findOpenPledge(db, { campaignId: campaign.id, backerId: user.id }) : undefined;
  const url = new URL(request.url);
  const open = campaign.state === "live" && campaign.deadline !== null && campaign.deadline.getTime() > Date.now();
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
      isOwn: user?.id === campaign.creator_id,
    },
    tiers: campaign.tiers
      .filter((t) => !t.hidden)
      .map((t) => ({
        id: t.id,
        title: t.title,
        description: t.description,
        minimum_amount: t.minimum_amount,
        ships: t.ships,
        shipping: t.shipping,
        left: t.quantity_limit === null ? null : Math.max(0, t.quantity_limit - t.claimed_count),
      })),
    choice: {
      tier: url.searchParams.get("tier") ?? "",
      amount: url.searchParams.get("amount") ?? "",
      destination: url.searchParams.get("destination") ?? "",
    },
    cancelled: url.searchParams.has("cancelled"),
    signedIn: Boolean(user),
    existingPledgeId: existing && existing.state !== "checkout" ? existing.id : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const slug = params.slug ?? "";
  const choice = {
    tier: String(form.get("tier") ?? ""),
    amount: String(form.get("amount") ?? ""),
    destination: String(form.get("destination") ?? ""),
  };
  const user = await getOptionalUser(request);
  if (!user) {
    // Sign in (or up) comes in the flow: the choice travels in the return address.
    const back = `/projects/${encodeURIComponent(slug)}/pledge?${new URLSearchParams(choice)}`;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  const submission = parseWithZod(form, { schema: pledgeFormSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await startPledgeCheckout(await getDb(), getStripe(), {
    slug,
    backer: { id: user.id, email: user.email, name: user.name },
    form: submission.value,
    appUrl: getConfig().appUrl,
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
  const { campaign, tiers, choice, cancelled, signedIn, existingPledgeId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submitting = useNavigation().state !== "idle";
  const initialTier = tiers.some((t) => t.id === choice.tier)
    ? choice.tier
    : (tiers.find((t) => t.left !== 0)?.id ?? NO_REWARD);
  const minimumOf = (id: string) =>
    toInputValue(tiers.find((t) => t.id === id)?.minimum_amount ?? 100, campaign.currency);
  // The choice is controlled (the total follows it); it starts from what was typed, or the link's choice.
  const [form, fields] = useForm({
    defaultValue: {
      tier: initialTier,
      amount: choice.amount || minimumOf(initialTier),
      destination: choice.destination,
    },
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: pledgeFormSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const [tierId, setTierId] = useState(fields.tier.initialValue ?? initialTier);
  const tier = tiers.find((t) => t.id === tierId) ?? null;
  const [amount, setAmount] = useState(fields.amount.initialValue ?? "");
  const [destination, setDestination] = useState(fields.destination.initialValue ?? "");
  const price = pricePledge({ currency: campaign.currency, tier, amountInput: amount, destination });
  const deadline = campaign.deadline ? formatDeadline(campaign.deadline) : "";

  const pickTier = (id: string) => {
    setTierId(id);
    setAmount(minimumOf(id));
    setDestination("");
  };

  return (
    <div className="container pledge-layout">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/projects/${campaign.slug}`}>← Back to {campaign.title}</Link>
      </nav>
      <h1>Back {campaign.title}</h1>
      <p className="muted">by {campaign.creatorName}</p>
      {cancelled ? <p className="notice">Checkout cancelled. Nothing was charged — you can pick again below.</p> : null}
      {!campaign.open ? (
        <div className="form-error" role="alert">
          This project is no longer accepting pledges.
        </div>
      ) : campaign.isOwn ? (
        <div className="form-error" role="alert">
          This is your project — you can't back it yourself.
        </div>
      ) : existingPledgeId ? (
        <p className="notice">
          You already back this project. <Link to={`/me/pledges/${existingPledgeId}`}>Change your pledge</Link> instead.
        </p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="pledge-form">
          <FormError errors={form.errors} />
          <fieldset className="tier-choices" aria-describedby={fields.tier.errors ? fields.tier.errorId : undefined}>
            <legend>Choose your reward</legend>
            {tiers.map((t) => (
              <label
                key={t.id}
                className={`tier-choice${t.id === tierId ? " selected" : ""}${t.left === 0 ? " sold-out" : ""}`}
              >
                <input
                  type="radio"
                  name={fields.tier.name}
                  value={t.id}
                  checked={t.id === tierId}
                  disabled={t.left === 0}
                  onChange={() => pickTier(t.id)}
                />
                <span className="tier-choice-body">
                  <span className="tier-choice-head">
                    <strong>{t.title}</strong>
                    <span className="tier-price">{formatMoney(t.minimum_amount, campaign.currency)} or more</span>
                  </span>
                  {t.description ? <span className="muted">{t.description}</span> : null}
                  <span className="tier-meta">
                    {t.left === null ? "Unlimited" : t.left === 0 ? "Sold out" : `${t.left} left`}
                    {t.ships ? " · Ships to you" : " · No shipping"}
                  </span>
                </span>
              </label>
            ))}
            <label className={`tier-choice${tierId === NO_REWARD ? " selected" : ""}`}>
              <input
                type="radio"
                name={fields.tier.name}
                value={NO_REWARD}
                checked={tierId === NO_REWARD}
                onChange={() => pickTier(NO_REWARD)}
              />
              <span className="tier-choice-body">
                <strong>No reward</strong>
                <span className="muted">Back it because you believe in it.</span>
              </span>
            </label>
            <FieldError id={fields.tier.errorId} errors={fields.tier.errors} />
          </fieldset>

          <Field
            label={`Pledge amount (${campaign.currency.toUpperCase()})`}
            field={fields.amount}
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            hint={
              tier
                ? `At least ${formatMoney(tier.minimum_amount, campaign.currency)}. Add more if you like.`
                : "Any amount you like."
            }
          />

          {tier?.ships ? (
            <Select
              label="Ship to"
              field={fields.destination}
              value={destination}
              onChange={(e) => setDestination(e.target.value)}
              placeholder="Choose a destination…"
              options={tier.shipping.map((r) => ({
                value: r.destination,
                label: `${destinationName(r.destination)} (+${formatMoney(r.amount, campaign.currency)})`,
              }))}
            />
          ) : null}

          <div className="pledge-summary" aria-live="polite">
            <div className="pledge-total">
              <span>Total</span>
              <strong>{price.ok ? formatMoney(price.amount, campaign.currency) : "—"}</strong>
            </div>
            {price.ok && price.shippingAmount > 0 ? (
              <p className="muted small">
                {formatMoney(price.baseAmount, campaign.currency)} pledge +{" "}
                {formatMoney(price.shippingAmount, campaign.currency)} shipping
              </p>
            ) : null}
            {campaign.deadline ? (
              <p className="charge-sentence">
                {chargeSentence({
                  fundingModel: campaign.fundingModel,
                  collection: campaign.collection,
                  deadline: campaign.deadline,
                })}
              </p>
            ) : null}
            <p className="muted small">
              The campaign ends {deadline}. You can change or cancel your pledge until then.
            </p>
          </div>

          <button type="submit" className="button button-primary button-large button-block" disabled={submitting}>
            {submitting ? "Opening secure checkout…" : signedIn ? "Continue to secure checkout" : "Sign in to continue"}
          </button>
          <p className="muted small center">Card details are handled by Stripe; Colecta never sees your card number.</p>
        </Form>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
