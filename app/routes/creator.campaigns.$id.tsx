import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CampaignStateBadge, CampaignTabs } from "~/components/creator-ui";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";

// One campaign's pages: its title, state and sections. Each page checks ownership itself too.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  return json({ id: campaign.id, title: campaign.title, state: campaign.state, slug: campaign.slug });
}

export default function CreatorCampaignLayout() {
  const campaign = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container creator-page">
      <p className="breadcrumb">
        <Link to="/creator">{t("creator:common.yourCampaigns")}</Link>
      </p>
      <header className="campaign-header">
        <div className="campaign-header-title">
          <h1>{campaign.title}</h1>
          <CampaignStateBadge state={campaign.state} />
        </div>
        {campaign.state !== "draft" ? (
          <Link to={`/projects/${campaign.slug}`} className="button button-secondary">
            {t("creator:layout.viewPublicPage")}
          </Link>
        ) : null}
      </header>
      <CampaignTabs id={campaign.id} state={campaign.state} />
      <Outlet />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
