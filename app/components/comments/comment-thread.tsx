import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { LinkDescriptor } from "@remix-run/node";
import { Form, Link, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { FormError, TextArea } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { ReportForm, reportFormLinks } from "~/components/report-form";
import { commentActionSchema, type CommentItem, type CommentPermission } from "~/domain/comments";
import { MAX_LENGTH } from "~/domain/conversation-limits";
import styles from "~/styles/comments.css";

// A comment thread as a page shows it: the composer (or why the viewer cannot write), the
// comments newest first with their replies, and each comment's own forms (reply, edit, delete,
// hide, report). Every form is a plain POST to the page, so it works without JavaScript; the
// answer of a refused form carries what was typed, and only the form it came from shows it.

export const commentThreadLinks: LinkDescriptor[] = [{ rel: "stylesheet", href: styles }, ...reportFormLinks];

/** The intents whose success the page confirms (the redirect carries `?done=`). */
const DONE = ["post", "reply", "edit", "delete", "hide", "show"] as const;

export interface CommentThreadProps {
  headingId: string;
  heading: string;
  /** Shown beside the heading when given. */
  count?: number;
  permission: CommentPermission | "lockedUpdate";
  comments: CommentItem[];
  nextBefore: string | null;
  /** This page's path: report and sign-in links come back here. */
  path: string;
  /** The action's answer when a form was refused. */
  answer: unknown;
}

export function CommentThread(p: CommentThreadProps) {
  const { t } = useTranslation();
  const f = useFormat();
  const [params] = useSearchParams();
  const done = params.get("done");
  const paged = params.has("before");
  // A new location (after a post) starts the composer empty; a refused one refills it from the answer.
  const { key } = useLocation();
  return (
    <section className="comments" aria-labelledby={p.headingId}>
      <h2 id={p.headingId}>
        {p.heading} {p.count !== undefined ? <span className="muted">({f.number(p.count)})</span> : null}
      </h2>
      {done && (DONE as readonly string[]).includes(done) && !p.answer ? (
        <p className="notice notice-success" role="status">
          {t(`comments:done.${done}`)}
        </p>
      ) : null}
      {p.permission === "ok" ? (
        <Composer key={key} answer={p.answer} />
      ) : (
        <p className="comments-closed notice">
          <PermissionText permission={p.permission} path={p.path} />
        </p>
      )}
      {p.comments.length === 0 ? (
        <p className="muted">{p.permission === "closed" ? t("comments:emptyClosed") : t("comments:empty")}</p>
      ) : (
        <ol className="comment-list" role="list">
          {p.comments.map((c) => (
            <li key={c.id}>
              <Comment comment={c} answer={p.answer} path={p.path} />
            </li>
          ))}
        </ol>
      )}
      <nav className="comments-pages" aria-label={t("comments:title")}>
        {paged ? <Link to={p.path}>{t("comments:newest")}</Link> : null}
        {p.nextBefore ? (
          <Link to={`${p.path}?before=${p.nextBefore}`} className="button button-secondary">
            {t("comments:older")}
          </Link>
        ) : null}
      </nav>
    </section>
  );
}

function PermissionText({ permission, path }: { permission: CommentThreadProps["permission"]; path: string }) {
  const { t } = useTranslation();
  if (permission === "signIn")
    return (
      <Trans
        i18nKey="comments:permission.signIn"
        t={t}
        components={{ signIn: <SignInLink to={`/login?redirectTo=${encodeURIComponent(path)}`} /> }}
      />
    );
  if (permission === "ok") return null;
  return <>{t(`comments:permission.${permission}`)}</>;
}

function SignInLink({ to, children }: { to: string; children?: ReactNode }) {
  return <Link to={to}>{children}</Link>;
}

/** The refused answer of the form with this intent (and, for a comment's forms, this comment). */
function answerOf(answer: unknown, intent: string, idField?: string, id?: string): SubmissionResult | undefined {
  const result = answer as SubmissionResult | null | undefined;
  const sent = result?.initialValue;
  if (!sent || sent.intent !== intent) return undefined;
  return idField && sent[idField] !== id ? undefined : result!;
}

function useCommentForm(id: string, lastResult: SubmissionResult | undefined, body?: string) {
  const { t } = useTranslation();
  const schema = useMemo(() => commentActionSchema(t), [t]);
  return useForm({
    id,
    lastResult,
    defaultValue: body === undefined ? undefined : { body },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
}

/** Whether the page is submitting the form of this intent (for this comment). */
function useBusy(intent: string, idField?: string, id?: string) {
  const navigation = useNavigation();
  const data = navigation.formData;
  return navigation.state === "submitting" && data?.get("intent") === intent && (!idField || data.get(idField) === id);
}

function Composer({ answer }: { answer: unknown }) {
  const { t } = useTranslation();
  const [form, fields] = useCommentForm("comment-new", answerOf(answer, "post"));
  const busy = useBusy("post");
  return (
    <Form method="post" {...getFormProps(form)} className="comment-composer stack">
      <FormError errors={form.errors} />
      <input type="hidden" name="intent" value="post" />
      <TextArea
        label={t("comments:composer.label")}
        hint={t("comments:composer.hint")}
        field={fields.body}
        rows={4}
        maxLength={MAX_LENGTH.comment}
        placeholder={t("comments:composer.placeholder")}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t("comments:composer.submitting") : t("comments:composer.submit")}
        </button>
      </div>
    </Form>
  );
}

function Comment({ comment: c, answer, path }: { comment: CommentItem; answer: unknown; path: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const nameId = `comment-${c.id}-author`;
  return (
    <article id={`comment-${c.id}`} className={`comment comment-${c.visibility}`} aria-labelledby={nameId}>
      <header className="comment-header">
        <span id={nameId} className="comment-author">
          {c.visibility === "deleted" ? t("comments:deletedPlaceholder") : c.authorName}
        </span>
        {c.byCreator && c.visibility !== "deleted" ? (
          <span className="badge badge-creator">{t("comments:creatorBadge")}</span>
        ) : null}
        <a href={`#comment-${c.id}`} className="comment-time muted">
          <time dateTime={c.createdAt}>{f.shortDateTime(c.createdAt)}</time>
        </a>
        {c.editedAt ? <span className="muted small">({t("comments:edited")})</span> : null}
      </header>
      {c.visibility === "visible" ? (
        <div className="comment-body prose" dangerouslySetInnerHTML={{ __html: c.html }} />
      ) : c.visibility === "hidden" ? (
        <p className="comment-placeholder">{t("comments:hiddenPlaceholder")}</p>
      ) : null}
      <CommentActions comment={c} answer={answer} path={path} />
      {c.replies.length ? (
        <ol className="comment-replies" role="list" aria-label={t("comments:repliesLabel", { name: c.authorName })}>
          {c.replies.map((r) => (
            <li key={r.id}>
              <Comment comment={r} answer={answer} path={path} />
            </li>
          ))}
        </ol>
      ) : null}
      {c.may.reply ? <ReplyForm parentId={c.id} answer={answer} /> : null}
    </article>
  );
}

function CommentActions({ comment: c, answer, path }: { comment: CommentItem; answer: unknown; path: string }) {
  const { t } = useTranslation();
  const refused = answerOf(answer, "delete", "commentId", c.id) ?? answerOf(answer, "hide", "commentId", c.id);
  const buttons = c.may.delete || c.may.hide || c.may.show;
  if (!buttons && !c.editableSource && !c.may.report) return null;
  return (
    <div className="comment-actions">
      {refused?.error?.[""] ? <FormError errors={refused.error[""]} /> : null}
      {c.editableSource !== null ? <EditForm comment={c} answer={answer} /> : null}
      {c.may.delete ? (
        <IntentButton intent="delete" commentId={c.id} confirm={t("comments:delete.confirm")}>
          {t("comments:delete.button")}
        </IntentButton>
      ) : null}
      {c.may.hide ? (
        <IntentButton intent="hide" commentId={c.id}>
          {t("comments:hide")}
        </IntentButton>
      ) : null}
      {c.may.show ? (
        <IntentButton intent="show" commentId={c.id}>
          {t("comments:show")}
        </IntentButton>
      ) : null}
      {c.may.report ? <ReportForm subjectType="comment" subjectId={c.id} redirectTo={path} /> : null}
    </div>
  );
}

function IntentButton({
  intent,
  commentId,
  confirm,
  children,
}: {
  intent: "delete" | "hide" | "show";
  commentId: string;
  confirm?: string;
  children: ReactNode;
}) {
  const busy = useBusy(intent, "commentId", commentId);
  return (
    <Form
      method="post"
      className="comment-button-form"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="commentId" value={commentId} />
      <button type="submit" className="link-button" disabled={busy}>
        {children}
      </button>
    </Form>
  );
}

function ReplyForm({ parentId, answer }: { parentId: string; answer: unknown }) {
  const { t } = useTranslation();
  const refused = answerOf(answer, "reply", "parentId", parentId);
  const [form, fields] = useCommentForm(`reply-${parentId}`, refused);
  const busy = useBusy("reply", "parentId", parentId);
  return (
    <details className="comment-reply" open={Boolean(refused) || undefined}>
      <summary>{t("comments:reply.open")}</summary>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError errors={form.errors} />
        <input type="hidden" name="intent" value="reply" />
        <input type="hidden" name="parentId" value={parentId} />
        <TextArea label={t("comments:reply.label")} field={fields.body} rows={3} maxLength={MAX_LENGTH.comment} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("comments:composer.submitting") : t("comments:reply.submit")}
          </button>
        </div>
      </Form>
    </details>
  );
}

function EditForm({ comment: c, answer }: { comment: CommentItem; answer: unknown }) {
  const { t } = useTranslation();
  const refused = answerOf(answer, "edit", "commentId", c.id);
  const [form, fields] = useCommentForm(`edit-${c.id}`, refused, c.editableSource ?? "");
  const busy = useBusy("edit", "commentId", c.id);
  return (
    <details className="comment-edit" open={Boolean(refused) || undefined}>
      <summary>{t("comments:edit.open")}</summary>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError errors={form.errors} />
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name="commentId" value={c.id} />
        <TextArea
          label={t("comments:edit.label")}
          hint={t("comments:edit.window")}
          field={fields.body}
          rows={3}
          maxLength={MAX_LENGTH.comment}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t("comments:edit.submit")}
          </button>
        </div>
      </Form>
    </details>
  );
}
