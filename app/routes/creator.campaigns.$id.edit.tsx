import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CampaignForm } from "~/components/campaign-form";
import { getDb } from "~/db.server";
import { campaignDraftSchema, campaignFormValues, campaignLiveSchema } from "~/domain/campaign-form";
import { fixedFieldChanges } from "~/domain/campaign-terms";
import { imageUrl } from "~/domain/images";
import { currentStory } from "~/domain/markdown";
import type { Translate } from "~/domain/locale";
import { formatMoney } from "~/domain/money";
import { refuse, refuseField, type Refusal } from "~/domain/refusal";
import { formatShortDateTime } from "~/domain/time";
import { metaTranslator } from "~/i18n";
import { updateDraft, updateLiveCampaign, type CreatorActor } from "~/models/campaign.server";
import {
  coverProblem,
  readCampaignForm,
  type CoverUpload,
  requireCreatorCampaign,
  storeCover,
} from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("campaignForm:meta.edit") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const locale = requestLocale(request, user);
  return json({
    id: campaign.id,
    state: campaign.state,
    values: campaignFormValues(campaign, locale),
    coverUrl: campaign.cover_image_id ? imageUrl(campaign.cover_image_id) : null,
    storyHtml: currentStory(campaign).story_html,
    fixed: {
      slug: campaign.slug,
      goal: formatMoney(Number(campaign.goal_amount), campaign.currency, { locale }),
      deadline: campaign.deadline ? formatShortDateTime(campaign.deadline, "UTC", locale) : "—",
      fundingModel: campaign.funding_model,
      collection: campaign.collection,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const { form, cover } = await readCampaignForm(request, t);
  const db = await getDb();
  const coverError = coverProblem(cover, t);

  if (campaign.state === "draft") {
    const submission = parseWithZod(form, { schema: campaignDraftSchema(t, locale) });
    if (coverError) return replyWithRefusal(submission, refuseField(400, "cover", coverError));
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    return saveWithCover(submission, { actor, cover, campaignId: campaign.id, t }, (coverImageId) =>
      updateDraft(db, { campaignId: campaign.id, actor, input: submission.value, coverImageId, t }),
    );
  }

  // Launched: goal, currency, deadline and funding terms are fixed; say so if a change is tried.
  const submission = parseWithZod(form, { schema: campaignLiveSchema(t, locale) });
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
    { t, locale },
  );
  if (Object.keys(fixedErrors).length > 0 || coverError) {
    const fixedTerms = Object.keys(fixedErrors).length > 0 ? t("campaignForm:fixed.all") : undefined;
    return replyWithRefusal(submission, refuse(400, fixedTerms, { ...fixedErrors, cover: coverError }));
  }
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  return saveWithCover(submission, { actor, cover, campaignId: campaign.id, t }, (coverImageId) =>
    updateLiveCampaign(db, { campaignId: campaign.id, actor, input: submission.value, coverImageId, t }),
  );
}

/** Stores the uploaded cover, then saves with it; a draft and a live campaign are saved alike. */
async function saveWithCover(
  submission: Submission<unknown, string[], unknown>,
  { actor, cover, campaignId, t }: { actor: CreatorActor; cover: CoverUpload; campaignId: string; t: Translate },
  save: (coverImageId: string | null) => Promise<{ ok: true } | Refusal>,
) {
  const stored = await storeCover(actor, cover, t);
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
  const { t } = useTranslation();
  return (
    <div className="creator-section">
      {saved && !actionData ? (
        <p className="notice notice-success" role="status">
          {t("campaignForm:edit.saved")}
        </p>
      ) : null}
      <CampaignForm
        key={data.state}
        mode={data.state === "draft" ? "draft" : "live"}
        defaultValue={data.values}
        lastResult={actionData}
        coverUrl={data.coverUrl}
        fixed={data.fixed}
        submitLabel={t("campaignForm:edit.submit")}
      />
      {data.storyHtml ? (
        <section className="card story-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t("campaignForm:edit.previewHeading")}</h2>
          <p className="muted small">{t("campaignForm:edit.previewNote")}</p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: data.storyHtml }} />
        </section>
      ) : null}
      <section className="card danger-zone" aria-labelledby="danger-heading">
        <h2 id="danger-heading">
          {data.state === "draft"
            ? t("campaignForm:edit.deleteHeading")
            : data.state === "live"
              ? t("campaignForm:edit.cancelHeading")
              : t("campaignForm:edit.endedHeading")}
        </h2>
        {data.state === "draft" ? (
          <>
            <p className="muted">{t("campaignForm:edit.deleteText")}</p>
            <Link to={`/creator/campaigns/${data.id}/delete`} className="button button-secondary">
              {t("campaignForm:edit.deleteLink")}
            </Link>
          </>
        ) : data.state === "live" ? (
          <>
            <p className="muted">{t("campaignForm:edit.cancelText")}</p>
            <Link to={`/creator/campaigns/${data.id}/cancel`} className="button button-secondary">
              {t("campaignForm:edit.cancelLink")}
            </Link>
          </>
        ) : (
          <p className="muted">{t("campaignForm:edit.endedText")}</p>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
