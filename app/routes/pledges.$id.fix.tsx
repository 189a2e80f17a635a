import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { FormError } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { metaTranslator } from "~/i18n";
import { requireUser } from "~/services/accounts/auth.server";
import { getFixablePledge, startFixPayment } from "~/services/settlement/fix-payment.server";
import { getStripe } from "~/services/stripe/client.server";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { notFound } from "~/web/responses";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [{ title: data ? t("backer:fix.meta", { title: data.pledge.campaignTitle }) : t("backer:fix.metaFallback") }];
};

// The link in the "payment failed" email: explains the decline and opens Stripe Checkout to pay
// the pledge with the same or another card (3-D Secure included).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pledge = await getFixablePledge(await getDb(), { pledgeId: params.id ?? "", backerId: user.id });
  if (!pledge) notFound(requestTranslator(request, user)("backer:refusal.notFound"));
  // Amounts and dates go out raw: the page formats them in its language.
  return json({
    pledge: {
      id: pledge.id,
      fixable: pledge.state === "errored" && !pledge.settlementClosed,
      state: pledge.state,
      amount: pledge.amount,
      currency: pledge.currency,
      reason: pledge.lastChargeError,
      cardBrand: pledge.cardLast4 ? pledge.cardBrand : null,
      cardLast4: pledge.cardLast4,
      campaignTitle: pledge.campaignTitle,
      campaignSlug: pledge.campaignSlug,
      graceEndsAt: pledge.graceEndsAt ? pledge.graceEndsAt.toISOString() : null,
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const result = await startFixPayment(await getDb(), getStripe(), {
    pledgeId: params.id ?? "",
    backerId: user.id,
    appUrl: getConfig().appUrl,
    locale: requestLocale(request, user),
  });
  if (!result.ok) {
    if (result.status === 404) notFound(result.formError);
    return json({ formError: result.formError }, { status: result.status });
  }
  return redirect(result.url, 303);
}

export default function FixPayment() {
  const { pledge } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const f = useFormat();
  const amount = f.money(pledge.amount, pledge.currency);
  const card = pledge.cardLast4
    ? t("backer:card", { brand: (pledge.cardBrand ?? t("backer:cardBrand")).toUpperCase(), last4: pledge.cardLast4 })
    : null;
  const seePledge = { link: <Link to={`/me/pledges/${pledge.id}`} /> };
  return (
    <div className="container narrow">
      <nav aria-label={t("backer:pledge.breadcrumb")} className="breadcrumb">
        <Link to={`/me/pledges/${pledge.id}`}>{t("backer:fix.back")}</Link>
      </nav>
      <h1>{t("backer:fix.title", { title: pledge.campaignTitle })}</h1>
      {pledge.fixable ? (
        <>
          <p className="lead">
            {card
              ? t("backer:fix.couldNotChargeCard", { title: pledge.campaignTitle, amount, card })
              : t("backer:fix.couldNotCharge", { title: pledge.campaignTitle, amount })}
          </p>
          {pledge.reason ? (
            <p className="notice" role="status">
              {t("backer:fix.bankSaid", { reason: pledge.reason })}
            </p>
          ) : null}
          <p>
            {t("backer:fix.payOnStripe")}
            {pledge.graceEndsAt ? ` ${t("backer:fix.graceEnds", { date: f.deadline(pledge.graceEndsAt) })}` : null}
          </p>
          <FormError errors={actionData?.formError ? [actionData.formError] : undefined} />
          <Form method="post">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? t("backer:fix.opening") : t("backer:fix.pay", { amount })}
            </button>
          </Form>
        </>
      ) : (
        <p className="lead">
          {pledge.state === "collected" ? (
            <Trans i18nKey="backer:fix.paid" components={seePledge} />
          ) : (
            <Trans i18nKey="backer:fix.nothingToFix" components={seePledge} />
          )}
        </p>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
