import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError, TextArea } from "~/components/fields";
import { useLocale } from "~/components/locale";
import { getDb } from "~/db.server";
import { MAX_LENGTH } from "~/domain/conversation-limits";
import { newThreadSchema, THREAD_SUBJECT_MAX } from "~/domain/messages";
import { metaTranslator } from "~/i18n";
import { findMessageableCampaign, findThreadOf } from "~/models/message.server";
import { requireParticipant, requireUser } from "~/services/accounts/auth.server";
import { startThread } from "~/services/messages/messages.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import styles from "~/styles/messages.css";

// "Ask the creator" (/messages/new?campaign=<slug>): the first message of a private thread with
// a campaign's creator. Someone who already has a thread with the campaign is taken to it.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("messages:new.meta") }];

const SLUG = /^[a-z0-9-]{1,80}$/;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const slug = new URL(request.url).searchParams.get("campaign") ?? "";
  if (!SLUG.test(slug)) notFound(t("messages:new.campaignNotFound"));
  const db = await getDb();
  const campaign = await findMessageableCampaign(db, slug);
  if (!campaign) notFound(t("messages:new.campaignNotFound"));
  if (campaign.creatorId === user.id) {
    throw new Response(t("messages:new.ownCampaign"), {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const existing = await findThreadOf(db, { campaignId: campaign.id, participantId: user.id });
  if (existing) return redirect(`/messages/${existing}`);
  return json({ campaign: { slug: campaign.slug, title: campaign.title, creatorName: campaign.creatorName } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireParticipant(request);
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const submission = parseWithZod(await readForm(request), { schema: newThreadSchema(t, locale) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await startThread(await getDb(), {
    campaignSlug: submission.value.campaign,
    subject: submission.value.subject,
    authorId: user.id,
    body: submission.value.body,
    t,
    locale,
  });
  if (!result.ok) {
    const headers: HeadersInit =
      "retryAfterSeconds" in result ? { "Retry-After": String(result.retryAfterSeconds) } : {};
    return replyWithRefusal(submission, result, { headers });
  }
  return redirect(`/messages/${result.threadId}#message-${result.messageId}`);
}

export default function NewThread() {
  const { campaign } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => newThreadSchema(t, locale), [t, locale]);
  const [form, fields] = useForm({
    defaultValue: { campaign: campaign.slug },
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  return (
    <div className="container messages-page">
      <p className="breadcrumb">
        <Link to={`/projects/${campaign.slug}`}>{t("messages:new.about", { campaign: campaign.title })}</Link>
      </p>
      <section className="card new-thread" aria-labelledby="new-thread-heading">
        <h1 id="new-thread-heading">{t("messages:new.title", { name: campaign.creatorName })}</h1>
        <p className="muted">{t("messages:new.private")}</p>
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormError errors={form.errors} />
          <input {...getInputProps(fields.campaign, { type: "hidden" })} />
          <Field label={t("messages:new.subject")} field={fields.subject} maxLength={THREAD_SUBJECT_MAX} />
          <TextArea
            label={t("messages:new.body")}
            field={fields.body}
            rows={8}
            maxLength={MAX_LENGTH.message}
            hint={t("messages:thread.hint")}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={submitting}>
              {submitting ? t("messages:new.sending") : t("messages:new.send")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
