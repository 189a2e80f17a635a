import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import type { z } from "zod";
import type { CurrencyCode } from "../../db/schema.js";
import { DESTINATIONS } from "~/domain/catalog";
import { CURRENCIES } from "~/domain/money";
import { shippingFieldName, TIER_DESCRIPTION_MAX, TIER_TITLE_MAX, tierSchema } from "~/domain/tier-rules";
import { AdornedField, Field, FieldError, FormError, TextArea } from "./fields";

/** Adds or edits a reward tier. Amounts are typed in the campaign's currency. */
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
  const schema = useMemo(() => tierSchema(currency), [currency]);
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
  const decimals = CURRENCIES[currency].exponent === 0 ? "whole yen" : "e.g. 25 or 25.50";

  return (
    <Form method="post" {...getFormProps(form)} className="tier-form stack">
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <FormError errors={form.errors} />
      <Field label="Reward title" field={fields.title} required maxLength={TIER_TITLE_MAX} />
      <TextArea label="What backers get" field={fields.description} rows={4} maxLength={TIER_DESCRIPTION_MAX} />
      <div className="field-row">
        <AdornedField
          label="Minimum pledge"
          field={fields.minimum}
          prefix={code}
          inputMode="decimal"
          hint={lockedMinimumNote ?? `In ${code}, ${decimals}.`}
        />
        <Field
          label="Quantity limit"
          field={fields.quantityLimit}
          inputMode="numeric"
          hint="Optional. Empty means no limit."
        />
      </div>
      <Field
        label="Estimated delivery"
        field={fields.estimatedDelivery}
        type="month"
        placeholder="2027-06"
        hint="The month backers can expect it."
      />
      <fieldset
        className={fields.shipping.errors ? "field shipping-fieldset field-invalid" : "field shipping-fieldset"}
      >
        <legend>Shipping</legend>
        <div className="inline-radios">
          <label className="inline-radio">
            <input
              type="radio"
              name={fields.shipping.name}
              value="none"
              checked={shipping === "none"}
              onChange={() => setShipping("none")}
            />
            No shipping (digital reward or nothing to send)
          </label>
          <label className="inline-radio">
            <input
              type="radio"
              name={fields.shipping.name}
              value="ships"
              checked={shipping === "ships"}
              onChange={() => setShipping("ships")}
            />
            Ships to backers
          </label>
        </div>
        <FieldError errors={fields.shipping.errors} />
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
          {submitting ? "Saving…" : submitLabel}
        </button>
      </div>
    </Form>
  );
}
