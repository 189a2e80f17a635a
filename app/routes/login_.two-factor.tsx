import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { refuse } from "~/domain/refusal";
import { secondStepSchema } from "~/domain/two-factor";
import { metaTranslator } from "~/i18n";
import { completeSecondStep, getOptionalUser, getSecondStepSubject } from "~/services/accounts/auth.server";
import { verifySecondFactor } from "~/services/security/two-factor.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("security:meta.secondStep") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const subject = await getSecondStepSubject(request);
  return json({ mode: subject?.kind ?? "expired" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = requestTranslator(request, await getOptionalUser(request));
  const submission = parseWithZod(await readForm(request), { schema: secondStepSchema(t) });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["code"] }), { status: 400 });
  const subject = await getSecondStepSubject(request);
  if (!subject)
    return replyWithRefusal(submission, refuse(400, t("security:secondStep.expired")), { hideFields: ["code"] });

  const ip = clientIp(context);
  const outcome = await verifySecondFactor(await getDb(), {
    userId: subject.userId,
    code: submission.value.code,
    ip,
    t,
  });
  if (!outcome.ok) {
    const retryAfter =
      "retryAfterSeconds" in outcome ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, outcome, { headers: retryAfter, hideFields: ["code"] });
  }
  return completeSecondStep(request, { subject, ip, redirectTo: submission.value.redirectTo ?? "/" });
}

export default function SecondStepPage() {
  const { mode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const { t } = useTranslation();
  const schema = useMemo(() => secondStepSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";

  return (
    <section className="auth-card" aria-labelledby="second-step-title">
      <h1 id="second-step-title">{t("security:secondStep.title")}</h1>
      {mode === "expired" ? (
        <>
          <p className="muted">{t("security:secondStep.expired")}</p>
          <Link to="/login" className="button button-primary button-block">
            {t("security:secondStep.startAgain")}
          </Link>
        </>
      ) : (
        <>
          <p className="muted">
            {mode === "step-up" ? t("security:secondStep.stepUpLead") : t("security:secondStep.lead")}
          </p>
          <FormError errors={form.errors} />
          <Form method="post" {...getFormProps(form)} className="stack">
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <Field
              label={t("security:secondStep.codeLabel")}
              hint={t("security:secondStep.codeHint")}
              field={fields.code}
              autoComplete="one-time-code"
              inputMode="text"
              required
            />
            <button type="submit" className="button button-primary button-block" disabled={submitting}>
              {submitting ? t("security:secondStep.submitting") : t("security:secondStep.submit")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
