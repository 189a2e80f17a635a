import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CommentThread, commentThreadLinks } from "~/components/comments/comment-thread";
import { FieldError, FormError, formErrorsOf, Select, TextArea } from "~/components/fields";
import { IdeaStatusBadge, ideaLinks, PermissionText, refusedAnswer, VoteForm } from "~/components/ideas/idea-ui";
import { useFormat } from "~/components/locale";
import { ProjectTabs } from "~/components/project-tabs";
import { ReportForm } from "~/components/report-form";
import { IDEA_NOTE_MAX, IDEA_STATUSES, ideaAnswerSchema } from "~/domain/crowd";
import { metaTranslator } from "~/i18n";
import publicStyles from "~/styles/public.css";
import { actOnIdeaPage, loadIdeaPageData } from "~/web/idea-pages.server";
import { publicRouteHeaders } from "~/web/page-cache.server";

// One idea of a project's board: its description, votes, status with the creator's public note
// and history, its thank-you, the creator's answer form and hide/show, the author's delete, a
// report control, and its comment thread.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: publicStyles },
  ...commentThreadLinks,
  ...ideaLinks,
];

export const headers = publicRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  if (!data) return [{ title: t("ideas:meta.notFound") }];
  return [{ title: t("ideas:meta.idea", { idea: data.idea.title, title: data.campaign.title }) }];
};

export function loader({ request, params }: LoaderFunctionArgs) {
  return loadIdeaPageData(request, { slug: params.slug, ideaId: params.ideaId });
}

