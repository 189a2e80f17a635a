import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

// Labelled controls beyond the plain input (forms.tsx): each shows its hint and its error beside
// it, and ties both to the control for assistive technology.

function describedBy(id: string, hint: unknown, error: unknown) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function Hint({ id, hint }: { id: string; hint?: ReactNode }) {
  return hint ? (
    <p id={`${id}-hint`} className="field-hint">
      {hint}
    </p>
  ) : null;
}

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={`${id}-error`} className="field-error" role="alert">
      {error}
    </p>
  ) : null;
}

export function TextArea({
  label,
  name,
  error,
  hint,
  ...textarea
}: { label: string; name: string; error?: string; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <textarea
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...textarea}
      />
      <ErrorText id={id} error={error} />
    </div>
  );
}

export function Select({
  label,
  name,
  error,
  hint,
  options,
  placeholder,
  ...select
}: {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  options: ReadonlyArray<{ value: string; label: string }>;
  placeholder?: string;
} & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={id} error={error} />
    </div>
  );
}

/** A field whose input carries a unit in front (a currency code, "$", "days"). */
export function AdornedField({
  label,
  name,
  error,
  hint,
  prefix,
  suffix,
  ...input
}: {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  prefix?: string;
  suffix?: string;
} & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <div className="input-adorned">
        {prefix ? (
          <span className="input-adornment" aria-hidden="true">
            {prefix}
          </span>
        ) : null}
        <input
          id={id}
          name={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          {...input}
        />
        {suffix ? (
          <span className="input-adornment" aria-hidden="true">
            {suffix}
          </span>
        ) : null}
      </div>
      <ErrorText id={id} error={error} />
    </div>
  );
}

/** Radio buttons drawn as cards, each with a plain-words explanation of what choosing it means. */
export function RadioCards({
  legend,
  name,
  options,
  defaultValue,
  error,
  hint,
  disabled,
}: {
  legend: string;
  name: string;
  options: ReadonlyArray<{ value: string; label: string; explanation: string }>;
  defaultValue?: string;
  error?: string;
  hint?: ReactNode;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <fieldset
      className={error ? "field radio-cards field-invalid" : "field radio-cards"}
      aria-describedby={describedBy(id, hint, error)}
      disabled={disabled}
    >
      <legend>{legend}</legend>
      <Hint id={id} hint={hint} />
      <div className="radio-card-grid">
        {options.map((o) => (
          <label key={o.value} className="radio-card">
            <input
              type="radio"
              name={name}
              value={o.value}
              defaultChecked={defaultValue === o.value}
              aria-describedby={`${id}-${o.value}`}
            />
            <span className="radio-card-body">
              <span className="radio-card-label">{o.label}</span>
              <span id={`${id}-${o.value}`} className="radio-card-explanation">
                {o.explanation}
              </span>
            </span>
          </label>
        ))}
      </div>
      <ErrorText id={id} error={error} />
    </fieldset>
  );
}
