import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo, type ComponentProps, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError, TextArea } from "~/components/fields";
import { actionReasonSchema } from "~/domain/finance";
import { withFreshCode } from "~/domain/two-factor";

/**
 * The answer to the form with this intent, when the last submission was that form's: a page of
 * several forms shows each one's errors only at that form. An answer echoes the submitted fields,
 * the hidden intent among them; a notice after success is not a form's answer.
 */
export function answerTo(answer: unknown, intent: string): SubmissionResult | undefined {
  const result = answer as SubmissionResult | null | undefined;
  return result?.initialValue?.intent === intent ? result : undefined;
}

/** The reason every audited finance action asks for; it is written to the audit log. */
export function AuditReasonField({
  field,
  placeholder,
}: {
  field: ComponentProps<typeof TextArea>["field"];
  placeholder?: string;
}) {
  const { t } = useTranslation();
  return (
    <TextArea
      label={t("finance:form.reasonLabel")}
      field={field}
      rows={2}
      maxLength={500}
      required
      placeholder={placeholder}
    />
  );
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
  withCode = false,
}: {
  intent: string;
  title: string;
  button: string;
  tone?: "primary" | "secondary" | "danger";
  /** The action's last answer, whichever form it was for. */
  actionData: unknown;
  placeholder?: string;
  children?: ReactNode;
  extra?: Record<string, string>;
  /** Money moves: the form also asks for a fresh code from the authenticator app. */
  withCode?: boolean;
}) {
  const { t } = useTranslation();
  const schema = useMemo(
    () => (withCode ? withFreshCode(actionReasonSchema(t), t) : actionReasonSchema(t)),
    [t, withCode],
  );
  const [form, fields] = useForm({
    lastResult: answerTo(actionData, intent),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" {...getFormProps(form)} className="fin-action">
      <h3>{title}</h3>
      {children}
      <FormError errors={form.errors} />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <AuditReasonField field={fields.reason} placeholder={placeholder} />
      {withCode ? (
        <Field
          label={t("security:payout.codeLabel")}
          hint={t("security:payout.codeHint")}
          field={(fields as unknown as Record<"code", typeof fields.reason>).code}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={9}
          required
        />
      ) : null}
      <button type="submit" className={`button button-${tone}`} disabled={busy}>
        {busy ? t("finance:form.working") : button}
      </button>
    </Form>
  );
}
