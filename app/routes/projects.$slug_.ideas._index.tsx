import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError, Select, TextArea } from "~/components/fields";
import { IdeaStatusBadge, ideaLinks, PermissionText, refusedAnswer, VoteForm } from "~/components/ideas/idea-ui";
import { useFormat } from "~/components/locale";
import { ProjectTabs } from "~/components/project-tabs";
import { IDEA_BODY_MAX, IDEA_KINDS, IDEA_SORTS, IDEA_STATUSES, IDEA_TITLE_MAX, ideaFormSchema } from "~/domain/crowd";
import { metaTranslator } from "~/i18n";
import commentStyles from "~/styles/comments.css";
import publicStyles from "~/styles/public.css";
import { actOnBoardPage, loadBoardPageData } from "~/web/idea-pages.server";
import { publicRouteHeaders } from "~/web/page-cache.server";

// A project's Ideas board: the crowd's ideas sorted by votes, novelty or recent votes, filtered
// by status and searched, each with its vote button; and the form to post one, or why not.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: publicStyles },
  { rel: "stylesheet", href: commentStyles },
  ...ideaLinks,
];

export const headers = publicRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [
    { title: data ? t("ideas:meta.board", { title: data.campaign.title }) : t("ideas:meta.notFound") },
    // Searches and filters are views of one page.
    ...(data && (data.query.q || data.query.status || data.query.page > 1)
      ? [{ name: "robots", content: "noindex, follow" }]
      : []),
  ];
};

export function loader({ request, params }: LoaderFunctionArgs) {
  return loadBoardPageData(request, { slug: params.slug });
}

export function action({ request, params }: ActionFunctionArgs) {
  return actOnBoardPage(request, { slug: params.slug });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

// A new idea is confirmed on its own page; a vote shows on its button.
const DONE = ["deleteIdea"] as const;

export default function IdeasBoard() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const c = data.campaign;
  const done = params.get("done");
  // A new location (after a post) starts the form empty; a refused one refills it from the answer.
  const { key } = useLocation();
  const filtered = Boolean(data.query.q || data.query.status);
  return (
    <div className="container thread-page ideas-page">
      <header>
        <p className="muted small">
          <Link to={`/projects/${c.slug}`}>{t("ideas:board.backToProject")}</Link>
        </p>
        <h1 lang={c.language}>{c.title}</h1>
        <p className="muted">{t("public:by", { name: c.creatorName })}</p>
      </header>
      <ProjectTabs slug={c.slug} commentCount={c.commentCount} ideaCount={c.ideaCount} current="ideas" />
      <section aria-labelledby="ideas-title">
        <h2 id="ideas-title">
          {t("ideas:board.title")} <span className="muted">({f.number(c.ideaCount)})</span>
        </h2>
        <p className="muted">{t("ideas:board.intro")}</p>
        {done && (DONE as readonly string[]).includes(done) && !answer ? (
          <p className="notice notice-success" role="status">
            {t(`ideas:done.${done}`)}
          </p>
        ) : null}
        {!c.ideasEnabled ? (
          <p className="notice">
            {data.viewerIsCreator && c.ideaCount === 0 ? t("ideas:board.creatorNotice") : t("ideas:board.closedNotice")}
          </p>
        ) : null}
        {data.permission === "ok" ? (
          <PostIdeaForm key={key} answer={answer} />
        ) : c.ideasEnabled ? (
          <p className="notice">
            <PermissionText permission={data.permission} path={data.path} />
          </p>
        ) : null}
        <BoardControls data={data} />
        {data.ideas.length === 0 ? (
          <p className="muted">{filtered ? t("ideas:board.noMatch") : t("ideas:board.empty")}</p>
        ) : (
          <ol className="idea-list" role="list" aria-label={t("ideas:board.listLabel")}>
            {data.ideas.map((idea) => (
              <li key={idea.id}>
                <IdeaCard idea={idea} slug={c.slug} canVote={data.permission === "ok"} />
              </li>
            ))}
          </ol>
        )}
        <Pages data={data} />
      </section>
    </div>
  );
}

