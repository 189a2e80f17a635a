import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AddOnForm } from "~/components/add-on-form";
import { formErrorsOf, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { addOnDeletionProblem, addOnFormValues, addOnSchema, ADD_ON_EDITABLE_STATES } from "~/domain/add-on-rules";
import { isUuid } from "~/domain/ids";
import type { Translate } from "~/domain/locale";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import {
  deleteAddOn,
  getAddOn,
  hideAddOn,
  listAddOnTierChoices,
  showAddOn,
  updateAddOn,
} from "~/models/add-ons.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("addOns:meta.edit") }];

function requireAddOnId(params: Record<string, string | undefined>, t: Translate): string {
  if (!isUuid(params.addOnId)) notFound(t("addOns:refusal.notFound"));
  return params.addOnId;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const db = await getDb();
  const addOnId = requireAddOnId(params, t);
  const [addOn, tiers] = await Promise.all([
    getAddOn(db, { campaignId: campaign.id, addOnId }),
    listAddOnTierChoices(db, { campaignId: campaign.id }),
  ]);
  if (!addOn) notFound(t("addOns:refusal.notFound"));
  return json({
    campaign: {
      id: campaign.id,
      currency: campaign.currency,
      state: campaign.state,
      editable: ADD_ON_EDITABLE_STATES.includes(campaign.state),
    },
    tiers,
    addOn: {
      id: addOn.id,
      title: addOn.title,
      claimed: addOn.claimed_count,
      hidden: addOn.hidden,
      chosen: addOn.lineCount > 0,
      canDelete: addOnDeletionProblem({ campaignState: campaign.state, lineCount: addOn.lineCount, t }) === null,
      values: addOnFormValues(addOn, campaign.currency, requestLocale(request, user)),
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const addOnId = requireAddOnId(params, t);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "update");
  const db = await getDb();
  const list = `/creator/campaigns/${campaign.id}/add-ons`;
  const target = { campaignId: campaign.id, addOnId, actor, t };

  if (intent === "update") {
    const tiers = await listAddOnTierChoices(db, { campaignId: campaign.id });
    const submission = parseWithZod(form, { schema: addOnSchema(t, locale, campaign.currency, tiers) });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await updateAddOn(db, { ...target, input: submission.value });
    if (!result.ok) {
      if (result.status === 404) notFound(result.formError);
      return replyWithRefusal(submission, result);
    }
    return redirect(`${list}?saved=1`);
  }

  // The visibility and delete buttons carry no fields: their refusals are about the whole page.
  const result =
    intent === "hide"
      ? await hideAddOn(db, target)
      : intent === "show"
        ? await showAddOn(db, target)
        : intent === "delete"
          ? await deleteAddOn(db, target)
          : null;
  if (result === null) return replyWithRefusal(null, refuse(400, t("addOns:refusal.unknownAction")));
  if (!result.ok) {
    if (result.status === 404) notFound(result.formError);
    return replyWithRefusal(null, result);
  }
  return redirect(intent === "delete" ? `${list}?deleted=1` : `${list}/${addOnId}`);
}

export default function EditAddOnPage() {
  const { campaign, tiers, addOn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  // The form's answer echoes its fields (its intent among them); the buttons' answers echo none.
  const updated = actionData?.initialValue?.intent === "update" ? actionData : undefined;
  const buttonErrors = updated ? undefined : formErrorsOf(actionData);
  return (
    <div className="creator-section narrow-section">
      <p className="breadcrumb">
        <Link to={`/creator/campaigns/${campaign.id}/add-ons`}>{t("addOns:edit.breadcrumb")}</Link>
      </p>
      <section className="card" aria-labelledby="edit-add-on-heading">
        <h2 id="edit-add-on-heading">{t("addOns:edit.heading", { title: addOn.title })}</h2>
        {campaign.state !== "draft" && campaign.editable ? (
          <p className="notice notice-info">
            {t("addOns:edit.liveNotice")}{" "}
            {addOn.claimed > 0 ? t("addOns:edit.claimedNote", { count: addOn.claimed }) : null}
          </p>
        ) : null}
        {campaign.editable ? (
          <AddOnForm
            currency={campaign.currency}
            tiers={tiers}
            intent="update"
            defaultValue={addOn.values}
            lastResult={updated}
            pricedNote={addOn.chosen ? t("addOns:form.pricedNote") : undefined}
            submitLabel={t("addOns:edit.submit")}
          />
        ) : (
          <p>{t("addOns:edit.ended")}</p>
        )}
      </section>
      {campaign.editable ? (
        <section className="card stack" aria-labelledby="add-on-visibility-heading">
          <h2 id="add-on-visibility-heading">{t("addOns:edit.visibilityHeading")}</h2>
          <FormError errors={buttonErrors} />
          <p>{addOn.hidden ? t("addOns:edit.hiddenText") : t("addOns:edit.shownText")}</p>
          <Form method="post" className="inline-form">
            <button
              type="submit"
              name="intent"
              value={addOn.hidden ? "show" : "hide"}
              className="button button-secondary"
            >
              {addOn.hidden ? t("addOns:list.show") : t("addOns:list.hide")}
            </button>
          </Form>
          <h3>{t("addOns:edit.deleteHeading")}</h3>
          {addOn.canDelete ? (
            <>
              <p>{t("addOns:edit.deleteText")}</p>
              <Form method="post" className="inline-form">
                <button type="submit" name="intent" value="delete" className="button button-danger">
                  {t("addOns:list.delete")}
                </button>
              </Form>
            </>
          ) : (
            <p className="muted">{t("addOns:edit.cantDelete")}</p>
          )}
        </section>
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
