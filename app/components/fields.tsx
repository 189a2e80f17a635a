import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

// The labelled form controls. Each draws one Conform field: its label is tied to the control,
// its hint and first error are shown beside it and tied to it for assistive technology, and what
// was typed comes back from the field's initial value (the server's echo after a refusal).

type ConformField<Schema> = FieldMetadata<Schema, Record<string, unknown>, string[]>;

interface Labelled<Schema> {
  label: string;
  field: ConformField<Schema>;
  hint?: ReactNode;
}

/** The control's aria attributes: invalid while it has an error, described by its hint and error. */
function describe(field: ConformField<unknown>, hint: ReactNode) {
  const error = field.errors?.[0];
  const hintId = `${field.id}-hint`;
  const describedBy = [hint ? hintId : null, error ? field.errorId : null].filter(Boolean).join(" ") || undefined;
  return {
    error,
    hintId,
    aria: { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy },
  } as const;
}

function Hint({ id, hint }: { id: string; hint?: ReactNode }) {
  return hint ? (
    <p id={id} className="field-hint">
      {hint}
    </p>
  ) : null;
}

/** A field's error, for controls laid out by hand (a group of radios, a fieldset of prices). */
export function FieldError({ id, errors }: { id?: string; errors?: readonly string[] }) {
  const error = errors?.[0];
  return error ? (
    <p id={id} className="field-error" role="alert">
      {error}
    </p>
  ) : null;
}

/**
 * The form-level errors in an action's answer (Conform keeps them under the empty name), for a
 * form that is only a button and so needs no useForm. Other answers (a notice) have none.
 */
export function formErrorsOf(answer: object | null | undefined): readonly string[] | undefined {
  if (!answer || !("error" in answer)) return undefined;
  return (answer.error as Record<string, readonly string[] | null> | undefined)?.[""] ?? undefined;
}

/** The form's own error (a refusal of the whole request), above its fields. */
export function FormError({ errors }: { errors?: readonly string[] }) {
  const error = errors?.[0];
  return error ? (
    <div className="form-error" role="alert">
      {error}
    </div>
  ) : null;
}

type TextualType =
  "text" | "email" | "password" | "date" | "datetime-local" | "month" | "number" | "search" | "tel" | "url" | "file";

/** A labelled input. A `value` makes it controlled; otherwise it starts from the field's value. */
export function Field<Schema>({
  label,
  field,
  hint,
  type = "text",
  ...input
}: Labelled<Schema> & { type?: TextualType } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "type">) {
  const { error, hintId, aria } = describe(field, hint);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={field.id}>{label}</label>
      <Hint id={hintId} hint={hint} />
      <input
        {...getInputProps(field, { type, ariaAttributes: false, value: input.value === undefined })}
        {...aria}
        {...input}
      />
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function TextArea<Schema>({
  label,
  field,
  hint,
  ...textarea
}: Labelled<Schema> & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id">) {
  const { error, hintId, aria } = describe(field, hint);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={field.id}>{label}</label>
      <Hint id={hintId} hint={hint} />
      <textarea
        {...getTextareaProps(field, { ariaAttributes: false, value: textarea.value === undefined })}
        {...aria}
        {...textarea}
      />
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function Select<Schema>({
  label,
  field,
  hint,
  options,
  placeholder,
  ...select
}: Labelled<Schema> & {
  options: ReadonlyArray<{ value: string; label: string; disabled?: boolean }>;
  placeholder?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id">) {
  const { error, hintId, aria } = describe(field, hint);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={field.id}>{label}</label>
      <Hint id={hintId} hint={hint} />
      <select
        {...getSelectProps(field, { ariaAttributes: false, value: select.value === undefined })}
        {...aria}
        {...select}
      >
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  );
}

/** A field whose input carries a unit in front or behind (a currency code, "/projects/", "days"). */
export function AdornedField<Schema>({
  label,
  field,
  hint,
  prefix,
  suffix,
  ...input
}: Labelled<Schema> & { prefix?: string; suffix?: string } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    "name" | "id" | "type" | "prefix"
  >) {
  const { error, hintId, aria } = describe(field, hint);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={field.id}>{label}</label>
      <Hint id={hintId} hint={hint} />
      <div className="input-adorned">
        {prefix ? (
          <span className="input-adornment" aria-hidden="true">
            {prefix}
          </span>
        ) : null}
        <input
          {...getInputProps(field, { type: "text", ariaAttributes: false, value: input.value === undefined })}
          {...aria}
          {...input}
        />
        {suffix ? (
          <span className="input-adornment" aria-hidden="true">
            {suffix}
          </span>
        ) : null}
      </div>
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  );
}

/** A checkbox whose label is the sentence it confirms. */
export function Checkbox<Schema>({
  field,
  value = "on",
  children,
}: {
  field: ConformField<Schema>;
  value?: string;
  children: ReactNode;
}) {
  const { error, aria } = describe(field, null);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label className="inline-radio">
        <input {...getInputProps(field, { type: "checkbox", value, ariaAttributes: false })} {...aria} /> {children}
      </label>
      <FieldError id={field.errorId} errors={field.errors} />
    </div>
  );
}

/** Radio buttons drawn as cards, each with a plain-words explanation of what choosing it means. */
export function RadioCards<Schema>({
  legend,
  field,
  options,
  hint,
  disabled,
}: {
  legend: string;
  field: ConformField<Schema>;
  options: ReadonlyArray<{ value: string; label: string; explanation: string }>;
  hint?: ReactNode;
  disabled?: boolean;
}) {
  const { error, hintId, aria } = describe(field, hint);
  return (
    <fieldset
      className={error ? "field radio-cards field-invalid" : "field radio-cards"}
      aria-describedby={aria["aria-describedby"]}
      disabled={disabled}
    >
      <legend>{legend}</legend>
      <Hint id={hintId} hint={hint} />
      <div className="radio-card-grid">
        {options.map((o) => (
          <label key={o.value} className="radio-card">
            <input
              type="radio"
              name={field.name}
              form={field.formId}
              value={o.value}
              defaultChecked={field.initialValue === o.value}
              aria-describedby={`${field.id}-${o.value}`}
            />
            <span className="radio-card-body">
              <span className="radio-card-label">{o.label}</span>
              <span id={`${field.id}-${o.value}`} className="radio-card-explanation">
                {o.explanation}
              </span>
            </span>
          </label>
        ))}
      </div>
      <FieldError id={field.errorId} errors={field.errors} />
    </fieldset>
  );
}
