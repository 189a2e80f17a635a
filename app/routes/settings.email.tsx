import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { emailChangeSchema } from "~/domain/account-forms";
import { requireUser } from "~/services/accounts/auth.server";
import { requestEmailChange } from "~/services/accounts/settings.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:emailPage.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ email: user.email, verified: user.emailVerified });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: emailChangeSchema(t) });
  if (submission.status !== "success")
    return json(submission.reply({ hideFields: ["currentPassword"] }), { status: 400 });
  const outcome = await requestEmailChange(await getDb(), {
    userId: user.id,
    ...submission.value,
    ip: clientIp(context),
    t,
    requestLocale: requestLocale(request, user),
  });
  if (!outcome.ok) {
    const retryAfter =
      "retryAfterSeconds" in outcome ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, outcome, { headers: retryAfter, hideFields: ["currentPassword"] });
  }
  return redirect(`/settings/email?${new URLSearchParams({ sent: submission.value.newEmail })}`);
}

export default function EmailSettingsPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const sentTo = searchParams.get("sent");
  const { t } = useTranslation();
  const schema = useMemo(() => emailChangeSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <section aria-labelledby="email-title">
      <h1 id="email-title">{t("account:emailPage.title")}</h1>
      {sentTo ? (
        <p className="account-notice" role="status">
          {t("account:emailPage.sent", { email: sentTo })}
        </p>
      ) : null}
      <p>
        {t("account:emailPage.current", { email: data.email })}{" "}
        <strong>{data.verified ? t("account:emailPage.verified") : t("account:emailPage.unverified")}</strong>
      </p>
      <p className="muted">{t("account:emailPage.lead")}</p>
      <FormError errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="stack card">
        <Field
          label={t("account:emailPage.newEmail")}
          field={fields.newEmail}
          type="email"
          autoComplete="email"
          required
        />
        <Field
          label={t("account:emailPage.currentPassword")}
          field={fields.currentPassword}
          type="password"
          autoComplete="current-password"
          required
        />
        <button type="submit" className="button button-primary">
          {t("account:emailPage.submit")}
        </button>
      </Form>
    </section>
  );
}
