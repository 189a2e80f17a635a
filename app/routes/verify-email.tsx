import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LinkProblem } from "~/components/account-ui";
import { FormError, formErrorsOf } from "~/components/fields";
import { getDb } from "~/db.server";
import { checkAccountToken } from "~/models/account-token.server";
import { getOptionalUser } from "~/services/accounts/auth.server";
import { resendVerification, verifyEmail } from "~/services/accounts/verification.server";
import { linkProblemStatus } from "~/web/account-links";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:verify.meta") }];

// Opening the link shows a button; only the button's POST spends it, so a mail scanner that
// fetches every link cannot use it up before its owner clicks.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checkAccountToken(await getDb(), { token, purpose: "verify_email" });
  if (!check.ok) return json({ token: "", problem: check.problem }, { status: linkProblemStatus(check.problem) });
  return json({ token, problem: null });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ip = clientIp(context);
  const db = await getDb();
  if (form.get("intent") === "resend") {
    const user = await getOptionalUser(request);
    const t = requestTranslator(request, user);
    if (!user) return json({ sent: false, verified: false, problem: null, signIn: true }, { status: 401 });
    const outcome = await resendVerification(db, { userId: user.id, ip, t });
    if (!outcome.ok)
      return replyWithRefusal(null, outcome, { headers: { "Retry-After": String(outcome.retryAfterSeconds) } });
    return json({ sent: !outcome.alreadyVerified, verified: outcome.alreadyVerified, problem: null, signIn: false });
  }
  const token = String(form.get("token") ?? "").slice(0, 200);
  const outcome = await verifyEmail(db, { token, ip });
  if (!outcome.ok)
    return json(
      { sent: false, verified: false, problem: outcome.problem, signIn: false },
      { status: linkProblemStatus(outcome.problem) },
    );
  return json({ sent: false, verified: true, problem: null, signIn: false });
}

export default function VerifyEmailPage() {
  const { token, problem } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const done = answer && "verified" in answer ? answer : null;
  const refused = done?.problem ?? (done ? null : problem);
  if (refused)
    return <LinkProblem problem={refused} askHref="/settings/email" askLabel={t("account:link.askVerify")} />;
  if (done?.verified)
    return (
      <section className="auth-card" aria-labelledby="verify-title">
        <h1 id="verify-title">{t("account:verify.doneTitle")}</h1>
        <p className="muted">{t("account:verify.doneBody")}</p>
        <Link to="/" className="button button-primary">
          {t("account:verify.continue")}
        </Link>
      </section>
    );
  return (
    <section className="auth-card" aria-labelledby="verify-title">
      <h1 id="verify-title">{t("account:verify.title")}</h1>
      <FormError errors={formErrorsOf(answer)} />
      {done?.sent ? <p role="status">{t("account:verify.resent", { email: "" }).trim()}</p> : null}
      {done?.signIn ? <p role="status">{t("account:verify.signInToResend")}</p> : null}
      <p className="muted">{t("account:verify.lead")}</p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="button button-primary button-block">
          {t("account:verify.submit")}
        </button>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
