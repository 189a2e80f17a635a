import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import type { z } from "zod";
import type { CurrencyCode } from "../../db/schema.js";
import { DESTINATIONS } from "~/domain/catalog";
import { shippingFieldName, TIER_DESCRIPTION_MAX, TIER_TITLE_MAX, tierSchema } from "~/domain/campaign-rules";
import { CURRENCIES } from "~/domain/money";
import type { FieldErrors } from "~/web/forms";
import { AdornedField, TextArea } from "./form-controls";
import { Field, FormError, useSchemaValidation } from "./forms";

/** Adds or edits a reward tier. Amounts are typed in the campaign's currency. */
export function TierForm({
  currency,
  values,
  fieldErrors,
  formError,
  submitLabel,
  intent,
  lockedMinimumNote,
}: {
  currency: CurrencyCode;
  values: Record<string, string>;
  fieldErrors?: FieldErrors;
  formError?: string;
  submitLabel: string;
  intent?: string;
  lockedMinimumNote?: string;
}) {
  const schema = useMemo(() => tierSchema(currency) as z.ZodType<unknown>, [currency]);
  const { errors, onSubmit } = useSchemaValidation(schema, fieldErrors);
  const [shipping, setShipping] = useState(values.shipping === "ships" ? "ships" : "none");
  const submitting = useNavigation().state === "submitting";
  const code = currency.toUpperCase();
  const decimals = CURRENCIES[currency].exponent === 0 ? "whole yen" : "e.g. 25 or 25.50";
  const v = (key: string) => values[key] ?? "";

  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="tier-form stack">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <FormError message={formError} />
      <Field
        label="Reward title"
        name="title"
        required
        maxLength={TIER_TITLE_MAX}
        defaultValue={v("title")}
        error={errors.title}
      />
      <TextArea
        label="What backers get"
        name="description"
        rows={4}
        maxLength={TIER_DESCRIPTION_MAX}
        defaultValue={v("description")}
        error={errors.description}
      />
      <div className="field-row">
        <AdornedField
          label="Minimum pledge"
          name="minimum"
          prefix={code}
          inputMode="decimal"
          defaultValue={v("minimum")}
          hint={lockedMinimumNote ?? `In ${code}, ${decimals}.`}
          error={errors.minimum}
        />
        <Field
          label="Quantity limit"
          name="quantityLimit"
          inputMode="numeric"
          defaultValue={v("quantityLimit")}
          hint="Optional. Empty means no limit."
          error={errors.quantityLimit}
        />
      </div>
      <Field
        label="Estimated delivery"
        name="estimatedDelivery"
        type="month"
        placeholder="2027-06"
        defaultValue={v("estimatedDelivery")}
        hint="The month backers can expect it."
        error={errors.estimatedDelivery}
      />
      <fieldset className={errors.shipping ? "field shipping-fieldset field-invalid" : "field shipping-fieldset"}>
        <legend>Shipping</legend>
        <div className="inline-radios">
          <label className="inline-radio">
            <input
              type="radio"
              name="shipping"
              value="none"
              checked={shipping === "none"}
              onChange={() => setShipping("none")}
            />
            No shipping (digital reward or nothing to send)
          </label>
          <label className="inline-radio">
            <input
              type="radio"
              name="shipping"
              value="ships"
              checked={shipping === "ships"}
              onChange={() => setShipping("ships")}
            />
            Ships to backers
          </label>
        </div>
        {errors.shipping ? (
          <p className="field-error" role="alert">
            {errors.shipping}
          </p>
        ) : null}
        <div className="shipping-rates" data-active={shipping === "ships" ? "true" : "false"}>
          <p className="field-hint">
            Price per destination, added to the pledge. Leave a destination empty if you don&apos;t ship there; enter 0
            for free shipping. &ldquo;Rest of world&rdquo; covers every other country.
          </p>
          <div className="shipping-grid">
            {DESTINATIONS.map((d) => (
              <AdornedField
                key={d.code}
                label={d.name}
                name={shippingFieldName(d.code)}
                prefix={code}
                inputMode="decimal"
                defaultValue={v(shippingFieldName(d.code))}
                error={errors[shippingFieldName(d.code)]}
              />
            ))}
          </div>
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? "Saving…" : submitLabel}
        </button>
      </div>
    </Form>
  );
}
