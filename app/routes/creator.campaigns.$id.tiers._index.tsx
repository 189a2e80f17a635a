import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatMonth } from "~/components/creator-ui";
import { formErrorsOf, FormError } from "~/components/fields";
import { TierForm } from "~/components/tier-form";
import { getDb } from "~/db.server";
import { destinationName } from "~/domain/catalog";
import { isUuid } from "~/domain/ids";
import { formatMoney } from "~/domain/money";
import { refuse } from "~/domain/refusal";
import { tierDeletionProblem, tierSchema, TIER_EDITABLE_STATES } from "~/domain/tier-rules";
import { createTier, deleteTier, listTiers, moveTier, setTierHidden } from "~/models/campaign-tiers.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = () => [{ title: "Rewards · Colecta" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const tiers = await listTiers(await getDb(), { campaignId: campaign.id });
  const money = (n: number) => formatMoney(Number(n), campaign.currency);
  return json({
    campaign: {
      id: campaign.id,
      state: campaign.state,
      currency: campaign.currency,
      editable: TIER_EDITABLE_STATES.includes(campaign.state),
    },
    tiers: tiers.map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      minimum: money(t.minimum_amount),
      limit: t.quantity_limit,
      claimed: t.claimed_count,
      remaining: t.quantity_limit === null ? null : Math.max(0, t.quantity_limit - t.claimed_count),
      deliveryMonth: t.delivery_month,
      ships: t.ships,
      shipping: t.shippingRates.map(
        (r) => `${destinationName(r.destination)} ${r.amount === 0 ? "free" : money(r.amount)}`,
      ),
      hidden: t.hidden,
      pledgeCount: t.pledgeCount,
      canDelete: tierDeletionProblem({ campaignState: campaign.state, pledgeCount: t.pledgeCount }) === null,
    })),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, campaign } = await requireCreatorCampaign(request, params, context);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "create");
  const db = await getDb();
  const back = `/creator/campaigns/${campaign.id}/tiers`;

  if (intent === "create") {
    const submission = parseWithZod(form, { schema: tierSchema(campaign.currency) });
    if (submission.status !== "success") return json(submission.reply(), { status: 400 });
    const result = await createTier(db, { campaignId: campaign.id, actor, input: submission.value });
    if (!result.ok) return replyWithRefusal(submission, result);
    return redirect(`${back}?added=1`);
  }

  // The list's buttons carry no fields: their refusals are about the whole list.
  const tierId = form.get("tierId");
  if (!isUuid(tierId)) return replyWithRefusal(null, refuse(404, "That reward no longer exists. Reload the page."));
  const result =
    intent === "move-up" || intent === "move-down"
      ? await moveTier(db, { campaignId: campaign.id, tierId, actor, direction: intent === "move-up" ? "up" : "down" })
      : intent === "hide" || intent === "show"
        ? await setTierHidden(db, { campaignId: campaign.id, tierId, actor, hidden: intent === "hide" })
        : intent === "delete"
          ? await deleteTier(db, { campaignId: campaign.id, tierId, actor })
          : null;
  if (result === null) return replyWithRefusal(null, refuse(400, "Unknown action."));
  if (!result.ok) return replyWithRefusal(null, result);
  return redirect(back);
}

export default function TiersPage() {
  const { campaign, tiers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  // The add form's answer echoes its fields (its intent among them); the list's buttons echo none.
  const created = actionData?.initialValue?.intent === "create" ? actionData : undefined;
  const listErrors = created ? undefined : formErrorsOf(actionData);
  const visible = tiers.filter((t) => !t.hidden).length;

  return (
    <div className="creator-section tiers-layout">
      <div className="tiers-list-column">
        {searchParams.has("created") ? (
          <p className="notice notice-success" role="status">
            Draft saved. Now add the rewards backers can choose.
          </p>
        ) : null}
        {searchParams.has("added") && !actionData ? (
          <p className="notice notice-success" role="status">
            Reward added.
          </p>
        ) : null}
        <div className="section-heading">
          <h2>Rewards</h2>
          <p className="muted small">
            {tiers.length === 0
              ? "No rewards yet."
              : `${tiers.length} ${tiers.length === 1 ? "reward" : "rewards"}, ${visible} visible to backers. Backers see them in this order.`}
          </p>
        </div>
        <FormError errors={listErrors} />
        {tiers.length === 0 ? (
          <div className="card empty-inline">
            <p>
              <strong>Add your first reward.</strong> Most campaigns offer three to five: a thank-you, the product
              itself, and something special for big supporters.
            </p>
          </div>
        ) : (
          <ol className="tier-list">
            {tiers.map((t, i) => (
              <li key={t.id} className={t.hidden ? "card tier-card tier-hidden" : "card tier-card"}>
                <div className="tier-card-head">
                  <div>
                    <p className="tier-minimum">{t.minimum} or more</p>
                    <h3>{t.title}</h3>
                  </div>
                  {t.hidden ? <span className="state-badge state-hidden">Hidden</span> : null}
                </div>
                {t.description ? <p className="tier-description">{t.description}</p> : null}
                <dl className="tier-facts">
                  <div>
                    <dt>Claimed</dt>
                    <dd>
                      {t.limit === null
                        ? `${t.claimed} (no limit)`
                        : `${t.claimed} of ${t.limit} · ${t.remaining} left`}
                    </dd>
                  </div>
                  <div>
                    <dt>Delivery</dt>
                    <dd>{t.deliveryMonth ? formatMonth(t.deliveryMonth) : "—"}</dd>
                  </div>
                  <div>
                    <dt>Shipping</dt>
                    <dd>{t.ships ? t.shipping.join(" · ") : "No shipping"}</dd>
                  </div>
                </dl>
                {campaign.editable ? (
                  <div className="tier-actions">
                    <Link to={t.id} className="button button-secondary button-small" aria-label={`Edit ${t.title}`}>
                      Edit
                    </Link>
                    <TierButton
                      tierId={t.id}
                      intent="move-up"
                      label="Move up"
                      aria={`Move ${t.title} up`}
                      disabled={i === 0}
                    />
                    <TierButton
                      tierId={t.id}
                      intent="move-down"
                      label="Move down"
                      aria={`Move ${t.title} down`}
                      disabled={i === tiers.length - 1}
                    />
                    <TierButton
                      tierId={t.id}
                      intent={t.hidden ? "show" : "hide"}
                      label={t.hidden ? "Show" : "Hide"}
                      aria={`${t.hidden ? "Show" : "Hide"} ${t.title}`}
                    />
                    {t.canDelete ? (
                      <TierButton tierId={t.id} intent="delete" label="Delete" aria={`Delete ${t.title}`} danger />
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
              Next: review and launch
            </Link>
          </p>
        ) : null}
      </div>
      {campaign.editable ? (
        <section className="card tiers-form-column" aria-labelledby="add-tier-heading">
          <h2 id="add-tier-heading">Add a reward</h2>
          <TierForm
            key={tiers.length}
            currency={campaign.currency}
            intent="create"
            defaultValue={{ shipping: "none" }}
            lastResult={created}
            submitLabel="Add reward"
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