/** The board's address with this view's settings changed (page back to 1 unless given). */
function viewHref(path: string, query: Data["query"], change: Partial<Data["query"]>) {
  const next = { ...query, page: 1, ...change };
  const params = new URLSearchParams();
  if (next.sort !== "top") params.set("sort", next.sort);
  if (next.status) params.set("status", next.status);
  if (next.q) params.set("q", next.q);
  if (next.page > 1) params.set("page", String(next.page));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function BoardControls({ data }: { data: Data }) {
  const { t } = useTranslation();
  const { query, path } = data;
  return (
    <div className="ideas-controls">
      <nav aria-label={t("ideas:board.sortLabel")}>
        <ul className="ideas-sort" role="list">
          {IDEA_SORTS.map((sort) => (
            <li key={sort}>
              <Link
                to={viewHref(path, query, { sort })}
                aria-current={query.sort === sort ? "page" : undefined}
                preventScrollReset
              >
                {t(`ideas:board.sort.${sort}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {/* A GET form: the view is in the address, so it can be shared and works without JavaScript. */}
      <Form method="get" className="ideas-filter" role="search">
        {query.sort !== "top" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        <div>
          <label htmlFor="ideas-status">{t("ideas:board.statusLabel")}</label>
          <select id="ideas-status" name="status" defaultValue={query.status ?? ""}>
            <option value="">{t("ideas:board.allStatuses")}</option>
            {IDEA_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`ideas:status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="ideas-q">{t("ideas:board.searchLabel")}</label>
          <input id="ideas-q" type="search" name="q" defaultValue={query.q} maxLength={100} />
        </div>
        <button type="submit" className="button button-secondary">
          {t("ideas:board.searchSubmit")}
        </button>
        {query.q || query.status ? (
          <Link to={viewHref(path, query, { q: "", status: null })}>{t("ideas:board.clear")}</Link>
        ) : null}
      </Form>
    </div>
  );
}

function IdeaCard({ idea, slug, canVote }: { idea: Data["ideas"][number]; slug: string; canVote: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const titleId = `idea-${idea.id}-title`;
  return (
    <article id={`idea-${idea.id}`} className="idea-card" aria-labelledby={titleId}>
      <VoteForm ideaId={idea.id} title={idea.title} voted={idea.voted} voteCount={idea.voteCount} canVote={canVote} />
      <div>
        <h3 id={titleId}>
          <Link to={`/projects/${slug}/ideas/${idea.id}`}>{idea.title}</Link>
        </h3>
        <p className="idea-meta">
          <IdeaStatusBadge status={idea.status} />
          <span>{t(`ideas:kind.${idea.kind}`)}</span>
          <span>{t("ideas:board.by", { name: idea.authorName })}</span>
          <time dateTime={idea.createdAt}>{f.date(idea.createdAt)}</time>
          <Link to={`/projects/${slug}/ideas/${idea.id}#idea-comments-title`}>
            {t("ideas:board.comments", { count: idea.commentCount })}
          </Link>
        </p>
        {idea.statusNote ? <p className="idea-note">{idea.statusNote}</p> : null}
      </div>
    </article>
  );
}

function Pages({ data }: { data: Data }) {
  const { t } = useTranslation();
  const { query, path } = data;
  if (query.page === 1 && !data.hasNext) return null;
  return (
    <nav className="ideas-pages" aria-label={t("ideas:board.pages")}>
      {query.page > 1 ? (
        <Link to={viewHref(path, query, { page: query.page - 1 })}>{t("ideas:board.previous")}</Link>
      ) : (
        <span />
      )}
      {data.hasNext ? (
        <Link to={viewHref(path, query, { page: query.page + 1 })} className="button button-secondary">
          {t("ideas:board.next")}
        </Link>
      ) : null}
    </nav>
  );
}

function PostIdeaForm({ answer }: { answer: unknown }) {
  const { t } = useTranslation();
  const schema = useMemo(() => ideaFormSchema(t), [t]);
  const [form, fields] = useForm({
    id: "idea-new",
    lastResult: refusedAnswer(answer, "post"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "post";
  return (
    <section className="comment-composer" aria-labelledby="idea-new-title">
      <h3 id="idea-new-title">{t("ideas:form.title")}</h3>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError errors={form.errors} />
        <input type="hidden" name="intent" value="post" />
        <Field label={t("ideas:form.titleLabel")} field={fields.title} maxLength={IDEA_TITLE_MAX} required />
        <Select
          label={t("ideas:form.kindLabel")}
          field={fields.kind}
          placeholder={t("ideas:form.kindPlaceholder")}
          options={IDEA_KINDS.map((k) => ({ value: k, label: t(`ideas:kind.${k}`) }))}
          required
        />
        <TextArea
          label={t("ideas:form.bodyLabel")}
          hint={t("ideas:form.bodyHint")}
          field={fields.body}
          rows={5}
          maxLength={IDEA_BODY_MAX}
          required
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("ideas:form.submitting") : t("ideas:form.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
