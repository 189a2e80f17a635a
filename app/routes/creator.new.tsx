import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CampaignForm } from "~/components/campaign-form";
import { getDb } from "~/db.server";
import { campaignDraftSchema } from "~/domain/campaign-form";
import { refuseField } from "~/domain/refusal";
import { createDraft } from "~/models/campaign.server";
import { coverProblem, readCampaignForm, requireCreator, storeCover } from "~/services/campaigns/creator.server";
import { metaTranslator } from "~/i18n";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("campaignForm:meta.new") }];

const NEW_CAMPAIGN = {
  currency: "usd",
  deadlineMode: "duration",
  durationDays: "30",
  fundingModel: "all_or_nothing",
  collection: "at_deadline",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireCreator(request, context);
  // A new campaign is written in its creator's language unless they choose another.
  return { language: requestLocale(request, user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, actor } = await requireCreator(request, context);
  const t = requestTranslator(request, user);
  const { form, cover } = await readCampaignForm(request, t);
  const submission = parseWithZod(form, { schema: campaignDraftSchema(t, requestLocale(request, user)) });
  const coverError = coverProblem(cover, t);
  if (coverError) return replyWithRefusal(submission, refuseField(400, "cover", coverError));
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });

  const stored = await storeCover(actor, cover, t);
  if (stored.error) return replyWithRefusal(submission, refuseField(400, "cover", stored.error));
  const result = await createDraft(await getDb(), { actor, input: submission.value, coverImageId: stored.imageId, t });
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/creator/campaigns/${result.campaignId}/tiers?created=1`);
}

export default function NewCampaignPage() {
  const actionData = useActionData<typeof action>();
  const { language } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container creator-page">
      <p className="breadcrumb">
        <Link to="/creator">{t("campaignForm:new.breadcrumb")}</Link>
      </p>
      <header className="creator-heading">
        <div>
          <p className="eyebrow">{t("campaignForm:new.eyebrow")}</p>
          <h1>{t("campaignForm:new.title")}</h1>
          <p className="lead">{t("campaignForm:new.lead")}</p>
        </div>
      </header>
      <CampaignForm
        mode="new"
        defaultValue={{ ...NEW_CAMPAIGN, language }}
        lastResult={actionData}
        submitLabel={t("campaignForm:new.submit")}
      />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
