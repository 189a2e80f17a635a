import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CampaignForm } from "~/components/campaign-form";
import { formatDateTime } from "~/components/creator-ui";
import { getDb } from "~/db.server";
import { campaignDraftSchema, campaignFormValues, campaignLiveSchema } from "~/domain/campaign-form";
import { fixedFieldChanges } from "~/domain/campaign-terms";
import { imageUrl } from "~/domain/images";
import { renderMarkdown } from "~/domain/markdown";
import { formatMoney } from "~/domain/money";
import { refuse, refuseField, type Refusal } from "~/domain/refusal";
import { updateDraft, updateLiveCampaign, type CreatorActor } from "~/models/campaign.server";
import {
  coverProblem,
  readCampaignForm,
  type CoverUpload,
  requireCreatorCampaign,
  storeCover,
} from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";

export const meta: MetaFunction = () => [{ title: "Edit campaign · Colecta" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  return json({
    id: campaign.id,
    state: campaign.state,
    values: campaignFormValues(campaign),
    coverUrl: campaign.cover_image_id ? imageUrl(campaign.cover_image_id) : null,
    storyHtml: renderMarkdown(campaign.story_md),
    fixed: {
      slug: campaign.slug,
      goal: formatMoney(Number(campaign.goal_amount), campaign.currency),
      deadline: campaign.deadline ? formatDateTime(campaign.deadline) : "—",
      fundingModel: campaign.funding_model,
      collection: campaign.collection,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, campaign } = await requireCreatorCampaign(request, params, context);
  const { form, cover } = await readCampaignForm(request);
  const db = await getDb();
  const coverError = coverProblem(cover);

  if (campaign.state === "draft") {
    const submission = parseWithZod(form, { schema: campaignDraftSchema() });
    if (coverError) return replyWithRefusal(submission, refuseField(400, "cover", coverError));
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    return saveWithCover(submission, { actor, cover, campaignId: campaign.id }, (coverImageId) =>
      updateDraft(db, { campaignId: campaign.id, actor, input: submission.value, coverImageId }),
    );
  }

  // Launched: goal, currency, deadline and funding terms are fixed; say so if a change is tried.
  const submission = parseWithZod(form, { schema: campaignLiveSchema });
  const fixedErrors = fixedFieldChanges(
    {
      slug: campaign.slug,
      goalAmount: Number(campaign.goal_amount),
      currency: campaign.currency,
      durationDays: campaign.duration_days,
      deadline: campaign.deadline,
      fundingModel: campaign.funding_model,
      collection: campaign.collection,
    },
    submission.payload,
  );
  if (Object.keys(fixedErrors).length > 0 || coverError) {
    const fixedTerms =
      Object.keys(fixedErrors).length > 0
        ? "Goal, currency, deadline, funding model and when backers are charged are fixed once a campaign is live."
        : undefined;
    return replyWithRefusal(submission, refuse(400, fixedTerms, { ...fixedErrors, cover: coverError }));
  }
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  return saveWithCover(submission, { actor, cover, campaignId: campaign.id }, (coverImageId) =>
    updateLiveCampaign(db, { campaignId: campaign.id, actor, input: submission.value, coverImageId }),
  );
}

/** Stores the uploaded cover, then saves with it; a draft and a live campaign are saved alike. */
async function saveWithCover(
  submission: Submission<unknown, string[], unknown>,
  { actor, cover, campaignId }: { actor: CreatorActor; cover: CoverUpload; campaignId: string },
  save: (coverImageId: string | null) => Promise<{ ok: true } | Refusal>,
) {
  const stored = await storeCover(actor, cover);
  if (stored.error) return replyWithRefusal(submission, refuseField(400, "cover", stored.error));
  const result = await save(stored.imageId);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/creator/campaigns/${campaignId}/edit?saved=1`);
}

export default function EditCampaignPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = searchParams.has("saved");
  return (
    <div className="creator-section">
      {saved && !actionData ? (
        <p className="notice notice-success" role="status">
          Saved.
        </p>
      ) : null}
      <CampaignForm
        key={data.state}
        mode={data.state === "draft" ? "draft" : "live"}
        defaultValue={data.values}
        lastResult={actionData}
        coverUrl={data.coverUrl}
        fixed={data.fixed}
        submitLabel="Save changes"
      />
      {data.storyHtml ? (
        <section className="card story-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Story preview</h2>
          <p className="muted small">As backers will see it (last saved version).</p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: data.storyHtml }} />
        </section>
      ) : null}
      <section className="card danger-zone" aria-labelledby="danger-heading">
        <h2 id="danger-heading">
          {data.state === "draft"
            ? "Delete this draft"
            : data.state === "live"
              ? "Cancel this campaign"
              : "Campaign ended"}
        </h2>
        {data.state === "draft" ? (
          <>
            <p className="muted">Deleting removes the draft for good. Nobody has seen it yet.</p>
            <Link to={`/creator/campaigns/${data.id}/delete`} className="button button-secondary">
              Delete draft…
            </Link>
          </>
        ) : data.state === "live" ? (
          <>
            <p className="muted">
              Cancelling ends the campaign now. No backer will be charged; anyone already charged is refunded.
            </p>
            <Link to={`/creator/campaigns/${data.id}/cancel`} className="button button-secondary">
              Cancel campaign…
            </Link>
          </>
        ) : (
          <p className="muted">This campaign has ended. You can still correct its story and pictures.</p>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
