import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { TierForm } from "~/components/tier-form";
import { getDb } from "~/db.server";
import { formatMoney } from "~/domain/money";
import { tierFormValues, tierSchema, TIER_EDITABLE_STATES } from "~/domain/tier-rules";
import { getTier, updateTier } from "~/models/campaign-tiers.server";
import { requireCreatorCampaign, requireTierId } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";

export const meta: MetaFunction = () => [{ title: "Edit reward · Colecta" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const tier = await getTier(await getDb(), { campaignId: campaign.id, tierId: requireTierId(params) });
  if (!tier) notFound("Reward not found.");
  const live = campaign.state !== "draft";
  return json({
    campaign: {
      id: campaign.id,
      currency: campaign.currency,
      state: campaign.state,
      editable: TIER_EDITABLE_STATES.includes(campaign.state),
    },
    tier: {
      title: tier.title,
      claimed: tier.claimed_count,
      pledgeCount: tier.pledgeCount,
      values: tierFormValues({ ...tier, estimated_delivery: tier.delivery_month }, campaign.currency),
      minimumNote:
        live && tier.pledgeCount > 0
          ? `Backers pledged at ${formatMoney(Number(tier.minimum_amount), campaign.currency)} or more: the minimum can be raised, not lowered.`
          : undefined,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, campaign } = await requireCreatorCampaign(request, params, context);
  const tierId = requireTierId(params);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: tierSchema(campaign.currency) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await updateTier(await getDb(), { campaignId: campaign.id, tierId, actor, input: submission.value });
  if (!result.ok) {
    if (result.status === 404) notFound(result.formError);
    return replyWithRefusal(submission, result);
  }
  return redirect(`/creator/campaigns/${campaign.id}/tiers`);
}

export default function EditTierPage() {
  const { campaign, tier } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="creator-section narrow-section">
      <p className="breadcrumb">
        <Link to={`/creator/campaigns/${campaign.id}/tiers`}>All rewards</Link>
      </p>
      <section className="card" aria-labelledby="edit-tier-heading">
        <h2 id="edit-tier-heading">Edit “{tier.title}”</h2>
        {campaign.state !== "draft" ? (
          <p className="notice notice-info">
            This campaign is live. You can change the words, raise the limit and adjust shipping.{" "}
            {tier.claimed > 0 ? `${tier.claimed} claimed so far, so the limit can't go below ${tier.claimed}.` : null}
          </p>
        ) : null}
        {campaign.editable ? (
          <TierForm
            currency={campaign.currency}
            defaultValue={tier.values}
            lastResult={actionData}
            lockedMinimumNote={tier.minimumNote}
            submitLabel="Save reward"
          />
        ) : (
          <p>This campaign has ended, so its rewards can no longer change.</p>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
