import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";
import { getDb } from "~/db.server";
import { pledgeNextStep, pledgeStateLabel } from "~/domain/backer-pledges";
import { metaTranslator } from "~/i18n";
import { listPledgesForBacker } from "~/models/pledge.server";
import { requireUser } from "~/services/accounts/auth.server";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("backer:list.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pledges = await listPledgesForBacker(await getDb(), { backerId: user.id });
  // Amounts and dates go out raw: the page formats them in its language.
  return json({
    pledges: pledges
      .filter((p) => p.state !== "abandoned")
      .map((p) => ({
        id: p.id,
        state: p.state,
        amount: p.amount,
        currency: p.currency,
        campaignTitle: p.campaign_title,
        campaignSlug: p.campaign_slug,
        tierTitle: p.tier_title,
        collection: p.collection,
        fundingModel: p.funding_model,
        deadline: p.deadline?.toISOString() ?? null,
      })),
  });
}

export default function MyPledges() {
  const { pledges } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="container">
      <h1>{t("backer:list.title")}</h1>
      {pledges.length === 0 ? (
        <div className="card empty-state">
          <h2>{t("backer:list.emptyTitle")}</h2>
          <p className="muted">{t("backer:list.emptyLead")}</p>
          <Link to="/discover" className="button button-primary">
            {t("backer:list.discover")}
          </Link>
        </div>
      ) : (
        <ul className="pledge-list">
          {pledges.map((p) => (
            <li key={p.id} className="card pledge-row">
              <div className="pledge-row-main">
                <h2>
                  <Link to={`/me/pledges/${p.id}`}>{p.campaignTitle}</Link>
                </h2>
                <p className="muted">
                  {p.tierTitle ?? t("backer:noReward")} · <strong>{f.money(p.amount, p.currency)}</strong>
                </p>
                <p className="small">
                  {pledgeNextStep(t, {
                    state: p.state,
                    collection: p.collection,
                    fundingModel: p.fundingModel,
                    deadlineLabel: p.deadline ? f.deadline(p.deadline) : t("backer:theDeadline"),
                  })}
                </p>
              </div>
              <span className={`status status-${p.state}`}>{pledgeStateLabel(t, p.state)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
