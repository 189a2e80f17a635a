import { Link } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FieldError, FormError } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { ADDRESS_FIELDS, countryRules, regionOptions } from "~/domain/address";
import { answerField } from "~/domain/survey";

// The survey as a backer answers it (and as the creator previews it): one control per question
// of the pledge's tier, the address fields adapting to the country chosen (at once with
// JavaScript; without it, a button redraws them for the country), each bad field with its
// message, and what was typed or saved filled back in.

export interface SurveyFormQuestion {
  id: string;
  kind: "address" | "single" | "multiple" | "text";
  prompt: string;
  help: string;
  required: boolean;
  options: Array<{ id: string; label: string; soldOut: boolean }>;
}

export type FormValues = Record<string, string | string[] | undefined>;
export type FormErrors = Record<string, readonly string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
const all = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

export function SurveyAnswerFields({
  questions,
  values,
  errors,
  formErrors,
  countries,
  paidFor,
  disabled = false,
}: {
  questions: SurveyFormQuestion[];
  values: FormValues;
  errors: FormErrors;
  formErrors?: readonly string[];
  countries: ReadonlyArray<{ value: string; label: string }>;
  /** The shipping destination paid for, in words; null when the pledge has none. */
  paidFor: string | null;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="survey-fields stack" disabled={disabled}>
      <FormError errors={formErrors} />
      {questions.map((q) => {
        const name = answerField(q.id);
        const error = errors[name];
        const errorId = `${name}-error`;
        const helpId = `${name}-help`;
        const describedBy =
          [q.help ? helpId : null, error?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
        const mark = q.required ? t("surveys:answer.requiredMark") : t("surveys:answer.optionalMark");
        if (q.kind === "address")
          return (
            <AddressFields
              key={q.id}
              prompt={q.prompt}
              help={q.help}
              values={values}
              errors={errors}
              countries={countries}
              paidFor={paidFor}
            />
          );
        if (q.kind === "text")
          return (
            <div key={q.id} className={error?.length ? "field field-invalid" : "field"}>
              <label htmlFor={name}>
                {q.prompt} <span className="muted">({mark})</span>
              </label>
              {q.help ? (
                <p id={helpId} className="field-hint">
                  {q.help}
                </p>
              ) : null}
              <input
                id={name}
                name={name}
                type="text"
                maxLength={500}
                defaultValue={first(values[name])}
                aria-invalid={error?.length ? true : undefined}
                aria-describedby={describedBy}
              />
              <FieldError id={errorId} errors={error} />
            </div>
          );
        const chosen = all(values[name]);
        return (
          <fieldset
            key={q.id}
            className={error?.length ? "field survey-choice field-invalid" : "field survey-choice"}
            aria-describedby={describedBy}
          >
            <legend>
              {q.prompt} <span className="muted">({mark})</span>
            </legend>
            {q.help ? (
              <p id={helpId} className="field-hint">
                {q.help}
              </p>
            ) : null}
            {q.options.map((o) => (
              <label key={o.id} className="inline-radio">
                <input
                  type={q.kind === "single" ? "radio" : "checkbox"}
                  name={name}
                  value={o.id}
                  defaultChecked={chosen.includes(o.id)}
                  disabled={o.soldOut && !chosen.includes(o.id)}
                />{" "}
                {o.soldOut ? t("surveys:answer.soldOutOption", { label: o.label }) : o.label}
              </label>
            ))}
            <FieldError id={errorId} errors={error} />
          </fieldset>
        );
      })}
    </fieldset>
  );
}

function AddressFields({
  prompt,
  help,
  values,
  errors,
  countries,
  paidFor,
}: {
  prompt: string;
  help: string;
  values: FormValues;
  errors: FormErrors;
  countries: ReadonlyArray<{ value: string; label: string }>;
  paidFor: string | null;
}) {
  const { t } = useTranslation();
  const [country, setCountry] = useState(first(values[ADDRESS_FIELDS.country]));
  const rules = countryRules(country);
  const regions = regionOptions(country);
  const regionLabel = t(`surveys:address.regionLabel.${rules.regionLabel}`);
  const postalLabel = t(`surveys:address.postalLabel.${rules.postalLabel}`);
  const shared = { values, errors };
  const countryError = errors[ADDRESS_FIELDS.country];
  const regionError = errors[ADDRESS_FIELDS.region];
  return (
    <fieldset className="field survey-address stack">
      <legend>{prompt}</legend>
      {help ? <p className="field-hint">{help}</p> : null}
      {paidFor ? <p className="muted">{t("surveys:address.paidFor", { destination: paidFor })}</p> : null}
      <div className={countryError?.length ? "field field-invalid" : "field"}>
        <label htmlFor={ADDRESS_FIELDS.country}>{t("surveys:address.country")}</label>
        <select
          id={ADDRESS_FIELDS.country}
          name={ADDRESS_FIELDS.country}
          autoComplete="country"
          value={country}
          onChange={(e) => setCountry(e.currentTarget.value)}
          aria-invalid={countryError?.length ? true : undefined}
          aria-describedby={countryError?.length ? `${ADDRESS_FIELDS.country}-error` : undefined}
        >
          <option value="">{t("surveys:address.chooseCountry")}</option>
          {countries.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <FieldError id={`${ADDRESS_FIELDS.country}-error`} errors={countryError} />
        <noscript>
          <button type="submit" name="intent" value="country" className="button button-ghost button-small">
            {t("surveys:address.updateFields")}
          </button>
        </noscript>
      </div>
      <AddressInput
        part="fullName"
        label={t("surveys:address.fullName")}
        autoComplete="name"
        maxLength={100}
        {...shared}
      />
      <AddressInput
        part="line1"
        label={t("surveys:address.line1")}
        autoComplete="address-line1"
        maxLength={120}
        {...shared}
      />
      <AddressInput
        part="line2"
        label={t("surveys:address.line2")}
        autoComplete="address-line2"
        maxLength={120}
        {...shared}
      />
      <AddressInput
        part="city"
        label={t("surveys:address.city")}
        autoComplete="address-level2"
        maxLength={80}
        {...shared}
      />
      {regions ? (
        <div className={regionError?.length ? "field field-invalid" : "field"}>
          <label htmlFor={ADDRESS_FIELDS.region}>{regionLabel}</label>
          <select
            id={ADDRESS_FIELDS.region}
            name={ADDRESS_FIELDS.region}
            autoComplete="address-level1"
            defaultValue={first(values[ADDRESS_FIELDS.region])}
            aria-invalid={regionError?.length ? true : undefined}
            aria-describedby={regionError?.length ? `${ADDRESS_FIELDS.region}-error` : undefined}
          >
            <option value="">{t("surveys:address.chooseRegion")}</option>
            {regions.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          <FieldError id={`${ADDRESS_FIELDS.region}-error`} errors={regionError} />
        </div>
      ) : (
        <AddressInput
          part="region"
          label={t("surveys:address.optional", { label: regionLabel })}
          autoComplete="address-level1"
          maxLength={80}
          {...shared}
        />
      )}
      <AddressInput
        part="postalCode"
        label={rules.postalRequired ? postalLabel : t("surveys:address.optional", { label: postalLabel })}
        autoComplete="postal-code"
        maxLength={12}
        hint={rules.postalExample ? t("surveys:address.postalHint", { example: rules.postalExample }) : undefined}
        {...shared}
      />
      <AddressInput
        part="phone"
        label={t("surveys:address.phone")}
        autoComplete="tel"
        maxLength={30}
        type="tel"
        hint={t("surveys:address.phoneHint")}
        {...shared}
      />
    </fieldset>
  );
}

function AddressInput({
  part,
  label,
  values,
  errors,
  autoComplete,
  maxLength,
  hint,
  type = "text",
}: {
  part: keyof typeof ADDRESS_FIELDS;
  label: string;
  values: FormValues;
  errors: FormErrors;
  autoComplete: string;
  maxLength: number;
  hint?: string;
  type?: "text" | "tel";
}) {
  const name = ADDRESS_FIELDS[part];
  const error = errors[name];
  return (
    <div className={error?.length ? "field field-invalid" : "field"}>
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <p id={`${name}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        maxLength={maxLength}
        defaultValue={first(values[name])}
        aria-invalid={error?.length ? true : undefined}
        aria-describedby={
          [hint ? `${name}-hint` : null, error?.length ? `${name}-error` : null].filter(Boolean).join(" ") || undefined
        }
      />
      <FieldError id={`${name}-error`} errors={error} />
    </div>
  );
}

/** The banner on the backer's pledge page while the survey waits for (or holds) their answers. */
export function SurveyBanner({
  pledgeId,
  banner,
}: {
  pledgeId: string;
  banner: { answered: boolean; open: boolean; until: string | null } | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!banner) return null;
  const date = banner.until ? f.date(banner.until) : "";
  const to = `/me/pledges/${pledgeId}/survey`;
  if (!banner.open)
    return (
      <p className="notice" role="status">
        {t("surveys:banner.locked", { date })}{" "}
        {banner.answered ? <Link to={to}>{t("surveys:banner.view")}</Link> : null}
      </p>
    );
  return (
    <section
      className={banner.answered ? "notice notice-success survey-banner" : "notice notice-warning survey-banner"}
      aria-labelledby="survey-banner-title"
    >
      {banner.answered ? null : <h2 id="survey-banner-title">{t("surveys:banner.title")}</h2>}
      <p id={banner.answered ? "survey-banner-title" : undefined}>
        {banner.answered ? t("surveys:banner.answered", { date }) : t("surveys:banner.body", { date })}
      </p>
      <Link to={to} className={banner.answered ? "button button-ghost button-small" : "button button-primary"}>
        {banner.answered ? t("surveys:banner.change") : t("surveys:banner.answer")}
      </Link>
    </section>
  );
}
