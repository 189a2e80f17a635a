import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formErrorsOf, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { deleteDraft } from "~/models/campaign-lifecycle.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("creator:delete.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  if (campaign.state !== "draft") throw redirect(`/creator/campaigns/${campaign.id}`);
  return json({ id: campaign.id, title: campaign.title });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  await readForm(request);
  const t = requestTranslator(request, user);
  const result = await deleteDraft(await getDb(), { campaignId: campaign.id, actor, t });
  if (!result.ok) return replyWithRefusal(null, result);
  return redirect("/creator?deleted=1");
}

export default function DeleteDraftPage() {
  const { id, title } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="creator-section narrow-section">
      <section className="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t("creator:delete.title", { title })}</h2>
        <p>{t("creator:delete.body")}</p>
        <FormError errors={formErrorsOf(actionData)} />
        <Form method="post" className="form-actions">
          <button type="submit" className="button button-danger">
            {t("creator:delete.submit")}
          </button>
          <Link to={`/creator/campaigns/${id}/edit`} className="button button-ghost">
            {t("creator:delete.keep")}
          </Link>
        </Form>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
