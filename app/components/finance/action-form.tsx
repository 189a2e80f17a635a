import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useSchemaValidation, FormError } from "~/components/forms";
import { TextArea } from "~/components/form-controls";
import { actionReasonSchema } from "~/domain/finance";
import type { FieldErrors } from "~/web/forms";

export interface FinanceActionData {
  intent?: string;
  fieldErrors?: FieldErrors;
  formError?: string;
  values?: Record<string, string>;
  notice?: string;
}

/**
 * One audited finance action: a reason (it goes in the audit log) and a button. Errors show at
 * the field and what was typed is kept; only the form that was submitted shows them.
 */
export function ReasonActionForm({
  intent,
  title,
  button,
  tone = "primary",
  actionData,
  placeholder,
  children,
  extra,
}: {
  intent: string;
  title: string;
  button: string;
  tone?: "primary" | "secondary" | "danger";
  actionData: FinanceActionData | undefined;
  placeholder?: string;
  children?: ReactNode;
  extra?: Record<string, string>;
}) {
  const mine = actionData?.intent === intent ? actionData : undefined;
  const { errors, onSubmit } = useSchemaValidation(actionReasonSchema, mine?.fieldErrors);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="fin-action">
      <h3>{title}</h3>
      {children}
      <FormError message={mine?.formError} />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <TextArea
        label="Reason (for the audit log)"
        name="reason"
        rows={2}
        maxLength={500}
        required
        defaultValue={mine?.values?.reason}
        placeholder={placeholder}
        error={errors.reason}
      />
      <button type="submit" className={`button button-${tone}`} disabled={busy}>
        {busy ? "Working…" : button}
      </button>
    </Form>
  );
}
