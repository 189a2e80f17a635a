import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CampaignForm } from "~/components/campaign-form";
import { getDb } from "~/db.server";
import { campaignDraftSchema } from "~/domain/campaign-form";
import { refuseField } from "~/domain/refusal";
import { createDraft } from "~/models/campaign.server";
import { coverProblem, readCampaignForm, requireCreator, storeCover } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale } from "~/web/locale.server";

export const meta: MetaFunction = () => [{ title: "Start a campaign · Colecta" }];

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
  const { actor } = await requireCreator(request, context);
  const { form, cover } = await readCampaignForm(request);
  const submission = parseWithZod(form, { schema: campaignDraftSchema() });
  const coverError = coverProblem(cover);
  if (coverError) return replyWithRefusal(submission, refuseField(400, "cover", coverError));
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });

  const stored = await storeCover(actor, cover);
  if (stored.error) return replyWithRefusal(submission, refuseField(400, "cover", stored.error));
  const result = await createDraft(await getDb(), { actor, input: submission.value, coverImageId: stored.imageId });
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/creator/campaigns/${result.campaignId}/tiers?created=1`);
}

export default function NewCampaignPage() {
  const actionData = useActionData<typeof action>();
  const { language } = useLoaderData<typeof loader>();
  return (
    <div className="container creator-page">
      <p className="breadcrumb">
        <Link to="/creator">Your campaigns</Link>
      </p>
      <header className="creator-heading">
        <div>
          <p className="eyebrow">New campaign</p>
          <h1>Start a campaign</h1>
          <p className="lead">Save a draft now and finish it later. Nothing is public until you launch.</p>
        </div>
      </header>
      <CampaignForm
        mode="new"
        defaultValue={{ ...NEW_CAMPAIGN, language }}
        lastResult={actionData}
        submitLabel="Save draft and add rewards"
      />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
