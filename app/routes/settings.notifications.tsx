import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox } from "~/components/fields";
import { getDb } from "~/db.server";
import { OPTIONAL_CATEGORIES } from "~/domain/email-delivery";
import { notificationPreferencesSchema } from "~/domain/notification-form";
import { metaTranslator } from "~/i18n";
import { getNotificationPreferences, setNotificationPreferences } from "~/models/notification-preferences.server";
import { requireUser } from "~/services/accounts/auth.server";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import styles from "~/styles/creator.css";

export const links = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("mail:notifications.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ preferences: await getNotificationPreferences(await getDb(), user.id) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: notificationPreferencesSchema(t) });
  if (submission.status !== "success") return json({ ...submission.reply(), saved: false }, { status: 400 });
  await setNotificationPreferences(await getDb(), user.id, submission.value);
  return json({ ...submission.reply(), saved: true });
}

export default function NotificationSettings() {
  const { preferences } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const schema = useMemo(() => notificationPreferencesSchema(t), [t]);
  const on = (enabled: boolean) => (enabled ? "on" : undefined);
  const [form, fields] = useForm({
    lastResult: actionData,
    defaultValue: {
      updates: on(preferences.updates),
      comments: on(preferences.comments),
      reminders: on(preferences.reminders),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const submitting = useNavigation().state === "submitting";
  return (
    <div className="container narrow">
      <h1>{t("mail:notifications.title")}</h1>
      <p className="muted">{t("mail:notifications.lead")}</p>
      {actionData?.saved && (
        <p className="notice notice-success" role="status">
          {t("mail:notifications.saved")}
        </p>
      )}
      <Form method="post" {...getFormProps(form)} className="card stack">
        {OPTIONAL_CATEGORIES.map((c) => (
          <Checkbox key={c} field={fields[c]}>
            <span>
              {t(`mail:categories.${c}`)}
              <br />
              <span className="muted small">{t(`mail:categoryHints.${c}`)}</span>
            </span>
          </Checkbox>
        ))}
        <div>
          <button type="submit" className="button button-primary" disabled={submitting}>
            {t("mail:notifications.submit")}
          </button>
        </div>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
