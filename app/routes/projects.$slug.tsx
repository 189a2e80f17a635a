import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useWrittenIn } from "~/components/campaign-language";
import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { CampaignCover } from "~/components/campaign-cover";
import { FaqList } from "~/components/faq-list";
import { DeliveryRecord } from "~/components/fulfilment/delivery-record";
import { ASSUMED_RECEIVED_DAYS, deliveryRecord } from "~/models/delivery-record.server";
import { useFormat, type Formatters } from "~/components/locale";
import { ProgressBar } from "~/components/progress";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { categoryName, destinationName, REST_OF_WORLD } from "~/domain/catalog";
import { chargeSentence, fundingModelName, percentFunded } from "~/domain/charge-terms";
import { latePledgesOpen } from "~/domain/late-pledges";
import { INTL_TAGS, LOCALE_PARAM, type Locale, type Translate } from "~/domain/locale";
import { metaTranslator } from "~/i18n";
import { getPublicCampaignBySlug } from "~/models/campaign-query.server";
import { isBacker, listCampaignUpdates } from "~/models/campaign-update.server";
import { listFaqEntries } from "~/models/faq.server";
import { getOptionalUser } from "~/services/accounts/auth.server";
import { imageUrl } from "~/domain/images";
import { notFound } from "~/web/responses";
import { alternateLinks, languageAlternates } from "~/web/alternates";
import { pageNow, publicPageHeaders, publicRouteHeaders } from "~/web/page-cache.server";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import styles from "~/styles/public.css";
import commentStyles from "~/styles/comments.css";
import messagesStyles from "~/styles/messages.css";
import fulfilmentStyles from "~/styles/fulfilment.css";
import { ProjectTabs } from "~/components/project-tabs";
import { CrowdSection } from "~/components/ideas/crowd-section";
import { ideaLinks } from "~/components/ideas/idea-ui";
import { PollCard, pollLinks } from "~/components/polls/poll-card";
import { boardIsPublic } from "~/domain/idea-actions";
import { adoptedIdeas } from "~/models/idea.server";
import { pollCardsFor } from "~/services/polls/polls.server";
import { StretchLadder, stretchLinks } from "~/components/stretch-ladder";
import { showsStretchLadder } from "~/domain/stretch-goals";
import { listStretchGoals } from "~/models/stretch-goals.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: commentStyles },
  { rel: "stylesheet", href: messagesStyles },
  { rel: "stylesheet", href: fulfilmentStyles },
  ...pollLinks,
  ...ideaLinks,
  ...stretchLinks,
];

