import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { answerTo, AuditReasonField } from "~/components/finance/action-form";
import { AdornedField, FormError } from "~/components/fields";
import { useLocale } from "~/components/locale";
import { refundFormSchema } from "~/domain/finance";
import { CURRENCIES } from "~/domain/money";
import type { CurrencyCode } from "../../../db/schema.js";

/** The finance pledge page's refund form: amount (up to what is refundable) and a reason. */
export function RefundForm({
  currency,
  refundable,
  refundableText,
  refundableInput,
  requestKey,
  actionData,
}: {
  currency: CurrencyCode;
  refundable: number;
  refundableText: string;
  refundableInput: string;
  requestKey: string;
  /** The action's last answer, whichever form it was for. */
  actionData: unknown;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(
    () => refundFormSchema(t, locale, { currency, refundable }),
    [t, locale, currency, refundable],
  );
  const [form, fields] = useForm({
    defaultValue: { amount: refundableInput },
    lastResult: answerTo(actionData, "refund"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "refund";
  return (
    <Form method="post" {...getFormProps(form)} className="fin-action">
      <h3>{t("finance:refund.title")}</h3>
      <p className="muted small">{t("finance:refund.lead", { amount: refundableText })}</p>
      {/* An expired form (its request key) is the whole form's problem. */}
      <FormError errors={form.errors ?? fields.requestKey.errors} />
      <input type="hidden" name="intent" value="refund" />
      <input type="hidden" name="requestKey" value={requestKey} />
      <AdornedField
        label={t("finance:refund.amountLabel", { currency: currency.toUpperCase() })}
        field={fields.amount}
        prefix={currency.toUpperCase()}
        inputMode="decimal"
        autoComplete="off"
        hint={CURRENCIES[currency].exponent === 0 ? t("finance:refund.hintWhole") : t("finance:refund.hintPartial")}
      />
      <AuditReasonField field={fields.reason} placeholder={t("finance:refund.placeholder")} />
      <button type="submit" className="button button-danger" disabled={busy}>
        {busy ? t("finance:refund.submitting") : t("finance:refund.submit")}
      </button>
    </Form>
  );
}
