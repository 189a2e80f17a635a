import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { formErrorsOf, FormError } from "~/components/fields";
import { formatDay } from "~/components/creator-ui";
import { useLocale } from "~/components/locale";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { formatMoney } from "~/domain/money";
import type { Translate } from "~/domain/locale";
import { refuse } from "~/domain/refusal";
import { listCreatorCampaignsAwaitingPayout, listCreatorPaidPayouts } from "~/models/creator-payouts.server";
import { requireUser } from "~/services/accounts/auth.server";
import { getPayoutAccount, startOnboarding } from "~/services/finance/connect.server";
import { getStripe } from "~/services/stripe/client.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";
import financeStyles from "~/styles/finance.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: financeStyles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("creator:payouts.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = requestLocale(request, user);
  const t = requestTranslator(request, user);
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
    emailVerified: user.emailVerified,
    status,
    accountId: account?.stripe_account_id ?? null,
    waiting: waiting.map((w) => ({
      id: w.id,
      title: w.title,
      state:
        w.stage !== "closed"
          ? t("creator:payouts.stage.collecting")
          : w.payout_status === "prepared" || w.payout_status === "approved"
            ? t("creator:payouts.stage.approving")
            : w.payout_status === "failed"
              ? t("creator:payouts.stage.retrying")
              : status === "ready"
                ? t("creator:payouts.stage.preparing")
                : t("creator:payouts.stage.waitingAccount"),
      amount: w.payout_amount !== null ? formatMoney(w.payout_amount, w.currency, { locale }) : null,
    })),
    paid: paid.map((p) => ({
      id: p.id,
      title: p.title,
      amount: formatMoney(p.amount, p.currency, { locale }),
      at: p.approved_at?.toISOString() ?? null,
      transfer: p.stripe_transfer_id,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  if (form.get("intent") !== "connect") return replyWithRefusal(null, refuse(400, t("creator:payouts.unknownAction")));
  try {
    const url = await startOnboarding(await getDb(), getStripe(), { user, appUrl: getConfig().appUrl });
    return redirect(url, 303);
  } catch (error) {
    console.warn(`[payouts ${user.id}] onboarding could not start: ${(error as Error).message}`);
    return replyWithRefusal(null, refuse(503, t("creator:payouts.providerDown")));
  }
}

type Status = "none" | "incomplete" | "review" | "ready";

/** The account card's words for each onboarding status; `button` is null once it is ready. */
function statusText(t: Translate, status: Status): { title: string; body: string; button: string | null } {
  switch (status) {
    case "none":
      return {
        title: t("creator:payouts.status.none.title"),
        body: t("creator:payouts.status.none.body"),
        button: t("creator:payouts.status.none.button"),
      };
    case "incomplete":
      return {
        title: t("creator:payouts.status.incomplete.title"),
        body: t("creator:payouts.status.incomplete.body"),
        button: t("creator:payouts.status.incomplete.button"),
      };
    case "review":
      return {
        title: t("creator:payouts.status.review.title"),
        body: t("creator:payouts.status.review.body"),
        button: t("creator:payouts.status.review.button"),
      };
    case "ready":
      return {
        title: t("creator:payouts.status.ready.title"),
        body: t("creator:payouts.status.ready.body"),
        button: null,
      };
  }
}

export default function CreatorPayouts() {
  const { status, accountId, waiting, paid, emailVerified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const locale = useLocale();
  const text = statusText(t, status as Status);
  return (
    <div className="container creator-page narrow">
      <nav aria-label={t("creator:payouts.breadcrumb")} className="breadcrumb">
        <Link to="/creator">{t("creator:common.yourCampaigns")}</Link>
      </nav>
      <h1>{t("creator:payouts.title")}</h1>
      {emailVerified ? null : (
        <p className="fin-notice fin-notice-warn" role="alert">
          {t("account:payouts.unverified")} <Link to="/settings/email">{t("account:nav.email")}</Link>
        </p>
      )}
      {params.get("connected") === "1" && status === "ready" ? (
        <p className="fin-notice fin-notice-success" role="status">
          {t("creator:payouts.connected")}
        </p>
      ) : null}
      {waiting.length > 0 && status !== "ready" ? (
        <div className="fin-notice fin-notice-warn" role="alert">
          {t("creator:payouts.waitingNotice", {
            count: waiting.length,
            titles: waiting.map((w) => w.title).join(", "),
          })}
        </div>
      ) : null}
      <FormError errors={formErrorsOf(actionData)} />
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title">{text.title}</h2>
        <p className="muted">{text.body}</p>
        {accountId ? (
          <p className="small muted">
            <Trans i18nKey="creator:payouts.stripeAccount" values={{ id: accountId }} components={{ code: <code /> }} />
          </p>
        ) : null}
        {text.button ? (
          <Form method="post">
            <input type="hidden" name="intent" value="connect" />
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? t("creator:payouts.opening") : text.button}
            </button>
          </Form>
        ) : null}
      </section>
      {waiting.length > 0 ? (
        <section className="card" aria-labelledby="waiting-title" style={{ marginTop: 20 }}>
          <h2 id="waiting-title">{t("creator:payouts.waitingTitle")}</h2>
          <ul>
            {waiting.map((w) => (
              <li key={w.id}>
                <Trans
                  i18nKey={w.amount ? "creator:payouts.waitingItemAmount" : "creator:payouts.waitingItem"}
                  values={{ title: w.title, state: w.state, amount: w.amount }}
                  components={{ strong: <strong /> }}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {paid.length > 0 ? (
        <section className="card" aria-labelledby="paid-title" style={{ marginTop: 20 }}>
          <h2 id="paid-title">{t("creator:payouts.paidTitle")}</h2>
          <ul>
            {paid.map((p) => (
              <li key={p.id}>
                <Trans
                  i18nKey={p.at ? "creator:payouts.paidItemOn" : "creator:payouts.paidItem"}
                  values={{ title: p.title, amount: p.amount, date: p.at ? formatDay(p.at, locale) : "" }}
                  components={{ strong: <strong /> }}
                />{" "}
                <span className="muted small">{t("creator:payouts.transfer", { id: p.transfer ?? "—" })}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
