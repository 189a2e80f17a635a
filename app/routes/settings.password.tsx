import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { passwordChangeSchema } from "~/domain/account-forms";
import { PASSWORD_MIN } from "~/domain/accounts";
import { requireUserSession } from "~/services/accounts/auth.server";
import { changePassword } from "~/services/accounts/settings.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:passwordPage.meta") }];

const HIDDEN = ["currentPassword", "newPassword", "confirmPassword"];

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, sessionIdHash } = await requireUserSession(request);
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: passwordChangeSchema(t) });
  if (submission.status !== "success") return json(submission.reply({ hideFields: HIDDEN }), { status: 400 });
  const outcome = await changePassword(await getDb(), {
    userId: user.id,
    currentPassword: submission.value.currentPassword,
    newPassword: submission.value.newPassword,
    keepSessionIdHash: sessionIdHash,
    ip: clientIp(context),
    t,
  });
  if (!outcome.ok) {
    const retryAfter =
      "retryAfterSeconds" in outcome ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, outcome, { headers: retryAfter, hideFields: HIDDEN });
  }
  return redirect("/settings/password?saved=1");
}

export default function PasswordSettingsPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const notice = searchParams.has("saved");
  const schema = useMemo(() => passwordChangeSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <section aria-labelledby="password-title">
      <h1 id="password-title">{t("account:passwordPage.title")}</h1>
      {notice ? (
        <p className="account-notice" role="status">
          {t("account:passwordPage.saved")}
        </p>
      ) : null}
      <p className="muted">{t("account:passwordPage.lead")}</p>
      <FormError errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="stack card">
        <Field
          label={t("account:passwordPage.currentPassword")}
          field={fields.currentPassword}
          type="password"
          autoComplete="current-password"
          required
        />
        <Field
          label={t("account:passwordPage.newPassword")}
          field={fields.newPassword}
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={t("auth:signup.passwordHint", { min: PASSWORD_MIN })}
        />
        <Field
          label={t("account:passwordPage.confirmPassword")}
          field={fields.confirmPassword}
          type="password"
          autoComplete="new-password"
          required
        />
        <button type="submit" className="button button-primary">
          {t("account:passwordPage.submit")}
        </button>
      </Form>
    </section>
  );
}
