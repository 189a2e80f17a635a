import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/components/creator-ui";
import { Field, FormError, RadioCards, TextArea } from "~/components/fields";
import { useLocale } from "~/components/locale";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { updateSchema, UPDATE_BODY_MAX, UPDATE_TITLE_MAX } from "~/domain/backer-messages";
import { refuse } from "~/domain/refusal";
import { recordAudit } from "~/models/audit.server";
import { listCampaignUpdates, postCampaignUpdate } from "~/models/campaign-update.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("creator:updates.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const updates = await listCampaignUpdates(await getDb(), { campaignId: campaign.id, viewerIsBacker: true });
  return json({
    campaign: { id: campaign.id, state: campaign.state, backers: campaign.backer_count },
    updates: updates.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const locale = requestLocale(request, user);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: updateSchema(t, locale) });
  if (campaign.state === "draft") return replyWithRefusal(submission, refuse(409, t("creator:updates.launchFirst")));
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const db = await getDb();
  const campaignUrl = new URL(`/projects/${campaign.slug}`, getConfig().appUrl).toString();
  const posted = await db.transaction().execute(async (trx) => {
    const result = await postCampaignUpdate(trx, {
      campaignId: campaign.id,
      authorId: actor.userId,
      ...submission.value,
      campaignTitle: campaign.title,
      campaignUrl,
      locale,
    });
    await recordAudit(trx, {
      actorId: actor.userId,
      action: "campaign.update_posted",
      subjectType: "campaign",
      subjectId: campaign.id,
      ip: actor.ip,
      detail: { updateId: result.id, visibility: submission.value.visibility, emailsQueued: result.emailsQueued },
    });
    return result;
  });
  return redirect(`/creator/campaigns/${campaign.id}/updates?posted=${posted.emailsQueued}`);
}

export default function UpdatesPage() {
  const { campaign, updates } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => updateSchema(t, locale), [t, locale]);
  const visibility = [
    { value: "public", label: t("creator:updates.everyone"), explanation: t("creator:updates.everyoneExplanation") },
    {
      value: "backers",
      label: t("creator:updates.backersOnly"),
      explanation: t("creator:updates.backersOnlyExplanation"),
    },
  ];
  const [form, fields] = useForm({
    defaultValue: { visibility: "public" },
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  const posted = searchParams.get("posted");
  return (
    <div className="creator-section updates-layout">
      <section className="card" aria-labelledby="post-update-heading">
        <h2 id="post-update-heading">{t("creator:updates.postTitle")}</h2>
        {posted !== null && !actionData ? (
          <p className="notice notice-success" role="status">
            {t("creator:updates.posted", { count: Number(posted) || 0 })}
          </p>
        ) : null}
        {campaign.state === "draft" ? (
          <p className="muted">{t("creator:updates.draftOnly")}</p>
        ) : (
          <Form method="post" {...getFormProps(form)} className="stack">
            <FormError errors={form.errors} />
            <Field label={t("creator:updates.title")} field={fields.title} maxLength={UPDATE_TITLE_MAX} />
            <TextArea
              label={t("creator:updates.body")}
              field={fields.bodyMd}
              rows={8}
              maxLength={UPDATE_BODY_MAX}
              hint={t("creator:updates.bodyHint")}
            />
            <RadioCards legend={t("creator:updates.whoCanRead")} field={fields.visibility} options={visibility} />
            <p className="muted small">{t("creator:updates.emailedTo", { count: campaign.backers })}</p>
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={submitting}>
                {submitting ? t("creator:updates.submitting") : t("creator:updates.submit")}
              </button>
            </div>
          </Form>
        )}
      </section>
      <section aria-labelledby="past-updates-heading">
        <h2 id="past-updates-heading">{t("creator:updates.pastTitle")}</h2>
        {updates.length === 0 ? (
          <p className="muted">{t("creator:updates.none")}</p>
        ) : (
          <ol className="update-list">
            {updates.map((u) => (
              <li key={u.id} className="card update-card">
                <header>
                  <h3>{u.title}</h3>
                  <p className="muted small">
                    {formatDateTime(u.createdAt, locale)} ·{" "}
                    {u.visibility === "backers" ? t("creator:updates.backersOnly") : t("creator:updates.everyone")}
                  </p>
                </header>
                <div className="prose" dangerouslySetInnerHTML={{ __html: u.html }} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
