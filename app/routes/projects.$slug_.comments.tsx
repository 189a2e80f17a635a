import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CommentThread, commentThreadLinks } from "~/components/comments/comment-thread";
import { ProjectTabs } from "~/components/project-tabs";
import { metaTranslator } from "~/i18n";
import publicStyles from "~/styles/public.css";
import { actOnThreadPage, loadThreadPageData } from "~/web/comment-pages.server";
import { publicRouteHeaders } from "~/web/page-cache.server";

// A project's comments: the conversation under its campaign page (updates have their own).

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }, ...commentThreadLinks];

export const headers = publicRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    { title: data ? t("comments:meta.project", { title: data.campaign.title }) : t("comments:meta.notFound") },
    { name: "robots", content: "noindex, follow" },
  ];
};

export function loader({ request, params }: LoaderFunctionArgs) {
  return loadThreadPageData(request, { slug: params.slug, updateId: null });
}

export function action({ request, params }: ActionFunctionArgs) {
  return actOnThreadPage(request, { slug: params.slug, updateId: null });
}

export default function ProjectComments() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const c = data.campaign;
  return (
    <div className="container thread-page">
      <header>
        <p className="muted small">
          <Link to={`/projects/${c.slug}`}>{t("comments:backToProject")}</Link>
        </p>
        <h1 lang={c.language}>{c.title}</h1>
        <p className="muted">{t("public:by", { name: c.creatorName })}</p>
      </header>
      <ProjectTabs slug={c.slug} commentCount={c.commentCount} ideaCount={c.ideaCount} current="comments" />
      <CommentThread
        headingId="comments-title"
        heading={t("comments:title")}
        count={c.commentCount}
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
