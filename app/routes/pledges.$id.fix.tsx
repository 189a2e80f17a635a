import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/fields";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { formatMoney } from "~/domain/money";
import { formatDeadline } from "~/domain/time";
import { requireUser } from "~/services/accounts/auth.server";
import { getFixablePledge, startFixPayment } from "~/services/settlement/fix-payment.server";
import { getStripe } from "~/services/stripe/client.server";
import { requestLocale } from "~/web/locale.server";
import { notFound } from "~/web/responses";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Fix your payment to ${data.pledge.campaignTitle} · Colecta` : "Fix your payment · Colecta" },
];

// The link in the "payment failed" email: explains the decline and opens Stripe Checkout to pay
// the pledge with the same or another card (3-D Secure included).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pledge = await getFixablePledge(await getDb(), { pledgeId: params.id ?? "", backerId: user.id });
  if (!pledge) notFound("Pledge not found.");
  return json({
    pledge: {
      id: pledge.id,
      fixable: pledge.state === "errored" && !pledge.settlementClosed,
      state: pledge.state,
      amount: formatMoney(pledge.amount, pledge.currency),
      reason: pledge.lastChargeError,
      card: pledge.cardLast4 ? `${(pledge.cardBrand ?? "card").toUpperCase()} •••• ${pledge.cardLast4}` : null,
      campaignTitle: pledge.campaignTitle,
      campaignSlug: pledge.campaignSlug,
      graceEndsAt: pledge.graceEndsAt ? formatDeadline(pledge.graceEndsAt) : null,
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
  return (
    <div className="container narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/me/pledges/${pledge.id}`}>← Your pledge</Link>
      </nav>
      <h1>Fix your payment to {pledge.campaignTitle}</h1>
      {pledge.fixable ? (
        <>
          <p className="lead">
            {pledge.campaignTitle} is funded, but we could not charge {pledge.amount}
            {pledge.card ? ` to your ${pledge.card}` : ""}.
          </p>
          {pledge.reason ? (
            <p className="notice" role="status">
              Your bank said: {pledge.reason}
            </p>
          ) : null}
          <p>
            Pay on Stripe's secure page, with the same card (if your bank needs you to confirm the payment) or another
            one.
            {pledge.graceEndsAt
              ? ` If the payment is not completed by ${pledge.graceEndsAt}, your pledge is cancelled and its reward released.`
              : ""}
          </p>
          <FormError errors={actionData?.formError ? [actionData.formError] : undefined} />
          <Form method="post">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? "Opening the payment page…" : `Pay ${pledge.amount}`}
            </button>
          </Form>
        </>
      ) : (
        <p className="lead">
          {pledge.state === "collected"
            ? "This pledge is paid. Thank you!"
            : "There is no failed payment to fix on this pledge."}{" "}
          <Link to={`/me/pledges/${pledge.id}`}>See your pledge</Link>.
        </p>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
