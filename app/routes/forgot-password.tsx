import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { forgotPasswordSchema } from "~/domain/account-forms";
import { requestPasswordReset } from "~/services/accounts/recovery.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { askedLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";
import accountStyles from "~/styles/account.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: accountStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:forgot.meta") }];

export async function loader(_: LoaderFunctionArgs) {
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = requestTranslator(request, null);
  const submission = parseWithZod(await readForm(request), { schema: forgotPasswordSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const outcome = await requestPasswordReset(await getDb(), {
    email: submission.value.email,
    ip: clientIp(context),
    t,
    requestLocale: askedLocale(request),
  });
  if (!outcome.ok)
    return replyWithRefusal(submission, outcome, { headers: { "Retry-After": String(outcome.retryAfterSeconds) } });
  // The same answer for every address: the page says a link is on its way "if an account uses it".
  return redirect("/forgot-password?sent=1");
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const notice = searchParams.has("sent");
  const schema = useMemo(() => forgotPasswordSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  return (
    <section className="auth-card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t("account:forgot.title")}</h1>
      {notice ? (
        <p className="account-notice" role="status">
          {t("account:forgot.sent")}
        </p>
      ) : (
        <p className="muted">{t("account:forgot.lead")}</p>
      )}
      <FormError errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="stack">
        <Field label={t("auth:email")} field={fields.email} type="email" autoComplete="email" required />
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? t("account:forgot.submitting") : t("account:forgot.submit")}
        </button>
      </Form>
      <p className="auth-switch">
        <Link to="/login">{t("account:forgot.backToLogin")}</Link>
      </p>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