export function action({ request, params }: ActionFunctionArgs) {
  return actOnIdeaPage(request, { slug: params.slug, ideaId: params.ideaId });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

// "newIdea", not "post": the comment thread below confirms its own "post".
const DONE = ["newIdea", "vote", "unvote", "answer", "hideIdea", "showIdea"] as const;

export default function IdeaPage() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const c = data.campaign;
  const idea = data.idea;
  const done = params.get("done");
  // The thread's own forms confirm themselves; these are the idea's.
  const ideaDone = done && (DONE as readonly string[]).includes(done) && !answer ? done : null;
  const toolError = refusedAnswer(answer, "vote") ?? refusedAnswer(answer, "unvote");
  return (
    <div className="container thread-page ideas-page">
      <header>
        <p className="muted small">
          <Link to={data.boardPath}>{t("ideas:idea.backToBoard")}</Link>
        </p>
        <p className="muted">{c.title}</p>
      </header>
      <ProjectTabs slug={c.slug} commentCount={c.commentCount} ideaCount={c.ideaCount} current="ideas" />
      {ideaDone ? (
        <p className="notice notice-success" role="status">
          {t(`ideas:done.${ideaDone}`)}
        </p>
      ) : null}
      {idea.visibility === "hidden" ? <p className="notice">{t("ideas:idea.hiddenNotice")}</p> : null}
      <article className="idea-detail" aria-labelledby="idea-title">
        <div className="idea-detail-head">
          <div>
            <p className="idea-meta">
              <IdeaStatusBadge status={idea.status} />
              <span>{t(`ideas:kind.${idea.kind}`)}</span>
            </p>
            <h1 id="idea-title">{idea.title}</h1>
            <p className="idea-meta">
              <span>{t("ideas:idea.postedBy", { name: idea.authorName })}</span>
              <time dateTime={idea.createdAt}>{f.date(idea.createdAt)}</time>
            </p>
          </div>
          <VoteForm
            ideaId={idea.id}
            title={idea.title}
            voted={idea.voted}
            voteCount={idea.voteCount}
            canVote={data.may.vote}
          />
        </div>
        <FormError errors={toolError?.error?.[""] ?? undefined} />
        {data.permission !== "ok" && idea.visibility === "visible" && c.ideasEnabled ? (
          <p className="muted small">
            <PermissionText permission={data.permission} path={data.path} />
          </p>
        ) : null}
        <div className="idea-body prose" dangerouslySetInnerHTML={{ __html: idea.html }} />
        {idea.statusNote ? (
          <section className="idea-answer" aria-labelledby="idea-answer-title">
            <h2 id="idea-answer-title">{t("ideas:idea.creatorAnswer")}</h2>
            <p className="idea-note">{idea.statusNote}</p>
          </section>
        ) : null}
        {idea.credit ? (
          <p className="idea-thanks notice notice-success">
            {idea.credit.kind === "reward" && idea.credit.tierTitle
              ? t("ideas:idea.thanksReward", { tier: idea.credit.tierTitle })
              : t("ideas:idea.thanksMention")}
          </p>
        ) : null}
        {idea.history.length ? (
          <section className="idea-history" aria-labelledby="idea-history-title">
            <h2 id="idea-history-title">{t("ideas:idea.history")}</h2>
            <ol>
              {idea.history.map((h) => (
                <li key={h.id}>
                  <time dateTime={h.at}>{f.date(h.at)}</time>:{" "}
                  {t("ideas:idea.historyMove", { from: t(`ideas:status.${h.from}`), to: t(`ideas:status.${h.to}`) })}
                  {h.note ? <span className="muted"> — {h.note}</span> : null}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        <IdeaTools data={data} answer={answer} />
        {data.answering ? <AnswerForm data={data} answer={answer} /> : null}
      </article>
      {idea.visibility === "visible" ? (
        <CommentThread
          headingId="idea-comments-title"
          heading={t("ideas:idea.comments")}
          count={idea.commentCount}
          permission={data.thread.permission}
          comments={data.thread.comments}
          nextBefore={data.thread.nextBefore}
          path={data.path}
          answer={answer}
        />
      ) : null}
    </div>
  );
}

/** The idea's own buttons: the creator's hide or show, the author's delete, anyone else's report. */
function IdeaTools({ data, answer }: { data: Data; answer: unknown }) {
  const { t } = useTranslation();
  const { idea, may } = data;
  const refused =
    refusedAnswer(answer, "hideIdea") ?? refusedAnswer(answer, "showIdea") ?? refusedAnswer(answer, "deleteIdea");
  if (!may.answer && !may.delete && !may.report) return null;
  return (
    <div className="idea-tools">
      <FormError errors={formErrorsOf(refused)} />
      {may.answer ? (
        idea.visibility === "hidden" ? (
          <IntentButton intent="showIdea">{t("ideas:idea.show")}</IntentButton>
        ) : (
          <IntentButton intent="hideIdea">{t("ideas:idea.hide")}</IntentButton>
        )
      ) : null}
      {may.delete ? (
        <IntentButton intent="deleteIdea" confirm={t("ideas:idea.deleteConfirm")}>
          {t("ideas:idea.delete")}
        </IntentButton>
      ) : null}
      {may.report ? <ReportForm subjectType="idea" subjectId={idea.id} redirectTo={data.path} /> : null}
    </div>
  );
}

function IntentButton({ intent, confirm, children }: { intent: string; confirm?: string; children: ReactNode }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <Form
      method="post"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className="link-button" disabled={busy}>
        {children}
      </button>
    </Form>
  );
}

/** The creator's answer: a status, a public note, and for an adopted idea a thank-you. */
function AnswerForm({ data, answer }: { data: Data; answer: unknown }) {
  const { t } = useTranslation();
  const { idea } = data;
  const options = data.answering!;
  const schema = useMemo(() => ideaAnswerSchema(t), [t]);
  const refused = refusedAnswer(answer, "answer");
  const [form, fields] = useForm({
    id: "idea-answer",
    lastResult: refused,
    defaultValue: {
      status: idea.status,
      note: idea.statusNote,
      credit: idea.credit?.kind ?? "none",
      tierId: "",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const busy = useNavigation().state === "submitting";
  const creditChoices = ["none", "mention", "reward"] as const;
  return (
    <section className="idea-answer-form card" aria-labelledby="idea-answer-form-title">
      <h2 id="idea-answer-form-title">{t("ideas:answer.title")}</h2>
      <p className="muted small">{t("ideas:answer.intro")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError errors={form.errors} />
        <input type="hidden" name="intent" value="answer" />
        <Select
          label={t("ideas:answer.statusLabel")}
          field={fields.status}
          options={IDEA_STATUSES.map((s) => ({
            value: s,
            label: t(`ideas:status.${s}`),
            // An answered idea does not go back to "new".
            disabled: s === "new" && idea.status !== "new",
          }))}
        />
        <TextArea
          label={t("ideas:answer.noteLabel")}
          hint={t("ideas:answer.noteHint")}
          field={fields.note}
          rows={3}
          maxLength={IDEA_NOTE_MAX}
        />
        <fieldset
          className="field"
          aria-invalid={fields.credit.errors ? true : undefined}
          aria-describedby={fields.credit.errors ? fields.credit.errorId : undefined}
        >
          <legend>{t("ideas:answer.creditLegend")}</legend>
          {creditChoices.map((choice) => (
            <label key={choice} className="inline-radio">
              <input
                type="radio"
                name={fields.credit.name}
                value={choice}
                defaultChecked={(fields.credit.initialValue ?? "none") === choice}
                disabled={choice === "reward" && !options.authorBacks}
              />{" "}
              {t(`ideas:answer.credit.${choice}`)}
            </label>
          ))}
          {!options.authorBacks ? <p className="field-hint">{t("ideas:answer.noPledge")}</p> : null}
          <FieldError id={fields.credit.errorId} errors={fields.credit.errors} />
        </fieldset>
        {options.authorBacks ? (
          <Select
            label={t("ideas:answer.tierLabel")}
            field={fields.tierId}
            placeholder={t("ideas:answer.tierPlaceholder")}
            options={options.tiers.map((tier) => ({ value: tier.id, label: tier.title }))}
          />
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t("ideas:answer.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
