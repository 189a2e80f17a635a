import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { PASSWORD_MIN, signupSchema } from "~/domain/accounts";
import { requireAnonymous, startUserSession } from "~/services/accounts/auth.server";
import { signUp } from "~/services/accounts/accounts.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { askedLocale, requestLocale } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator, translatorFor } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("auth:signup.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  // The visitor is signed out here: the cookie or Accept-Language picks the language.
  const locale = requestLocale(request, null);
  const t = translatorFor(locale);
  const submission = parseWithZod(await readForm(request), { schema: signupSchema(t) });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });

  const ip = clientIp(context);
  const outcome = await signUp(await getDb(), { ...submission.value, ip, t, locale: askedLocale(request) });
  if (!outcome.ok) {
    const retryAfter =
      "retryAfterSeconds" in outcome ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, outcome, { headers: retryAfter, hideFields: ["password"] });
  }
  return startUserSession({ request, userId: outcome.userId, ip, redirectTo: submission.value.redirectTo ?? "/" });
}

export default function SignupPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const { t } = useTranslation();
  const schema = useMemo(() => signupSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  const loginHref = redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : "/login";

  return (
    <section className="auth-card" aria-labelledby="signup-title">
      <h1 id="signup-title">{t("auth:signup.title")}</h1>
      <p className="muted">{t("auth:signup.lead")}</p>
      <FormError errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label={t("auth:name")} field={fields.name} autoComplete="name" required maxLength={100} />
        <Field label={t("auth:email")} field={fields.email} type="email" autoComplete="email" required />
        <Field
          label={t("auth:password")}
          field={fields.password}
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={t("auth:signup.passwordHint", { min: PASSWORD_MIN })}
        />
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? t("auth:signup.submitting") : t("auth:signup.submit")}
        </button>
      </Form>
      <p className="auth-switch">
        {t("auth:signup.haveAccount")} <Link to={loginHref}>{t("auth:signup.signIn")}</Link>
      </p>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
