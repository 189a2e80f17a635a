import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { AddOnForm } from "~/components/add-on-form";
import { formErrorsOf, FormError } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { getDb } from "~/db.server";
import { addOnDeletionProblem, addOnSchema, ADD_ON_EDITABLE_STATES } from "~/domain/add-on-rules";
import { destinationLabel } from "~/domain/campaign-labels";
import { isUuid } from "~/domain/ids";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import {
  createAddOn,
  deleteAddOn,
  hideAddOn,
  listAddOns,
  listAddOnTierChoices,
  showAddOn,
} from "~/models/add-ons.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("addOns:meta.list") }];

// The loader sends amounts as data; the page formats them in its language.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const db = await getDb();
  const [addOns, tiers] = await Promise.all([
    listAddOns(db, { campaignId: campaign.id }),
    listAddOnTierChoices(db, { campaignId: campaign.id }),
  ]);
  return json({
    campaign: {
      id: campaign.id,
      state: campaign.state,
      currency: campaign.currency,
      editable: ADD_ON_EDITABLE_STATES.includes(campaign.state),
    },
    tiers,
    addOns: addOns.map((addOn) => ({
      id: addOn.id,
      title: addOn.title,
      description: addOn.description,
      price: addOn.price,
      limit: addOn.quantity_limit,
      claimed: addOn.claimed_count,
      remaining: addOn.quantity_limit === null ? null : Math.max(0, addOn.quantity_limit - addOn.claimed_count),
      perBackerMax: addOn.per_backer_max,
      ships: addOn.ships,
      shippingRates: addOn.shippingRates,
      tierIds: addOn.tierIds,
      hidden: addOn.hidden,
      canDelete: addOnDeletionProblem({ campaignState: campaign.state, lineCount: addOn.lineCount, t }) === null,
    })),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "create");
  const db = await getDb();
  const back = `/creator/campaigns/${campaign.id}/add-ons`;

  if (intent === "create") {
    const tiers = await listAddOnTierChoices(db, { campaignId: campaign.id });
    const submission = parseWithZod(form, { schema: addOnSchema(t, locale, campaign.currency, tiers) });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await createAddOn(db, { campaignId: campaign.id, actor, input: submission.value, t });
    if (!result.ok) return replyWithRefusal(submission, result);
    return redirect(`${back}?added=1`);
  }

  // The list's buttons carry no fields: their refusals are about the whole list.
  const addOnId = form.get("addOnId");
  if (!isUuid(addOnId)) return replyWithRefusal(null, refuse(404, t("addOns:refusal.gone")));
  const target = { campaignId: campaign.id, addOnId, actor, t };
  const result =
    intent === "hide"
      ? await hideAddOn(db, target)
      : intent === "show"
        ? await showAddOn(db, target)
        : intent === "delete"
          ? await deleteAddOn(db, target)
          : null;
  if (result === null) return replyWithRefusal(null, refuse(400, t("addOns:refusal.unknownAction")));
  if (!result.ok) return replyWithRefusal(null, result);
  return redirect(intent === "delete" ? `${back}?deleted=1` : back);
}

