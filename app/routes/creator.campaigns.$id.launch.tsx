import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatDateTime } from "~/components/creator-ui";
import { formErrorsOf, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { COLLECTIONS, deadlineAtLaunch, FUNDING_MODELS } from "~/domain/campaign-terms";
import { formatMoney } from "~/domain/money";
import { checklistFor, launchCampaign } from "~/models/campaign-lifecycle.server";
import { countVisibleTiers } from "~/models/campaign-tiers.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = () => [{ title: "Launch · Colecta" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  if (campaign.state !== "draft") throw redirect(`/creator/campaigns/${campaign.id}`);
  const now = new Date();
  const checklist = checklistFor(campaign, await countVisibleTiers(await getDb(), { campaignId: campaign.id }), now);
  const deadline = deadlineAtLaunch({ durationDays: campaign.duration_days, endDate: campaign.deadline }, now);
  return json({
    id: campaign.id,
    checklist,
    ready: checklist.every((i) => i.done),
    terms: {
      goal: formatMoney(Number(campaign.goal_amount), campaign.currency),
      endsIfLaunchedNow: deadline ? formatDateTime(deadline) : null,
      length: campaign.duration_days !== null ? `${campaign.duration_days} days from launch` : "the end date you chose",
      fundingModel: FUNDING_MODELS.find((m) => m.value === campaign.funding_model)!,
      collection: COLLECTIONS.find((m) => m.value === campaign.collection)!,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, campaign } = await requireCreatorCampaign(request, params, context);
  await readForm(request);
  const result = await launchCampaign(await getDb(), { campaignId: campaign.id, actor });
  if (!result.ok)
    return replyWithRefusal(null, { ...result, formError: result.formError ?? "The campaign could not be launched." });
  return redirect(`/creator/campaigns/${campaign.id}?launched=1`);
}

export default function LaunchPage() {
  const { id, checklist, ready, terms } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const missing = checklist.filter((i) => !i.done).length;
  return (
    <div className="creator-section launch-layout">
      <section className="card" aria-labelledby="checklist-heading">
        <h2 id="checklist-heading">Launch checklist</h2>
        <p className="muted">
          {ready
            ? "Everything is in place."
            : `${missing} ${missing === 1 ? "thing" : "things"} to do before you can launch.`}
        </p>
        <ul className="checklist">
          {checklist.map((item) => (
            <li key={item.key} className={item.done ? "check-done" : "check-todo"}>
              <span className="check-icon" aria-hidden="true">
                {item.done ? "✓" : "!"}
              </span>
              <span className="check-text">
                <span className="visually-hidden">{item.done ? "Done: " : "To do: "}</span>
                <strong>{item.label}</strong>
                {!item.done && item.fix ? (
                  <span className="check-fix">
                    {item.fix}{" "}
                    <Link to={`/creator/campaigns/${id}/${item.where === "tiers" ? "tiers" : "edit"}`}>
                      {item.where === "tiers" ? "Add a reward" : "Edit the campaign"}
                    </Link>
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card launch-terms" aria-labelledby="terms-heading">
        <h2 id="terms-heading">What launching means</h2>
        <dl className="terms-list">
          <div>
            <dt>Goal</dt>
            <dd>{terms.goal}</dd>
          </div>
          <div>
            <dt>Ends</dt>
            <dd>
              {terms.endsIfLaunchedNow ? `${terms.endsIfLaunchedNow} if you launch now` : "—"}{" "}
              <span className="muted small">({terms.length})</span>
            </dd>
          </div>
          <div>
            <dt>{terms.fundingModel.label}</dt>
            <dd>{terms.fundingModel.explanation}</dd>
          </div>
          <div>
            <dt>{terms.collection.label}</dt>
            <dd>{terms.collection.explanation}</dd>
          </div>
        </dl>
        <p className="notice notice-info">
          Once live, the goal, currency, deadline, funding model and when backers are charged can&apos;t change. You can
          still edit your story, images and rewards, and post updates.
        </p>
        <FormError errors={formErrorsOf(actionData)} />
        <Form method="post">
          <button
            type="submit"
            className="button button-primary button-large button-block"
            disabled={!ready || submitting}
          >
            {submitting ? "Launching…" : "Launch campaign"}
          </button>
        </Form>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
