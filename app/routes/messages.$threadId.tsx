import { ReportForm, reportFormLinks } from "~/components/report-form";
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";
import { FormError, TextArea } from "~/components/fields";
import { useFormat, useLocale } from "~/components/locale";
import { getDb } from "~/db.server";
import { MAX_LENGTH } from "~/domain/conversation-limits";
import { isUuid } from "~/domain/ids";
import { messageBodySchema } from "~/domain/messages";
import { metaTranslator } from "~/i18n";
import { backingOf, getThreadFor, listThreadMessages, markThreadRead } from "~/models/message.server";
import { requireParticipant, requireUser } from "~/services/accounts/auth.server";
import { replyInThread } from "~/services/messages/messages.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import styles from "~/styles/messages.css";

// One private thread, oldest message first, with a reply box. Only its participant and the
// campaign's creator find it (anyone else: 404). Opening it marks it read for the viewer's side.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }, ...reportFormLinks];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [{ title: data ? t("messages:thread.meta", { subject: data.thread.subject }) : t("messages:inbox.meta") }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  if (!isUuid(params.threadId)) notFound(t("messages:thread.notFound"));
  const db = await getDb();
  const thread = await getThreadFor(db, { threadId: params.threadId, viewerId: user.id });
  if (!thread) notFound(t("messages:thread.notFound"));
  const messages = await listThreadMessages(db, { threadId: thread.id, viewerId: user.id });
  const latest = messages.at(-1);
  // Read up to the newest message shown (not "now"): one arriving meanwhile stays unread.
  if (latest && (!thread.readAt || thread.readAt <= latest.createdAt)) {
    await markThreadRead(db, { threadId: thread.id, viewerId: user.id, upToMessageId: latest.id });
  }
  const backing =
    thread.side === "creator"
      ? await backingOf(db, {
          campaignId: thread.campaign.id,
          participantId: thread.participant.id,
          creatorId: user.id,
        })
      : null;
  return json({
    thread: {
      id: thread.id,
      subject: thread.subject,
      side: thread.side,
      campaign: { slug: thread.campaign.slug, title: thread.campaign.title },
      participantName: thread.participant.name,
      creatorId: thread.creator.id,
      creatorName: thread.creator.name,
    },
    viewerId: user.id,
    messages: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
    backing: backing ? backing.map((b) => ({ id: b.id, tierTitle: b.tierTitle })) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireParticipant(request);
  const t = requestTranslator(request, user);
  if (!isUuid(params.threadId)) notFound(t("messages:thread.notFound"));
  const locale = requestLocale(request, user);
  const submission = parseWithZod(await readForm(request), { schema: messageBodySchema(t, locale) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await replyInThread(await getDb(), {
    threadId: params.threadId,
    authorId: user.id,
    body: submission.value.body,
    t,
    locale,
  });
  if (!result.ok) {
    if (result.status === 404) notFound(result.formError);
    const headers: HeadersInit =
      "retryAfterSeconds" in result ? { "Retry-After": String(result.retryAfterSeconds) } : {};
    return replyWithRefusal(submission, result, { headers });
  }
  return redirect(`/messages/${result.threadId}#message-${result.messageId}`);
}

export default function Thread() {
  const { thread, messages, viewerId, backing } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const otherName = thread.side === "participant" ? thread.creatorName : thread.participantName;
  return (
    <div className="container messages-page thread-page">
      <p className="breadcrumb">
        <Link to="/messages">{t("messages:thread.back")}</Link>
      </p>
      <header className="thread-header">
        <h1>{thread.subject}</h1>
        <p className="muted">
          <Trans
            i18nKey="messages:thread.about"
            t={t}
            values={{ campaign: thread.campaign.title }}
            components={{ project: <Link to={`/projects/${thread.campaign.slug}`} /> }}
            tOptions={{ interpolation: { escapeValue: true } }}
            shouldUnescape
          />
        </p>
        <p className="thread-with">
          {thread.side === "participant"
            ? t("messages:thread.withCreator", { name: otherName })
            : t("messages:thread.withParticipant", { name: otherName })}
          {backing ? <BackerBadge backing={backing} /> : null}
        </p>
      </header>
      <ol className="message-list" role="list">
        {messages.map((m) => {
          const mine = m.authorId === viewerId;
          const byCreator = m.authorId === thread.creatorId;
          return (
            <li key={m.id} id={`message-${m.id}`} className={mine ? "message message-mine" : "message"}>
              <p className="message-meta small">
                <strong>{mine ? t("messages:thread.you") : m.authorName}</strong>
                {byCreator ? <span className="creator-badge">{t("messages:thread.creatorBadge")}</span> : null}
                <time dateTime={m.createdAt} className="muted">
                  {f.shortDateTime(m.createdAt)}
                </time>
              </p>
              {m.hidden ? (
                <p className="message-hidden muted">{t("messages:thread.hidden")}</p>
              ) : (
                <div className="message-body" dangerouslySetInnerHTML={{ __html: m.html }} />
              )}
              {!mine && !m.hidden ? (
                <ReportForm subjectType="message" subjectId={m.id} redirectTo={`/messages/${thread.id}`} />
              ) : null}
            </li>
          );
        })}
      </ol>
      <ReplyForm key={messages.length} />
      <p className="muted small">{t("messages:thread.private", { name: otherName })}</p>
    </div>
  );
}

function BackerBadge({ backing }: { backing: Array<{ id: string; tierTitle: string | null }> }) {
  const { t } = useTranslation();
  if (backing.length === 0)
    return <span className="backer-badge backer-badge-none">{t("messages:thread.notBacker")}</span>;
  const tiers = [...new Set(backing.map((b) => b.tierTitle ?? t("messages:thread.noReward")))].join(", ");
  return (
    <span className="backer-badge">
      <strong>{t("messages:thread.backer")}</strong> · {t("messages:thread.backerOf", { tiers })}
    </span>
  );
}

function ReplyForm() {
  const { t } = useTranslation();
  const locale = useLocale();
  const actionData = useActionData<typeof action>();
  const schema = useMemo(() => messageBodySchema(t, locale), [t, locale]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  return (
    <section className="card reply-box" aria-labelledby="reply-heading">
      <h2 id="reply-heading">{t("messages:thread.reply")}</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError errors={form.errors} />
        <TextArea
          label={t("messages:thread.replyLabel")}
          field={fields.body}
          rows={5}
          maxLength={MAX_LENGTH.message}
          hint={t("messages:thread.hint")}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={submitting}>
            {submitting ? t("messages:thread.sending") : t("messages:thread.send")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
