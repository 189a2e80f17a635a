import { getFormProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type { CurrencyCode } from "../../db/schema.js";
import {
  addOnSchema,
  ADD_ON_DESCRIPTION_MAX,
  ADD_ON_PER_BACKER_MAX,
  ADD_ON_TITLE_MAX,
  type AddOnTierChoice,
} from "~/domain/add-on-rules";
import { destinationLabel } from "~/domain/campaign-labels";
import { DESTINATIONS } from "~/domain/catalog";
import { CURRENCIES, formatNumber } from "~/domain/money";
import { shippingFieldName } from "~/domain/tier-rules";
import { AdornedField, Field, FieldError, FormError, TextArea } from "./fields";
import { useLocale } from "./locale";

/** Nothing to subscribe to: the value only tells the server render (false) from the browser's (true). */
const noSubscription = () => () => {};

type ConformField = FieldMetadata<unknown, Record<string, unknown>, string[]>;

/** Adds or edits an add-on. Amounts are typed in the campaign's currency, as the reader writes them. */
export function AddOnForm({
  currency,
  tiers,
  defaultValue,
  lastResult,
  submitLabel,
  intent,
  pricedNote,
}: {
  currency: CurrencyCode;
  tiers: ReadonlyArray<AddOnTierChoice & { hidden: boolean }>;
  defaultValue: Record<string, string | string[]>;
  lastResult?: SubmissionResult | null;
  submitLabel: string;
  intent: string;
  /** Said beside the price when backers already chose the add-on at its current price. */
  pricedNote?: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => addOnSchema(t, locale, currency, tiers), [t, locale, currency, tiers]);
  // The surcharges are one field per destination, named by shippingFieldName.
  const [form, fields] = useForm<z.input<typeof schema> & Record<string, string | string[] | undefined>, unknown>({
    defaultValue,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  const code = currency.toUpperCase();
  const priceHint =
    CURRENCIES[currency].exponent === 0
      ? t("addOns:form.priceHintWhole", { code })
      : t("addOns:form.priceHintDecimal", { code });

  return (
    <Form method="post" {...getFormProps(form)} className="tier-form add-on-form stack">
      <input type="hidden" name="intent" value={intent} />
      <FormError errors={form.errors} />
      <Field label={t("addOns:form.title")} field={fields.title} required maxLength={ADD_ON_TITLE_MAX} />
      <TextArea
        label={t("addOns:form.description")}
        field={fields.description}
        rows={3}
        maxLength={ADD_ON_DESCRIPTION_MAX}
      />
      <AdornedField
        label={t("addOns:form.price")}
        field={fields.price}
        prefix={code}
        inputMode="decimal"
        hint={pricedNote ? `${priceHint} ${pricedNote}` : priceHint}
      />
      <div className="field-row">
        <Field
          label={t("addOns:form.quantityLimit")}
          field={fields.quantityLimit}
          inputMode="numeric"
          hint={t("addOns:form.quantityLimitHint")}
        />
        <Field
          label={t("addOns:form.perBackerMax")}
          field={fields.perBackerMax}
          inputMode="numeric"
          hint={t("addOns:form.perBackerMaxHint", { max: formatNumber(ADD_ON_PER_BACKER_MAX, locale) })}
        />
      </div>
      <TierChoices field={fields.tiers as ConformField} tiers={tiers} />
      <ShippingFieldset
        field={fields.shipping as ConformField}
        rateField={(destination) => fields[shippingFieldName(destination)] as ConformField}
        currencyCode={code}
        labels={{
          legend: t("addOns:form.shipping"),
          none: t("addOns:form.noShipping"),
          ships: t("addOns:form.ships"),
          ratesHint: t("addOns:form.ratesHint"),
        }}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? t("addOns:form.saving") : submitLabel}
        </button>
      </div>
    </Form>
  );
}

/** The rewards that offer the add-on: one checkbox each, saying whether the reward ships. */
function TierChoices({
  field,
  tiers,
}: {
  field: ConformField;
  tiers: ReadonlyArray<AddOnTierChoice & { hidden: boolean }>;
}) {
  const { t } = useTranslation();
  const initial = field.initialValue;
  const chosen = new Set(Array.isArray(initial) ? initial : typeof initial === "string" ? [initial] : []);
  const hintId = `${field.id}-hint`;
  const error = field.errors?.[0];
  return (
    <fieldset
      className={error ? "field add-on-tiers field-invalid" : "field add-on-tiers"}
      aria-describedby={[hintId, error ? field.errorId : null].filter(Boolean).join(" ")}
    >
      <legend>{t("addOns:form.tiers")}</legend>
      <p id={hintId} className="field-hint">
        {t("addOns:form.tiersHint")}
      </p>
      <div className="inline-radios">
        {tiers.map((tier) => (
          <label key={tier.id} className="inline-radio">
            <input
              type="checkbox"
              name={field.name}
              form={field.formId}
              value={tier.id}
              defaultChecked={chosen.has(tier.id)}
              aria-invalid={error ? true : undefined}
            />
            <span>
              {tier.title}{" "}
              <span className="muted small">
                (
                {[
                  tier.ships ? t("addOns:form.tierShips") : t("addOns:form.tierNoShipping"),
                  ...(tier.hidden ? [t("addOns:form.tierHidden")] : []),
                ].join(", ")}
                )
              </span>
            </span>
          </label>
        ))}
      </div>
      <FieldError id={field.errorId} errors={field.errors} />
    </fieldset>
  );
}

/**
 * Shipping as the reward and add-on forms ask it: none, or a price per destination (a field per
 * destination, named by shippingFieldName; empty means it does not ship there).
 */
export function ShippingFieldset({
  field,
  rateField,
  currencyCode,
  labels,
}: {
  field: ConformField;
  rateField: (destination: string) => ConformField;
  currencyCode: string;
  labels: { legend: string; none: string; ships: string; ratesHint: string };
}) {
  const { t } = useTranslation();
  const [shipping, setShipping] = useState(field.initialValue === "ships" ? "ships" : "none");
  // Without JavaScript the prices stay in view (the radios can't reveal them); once the page runs,
  // they show only when the add-on ships, rather than dimmed, which no reader can read well.
  const interactive = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const options = [
    { value: "none", label: labels.none },
    { value: "ships", label: labels.ships },
  ];
  return (
    <fieldset className={field.errors ? "field shipping-fieldset field-invalid" : "field shipping-fieldset"}>
      <legend>{labels.legend}</legend>
      <div className="inline-radios">
        {options.map((o) => (
          <label key={o.value} className="inline-radio">
            <input
              type="radio"
              name={field.name}
              form={field.formId}
              value={o.value}
              checked={shipping === o.value}
              onChange={() => setShipping(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
      <FieldError errors={field.errors} />
      <div className="shipping-rates" hidden={interactive && shipping !== "ships"}>
        <p className="field-hint">{labels.ratesHint}</p>
        <div className="shipping-grid">
          {DESTINATIONS.map((d) => (
            <AdornedField
              key={d.code}
              label={destinationLabel(t, d.code)}
              field={rateField(d.code)}
              prefix={currencyCode}
              inputMode="decimal"
            />
          ))}
        </div>
      </div>
    </fieldset>
  );
}
