import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { loginSchema } from "~/domain/accounts";
import { attemptLogin } from "~/services/accounts/accounts.server";
import { continueSignIn, requireAnonymous } from "~/services/accounts/auth.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("auth:login.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  // The visitor is signed out here: the cookie or Accept-Language picks the language.
  const t = requestTranslator(request, null);
  const submission = parseWithZod(await readForm(request), { schema: loginSchema(t) });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });

  const ip = clientIp(context);
  const outcome = await attemptLogin(await getDb(), { ...submission.value, ip, t });
  if (!outcome.ok) {
    const retryAfter =
      "retryAfterSeconds" in outcome ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, outcome, { headers: retryAfter, hideFields: ["password"] });
  }
  return continueSignIn({ request, userId: outcome.userId, ip, redirectTo: submission.value.redirectTo ?? "/" });
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const { t } = useTranslation();
  const schema = useMemo(() => loginSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  const signupHref = redirectTo ? `/signup?${new URLSearchParams({ redirectTo })}` : "/signup";

  return (
    <section className="auth-card" aria-labelledby="login-title">
      <h1 id="login-title">{t("auth:login.title")}</h1>
      <p className="muted">{t("auth:login.lead")}</p>
      <FormError errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label={t("auth:email")} field={fields.email} type="email" autoComplete="email" required />
        <Field
          label={t("auth:password")}
          field={fields.password}
          type="password"
          autoComplete="current-password"
          required
        />
        <p className="small">
          <Link to="/forgot-password">{t("account:forgot.link")}</Link>
        </p>
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? t("auth:login.submitting") : t("auth:login.submit")}
        </button>
      </Form>
      <p className="auth-switch">
        {t("auth:login.newHere")} <Link to={signupHref}>{t("auth:login.createAccount")}</Link>
      </p>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
