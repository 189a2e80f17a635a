import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { AdornedField, Field, FormError } from "~/components/fields";
import { useFormat, useLocale } from "~/components/locale";
import { getDb } from "~/db.server";
import {
  LATE_PLEDGES_MAX_DAYS,
  lateLimitField,
  latePledgeFormValues,
  latePledgeSchema,
  latePledgesOpen,
  latePriceField,
} from "~/domain/late-pledges";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { closeLatePledges, latePledgeSettingsOf, saveLatePledges } from "~/models/late-pledges.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";

// The creator's late pledges: once the campaign is funded, a closing day and each reward's late
// price and limit; saving opens them (or changes them), "close now" ends them.

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: metaTranslator(matches)("creator:late.meta", { title: data?.campaign.title ?? "" }) },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const settings = await latePledgeSettingsOf(await getDb(), { campaignId: campaign.id });
  if (!settings) notFound(requestTranslator(request, user)("creator:common.campaignNotFound"));
  const locale = requestLocale(request, user);
  return json({
    campaign: {
      id: campaign.id,
      title: campaign.title,
      state: campaign.state,
      currency: campaign.currency,
      until: settings.campaign.late_pledges_until?.toISOString() ?? null,
      open: latePledgesOpen(settings.campaign),
    },
    tiers: settings.tiers.map((tier) => ({
      id: tier.id,
      title: tier.title,
      minimum: Number(tier.minimum_amount),
      lateTaken: tier.late_claimed_count,
    })),
    values: latePledgeFormValues(settings.campaign, settings.tiers, campaign.currency, locale),
    taken: settings.taken,
    editable: user.id === campaign.creator_id && campaign.state === "funded",
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const db = await getDb();
  const form = await readForm(request);
  const back = `/creator/campaigns/${campaign.id}/late-pledges`;
  if (user.id !== campaign.creator_id)
    return replyWithRefusal(null, refuse(403, t("creator:late.refusal.onlyCreator")));
  if (campaign.state !== "funded") return replyWithRefusal(null, refuse(409, t("creator:late.refusal.notFunded")));
  if (form.get("intent") === "close") {
    const closed = await closeLatePledges(db, { campaignId: campaign.id, actor, t });
    if (!closed.ok) return replyWithRefusal(null, closed);
    return redirect(`${back}?done=closed`, 303);
  }
  const settings = await latePledgeSettingsOf(db, { campaignId: campaign.id });
  if (!settings) notFound(t("creator:common.campaignNotFound"));
  const schema = latePledgeSchema(t, locale, campaign.currency, settings.tiers);
  const submission = parseWithZod(form, { schema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const saved = await saveLatePledges(db, { campaignId: campaign.id, actor, settings: submission.value, t });
  if (!saved.ok) return replyWithRefusal(submission, saved);
  return redirect(`${back}?done=saved`, 303);
}

export default function CreatorLatePledges() {
  const { campaign, tiers, values, taken, editable } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const f = useFormat();
  const busy = useNavigation().state === "submitting";
  const money = (amount: number) => f.money(amount, campaign.currency);
  const tierRows = useMemo(
    () => tiers.map((tier) => ({ ...tier, late_claimed_count: tier.lateTaken, minimum_amount: tier.minimum })),
    [tiers],
  );
  const schema = useMemo(
    () => latePledgeSchema(t, locale, campaign.currency, tierRows),
    [t, locale, campaign.currency, tierRows],
  );
  const [form, fields] = useForm({
    id: "late-pledges",
    lastResult: answer && "initialValue" in answer ? answer : undefined,
    defaultValue: values,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  // The fields are named per tier: Conform makes each on first access.
  const field = (name: string) => fields[name]!;
  const done = params.get("done");
  const code = campaign.currency.toUpperCase();

  return (
    <div className="creator-section">
      {done === "saved" && campaign.until && !answer ? (
        <p className="notice notice-success" role="status">
          {t("creator:late.saved", { until: f.date(campaign.until) })}
        </p>
      ) : done === "closed" && !answer ? (
        <p className="notice notice-success" role="status">
          {t("creator:late.closedNotice")}
        </p>
      ) : null}
      <div className="section-heading">
        <h2>{t("creator:late.title")}</h2>
      </div>
      {campaign.state !== "funded" ? (
        <p className="notice">{t("creator:late.notFunded")}</p>
      ) : (
        <>
          <p className="muted">{t("creator:late.lead")}</p>
          <p>
            <strong>
              {campaign.open && campaign.until
                ? t("creator:late.openUntil", { until: f.date(campaign.until) })
                : t("creator:late.closed")}
            </strong>{" "}
            {taken.count > 0 ? t("creator:late.taken", { count: taken.count, amount: money(taken.amount) }) : null}
          </p>
          <p className="muted small">{t("creator:late.payouts")}</p>
          {editable ? (
            <section className="card" aria-labelledby="late-form-title">
              <h3 id="late-form-title">{t("creator:late.tiersLegend")}</h3>
              <Form method="post" {...getFormProps(form)} className="stack">
                <FormError errors={form.errors} />
                <Field
                  label={t("creator:late.until")}
                  field={field("until")}
                  type="date"
                  hint={t("creator:late.untilHint", { days: LATE_PLEDGES_MAX_DAYS })}
                  required
                />
                <p className="muted small">{t("creator:late.tiersHint")}</p>
                {tiers.map((tier) => (
                  <fieldset key={tier.id} className="late-tier">
                    <legend>{tier.title}</legend>
                    <AdornedField
                      label={t("creator:late.price", { title: tier.title, currency: code })}
                      field={field(latePriceField(tier.id))}
                      prefix={code}
                      inputMode="decimal"
                      hint={t("creator:late.priceHint", { minimum: money(tier.minimum) })}
                    />
                    <Field
                      label={t("creator:late.limit", { title: tier.title })}
                      field={field(lateLimitField(tier.id))}
                      inputMode="numeric"
                      hint={t("creator:late.limitHint", { count: tier.lateTaken })}
                    />
                  </fieldset>
                ))}
                <div className="form-actions">
                  <button type="submit" className="button button-primary" disabled={busy}>
                    {t("creator:late.save")}
                  </button>
                </div>
              </Form>
              {campaign.open ? (
                <Form method="post" className="late-close">
                  <input type="hidden" name="intent" value="close" />
                  <button type="submit" className="button button-secondary" disabled={busy}>
                    {t("creator:late.close")}
                  </button>
                </Form>
              ) : null}
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
