import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { metaTranslator } from "~/i18n";
import { endUserSession, getOptionalUser } from "~/services/accounts/auth.server";
import { clientIp } from "~/web/context";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("backer:logout.meta") }];

// Signing out changes state, so it happens only on POST; a GET shows a confirmation instead.
export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await getOptionalUser(request))) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  return endUserSession(request, clientIp(context));
}

export default function LogoutPage() {
  const { t } = useTranslation();
  return (
    <section className="auth-card" aria-labelledby="logout-title">
      <h1 id="logout-title">{t("backer:logout.title")}</h1>
      <p className="muted">{t("backer:logout.lead")}</p>
      <Form method="post">
        <button type="submit" className="button button-primary button-block">
          {t("backer:logout.submit")}
        </button>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
