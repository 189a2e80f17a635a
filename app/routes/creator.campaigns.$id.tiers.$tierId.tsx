import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";
import { TierForm } from "~/components/tier-form";
import { getDb } from "~/db.server";
import { tierFormValues, tierSchema, TIER_EDITABLE_STATES } from "~/domain/tier-rules";
import { metaTranslator } from "~/i18n";
import { getTier, updateTier } from "~/models/campaign-tiers.server";
import { requireCreatorCampaign, requireTierId } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("campaignForm:meta.editTier") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const tier = await getTier(await getDb(), { campaignId: campaign.id, tierId: requireTierId(params, t) });
  if (!tier) notFound(t("campaignForm:refusal.tierNotFound"));
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
      values: tierFormValues(
        { ...tier, estimated_delivery: tier.delivery_month },
        campaign.currency,
        requestLocale(request, user),
      ),
      // Backers pledged at this minimum: it may rise, not drop (the page says so beside the field).
      lockedMinimum: live && tier.pledgeCount > 0 ? Number(tier.minimum_amount) : null,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const tierId = requireTierId(params, t);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: tierSchema(t, locale, campaign.currency) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await updateTier(await getDb(), {
    campaignId: campaign.id,
    tierId,
    actor,
    input: submission.value,
    t,
    locale,
  });
  if (!result.ok) {
    if (result.status === 404) notFound(result.formError);
    return replyWithRefusal(submission, result);
  }
  return redirect(`/creator/campaigns/${campaign.id}/tiers`);
}

export default function EditTierPage() {
  const { campaign, tier } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="creator-section narrow-section">
      <p className="breadcrumb">
        <Link to={`/creator/campaigns/${campaign.id}/tiers`}>{t("campaignForm:editTier.breadcrumb")}</Link>
      </p>
      <section className="card" aria-labelledby="edit-tier-heading">
        <h2 id="edit-tier-heading">{t("campaignForm:editTier.heading", { title: tier.title })}</h2>
        {campaign.state !== "draft" ? (
          <p className="notice notice-info">
            {t("campaignForm:editTier.liveNotice")}{" "}
            {tier.claimed > 0 ? t("campaignForm:editTier.claimedNote", { count: tier.claimed }) : null}
          </p>
        ) : null}
        {campaign.editable ? (
          <TierForm
            currency={campaign.currency}
            defaultValue={tier.values}
            lastResult={actionData}
            lockedMinimumNote={
              tier.lockedMinimum === null
                ? undefined
                : t("campaignForm:editTier.minimumNote", { amount: f.money(tier.lockedMinimum, campaign.currency) })
            }
            submitLabel={t("campaignForm:editTier.submit")}
          />
        ) : (
          <p>{t("campaignForm:editTier.ended")}</p>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