export const headers = publicRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  if (!data) return [{ title: t("public:project.meta.notFound") }];
  const { campaign: c, share } = data;
  const tags: Record<string, string>[] = [
    { title: t("public:project.meta.title", { title: c.title }) },
    { name: "description", content: share.description },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: "Colecta" },
    { property: "og:title", content: c.title },
    { property: "og:description", content: share.description },
    { property: "og:url", content: share.url },
    { tagName: "link", rel: "canonical", href: share.url },
    ...alternateLinks(data.alternates),
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
  const user = await getOptionalUser(request);
  const t = requestTranslator(request, user);
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) notFound(t("public:project.notFound"));
  const db = await getDb();
  const found = await getPublicCampaignBySlug(db, {
    slug,
    viewerId: user?.id,
    viewerReviewsDrafts: user?.roles.includes("moderator") ?? false,
  });
  if (!found) notFound(t("public:project.notFound"));
  const { campaign: c, tiers } = found;
  const viewerIsCreator = user?.id === c.creator_id;
  const viewerIsBacker = user && !viewerIsCreator ? await isBacker(db, { campaignId: c.id, userId: user.id }) : false;
  const updates = await listCampaignUpdates(db, {
    campaignId: c.id,
    viewerIsBacker: viewerIsBacker || viewerIsCreator,
    limit: 20,
  });
  // The creator's FAQ: the same for every viewer (nothing personal on the cached page).
  const faq = (await listFaqEntries(db, c.id)).map((e) => ({
    id: e.id,
    question: e.question,
    answerHtml: e.answerHtml,
  }));

  // Counts only (no one's data), the same for every viewer: safe on the cached page.
  const delivery = c.state === "draft" ? null : await deliveryRecord(db, { campaignId: c.id, creatorId: c.creator_id });
  // The crowd's counts and credits are the same for everyone; a poll's card is the viewer's own
  // (their vote, and results only once they may see them), and signed-in pages are never shared.
  const ideasPublic = c.state !== "draft" && boardIsPublic({ ideasEnabled: c.ideas_enabled, ideaCount: c.idea_count });
  const adopted = ideasPublic && c.ideas_adopted_count > 0 ? await adoptedIdeas(db, { campaignId: c.id }) : [];
  const polls =
    c.state === "draft"
      ? []
      : await pollCardsFor(db, {
          campaign: { id: c.id, slug: c.slug, state: c.state, creatorId: c.creator_id },
          updateId: null,
          viewer: user,
          isBacker: viewerIsBacker,
        });
  // The ladder is the same for every viewer: safe on the cached page.
  const stretchGoals = showsStretchLadder(c.state) ? await listStretchGoals(db, { campaignId: c.id }) : [];

  const appUrl = getConfig().appUrl;
  const now = new Date();
  // A page asked for in one language (?lang=es, an alternate link) is its own canonical address.
  const asked = new URL(request.url).searchParams.get(LOCALE_PARAM);
  const lang = asked === requestLocale(request, user) ? `?${LOCALE_PARAM}=${asked}` : "";
  return json(
    {
      now: pageNow(now),
      alternates: languageAlternates(request, appUrl),
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
        // Late pledges, while the funded campaign takes them.
        lateUntil: latePledgesOpen(c) ? c.late_pledges_until!.toISOString() : null,
        endedAt: c.ended_at ? c.ended_at.toISOString() : null,
        launchedAt: c.launched_at ? c.launched_at.toISOString() : null,
        state: c.state,
        fundingModel: c.funding_model,
        collection: c.collection,
        storyHtml: c.story_html,
        language: c.language,
        commentCount: c.comment_count,
        ideas: ideasPublic
          ? { open: c.ideas_enabled, count: c.idea_count, adoptedCount: c.ideas_adopted_count, adopted }
          : null,
      },
      polls,
      stretchGoals: stretchGoals.map((g) => ({ ...g, reachedAt: g.reachedAt ? g.reachedAt.toISOString() : null })),
      // While late pledges are open, a tier offered late shows its late price and late limit.
      tiers: tiers.map((t) => ({
        id: t.id,
        title: t.title,
        description: t.description,
        ...(latePledgesOpen(c) && t.late_price !== null
          ? { minimumAmount: t.late_price, quantityLimit: t.late_limit, claimedCount: t.late_claimed_count }
          : { minimumAmount: t.minimum_amount, quantityLimit: t.quantity_limit, claimedCount: t.claimed_count }),
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
        html: u.html,
      })),
      faq,
      delivery: delivery ? { ...delivery, assumedDays: ASSUMED_RECEIVED_DAYS } : null,
      share: {
        url: `${appUrl}/projects/${c.slug}${lang}`,
        image: c.cover_image_id ? `${appUrl}${imageUrl(c.cover_image_id)}` : null,
        description: c.blurb || c.story_summary,
      },
    },
    { headers: publicPageHeaders(user) },
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type CampaignData = LoaderData["campaign"];
type TierData = LoaderData["tiers"][number];

