import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError, TextArea } from "~/components/fields";
import { useLocale } from "~/components/locale";
import { getDb } from "~/db.server";
import { MAX_LENGTH } from "~/domain/conversation-limits";
import { isUuid } from "~/domain/ids";
import { FAQ_QUESTION_MAX, faqEntryActionSchema, faqEntrySchema } from "~/domain/messages";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { deleteFaqEntry, listFaqEntries, moveFaqEntry } from "~/models/faq.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { saveFaqEntry } from "~/services/messages/faq.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import styles from "~/styles/messages.css";

// The creator's FAQ editor: add, edit (?edit=<id>), reorder and delete question/answer pairs.
// Plain forms, so it all works before JavaScript; every write checks ownership in its query.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("messages:faq.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const entries = await listFaqEntries(await getDb(), campaign.id);
  const editId = new URL(request.url).searchParams.get("edit");
  const editing = isUuid(editId) ? (entries.find((e) => e.id === editId) ?? null) : null;
  return json({ campaignId: campaign.id, entries, editing });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const db = await getDb();
  const here = `/creator/campaigns/${campaign.id}/faq`;
  const intent = form.get("intent");
  if (intent === "up" || intent === "down" || intent === "delete") {
    const parsed = faqEntryActionSchema(t).safeParse(Object.fromEntries(form));
    if (!parsed.success) notFound(t("messages:faq.notFound"));
    const target = { campaignId: campaign.id, creatorId: actor.userId, entryId: parsed.data.entryId };
    const done =
      parsed.data.intent === "delete"
        ? await deleteFaqEntry(db, target)
        : await moveFaqEntry(db, { ...target, direction: parsed.data.intent });
    if (!done) notFound(t("messages:faq.notFound"));
    return redirect(parsed.data.intent === "delete" ? `${here}?deleted=1` : here);
  }
  const submission = parseWithZod(form, { schema: faqEntrySchema(t, requestLocale(request, user)) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const saved = await saveFaqEntry(db, { campaignId: campaign.id, creatorId: actor.userId, ...submission.value, t });
  if (!saved.ok) {
    if (saved.status === 404) return replyWithRefusal(submission, refuse(404, saved.formError));
    const headers: HeadersInit = "retryAfterSeconds" in saved ? { "Retry-After": String(saved.retryAfterSeconds) } : {};
    return replyWithRefusal(submission, saved, { headers });
  }
  return redirect(`${here}?saved=1`);
}

export default function FaqEditor() {
  const { campaignId, entries, editing } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const actionData = useActionData<typeof action>();
  const here = `/creator/campaigns/${campaignId}/faq`;
  const notice = actionData
    ? null
    : searchParams.has("saved")
      ? t("messages:faq.saved")
      : searchParams.has("deleted")
        ? t("messages:faq.deleted")
        : null;
  return (
    <div className="creator-section faq-editor">
      <section aria-labelledby="faq-heading">
        <h2 id="faq-heading">{t("messages:faq.title")}</h2>
        <p className="muted">{t("messages:faq.intro")}</p>
        {notice ? (
          <p className="notice notice-success" role="status">
            {notice}
          </p>
        ) : null}
        {entries.length === 0 ? (
          <p className="muted">{t("messages:faq.none")}</p>
        ) : (
          <ol className="faq-editor-list">
            {entries.map((entry, index) => (
              <li
                key={entry.id}
                className={editing?.id === entry.id ? "card faq-editor-entry is-editing" : "card faq-editor-entry"}
              >
                <div className="faq-editor-text">
                  <h3>{entry.question}</h3>
                  <div className="prose faq-answer" dangerouslySetInnerHTML={{ __html: entry.answerHtml }} />
                </div>
                <div className="faq-editor-actions">
                  <Link
                    to={`${here}?edit=${entry.id}#faq-form`}
                    className="button button-ghost button-small"
                    aria-label={t("messages:faq.editLabel", { question: entry.question })}
                  >
                    {t("messages:faq.edit")}
                  </Link>
                  <Form method="post" className="faq-editor-buttons">
                    <input type="hidden" name="entryId" value={entry.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="up"
                      className="button button-ghost button-small"
                      disabled={index === 0}
                      aria-label={t("messages:faq.moveUpLabel", { question: entry.question })}
                    >
                      <span aria-hidden="true">↑</span>{" "}
                      <span className="faq-move-word">{t("messages:faq.moveUp")}</span>
                    </button>
                    <button
                      type="submit"
                      name="intent"
                      value="down"
                      className="button button-ghost button-small"
                      disabled={index === entries.length - 1}
                      aria-label={t("messages:faq.moveDownLabel", { question: entry.question })}
                    >
                      <span aria-hidden="true">↓</span>{" "}
                      <span className="faq-move-word">{t("messages:faq.moveDown")}</span>
                    </button>
                    <button
                      type="submit"
                      name="intent"
                      value="delete"
                      className="button button-ghost button-small button-danger-text"
                      aria-label={t("messages:faq.deleteLabel", { question: entry.question })}
                    >
                      {t("messages:faq.delete")}
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
      <FaqEntryForm key={editing?.id ?? "new"} editing={editing} cancelTo={here} />
    </div>
  );
}

type Editing = ReturnType<typeof useLoaderData<typeof loader>>["editing"];

function FaqEntryForm({ editing, cancelTo }: { editing: Editing; cancelTo: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const actionData = useActionData<typeof action>();
  const schema = useMemo(() => faqEntrySchema(t, locale), [t, locale]);
  const [form, fields] = useForm({
    id: `faq-${editing?.id ?? "new"}`,
    defaultValue: editing ? { entryId: editing.id, question: editing.question, answerMd: editing.answerMd } : undefined,
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  return (
    <section className="card faq-form" id="faq-form" aria-labelledby="faq-form-heading">
      <h2 id="faq-form-heading">{editing ? t("messages:faq.editTitle") : t("messages:faq.addTitle")}</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError errors={form.errors} />
        {editing ? <input type="hidden" name="entryId" value={editing.id} /> : null}
        <Field label={t("messages:faq.question")} field={fields.question} maxLength={FAQ_QUESTION_MAX} />
        <TextArea
          label={t("messages:faq.answer")}
          field={fields.answerMd}
          rows={6}
          maxLength={MAX_LENGTH.faq}
          hint={t("messages:faq.answerHint")}
        />
        <div className="form-actions">
          <button type="submit" name="intent" value="save" className="button button-primary" disabled={submitting}>
            {submitting ? t("messages:faq.adding") : editing ? t("messages:faq.save") : t("messages:faq.add")}
          </button>
          {editing ? (
            <Link to={cancelTo} className="button button-ghost">
              {t("messages:faq.cancel")}
            </Link>
          ) : null}
        </div>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
