import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CommentThread, commentThreadLinks } from "~/components/comments/comment-thread";
import { useFormat } from "~/components/locale";
import { ProjectTabs } from "~/components/project-tabs";
import { PollCard, pollLinks } from "~/components/polls/poll-card";
import { metaTranslator } from "~/i18n";
import publicStyles from "~/styles/public.css";
import { actOnThreadPage, loadThreadPageData } from "~/web/comment-pages.server";
import { publicRouteHeaders } from "~/web/page-cache.server";

// One update of a project, on its own page, with its comments. A backers-only update shows
// neither its body nor its comments to anyone else.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: publicStyles },
  ...commentThreadLinks,
  ...pollLinks,
];

export const headers = publicRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  if (!data?.update) return [{ title: t("comments:meta.notFound") }];
  return [{ title: t("comments:meta.update", { update: data.update.title, title: data.campaign.title }) }];
};

export function loader({ request, params }: LoaderFunctionArgs) {
  return loadThreadPageData(request, { slug: params.slug, updateId: params.updateId ?? "" });
}

export function action({ request, params }: ActionFunctionArgs) {
  return actOnThreadPage(request, { slug: params.slug, updateId: params.updateId ?? "" });
}

export default function UpdatePage() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const c = data.campaign;
  const u = data.update!;
  return (
    <div className="container thread-page">
      <header>
        <p className="muted small">
          <Link to={`/projects/${c.slug}`}>{t("comments:backToProject")}</Link>
        </p>
        <p className="muted">{c.title}</p>
      </header>
      <ProjectTabs slug={c.slug} commentCount={c.commentCount} ideaCount={c.ideaCount} current={null} />
      <article className={u.locked ? "update update-locked thread-update" : "update thread-update"}>
        <h1 lang={c.language}>{u.title}</h1>
        <p className="update-meta">
          <time dateTime={u.createdAt}>{f.shortDateTime(u.createdAt)}</time> · {u.authorName}
          {u.visibility === "backers" ? ` · ${t("public:project.forBackersOnly")}` : null}
        </p>
        {u.locked ? (
          <p>{t("public:project.lockedUpdate")}</p>
        ) : (
          <div className="update-body" lang={c.language} dangerouslySetInnerHTML={{ __html: u.html }} />
        )}
        {data.polls.map((poll) => (
          <PollCard key={poll.id} poll={poll} slug={c.slug} returnTo={data.path} />
        ))}
      </article>
      <CommentThread
        headingId="update-comments-title"
        heading={t("comments:updateTitle")}
        permission={data.permission}
        comments={data.comments}
        nextBefore={data.nextBefore}
        path={data.path}
        answer={answer}
      />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