export default function ProjectPage() {
  const {
    campaign: c,
    tiers,
    updates,
    faq,
    viewer,
    now,
    delivery,
    polls,
    stretchGoals,
  } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const left = c.deadline ? f.timeLeft(c.deadline, now) : null;
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
            {categoryName(c.category, t)}
          </Link>
          <span className="muted">{t("public:by", { name: c.creatorName })}</span>
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

      {c.state !== "draft" ? (
        <ProjectTabs
          slug={c.slug}
          commentCount={c.commentCount}
          ideaCount={c.ideas?.count ?? null}
          current="campaign"
        />
      ) : null}

      <div className="project-top">
        <CampaignCover
          url={c.coverUrl}
          alt={c.coverAlt || t("public:project.coverAlt", { title: c.title })}
          seed={c.id}
          eager
          className="project-cover"
        />

        <aside className="funding-panel" aria-label={t("public:project.fundingLabel")}>
          {c.state === "unfunded" || c.state === "cancelled" ? (
            <>
              <p className="pledged">
                {c.state === "cancelled" ? t("public:project.cancelled") : t("public:project.unfunded")}
              </p>
              <p className="goal">{t("public:project.goalWas", { amount: f.money(c.goalAmount, c.currency) })}</p>
            </>
          ) : (
            <>
              <p className="pledged">{f.money(c.pledgedAmount, c.currency)}</p>
              <p className="goal">{t("public:project.pledgedOfGoal", { goal: f.money(c.goalAmount, c.currency) })}</p>
              <ProgressBar percent={percent} label={t("public:project.percentOfGoal", { percent })} size="large" />
              <dl className="funding-stats">
                <div>
                  <dt>{t("public:project.stats.funded")}</dt>
                  <dd>{t("public:percent", { percent })}</dd>
                </div>
                <div>
                  <dt>{t("public:project.stats.backers", { count: c.backerCount })}</dt>
                  <dd>{f.number(c.backerCount)}</dd>
                </div>
                <div>
                  <dt>
                    {open
                      ? t("public:project.stats.toGo")
                      : c.deadline
                        ? t("public:project.stats.ended")
                        : t("public:project.stats.duration")}
                  </dt>
                  <dd>{open ? left!.amount : c.deadline ? dayAndMonth(c.deadline, f.locale) : "—"}</dd>
                </div>
              </dl>
            </>
          )}
          {c.deadline ? (
            <p className="deadline-line">
              {open ? (
                <Trans
                  i18nKey="public:project.ends"
                  t={t}
                  values={{ date: f.deadline(c.deadline) }}
                  components={{ time: <time dateTime={c.deadline} /> }}
                />
              ) : (
                <Trans
                  i18nKey="public:project.ended"
                  t={t}
                  values={{ date: f.deadline(c.deadline) }}
                  components={{ time: <time dateTime={c.deadline} /> }}
                />
              )}
            </p>
          ) : (
            <p className="deadline-line">{t("public:project.noDeadline")}</p>
          )}
          {c.deadline && (open || c.state === "draft") ? (
            <p className="charge-terms">
              {chargeSentence({
                fundingModel: c.fundingModel,
                collection: c.collection,
                deadline: c.deadline,
                t,
                locale: f.locale,
              })}
            </p>
          ) : null}
          {canPledge ? (
            <a href="#rewards" className="button button-primary button-large button-block">
              {t("public:backThisProject")}
            </a>
          ) : null}
          {c.lateUntil && new Date(c.lateUntil) > new Date(now) && !viewer.isCreator && !viewer.isBacker ? (
            <>
              <p className="muted small">{t("public:project.lateOpen", { until: f.date(c.lateUntil) })}</p>
              <Link to={`/projects/${c.slug}/pledge`} className="button button-primary button-large button-block">
                {t("public:project.pledgeLate")}
              </Link>
            </>
          ) : null}
          {open && viewer.isCreator ? <p className="muted small">{t("public:project.ownProject")}</p> : null}
          {viewer.isBacker ? <p className="muted small">{t("public:project.youBack")}</p> : null}
          <p className="funding-model">
            {fundingModelName(c.fundingModel, t)} ·{" "}
            {c.lateUntil
              ? t("public:project.lateCharged")
              : c.collection === "at_deadline"
                ? t("public:project.chargedAtDeadline")
                : t("public:project.chargedWhenPledging")}
          </p>
        </aside>
      </div>

      <div className="project-body">
        <section aria-labelledby="story-title">
          <h2 id="story-title">{t("public:project.about")}</h2>
          {c.storyHtml ? (
            <div className="story" lang={c.language} dangerouslySetInnerHTML={{ __html: c.storyHtml }} />
          ) : (
            <p className="muted">{t("public:project.noStory")}</p>
          )}

          {stretchGoals.length > 0 ? (
            <StretchLadder
              goals={stretchGoals}
              goalAmount={c.goalAmount}
              pledgedAmount={c.pledgedAmount}
              currency={c.currency}
              open={open}
              lang={c.language}
            />
          ) : null}

          <section className="updates" aria-labelledby="updates-title">
            <h2 id="updates-title">
              {t("public:project.updates")}{" "}
              {updates.length ? <span className="muted">({f.number(updates.length)})</span> : null}
            </h2>
            {updates.length === 0 ? (
              <p className="muted">{t("public:project.noUpdates")}</p>
            ) : (
              <ol className="update-list" role="list">
                {updates.map((u) => (
                  <li key={u.id} className={u.locked ? "update update-locked" : "update"}>
                    <h3>
                      {c.state === "draft" ? (
                        u.title
                      ) : (
                        <Link to={`/projects/${c.slug}/updates/${u.id}`}>{u.title}</Link>
                      )}
                    </h3>
                    <p className="update-meta">
                      <time dateTime={u.createdAt}>{f.shortDateTime(u.createdAt)}</time> · {u.authorName}
                      {u.locked ? ` · ${t("public:project.forBackersOnly")}` : null}
                    </p>
                    {u.locked ? (
                      <p>
                        <LockIcon />
                        {canPledge ? (
                          <Trans
                            i18nKey="public:project.lockedUpdateBack"
                            t={t}
                            components={{ back: <RewardsLink /> }}
                          />
                        ) : (
                          t("public:project.lockedUpdate")
                        )}
                      </p>
                    ) : (
                      <div className="update-body" dangerouslySetInnerHTML={{ __html: u.html }} />
                    )}
                    {c.state !== "draft" && !u.locked ? (
                      <p className="update-comments-link">
                        <Link to={`/projects/${c.slug}/updates/${u.id}#update-comments-title`}>
                          {t("comments:commentOnUpdate")}
                        </Link>
                      </p>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
          </section>

          {polls.length > 0 ? (
            <section aria-labelledby="polls-title">
              <h2 id="polls-title">{t("polls:title")}</h2>
              {polls.map((poll) => (
                <PollCard key={poll.id} poll={poll} slug={c.slug} returnTo={`/projects/${c.slug}`} />
              ))}
            </section>
          ) : null}
          {c.ideas ? (
            <CrowdSection
              slug={c.slug}
              ideaCount={c.ideas.count}
              adoptedCount={c.ideas.adoptedCount}
              adopted={c.ideas.adopted}
              open={c.ideas.open}
            />
          ) : null}

          {/* FAQ and "Ask the creator": the link is the same for everyone (sign-in comes after). */}
          <FaqList entries={faq} lang={c.language} />
          {c.state !== "draft" && !viewer.isCreator ? (
            <p className="ask-creator">
              <span className="muted">{t("messages:ask.hint")}</span>{" "}
              <Link to={`/messages/new?campaign=${c.slug}`} className="button button-secondary">
                {t("messages:ask.link")}
              </Link>
            </p>
          ) : null}
        </section>

        <aside aria-labelledby="rewards-title" id="rewards">
          {delivery ? (
            <DeliveryRecord
              campaign={delivery.campaign}
              creator={delivery.creator}
              creatorName={c.creatorName}
              assumedDays={delivery.assumedDays}
            />
          ) : null}
          <h2 id="rewards-title">{t("public:project.rewards")}</h2>
          {tiers.length === 0 ? (
            <p className="muted">{t("public:project.noTiers")}</p>
          ) : (
            <ul className="tier-list" role="list">
              {tiers.map((tier) => (
                <TierCard key={tier.id} tier={tier} campaign={c} canPledge={canPledge} />
              ))}
            </ul>
          )}
        </aside>
      </div>
    </article>
  );
}

const dayMonthFormatters = new Map<Locale, Intl.DateTimeFormat>();
/** "4 December", "4 de diciembre": when a campaign ended, without the year. */
function dayAndMonth(date: string, locale: Locale) {
  let formatter = dayMonthFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(INTL_TAGS[locale].dates, { day: "numeric", month: "long", timeZone: "UTC" });
    dayMonthFormatters.set(locale, formatter);
  }
  return formatter.format(new Date(date));
}

/** The in-page link to the rewards; Trans fills in its words. */
function RewardsLink({ children }: { children?: ReactNode }) {
  return <a href="#rewards">{children}</a>;
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
  const { t } = useTranslation();
  const f = useFormat();
  const refunded = c.collection === "immediate";
  const chargedText = refunded ? t("public:project.banner.refunded") : t("public:project.banner.nobodyCharged");
  switch (c.state) {
    case "draft":
      return (
        <div className="banner banner-preview" role="status">
          <strong>{t("public:project.banner.previewTitle")}</strong>
          <p>
            {t("public:project.banner.previewText")}{" "}
            {viewerIsCreator ? <Link to="/creator">{t("public:project.banner.backToProjects")}</Link> : null}
          </p>
        </div>
      );
    case "funded":
      return (
        <div className="banner banner-success" role="status">
          <strong>
            {c.endedAt
              ? t("public:project.banner.fundedOn", { date: f.date(c.endedAt) })
              : t("public:project.banner.funded")}
          </strong>
          <p>
            {t("public:project.banner.fundedText", {
              count: c.backerCount,
              number: f.number(c.backerCount),
              amount: f.money(c.pledgedAmount, c.currency),
            })}
          </p>
        </div>
      );
    case "unfunded":
      return (
        <div className="banner banner-neutral" role="status">
          <strong>{t("public:project.banner.unfundedTitle")}</strong>
          <p>{chargedText}</p>
        </div>
      );
    case "cancelled":
      return (
        <div className="banner banner-neutral" role="status">
          <strong>{t("public:project.banner.cancelledTitle")}</strong>
          <p>{chargedText}</p>
        </div>
      );
    case "settling":
      return (
        <div className="banner banner-neutral" role="status">
          <strong>{t("public:project.banner.endedTitle")}</strong>
          <p>{t("public:project.banner.settlingText")}</p>
        </div>
      );
    case "live":
      return ended ? (
        <div className="banner banner-neutral" role="status">
          <strong>{t("public:project.banner.endedTitle")}</strong>
          <p>{t("public:project.banner.endedText")}</p>
        </div>
      ) : null;
    default:
      return null;
  }
}

/** The short names a tier's shipping line uses ("US $10.00, UK free"); others use the full name. */
function shortDestination(code: string, t: Translate): string {
  switch (code) {
    case "US":
      return t("public:project.shortDestination.US");
    case "GB":
      return t("public:project.shortDestination.GB");
    case "EU":
      return t("public:project.shortDestination.EU");
    case REST_OF_WORLD:
      return t("public:project.shortDestination.ROW");
    default:
      return destinationName(code, t);
  }
}

function shippingText(tier: TierData, currency: CampaignData["currency"], t: Translate, f: Formatters) {
  if (!tier.ships) return t("public:project.noShipping");
  if (tier.shipping.length === 0) return t("public:project.shippingIncluded");
  return tier.shipping
    .map((s) =>
      t("public:project.shippingRate", {
        destination: shortDestination(s.destination, t),
        amount: s.amount === 0 ? t("public:project.free") : f.money(s.amount, currency),
      }),
    )
    .join(", ");
}

function TierCard({
  tier: tr,
  campaign: c,
  canPledge,
}: {
  tier: TierData;
  campaign: CampaignData;
  canPledge: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const remaining = tr.quantityLimit === null ? null : Math.max(0, tr.quantityLimit - tr.claimedCount);
  const soldOut = remaining === 0;
  const titleId = `tier-${tr.id}`;
  return (
    <li className={soldOut ? "tier tier-sold-out" : "tier"} aria-labelledby={titleId}>
      <p className="tier-price">{f.money(tr.minimumAmount, c.currency)}</p>
      <h3 id={titleId}>{tr.title}</h3>
      {tr.description ? <p className="tier-description">{tr.description}</p> : null}
      <dl className="tier-facts">
        <div>
          <dt>{t("public:project.estimatedDelivery")}</dt>
          <dd>{tr.estimatedDelivery ? f.monthYear(tr.estimatedDelivery) : t("public:project.notSet")}</dd>
        </div>
        <div>
          <dt>{tr.ships && tr.shipping.length ? t("public:project.shipsTo") : t("public:project.shipping")}</dt>
          <dd>{shippingText(tr, c.currency, t, f)}</dd>
        </div>
        <div>
          <dt>{t("public:project.available")}</dt>
          <dd>
            {remaining === null ? (
              t("public:project.unlimited")
            ) : soldOut ? (
              <span className="availability-none">{t("public:project.soldOut")}</span>
            ) : (
              <span className={remaining <= 10 ? "availability-low" : undefined}>
                {t("public:project.leftOf", { count: remaining, limit: tr.quantityLimit })}
              </span>
            )}
          </dd>
        </div>
      </dl>
      {canPledge ? (
        soldOut ? (
          <span className="button button-secondary button-block" aria-disabled="true">
            {t("public:project.soldOut")}
          </span>
        ) : (
          <Link to={`/projects/${c.slug}/pledge?tier=${tr.id}`} className="button button-primary button-block">
            <Trans
              i18nKey="public:project.backWith"
              t={t}
              values={{ title: tr.title }}
              components={{ hidden: <span className="visually-hidden" /> }}
              // The title is the creator's text: escaped before Trans reads the markup, shown as typed.
              tOptions={{ interpolation: { escapeValue: true } }}
              shouldUnescape
            />
          </Link>
        )
      ) : null}
    </li>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
