import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { formatMoney } from "~/domain/money";
import { nextStep, PLEDGE_STATE_LABELS } from "~/domain/pledge-rules";
import { formatDeadline } from "~/domain/time";
import { listPledgesForBacker } from "~/models/pledge.server";
import { requireUser } from "~/services/accounts/auth.server";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = () => [{ title: "My pledges · Colecta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pledges = await listPledgesForBacker(await getDb(), { backerId: user.id });
  return json({
    pledges: pledges
      .filter((p) => p.state !== "abandoned")
      .map((p) => ({
        id: p.id,
        state: p.state,
        amount: formatMoney(p.amount, p.currency),
        campaignTitle: p.campaign_title,
        campaignSlug: p.campaign_slug,
        tierTitle: p.tier_title ?? "No reward",
        next: nextStep({
          state: p.state,
          collection: p.collection,
          fundingModel: p.funding_model,
          deadlineLabel: p.deadline ? formatDeadline(p.deadline) : "the deadline",
        }),
      })),
  });
}

export default function MyPledges() {
  const { pledges } = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <h1>My pledges</h1>
      {pledges.length === 0 ? (
        <div className="card empty-state">
          <h2>You haven't backed anything yet</h2>
          <p className="muted">Find a project you'd love to see exist and pledge in under a minute.</p>
          <Link to="/discover" className="button button-primary">
            Discover projects
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
                  {p.tierTitle} · <strong>{p.amount}</strong>
                </p>
                <p className="small">{p.next}</p>
              </div>
              <span className={`status status-${p.state}`}>{PLEDGE_STATE_LABELS[p.state]}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