export default function AddOnsPage() {
  const { campaign, tiers, addOns } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  // The add form's answer echoes its fields (its intent among them); the list's buttons echo none.
  const created = actionData?.initialValue?.intent === "create" ? actionData : undefined;
  const listErrors = created ? undefined : formErrorsOf(actionData);
  const visible = addOns.filter((addOn) => !addOn.hidden).length;
  const money = (amount: number) => f.money(amount, campaign.currency);
  const tierTitle = (id: string) => tiers.find((tier) => tier.id === id)?.title ?? "";
  const notice = actionData
    ? null
    : searchParams.has("added")
      ? t("addOns:list.added")
      : searchParams.has("saved")
        ? t("addOns:list.saved")
        : searchParams.has("deleted")
          ? t("addOns:list.deleted")
          : null;

  return (
    <div className="creator-section tiers-layout">
      <div className="tiers-list-column">
        {notice ? (
          <p className="notice notice-success" role="status">
            {notice}
          </p>
        ) : null}
        <div className="section-heading">
          <h2>{t("addOns:list.heading")}</h2>
          <p className="muted small">
            {addOns.length === 0 ? t("addOns:list.none") : t("addOns:list.summary", { count: addOns.length, visible })}
          </p>
        </div>
        <p>{t("addOns:list.intro")}</p>
        <FormError errors={listErrors} />
        {addOns.length === 0 ? (
          <div className="card empty-inline">
            <p>
              <Trans t={t} i18nKey="addOns:list.empty" components={{ strong: <strong /> }} />
            </p>
          </div>
        ) : (
          <ol className="tier-list">
            {addOns.map((addOn) => (
              <li key={addOn.id} className={addOn.hidden ? "card tier-card tier-hidden" : "card tier-card"}>
                <div className="tier-card-head">
                  <div>
                    <p className="tier-minimum">{t("addOns:list.price", { amount: money(addOn.price) })}</p>
                    <h3>{addOn.title}</h3>
                  </div>
                  {addOn.hidden ? <span className="state-badge state-hidden">{t("addOns:list.hidden")}</span> : null}
                </div>
                {addOn.description ? <p className="tier-description">{addOn.description}</p> : null}
                <dl className="tier-facts">
                  <div>
                    <dt>{t("addOns:list.claimed")}</dt>
                    <dd>
                      {addOn.limit === null
                        ? t("addOns:list.claimedNoLimit", { claimed: f.number(addOn.claimed) })
                        : t("addOns:list.claimedOfLimit", {
                            claimed: f.number(addOn.claimed),
                            limit: f.number(addOn.limit),
                            remaining: f.number(addOn.remaining ?? 0),
                          })}
                    </dd>
                  </div>
                  <div>
                    <dt>{t("addOns:list.perBacker")}</dt>
                    <dd>
                      {addOn.perBackerMax === null
                        ? t("addOns:list.perBackerNoLimit")
                        : t("addOns:list.perBackerMax", { max: f.number(addOn.perBackerMax) })}
                    </dd>
                  </div>
                  <div>
                    <dt>{t("addOns:list.shipping")}</dt>
                    <dd>
                      {addOn.ships
                        ? addOn.shippingRates
                            .map((r) =>
                              t("addOns:list.rate", {
                                destination: destinationLabel(t, r.destination),
                                amount: r.amount === 0 ? t("addOns:list.free") : money(r.amount),
                              }),
                            )
                            .join(" · ")
                        : t("addOns:list.noShipping")}
                    </dd>
                  </div>
                  <div>
                    <dt>{t("addOns:list.offeredWith")}</dt>
                    <dd>{addOn.tierIds.map(tierTitle).join(" · ")}</dd>
                  </div>
                </dl>
                {campaign.editable ? (
                  <div className="tier-actions">
                    <Link
                      to={addOn.id}
                      className="button button-secondary button-small"
                      aria-label={t("addOns:list.editAria", { title: addOn.title })}
                    >
                      {t("addOns:list.edit")}
                    </Link>
                    <AddOnButton
                      addOnId={addOn.id}
                      intent={addOn.hidden ? "show" : "hide"}
                      label={addOn.hidden ? t("addOns:list.show") : t("addOns:list.hide")}
                      aria={
                        addOn.hidden
                          ? t("addOns:list.showAria", { title: addOn.title })
                          : t("addOns:list.hideAria", { title: addOn.title })
                      }
                    />
                    {addOn.canDelete ? (
                      <AddOnButton
                        addOnId={addOn.id}
                        intent="delete"
                        label={t("addOns:list.delete")}
                        aria={t("addOns:list.deleteAria", { title: addOn.title })}
                        danger
                      />
                    ) : null}
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </div>
      {campaign.editable ? (
        <section className="card tiers-form-column" aria-labelledby="add-add-on-heading">
          <h2 id="add-add-on-heading">{t("addOns:list.addHeading")}</h2>
          {tiers.length === 0 ? (
            <>
              <p>{t("addOns:list.noTiers")}</p>
              <p>
                <Link to={`/creator/campaigns/${campaign.id}/tiers`} className="button button-secondary">
                  {t("addOns:list.addTiers")}
                </Link>
              </p>
            </>
          ) : (
            <AddOnForm
              key={addOns.length}
              currency={campaign.currency}
              tiers={tiers}
              intent="create"
              defaultValue={{ shipping: "none", tiers: tiers.length === 1 ? [tiers[0]!.id] : [] }}
              lastResult={created}
              submitLabel={t("addOns:list.addSubmit")}
            />
          )}
        </section>
      ) : null}
    </div>
  );
}

/** One of an add-on's buttons in the list (hide, show, delete): a form of its own. */
function AddOnButton({
  addOnId,
  intent,
  label,
  aria,
  danger,
}: {
  addOnId: string;
  intent: string;
  label: string;
  aria: string;
  danger?: boolean;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="addOnId" value={addOnId} />
      <button
        type="submit"
        name="intent"
        value={intent}
        className={danger ? "button button-ghost button-small text-danger" : "button button-ghost button-small"}
        aria-label={aria}
      >
        {label}
      </button>
    </Form>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
