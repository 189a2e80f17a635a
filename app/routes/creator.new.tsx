import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { CampaignForm } from "~/components/campaign-form";
import { getDb } from "~/db.server";
import { campaignDraftSchema } from "~/domain/campaign-rules";
import { createDraft } from "~/models/campaign.server";
import {
  coverProblem,
  formValues,
  readCampaignForm,
  requireCreator,
  storeCover,
  type FormActionData,
} from "~/services/campaigns/creator.server";
import { parseForm, type FieldErrors } from "~/web/forms";

export const meta: MetaFunction = () => [{ title: "Start a campaign · Colecta" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireCreator(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { actor } = await requireCreator(request, context);
  const { form, cover } = await readCampaignForm(request);
  const values = formValues(form);
  const parsed = parseForm(campaignDraftSchema(), form);
  const fieldErrors: FieldErrors = parsed.ok ? {} : { ...parsed.fieldErrors };
  const coverError = coverProblem(cover);
  if (coverError) fieldErrors.cover = coverError;
  if (!parsed.ok || coverError) return json<FormActionData>({ fieldErrors, values }, { status: 400 });

  const stored = await storeCover(actor, cover);
  if (stored.error) return json<FormActionData>({ fieldErrors: { cover: stored.error }, values }, { status: 400 });
  const result = await createDraft(await getDb(), { actor, input: parsed.data, coverImageId: stored.imageId });
  if (!result.ok)
    return json<FormActionData>(
      { fieldErrors: result.fieldErrors, formError: result.formError, values },
      { status: result.status },
    );
  return redirect(`/creator/campaigns/${result.campaignId}/tiers?created=1`);
}

export default function NewCampaignPage() {
  const actionData = useActionData<typeof action>();
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
        values={actionData?.values ?? { durationDays: "30", deadlineMode: "duration", currency: "usd" }}
        fieldErrors={actionData?.fieldErrors}
        formError={actionData?.formError}
        submitLabel="Save draft and add rewards"
      />
    </div>
  );
}
