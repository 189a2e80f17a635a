import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { CampaignStateBadge, formatDay, Meter } from "~/components/creator-ui";
import { getDb } from "~/db.server";
import { formatMoney } from "~/domain/money";
import { listCreatorCampaigns } from "~/models/campaign.server";
import { requireCreator } from "~/services/campaigns/creator.server";
import { imageUrl } from "~/domain/images";

export const meta: MetaFunction = () => [{ title: "Your campaigns · Colecta" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireCreator(request, context);
  const campaigns = await listCreatorCampaigns(await getDb(), { userId: actor.userId });
  return json({
    campaigns: campaigns.map((c) => ({
      id: c.id,
      title: c.title,
      state: c.state,
      pledged: formatMoney(Number(c.pledged_amount), c.currency),
      goal: formatMoney(Number(c.goal_amount), c.currency),
      percent: Math.floor((Number(c.pledged_amount) * 100) / Number(c.goal_amount)),
      backers: c.backer_count,
      deadline: c.deadline ? c.deadline.toISOString() : null,
      durationDays: c.duration_days,
      coverUrl: c.cover_image_id ? imageUrl(c.cover_image_id) : null,
    })),
  });
}

export default function CreatorHome() {
  const { campaigns } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <div className="container creator-page">
      <header className="creator-heading">
        <div>
          <p className="eyebrow">Creator</p>
          <h1>Your campaigns</h1>
        </div>
        {campaigns.length > 0 ? (
          <Link to="/creator/new" className="button button-primary">
            Start a new campaign
          </Link>
        ) : null}
      </header>
      {searchParams.has("deleted") ? (
        <p className="notice notice-success" role="status">
          The draft was deleted.
        </p>
      ) : null}

      {campaigns.length === 0 ? (
        <section className="card empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">Bring your project to life</h2>
          <p className="lead">
            Start with a draft. Nothing is public until you launch, and you can change everything until then.
          </p>
          <ol className="timeline empty-steps">
            <li>
              <strong>Tell your story</strong>
              <span>A title, a cover image and what you are making.</span>
            </li>
            <li>
              <strong>Add rewards</strong>
              <span>What backers get for their pledge, and when.</span>
            </li>
            <li>
              <strong>Launch</strong>
              <span>Share your page and watch the pledges come in.</span>
            </li>
          </ol>
          <Link to="/creator/new" className="button button-primary button-large">
            Start a new campaign
          </Link>
        </section>
      ) : (
        <ul className="creator-campaign-list" aria-label="Your campaigns">
          {campaigns.map((c) => (
            <li key={c.id} className="card creator-campaign-row">
              <div className="row-cover" aria-hidden="true">
                {c.coverUrl ? <img src={c.coverUrl} alt="" /> : <span className="row-cover-empty" />}
              </div>
              <div className="row-main">
                <h2>
                  <Link to={`/creator/campaigns/${c.id}`}>{c.title}</Link>
                </h2>
                <CampaignStateBadge state={c.state} />
              </div>
              <div className="row-money">
                <p>
                  <strong>{c.pledged}</strong> <span className="muted">of {c.goal}</span>
                </p>
                <Meter percent={c.percent} label={`${c.percent}% of the goal`} />
              </div>
              <dl className="row-facts">
                <div>
                  <dt>Backers</dt>
                  <dd>{c.backers}</dd>
                </div>
                <div>
                  <dt>{c.state === "draft" ? "Runs for" : "Deadline"}</dt>
                  <dd>
                    {c.deadline && c.state !== "draft" ? (
                      <time dateTime={c.deadline}>{formatDay(c.deadline)}</time>
                    ) : c.durationDays ? (
                      `${c.durationDays} days`
                    ) : c.deadline ? (
                      `until ${formatDay(c.deadline)}`
                    ) : (
                      "—"
                    )}
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
