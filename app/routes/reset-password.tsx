import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { LinkProblem } from "~/components/account-ui";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { resetPasswordSchema } from "~/domain/account-forms";
import { PASSWORD_MIN } from "~/domain/accounts";
import { continueSignIn } from "~/services/accounts/auth.server";
import { checkResetToken, resetPassword } from "~/services/accounts/recovery.server";
import { clientIp } from "~/web/context";
import { linkProblemStatus } from "~/web/account-links";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:reset.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checkResetToken(await getDb(), { token });
  if (!check.ok) return json({ token: "", problem: check.problem }, { status: linkProblemStatus(check.problem) });
  return json({ token, problem: null });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = requestTranslator(request, null);
  const submission = parseWithZod(await readForm(request), { schema: resetPasswordSchema(t) });
  if (submission.status !== "success")
    return json(submission.reply({ hideFields: ["newPassword", "confirmPassword"] }), { status: 400 });
  const ip = clientIp(context);
  const outcome = await resetPassword(await getDb(), {
    token: submission.value.token,
    password: submission.value.newPassword,
    ip,
  });
  if (!outcome.ok) return json({ problem: outcome.problem }, { status: linkProblemStatus(outcome.problem) });
  // The link proved the mailbox and the new password was just chosen: sign in here (decision 014),
  // through the second step when the account has one (a mailbox alone must not pass it).
  return continueSignIn({ request, userId: outcome.userId, ip, redirectTo: "/" });
}

export default function ResetPasswordPage() {
  const { token, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const schema = useMemo(() => resetPasswordSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData && "problem" in actionData ? undefined : actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  const refused = problem ?? (actionData && "problem" in actionData ? actionData.problem : null);
  if (refused)
    return <LinkProblem problem={refused} askHref="/forgot-password" askLabel={t("account:link.askReset")} />;
  return (
    <section className="auth-card" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("account:reset.title")}</h1>
      <p className="muted">{t("account:reset.lead")}</p>
      <FormError errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="token" value={token} />
        <Field
          label={t("account:reset.newPassword")}
          field={fields.newPassword}
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={t("auth:signup.passwordHint", { min: PASSWORD_MIN })}
        />
        <Field
          label={t("account:reset.confirmPassword")}
          field={fields.confirmPassword}
          type="password"
          autoComplete="new-password"
          required
        />
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? t("account:reset.submitting") : t("account:reset.submit")}
        </button>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
