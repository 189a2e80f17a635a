import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LinkProblem } from "~/components/account-ui";
import { getDb } from "~/db.server";
import { checkAccountToken } from "~/models/account-token.server";
import { confirmEmailChange } from "~/services/accounts/settings.server";
import { linkProblemStatus } from "~/web/account-links";
import { clientIp } from "~/web/context";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:emailPage.meta") }];

// The link sent to a new address. As for verification, opening it shows a button and only the
// POST spends it (mail scanners fetch links).
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checkAccountToken(await getDb(), { token, purpose: "change_email" });
  if (!check.ok) return json({ token: "", problem: check.problem }, { status: linkProblemStatus(check.problem) });
  return json({ token, problem: null });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = String((await readForm(request)).get("token") ?? "").slice(0, 200);
  const outcome = await confirmEmailChange(await getDb(), { token, ip: clientIp(context) });
  if (!outcome.ok)
    return json({ problem: outcome.problem, email: null }, { status: linkProblemStatus(outcome.problem) });
  return json({ problem: null, email: outcome.email });
}

export default function ConfirmEmailPage() {
  const { token, problem } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const refused = answer ? answer.problem : problem;
  if (refused)
    return <LinkProblem problem={refused} askHref="/settings/email" askLabel={t("account:link.askChange")} />;
  if (answer?.email)
    return (
      <section className="auth-card" aria-labelledby="confirm-title">
        <h1 id="confirm-title">{t("account:emailPage.changedTitle")}</h1>
        <p className="muted">{t("account:emailPage.changedBody", { email: answer.email })}</p>
        <Link to="/" className="button button-primary">
          {t("account:verify.continue")}
        </Link>
      </section>
    );
  return (
    <section className="auth-card" aria-labelledby="confirm-title">
      <h1 id="confirm-title">{t("account:emailPage.confirmTitle")}</h1>
      <p className="muted">{t("account:emailPage.confirmLead")}</p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="button button-primary button-block">
          {t("account:emailPage.confirmSubmit")}
        </button>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
