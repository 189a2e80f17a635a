import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useWrittenIn } from "~/components/campaign-language";
import { CampaignCover } from "~/components/campaign-cover";
import { ProgressBar } from "~/components/progress";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { categoryName, destinationName, REST_OF_WORLD } from "~/domain/catalog";
import { chargeSentence, fundingModelName, percentFunded } from "~/domain/charge-terms";
import { formatMoney } from "~/domain/money";
import { formatDate, formatDeadline, formatMonthYear, formatShortDateTime, timeLeft } from "~/domain/time";
import { getPublicCampaignBySlug } from "~/models/campaign-query.server";
import { isBacker, listCampaignUpdates } from "~/models/campaign-update.server";
import { getOptionalUser } from "~/services/accounts/auth.server";
import { imageUrl } from "~/domain/images";
import { markdownToText, renderMarkdown } from "~/domain/markdown";
import { notFound } from "~/web/responses";
import styles from "~/styles/public.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Project not found · Colecta" }];
  const { campaign: c, share } = data;
  const tags = [
    { title: `${c.title} · Colecta` },
    { name: "description", content: share.description },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: "Colecta" },
    { property: "og:title", content: c.title },
    { property: "og:description", content: share.description },
    { property: "og:url", content: share.url },
    { tagName: "link", rel: "canonical", href: share.url },
    { name: "twitter:card", content: share.image ? "summary_large_image" : "summary" },
    { name: "twitter:title", content: c.title },
    { name: "twitter:description", content: share.description },
  ];
  if (share.image) {
    tags.push(
      { property: "og:image", content: share.image },
      { property: "og:image:alt", content: c.coverAlt },
      { name: "twitter:image", content: share.image },
    );
  }
  if (c.state === "draft") tags.push({ name: "robots", content: "noindex" });
  return tags;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) notFound("No project has that address.");
  const db = await getDb();
  const user = await getOptionalUser(request);
  const found = await getPublicCampaignBySlug(db, { slug, viewerId: user?.id });
  if (!found) notFound("No project has that address.");
  const { campaign: c, tiers } = found;
  const viewerIsCreator = user?.id === c.creator_id;
  const viewerIsBacker = user && !viewerIsCreator ? await isBacker(db, { campaignId: c.id, userId: user.id }) : false;
  const updates = await listCampaignUpdates(db, {
    campaignId: c.id,
    viewerIsBacker: viewerIsBacker || viewerIsCreator,
    limit: 20,
  });

  const appUrl = getConfig().appUrl;
  const now = new Date();
  return json({
    now: now.toISOString(),
    viewer: { signedIn: Boolean(user), isCreator: viewerIsCreator, isBacker: viewerIsBacker },
    campaign: {
      id: c.id,
      slug: c.slug,
      title: c.title,
      blurb: c.blurb,
      category: c.category,
      creatorName: c.creator_name,
      coverUrl: c.cover_image_id ? imageUrl(c.cover_image_id) : null,
      coverAlt: c.cover_alt,
      goalAmount: c.goal_amount,
      pledgedAmount: c.pledged_amount,
      backerCount: c.backer_count,
      currency: c.currency,
      deadline: c.deadline ? c.deadline.toISOString() : null,
      endedAt: c.ended_at ? c.ended_at.toISOString() : null,
      launchedAt: c.launched_at ? c.launched_at.toISOString() : null,
      state: c.state,
      fundingModel: c.funding_model,
      collection: c.collection,
      storyHtml: renderMarkdown(c.story_md),
      language: c.language,
    },
    tiers: tiers.map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      minimumAmount: t.minimum_amount,
      quantityLimit: t.quantity_limit,
      claimedCount: t.claimed_count,
      estimatedDelivery: t.estimated_delivery,
      ships: t.ships,
      shipping: t.shipping,
    })),
    updates: updates.map((u) => ({
      id: u.id,
      title: u.title,
      createdAt: u.createdAt.toISOString(),
      authorName: u.authorName,
      locked: u.locked,
      html: u.locked ? "" : renderMarkdown(u.bodyMd),
    })),
    share: {
      url: `${appUrl}/projects/${c.slug}`,
      image: c.cover_image_id ? `${appUrl}${imageUrl(c.cover_image_id)}` : null,
      description: c.blurb || markdownToText(c.story_md, 200),
    },
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type CampaignData = LoaderData["campaign"];
type TierData = LoaderData["tiers"][number];

