import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { formErrorsOf, FormError } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { TierForm } from "~/components/tier-form";
import { getDb } from "~/db.server";
import { destinationLabel } from "~/domain/campaign-labels";
import { isUuid } from "~/domain/ids";
import { refuse } from "~/domain/refusal";
import { tierDeletionProblem, tierSchema, TIER_EDITABLE_STATES } from "~/domain/tier-rules";
import { metaTranslator } from "~/i18n";
import { createTier, deleteTier, listTiers, moveTier, setTierHidden } from "~/models/campaign-tiers.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("campaignForm:meta.tiers") }];

// The loader sends amounts and months as data; the page formats them in its language.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const tiers = await listTiers(await getDb(), { campaignId: campaign.id });
  return json({
    campaign: {
      id: campaign.id,
      state: campaign.state,
      currency: campaign.currency,
      editable: TIER_EDITABLE_STATES.includes(campaign.state),
    },
    tiers: tiers.map((tier) => ({
      id: tier.id,
      title: tier.title,
      description: tier.description,
      minimumAmount: Number(tier.minimum_amount),
      limit: tier.quantity_limit,
      claimed: tier.claimed_count,
      remaining: tier.quantity_limit === null ? null : Math.max(0, tier.quantity_limit - tier.claimed_count),
      deliveryMonth: tier.delivery_month,
      ships: tier.ships,
      shippingRates: tier.shippingRates,
      hidden: tier.hidden,
      pledgeCount: tier.pledgeCount,
      canDelete: tierDeletionProblem({ campaignState: campaign.state, pledgeCount: tier.pledgeCount, t }) === null,
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
  const back = `/creator/campaigns/${campaign.id}/tiers`;

  if (intent === "create") {
    const submission = parseWithZod(form, { schema: tierSchema(t, locale, campaign.currency) });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await createTier(db, { campaignId: campaign.id, actor, input: submission.value, t });
    if (!result.ok) return replyWithRefusal(submission, result);
    return redirect(`${back}?added=1`);
  }

  // The list's buttons carry no fields: their refusals are about the whole list.
  const tierId = form.get("tierId");
  if (!isUuid(tierId)) return replyWithRefusal(null, refuse(404, t("campaignForm:refusal.tierGone")));
  const campaignId = campaign.id;
  const result =
    intent === "move-up" || intent === "move-down"
      ? await moveTier(db, { campaignId, tierId, actor, direction: intent === "move-up" ? "up" : "down", t })
      : intent === "hide" || intent === "show"
        ? await setTierHidden(db, { campaignId, tierId, actor, hidden: intent === "hide", t })
        : intent === "delete"
          ? await deleteTier(db, { campaignId, tierId, actor, t })
          : null;
  if (result === null) return replyWithRefusal(null, refuse(400, t("campaignForm:refusal.unknownAction")));
  if (!result.ok) return replyWithRefusal(null, result);
  return redirect(back);
}

export default function TiersPage() {
  const { campaign, tiers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  // The add form's answer echoes its fields (its intent among them); the list's buttons echo none.
  const created = actionData?.initialValue?.intent === "create" ? actionData : undefined;
  const listErrors = created ? undefined : formErrorsOf(actionData);
  const visible = tiers.filter((tier) => !tier.hidden).length;
  const money = (amount: number) => f.money(amount, campaign.currency);

  return (
    <div className="creator-section tiers-layout">
      <div className="tiers-list-column">
        {searchParams.has("created") ? (
          <p className="notice notice-success" role="status">
            {t("campaignForm:tiers.created")}
          </p>
        ) : null}
        {searchParams.has("added") && !actionData ? (
          <p className="notice notice-success" role="status">
            {t("campaignForm:tiers.added")}
          </p>
        ) : null}
        <div className="section-heading">
          <h2>{t("campaignForm:tiers.heading")}</h2>
          <p className="muted small">
            {tiers.length === 0
              ? t("campaignForm:tiers.none")
              : t("campaignForm:tiers.summary", { count: tiers.length, visible })}
          </p>
        </div>
        <FormError errors={listErrors} />
        {tiers.length === 0 ? (
          <div className="card empty-inline">
            <p>
              <Trans t={t} i18nKey="campaignForm:tiers.empty" components={{ strong: <strong /> }} />
            </p>
          </div>
        ) : (
          <ol className="tier-list">
            {tiers.map((tier, i) => (
              <li key={tier.id} className={tier.hidden ? "card tier-card tier-hidden" : "card tier-card"}>
                <div className="tier-card-head">
                  <div>
                    <p className="tier-minimum">
                      {t("campaignForm:tiers.minimum", { amount: money(tier.minimumAmount) })}
                    </p>
                    <h3>{tier.title}</h3>
                  </div>
                  {tier.hidden ? (
                    <span className="state-badge state-hidden">{t("campaignForm:tiers.hidden")}</span>
                  ) : null}
                </div>
                {tier.description ? <p className="tier-description">{tier.description}</p> : null}
                <dl className="tier-facts">
                  <div>
                    <dt>{t("campaignForm:tiers.claimed")}</dt>
                    <dd>
                      {tier.limit === null
                        ? t("campaignForm:tiers.claimedNoLimit", { claimed: f.number(tier.claimed) })
                        : t("campaignForm:tiers.claimedOfLimit", {
                            claimed: f.number(tier.claimed),
                            limit: f.number(tier.limit),
                            remaining: f.number(tier.remaining ?? 0),
                          })}
                    </dd>
                  </div>
                  <div>
                    <dt>{t("campaignForm:tiers.delivery")}</dt>
                    <dd>{tier.deliveryMonth ? f.monthYear(`${tier.deliveryMonth}-01`) : "—"}</dd>
                  </div>
                  <div>
                    <dt>{t("campaignForm:tiers.shipping")}</dt>
                    <dd>
                      {tier.ships
                        ? tier.shippingRates
                            .map((r) =>
                              t("campaignForm:tiers.rate", {
                                destination: destinationLabel(t, r.destination),
                                amount: r.amount === 0 ? t("campaignForm:tiers.free") : money(r.amount),
                              }),
                            )
                            .join(" · ")
                        : t("campaignForm:tiers.noShipping")}
                    </dd>
                  </div>
                </dl>
                {campaign.editable ? (
                  <div className="tier-actions">
                    <Link
                      to={tier.id}
                      className="button button-secondary button-small"
                      aria-label={t("campaignForm:tiers.editAria", { title: tier.title })}
                    >
                      {t("campaignForm:tiers.edit")}
                    </Link>
                    <TierButton
                      tierId={tier.id}
                      intent="move-up"
                      label={t("campaignForm:tiers.moveUp")}
                      aria={t("campaignForm:tiers.moveUpAria", { title: tier.title })}
                      disabled={i === 0}
                    />
                    <TierButton
                      tierId={tier.id}
                      intent="move-down"
                      label={t("campaignForm:tiers.moveDown")}
                      aria={t("campaignForm:tiers.moveDownAria", { title: tier.title })}
                      disabled={i === tiers.length - 1}
                    />
                    <TierButton
                      tierId={tier.id}
                      intent={tier.hidden ? "show" : "hide"}
                      label={tier.hidden ? t("campaignForm:tiers.show") : t("campaignForm:tiers.hide")}
                      aria={
                        tier.hidden
                          ? t("campaignForm:tiers.showAria", { title: tier.title })
                          : t("campaignForm:tiers.hideAria", { title: tier.title })
                      }
                    />
                    {tier.canDelete ? (
                      <TierButton
                        tierId={tier.id}
                        intent="delete"
                        label={t("campaignForm:tiers.delete")}
                        aria={t("campaignForm:tiers.deleteAria", { title: tier.title })}
                        danger
                      />
                    ) : null}
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        {campaign.state === "draft" && visible > 0 ? (
          <p className="next-step">
            <Link to={`/creator/campaigns/${campaign.id}/launch`} className="button button-primary">
              {t("campaignForm:tiers.next")}
            </Link>
          </p>
        ) : null}
      </div>
      {campaign.editable ? (
        <section className="card tiers-form-column" aria-labelledby="add-tier-heading">
          <h2 id="add-tier-heading">{t("campaignForm:tiers.addHeading")}</h2>
          <TierForm
            key={tiers.length}
            currency={campaign.currency}
            intent="create"
            defaultValue={{ shipping: "none" }}
            lastResult={created}
            submitLabel={t("campaignForm:tiers.addSubmit")}
          />
        </section>
      ) : null}
    </div>
  );
}
function TierButton({
  tierId,
  intent,
  label,
  aria,
  disabled,
  danger,
}: {
  tierId: string;
  intent: string;
  label: string;
  aria: string;
  disabled?: boolean;
  danger?: boolean;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="tierId" value={tierId} />
      <button
        type="submit"
        name="intent"
        value={intent}
        className={danger ? "button button-ghost button-small text-danger" : "button button-ghost button-small"}
        aria-label={aria}
        disabled={disabled}
      >
        {label}
      </button>
    </Form>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
