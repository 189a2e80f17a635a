import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { formatDateTime } from "~/components/creator-ui";
import { Field, FormError, RadioCards, TextArea } from "~/components/fields";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { updateSchema, UPDATE_BODY_MAX, UPDATE_TITLE_MAX } from "~/domain/backer-messages";
import { refuse } from "~/domain/refusal";
import { recordAudit } from "~/models/audit.server";
import { listCampaignUpdates, postCampaignUpdate } from "~/models/campaign-update.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { renderMarkdown } from "~/domain/markdown";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = () => [{ title: "Updates · Colecta" }];

const VISIBILITY = [
  { value: "public", label: "Everyone", explanation: "Shown on your project page. Backers also get it by email." },
  { value: "backers", label: "Backers only", explanation: "Only your backers can read it, on the page and by email." },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const updates = await listCampaignUpdates(await getDb(), { campaignId: campaign.id, viewerIsBacker: true });
  return json({
    campaign: { id: campaign.id, state: campaign.state, backers: campaign.backer_count },
    updates: updates.map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), html: renderMarkdown(u.bodyMd) })),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, campaign } = await requireCreatorCampaign(request, params, context);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: updateSchema });
  if (campaign.state === "draft")
    return replyWithRefusal(submission, refuse(409, "Launch the campaign first: updates go to backers."));
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
  const [form, fields] = useForm({
    defaultValue: { visibility: "public" },
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: updateSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  const posted = searchParams.get("posted");
  return (
    <div className="creator-section updates-layout">
      <section className="card" aria-labelledby="post-update-heading">
        <h2 id="post-update-heading">Post an update</h2>
        {posted !== null && !actionData ? (
          <p className="notice notice-success" role="status">
            Update posted. {Number(posted) === 1 ? "1 backer" : `${Number(posted) || 0} backers`} will get it by email.
          </p>
        ) : null}
        {campaign.state === "draft" ? (
          <p className="muted">You can post updates once your campaign is live.</p>
        ) : (
          <Form method="post" {...getFormProps(form)} className="stack">
            <FormError errors={form.errors} />
            <Field label="Title" field={fields.title} maxLength={UPDATE_TITLE_MAX} />
            <TextArea
              label="Update"
              field={fields.bodyMd}
              rows={8}
              maxLength={UPDATE_BODY_MAX}
              hint="Markdown works here too."
            />
            <RadioCards legend="Who can read it" field={fields.visibility} options={VISIBILITY} />
            <p className="muted small">
              It is emailed to your {campaign.backers} {campaign.backers === 1 ? "backer" : "backers"}.
            </p>
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={submitting}>
                {submitting ? "Posting…" : "Post update"}
              </button>
            </div>
          </Form>
        )}
      </section>
      <section aria-labelledby="past-updates-heading">
        <h2 id="past-updates-heading">Posted updates</h2>
        {updates.length === 0 ? (
          <p className="muted">No updates yet. A short note every week or two keeps backers with you.</p>
        ) : (
          <ol className="update-list">
            {updates.map((u) => (
              <li key={u.id} className="card update-card">
                <header>
                  <h3>{u.title}</h3>
                  <p className="muted small">
                    {formatDateTime(u.createdAt)} · {u.visibility === "backers" ? "Backers only" : "Everyone"}
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
