import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { deleteAccountSchema } from "~/domain/account-forms";
import { requireUser, endUserSession } from "~/services/accounts/auth.server";
import { accountDeletionBlockers, deleteAccount, describeBlockers } from "~/services/accounts/deletion.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:delete.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const blockers = await accountDeletionBlockers(await getDb(), { userId: user.id });
  return json({ blockers: describeBlockers(t, blockers) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: deleteAccountSchema(t) });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const ip = clientIp(context);
  const outcome = await deleteAccount(await getDb(), { userId: user.id, password: submission.value.password, ip, t });
  if (!outcome.ok) {
    const retryAfter =
      "retryAfterSeconds" in outcome ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, outcome, { headers: retryAfter, hideFields: ["password"] });
  }
  // The session row is gone already; this clears the cookie and leaves the site.
  const out = await endUserSession(request, ip);
  return redirect("/?deleted=1", { headers: out.headers });
}

export default function DeleteAccountPage() {
  const { blockers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const schema = useMemo(() => deleteAccountSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
  });
  return (
    <section aria-labelledby="delete-title">
      <h1 id="delete-title">{t("account:delete.title")}</h1>
      <p className="muted">{t("account:delete.lead")}</p>
      {blockers.length > 0 ? (
        <div className="card danger-zone" role="status">
          <h2>{t("account:delete.blockedTitle")}</h2>
          <p>{t("account:delete.refused")}</p>
          <ul>
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <FormError errors={form.errors} />
          <Form method="post" {...getFormProps(form)} className="stack card danger-zone">
            <Field
              label={t("account:delete.password")}
              field={fields.password}
              type="password"
              autoComplete="current-password"
              required
            />
            <button type="submit" className="button button-danger">
              {t("account:delete.submit")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