export default function ProjectPage() {
  const { campaign: c, tiers, updates, viewer, now } = useLoaderData<typeof loader>();
  const left = c.deadline ? timeLeft(c.deadline, now) : null;
  const open = c.state === "live" && left !== null && !left.ended;
  const percent = percentFunded(c.pledgedAmount, c.goalAmount);
  const canPledge = open && !viewer.isCreator;
  const writtenIn = useWrittenIn();

  return (
    <article className="container project" aria-labelledby="project-title">
      <OutcomeBanner campaign={c} ended={left?.ended ?? false} viewerIsCreator={viewer.isCreator} />

      <header className="project-header">
        <p className="campaign-card-meta">
          <Link to={`/discover?category=${c.category}&state=all`} className="chip">
            {categoryName(c.category)}
          </Link>
          <span className="muted">by {c.creatorName}</span>
        </p>
        <h1 id="project-title" lang={c.language}>
          {c.title}
        </h1>
        {c.blurb ? (
          <p className="lead" lang={c.language}>
            {c.blurb}
          </p>
        ) : null}
        <p className="campaign-language muted small">{writtenIn(c.language)}</p>
      </header>

      <div className="project-top">
        <CampaignCover
          url={c.coverUrl}
          alt={c.coverAlt || `Cover image for ${c.title}`}
          seed={c.id}
          eager
          className="project-cover"
        />

        <aside className="funding-panel" aria-label="Funding progress">
          {c.state === "unfunded" || c.state === "cancelled" ? (
            <>
              <p className="pledged">{c.state === "cancelled" ? "Cancelled" : "Not funded"}</p>
              <p className="goal">Goal was {formatMoney(c.goalAmount, c.currency)}</p>
            </>
          ) : (
            <>
              <p className="pledged">{formatMoney(c.pledgedAmount, c.currency)}</p>
              <p className="goal">pledged of {formatMoney(c.goalAmount, c.currency)} goal</p>
              <ProgressBar percent={percent} label={`${percent}% of the goal pledged`} size="large" />
              <dl className="funding-stats">
                <div>
                  <dt>funded</dt>
                  <dd>{percent}%</dd>
                </div>
                <div>
                  <dt>{c.backerCount === 1 ? "backer" : "backers"}</dt>
                  <dd>{c.backerCount.toLocaleString("en-US")}</dd>
                </div>
                <div>
                  <dt>{open ? "to go" : c.deadline ? "ended" : "duration"}</dt>
                  <dd>{open ? left!.amount : c.deadline ? formatDate(c.deadline).replace(/ \d{4}$/, "") : "—"}</dd>
                </div>
              </dl>
            </>
          )}
          {c.deadline ? (
            <p className="deadline-line">
              {open ? "Ends" : "Ended"} <time dateTime={c.deadline}>{formatDeadline(c.deadline)}</time>
            </p>
          ) : (
            <p className="deadline-line">The deadline is set when the project launches.</p>
          )}
          {c.deadline && (open || c.state === "draft") ? (
            <p className="charge-terms">
              {chargeSentence({ fundingModel: c.fundingModel, collection: c.collection, deadline: c.deadline })}
            </p>
          ) : null}
          {canPledge ? (
            <a href="#rewards" className="button button-primary button-large button-block">
              Back this project
            </a>
          ) : null}
          {open && viewer.isCreator ? (
            <p className="muted small">This is your project: creators can't back their own campaigns.</p>
          ) : null}
          {viewer.isBacker ? <p className="muted small">You back this project.</p> : null}
          <p className="funding-model">
            {fundingModelName(c.fundingModel)} ·{" "}
            {c.collection === "at_deadline" ? "cards charged at the deadline" : "cards charged when pledging"}
          </p>
        </aside>
      </div>

      <div className="project-body">
        <section aria-labelledby="story-title">
          <h2 id="story-title">About this project</h2>
          {c.storyHtml ? (
            <div className="story" lang={c.language} dangerouslySetInnerHTML={{ __html: c.storyHtml }} />
          ) : (
            <p className="muted">The creator hasn&apos;t written the story yet.</p>
          )}

          <section className="updates" aria-labelledby="updates-title">
            <h2 id="updates-title">
              Updates {updates.length ? <span className="muted">({updates.length})</span> : null}
            </h2>
            {updates.length === 0 ? (
              <p className="muted">No updates yet. Backers get an email when the creator posts one.</p>
            ) : (
              <ol className="update-list" role="list">
                {updates.map((u) => (
                  <li key={u.id} className={u.locked ? "update update-locked" : "update"}>
                    <h3>{u.title}</h3>
                    <p className="update-meta">
                      <time dateTime={u.createdAt}>{formatShortDateTime(u.createdAt)}</time> · {u.authorName}
                      {u.locked ? " · for backers only" : null}
                    </p>
                    {u.locked ? (
                      <p>
                        <LockIcon />
                        This update is for backers only. {canPledge ? <a href="#rewards">Back this project</a> : null}
                        {canPledge ? " to read it." : null}
                      </p>
                    ) : (
                      <div className="update-body" dangerouslySetInnerHTML={{ __html: u.html }} />
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </section>

        <aside aria-labelledby="rewards-title" id="rewards">
          <h2 id="rewards-title">Rewards</h2>
          {tiers.length === 0 ? (
            <p className="muted">This project has no reward tiers.</p>
          ) : (
            <ul className="tier-list" role="list">
              {tiers.map((t) => (
                <TierCard key={t.id} tier={t} campaign={c} canPledge={canPledge} />
              ))}
            </ul>
          )}
        </aside>
      </div>
    </article>
  );
}

function LockIcon() {
  return (
    <svg className="lock-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}

function OutcomeBanner({
  campaign: c,
  ended,
  viewerIsCreator,
}: {
  campaign: CampaignData;
  ended: boolean;
  viewerIsCreator: boolean;
}) {
  const refunded = c.collection === "immediate";
  switch (c.state) {
    case "draft":
      return (
        <div className="banner banner-preview" role="status">
          <strong>Preview — not yet launched</strong>
          <p>Only you can see this page. {viewerIsCreator ? <Link to="/creator">Back to your projects</Link> : null}</p>
        </div>
      );
    case "funded":
      return (
        <div className="banner banner-success" role="status">
          <strong>Funded{c.endedAt ? ` on ${formatDate(c.endedAt)}` : ""}</strong>
          <p>
            {c.backerCount.toLocaleString("en-US")} {c.backerCount === 1 ? "backer" : "backers"} pledged{" "}
            {formatMoney(c.pledgedAmount, c.currency)} to bring this project to life.
          </p>
        </div>
      );
    case "unfunded":
      return (
        <div className="banner banner-neutral" role="status">
          <strong>This project didn&apos;t reach its goal</strong>
          <p>{refunded ? "Every pledge has been refunded." : "No one was charged."}</p>
        </div>
      );
    case "cancelled":
      return (
        <div className="banner banner-neutral" role="status">
          <strong>The creator cancelled this project</strong>
          <p>{refunded ? "Every pledge has been refunded." : "No one was charged."}</p>
        </div>
      );
    case "settling":
      return (
        <div className="banner banner-neutral" role="status">
          <strong>Funding has ended</strong>
          <p>Pledges are being collected. The final result appears here shortly.</p>
        </div>
      );
    case "live":
      return ended ? (
        <div className="banner banner-neutral" role="status">
          <strong>Funding has ended</strong>
          <p>The deadline has passed; the result will be announced shortly.</p>
        </div>
      ) : null;
    default:
      return null;
  }
}

const SHORT_DESTINATIONS: Record<string, string> = { US: "US", GB: "UK", EU: "EU", [REST_OF_WORLD]: "Rest of world" };

function shippingText(tier: TierData, currency: CampaignData["currency"]) {
  if (!tier.ships) return "No shipping";
  if (tier.shipping.length === 0) return "Ships worldwide; shipping included";
  return tier.shipping
    .map(
      (s) =>
        `${SHORT_DESTINATIONS[s.destination] ?? destinationName(s.destination)} ${s.amount === 0 ? "free" : formatMoney(s.amount, currency)}`,
    )
    .join(", ");
}

function TierCard({ tier: t, campaign: c, canPledge }: { tier: TierData; campaign: CampaignData; canPledge: boolean }) {
  const remaining = t.quantityLimit === null ? null : Math.max(0, t.quantityLimit - t.claimedCount);
  const soldOut = remaining === 0;
  const titleId = `tier-${t.id}`;
  return (
    <li className={soldOut ? "tier tier-sold-out" : "tier"} aria-labelledby={titleId}>
      <p className="tier-price">{formatMoney(t.minimumAmount, c.currency)}</p>
      <h3 id={titleId}>{t.title}</h3>
      {t.description ? <p className="tier-description">{t.description}</p> : null}
      <dl className="tier-facts">
        <div>
          <dt>Estimated delivery</dt>
          <dd>{t.estimatedDelivery ? formatMonthYear(t.estimatedDelivery) : "Not set"}</dd>
        </div>
        <div>
          <dt>{t.ships && t.shipping.length ? "Ships to" : "Shipping"}</dt>
          <dd>{shippingText(t, c.currency)}</dd>
        </div>
        <div>
          <dt>Available</dt>
          <dd>
            {remaining === null ? (
              "Unlimited"
            ) : soldOut ? (
              <span className="availability-none">Sold out</span>
            ) : (
              <span className={remaining <= 10 ? "availability-low" : undefined}>
                {remaining} left of {t.quantityLimit}
              </span>
            )}
          </dd>
        </div>
      </dl>
      {canPledge ? (
        soldOut ? (
          <span className="button button-secondary button-block" aria-disabled="true">
            Sold out
          </span>
        ) : (
          <Link to={`/projects/${c.slug}/pledge?tier=${t.id}`} className="button button-primary button-block">
            Back this project<span className="visually-hidden"> with {t.title}</span>
          </Link>
        )
      ) : null}
    </li>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
