import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type { CurrencyCode } from "../../db/schema.js";
import { destinationLabel } from "~/domain/campaign-labels";
import { DESTINATIONS } from "~/domain/catalog";
import { CURRENCIES } from "~/domain/money";
import { shippingFieldName, TIER_DESCRIPTION_MAX, TIER_TITLE_MAX, tierSchema } from "~/domain/tier-rules";
import { AdornedField, Field, FieldError, FormError, TextArea } from "./fields";
import { useLocale } from "./locale";

/** Adds or edits a reward tier. Amounts are typed in the campaign's currency, as the reader writes them. */
export function TierForm({
  currency,
  defaultValue,
  lastResult,
  submitLabel,
  intent,
  lockedMinimumNote,
}: {
  currency: CurrencyCode;
  defaultValue: Record<string, string>;
  lastResult?: SubmissionResult | null;
  submitLabel: string;
  intent?: string;
  lockedMinimumNote?: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => tierSchema(t, locale, currency), [t, locale, currency]);
  // The shipping prices are one field per destination, named by shippingFieldName.
  const [form, fields] = useForm<z.input<typeof schema> & Record<string, string | undefined>, unknown>({
    defaultValue,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const [shipping, setShipping] = useState(fields.shipping.initialValue === "ships" ? "ships" : "none");
  const submitting = useNavigation().state === "submitting";
  const code = currency.toUpperCase();
  const minimumHint =
    CURRENCIES[currency].exponent === 0
      ? t("campaignForm:tier.minimumHintWhole", { code })
      : t("campaignForm:tier.minimumHintDecimal", { code });

  return (
    <Form method="post" {...getFormProps(form)} className="tier-form stack">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <FormError errors={form.errors} />
      <Field label={t("campaignForm:tier.title")} field={fields.title} required maxLength={TIER_TITLE_MAX} />
      <TextArea
        label={t("campaignForm:tier.description")}
        field={fields.description}
        rows={4}
        maxLength={TIER_DESCRIPTION_MAX}
      />
      <div className="field-row">
        <AdornedField
          label={t("campaignForm:tier.minimum")}
          field={fields.minimum}
          prefix={code}
          inputMode="decimal"
          hint={lockedMinimumNote ?? minimumHint}
        />
        <Field
          label={t("campaignForm:tier.quantityLimit")}
          field={fields.quantityLimit}
          inputMode="numeric"
          hint={t("campaignForm:tier.quantityLimitHint")}
        />
      </div>
      <Field
        label={t("campaignForm:tier.delivery")}
        field={fields.estimatedDelivery}
        type="month"
        placeholder={t("campaignForm:tier.deliveryPlaceholder")}
        hint={t("campaignForm:tier.deliveryHint")}
      />
      <fieldset
        className={fields.shipping.errors ? "field shipping-fieldset field-invalid" : "field shipping-fieldset"}
      >
        <legend>{t("campaignForm:tier.shipping")}</legend>
        <div className="inline-radios">
          <label className="inline-radio">
            <input
              type="radio"
              name={fields.shipping.name}
              value="none"
              checked={shipping === "none"}
              onChange={() => setShipping("none")}
            />
            {t("campaignForm:tier.noShipping")}
          </label>
          <label className="inline-radio">
            <input
              type="radio"
              name={fields.shipping.name}
              value="ships"
              checked={shipping === "ships"}
              onChange={() => setShipping("ships")}
            />
            {t("campaignForm:tier.ships")}
          </label>
        </div>
        <FieldError errors={fields.shipping.errors} />
        <div className="shipping-rates" data-active={shipping === "ships" ? "true" : "false"}>
          <p className="field-hint">{t("campaignForm:tier.ratesHint")}</p>
          <div className="shipping-grid">
            {DESTINATIONS.map((d) => (
              <AdornedField
                key={d.code}
                label={destinationLabel(t, d.code)}
                field={fields[shippingFieldName(d.code)]!}
                prefix={code}
                inputMode="decimal"
              />
            ))}
          </div>
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? t("campaignForm:tier.saving") : submitLabel}
        </button>
      </div>
    </Form>
  );
}
