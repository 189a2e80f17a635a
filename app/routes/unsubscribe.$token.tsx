import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { metaTranslator } from "~/i18n";
import { unsubscribeWithToken } from "~/services/email/unsubscribe-actions.server";
import { readUnsubscribeToken } from "~/services/email/unsubscribe.server";
import { clientIp } from "~/web/context";
import styles from "~/styles/pledges.css";

export const links = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => [
  { title: metaTranslator(matches)("mail:unsubscribe.meta") },
  { name: "robots", content: "noindex" },
];

// The unsubscribe page: GET asks, the form's POST turns the category off (no sign-in: the
// signed token names the user). Mail providers' one-click POSTs go to ./one-click instead.
export async function loader({ params }: LoaderFunctionArgs) {
  const target = readUnsubscribeToken(params.token ?? "");
  return json({ category: target?.category ?? null }, { status: target ? 200 : 404 });
}

export async function action({ params, context }: ActionFunctionArgs) {
  const outcome = await unsubscribeWithToken(await getDb(), { token: params.token ?? "", ip: clientIp(context) });
  const status = outcome.ok ? 200 : outcome.reason === "invalid" ? 404 : 429;
  const headers: Record<string, string> =
    !outcome.ok && outcome.reason === "rateLimited" ? { "Retry-After": String(outcome.retryAfterSeconds) } : {};
  return json(
    outcome.ok ? { done: true as const, category: outcome.category } : { done: false as const, reason: outcome.reason },
    { status, headers },
  );
}

export default function Unsubscribe() {
  const { category } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const label = category ? t(`mail:categories.${category}`) : "";
  return (
    <div className="container narrow">
      <div className="card stack">
        {!category || (result && !result.done && result.reason === "invalid") ? (
          <p>{t("mail:unsubscribe.invalid")}</p>
        ) : result?.done ? (
          <>
            <h1>{t("mail:unsubscribe.done", { category: label })}</h1>
          </>
        ) : (
          <>
            <h1>{t("mail:unsubscribe.title")}</h1>
            <p>{t("mail:unsubscribe.lead", { category: label })}</p>
            {result && !result.done && <p role="alert">{t("mail:unsubscribe.tooMany")}</p>}
            <Form method="post">
              <button type="submit" className="button button-primary">
                {t("mail:unsubscribe.submit")}
              </button>
            </Form>
          </>
        )}
        <p>
          <Link to="/settings/notifications">{t("mail:unsubscribe.manage")}</Link>
        </p>
      </div>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
