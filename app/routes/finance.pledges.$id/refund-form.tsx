import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { answerTo, AuditReasonField } from "~/components/finance/action-form";
import { AdornedField, FormError } from "~/components/fields";
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
  const schema = useMemo(() => refundFormSchema({ currency, refundable }), [currency, refundable]);
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
      <h3>Refund</h3>
      <p className="muted small">
        Up to {refundableText} can be refunded. The backer is emailed; the refund is booked and audited.
      </p>
      {/* An expired form (its request key) is the whole form's problem. */}
      <FormError errors={form.errors ?? fields.requestKey.errors} />
      <input type="hidden" name="intent" value="refund" />
      <input type="hidden" name="requestKey" value={requestKey} />
      <AdornedField
        label={`Amount (${currency.toUpperCase()})`}
        field={fields.amount}
        prefix={currency.toUpperCase()}
        inputMode="decimal"
        autoComplete="off"
        hint={
          CURRENCIES[currency].exponent === 0
            ? "Whole units; this currency has no decimals."
            : "For a partial refund, enter less than the full amount."
        }
      />
      <AuditReasonField field={fields.reason} placeholder="e.g. Reward can't ship to the backer's country" />
      <button type="submit" className="button button-danger" disabled={busy}>
        {busy ? "Refunding…" : "Issue refund"}
      </button>
    </Form>
  );
}
