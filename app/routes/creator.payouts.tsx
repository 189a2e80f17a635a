import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { formErrorsOf, FormError } from "~/components/fields";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { formatMoney } from "~/domain/money";
import { refuse } from "~/domain/refusal";
import { listCreatorCampaignsAwaitingPayout, listCreatorPaidPayouts } from "~/models/creator-payouts.server";
import { requireUser } from "~/services/accounts/auth.server";
import { getPayoutAccount, startOnboarding } from "~/services/finance/connect.server";
import { getStripe } from "~/services/stripe/client.server";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";
import financeStyles from "~/styles/finance.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: financeStyles }];

export const meta: MetaFunction = () => [{ title: "Payouts · Colecta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  const [account, waiting, paid] = await Promise.all([
    getPayoutAccount(db, { userId: user.id }),
    listCreatorCampaignsAwaitingPayout(db, { creatorId: user.id }),
    listCreatorPaidPayouts(db, { creatorId: user.id }),
  ]);
  const status = !account
    ? "none"
    : account.payouts_enabled
      ? "ready"
      : account.details_submitted
        ? "review"
        : "incomplete";
  return json({
    status,
    accountId: account?.stripe_account_id ?? null,
    waiting: waiting.map((w) => ({
      id: w.id,
      title: w.title,
      state:
        w.stage !== "closed"
          ? "Still collecting payments"
          : w.payout_status === "prepared" || w.payout_status === "approved"
            ? "Payout being approved by our finance team"
            : w.payout_status === "failed"
              ? "Transfer being retried"
              : status === "ready"
                ? "Payout being prepared"
                : "Waiting for your payout account",
      amount: w.payout_amount !== null ? formatMoney(w.payout_amount, w.currency) : null,
    })),
    paid: paid.map((p) => ({
      id: p.id,
      title: p.title,
      amount: formatMoney(p.amount, p.currency),
      at: p.approved_at?.toISOString() ?? null,
      transfer: p.stripe_transfer_id,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  if (form.get("intent") !== "connect") return replyWithRefusal(null, refuse(400, "Unknown action."));
  try {
    const url = await startOnboarding(await getDb(), getStripe(), { user, appUrl: getConfig().appUrl });
    return redirect(url, 303);
  } catch (error) {
    console.warn(`[payouts ${user.id}] onboarding could not start: ${(error as Error).message}`);
    return replyWithRefusal(
      null,
      refuse(503, "We couldn't reach our payment provider to start onboarding. Please try again in a moment."),
    );
  }
}

const STATUS_TEXT: Record<string, { title: string; body: string; button: string | null }> = {
  none: {
    title: "No payout account yet",
    body: "Connect a payout account so we can send you the money your funded campaigns raise. It takes a few minutes on Stripe's secure page.",
    button: "Connect payout account",
  },
  incomplete: {
    title: "Onboarding not finished",
    body: "Your payout account exists but Stripe still needs a few details before it can receive payouts.",
    button: "Continue onboarding",
  },
  review: {
    title: "Details submitted",
    body: "Stripe has your details and is still enabling payouts on your account. This page updates when it's done.",
    button: "Review details on Stripe",
  },
  ready: {
    title: "Ready to receive payouts",
    body: "Your payout account is connected and can receive payouts.",
    button: null,
  },
};

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default function CreatorPayouts() {
  const { status, accountId, waiting, paid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const text = STATUS_TEXT[status]!;
  return (
    <div className="container creator-page narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/creator">Your campaigns</Link>
      </nav>
      <h1>Payouts</h1>
      {params.get("connected") === "1" && status === "ready" ? (
        <p className="fin-notice fin-notice-success" role="status">
          Your payout account is connected.
        </p>
      ) : null}
      {waiting.length > 0 && status !== "ready" ? (
        <div className="fin-notice fin-notice-warn" role="alert">
          {waiting.length === 1 ? "A funded campaign is" : `${waiting.length} funded campaigns are`} waiting for your
          payout account: {waiting.map((w) => w.title).join(", ")}. Connect it to get paid.
        </div>
      ) : null}
      <FormError errors={formErrorsOf(actionData)} />
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title">{text.title}</h2>
        <p className="muted">{text.body}</p>
        {accountId ? (
          <p className="small muted">
            Stripe account <code>{accountId}</code>
          </p>
        ) : null}
        {text.button ? (
          <Form method="post">
            <input type="hidden" name="intent" value="connect" />
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? "Opening Stripe…" : text.button}
            </button>
          </Form>
        ) : null}
      </section>
      {waiting.length > 0 ? (
        <section className="card" aria-labelledby="waiting-title" style={{ marginTop: 20 }}>
          <h2 id="waiting-title">Funded campaigns waiting for payout</h2>
          <ul>
            {waiting.map((w) => (
              <li key={w.id}>
                <strong>{w.title}</strong> — {w.state}
                {w.amount ? ` (${w.amount})` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {paid.length > 0 ? (
        <section className="card" aria-labelledby="paid-title" style={{ marginTop: 20 }}>
          <h2 id="paid-title">Paid</h2>
          <ul>
            {paid.map((p) => (
              <li key={p.id}>
                <strong>{p.title}</strong> — {p.amount}
                {p.at ? ` on ${day.format(new Date(p.at))}` : ""}{" "}
                <span className="muted small">(transfer {p.transfer ?? "—"})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
