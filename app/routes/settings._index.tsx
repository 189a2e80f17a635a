import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError, Select } from "~/components/fields";
import { getDb } from "~/db.server";
import { profileSchema } from "~/domain/account-forms";
import { LOCALE_NAMES, LOCALES } from "~/domain/locale";
import { requireUser } from "~/services/accounts/auth.server";
import { saveProfile } from "~/services/accounts/settings.server";
import { clientIp } from "~/web/context";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:profile.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ name: user.name, locale: requestLocale(request, user) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: profileSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  await saveProfile(await getDb(), { userId: user.id, ...submission.value, ip: clientIp(context) });
  return redirect("/settings?saved=1");
}

export default function ProfileSettingsPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const notice = searchParams.has("saved");
  const schema = useMemo(() => profileSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    defaultValue: { name: data.name, locale: data.locale },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  return (
    <section aria-labelledby="profile-title">
      <h1 id="profile-title">{t("account:profile.title")}</h1>
      {notice ? (
        <p className="account-notice" role="status">
          {t("account:profile.saved")}
        </p>
      ) : null}
      <p className="muted">{t("account:profile.lead")}</p>
      <FormError errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="stack card">
        <Field label={t("account:profile.name")} field={fields.name} autoComplete="name" required maxLength={100} />
        <Select
          label={t("account:profile.language")}
          field={fields.locale}
          hint={t("account:profile.languageHint")}
          options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
        />
        <button type="submit" className="button button-primary">
          {t("account:profile.submit")}
        </button>
      </Form>
    </section>
  );
}
