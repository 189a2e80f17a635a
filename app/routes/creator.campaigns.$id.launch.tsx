import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formErrorsOf, FormError } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { getDb } from "~/db.server";
import { collectionOption, deadlineAtLaunch, fundingModelOption } from "~/domain/campaign-terms";
import { metaTranslator } from "~/i18n";
import { getConfig } from "~/config.server";
import { reviewStanding } from "~/domain/moderation";
import { checklistFor } from "~/models/campaign-lifecycle.server";
import { latestReview, withdrawReview } from "~/models/campaign-review.server";
import { countVisibleTiers } from "~/models/campaign-tiers.server";
import { launchOrSubmit } from "~/services/moderation/review.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("campaignForm:meta.launch") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  if (campaign.state !== "draft") throw redirect(`/creator/campaigns/${campaign.id}`);
  const t = requestTranslator(request, user);
  const now = new Date();
  const db = await getDb();
  const review = reviewStanding(await latestReview(db, { campaignId: campaign.id }));
  const checklist = checklistFor(
    campaign,
    await countVisibleTiers(db, { campaignId: campaign.id }),
    now,
    t,
    user.emailVerified,
  );
  const deadline = deadlineAtLaunch({ durationDays: campaign.duration_days, endDate: campaign.deadline }, now);
  // Words from the request's language; amounts and dates are formatted by the page in the same.
  return json({
    id: campaign.id,
    checklist,
    ready: checklist.every((i) => i.done),
    reviewBeforeLaunch: getConfig().reviewBeforeLaunch,
    review:
      review.kind === "in_review"
        ? { kind: review.kind, at: review.submittedAt.toISOString(), note: "" }
        : review.kind === "changes_requested"
          ? { kind: review.kind, at: review.decidedAt.toISOString(), note: review.note }
          : null,
    terms: {
      goalAmount: Number(campaign.goal_amount),
      currency: campaign.currency,
      endsIfLaunchedNow: deadline ? deadline.toISOString() : null,
      durationDays: campaign.duration_days,
      fundingModel: fundingModelOption(t, campaign.funding_model),
      collection: collectionOption(t, campaign.collection),
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const db = await getDb();
  if (form.get("intent") === "withdraw") {
    const withdrawn = await withdrawReview(db, { campaignId: campaign.id, actor, t });
    if (!withdrawn.ok) return replyWithRefusal(null, withdrawn);
    return redirect(`/creator/campaigns/${campaign.id}/launch?withdrawn=1`);
  }
  // "Launch": live now, or (with review before launch) into the moderators' queue.
  const result = await launchOrSubmit(db, { campaignId: campaign.id, actor, t });
  if (!result.ok)
    return replyWithRefusal(null, { ...result, formError: result.formError ?? t("campaignForm:refusal.launchFailed") });
  return redirect(
    result.launched
      ? `/creator/campaigns/${campaign.id}?launched=1`
      : `/creator/campaigns/${campaign.id}/launch?submitted=1`,
  );
}

export default function LaunchPage() {
  const { id, checklist, ready, terms, review, reviewBeforeLaunch } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const missing = checklist.filter((i) => !i.done).length;
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="creator-section launch-layout">
      <section className="card" aria-labelledby="checklist-heading">
        <h2 id="checklist-heading">{t("campaignForm:launch.checklistHeading")}</h2>
        {review?.kind === "changes_requested" ? (
          <div className="notice notice-warning review-note" role="status">
            <strong>{t("moderation:launch.changesTitle", { date: f.shortDateTime(review.at) })}</strong>
            <p className="review-note-text">{review.note}</p>
            <p className="small">{t("moderation:launch.changesNext")}</p>
          </div>
        ) : null}
        <p className="muted">
          {ready ? t("campaignForm:launch.ready") : t("campaignForm:launch.missing", { count: missing })}
        </p>
        <ul className="checklist">
          {checklist.map((item) => (
            <li key={item.key} className={item.done ? "check-done" : "check-todo"}>
              <span className="check-icon" aria-hidden="true">
                {item.done ? "✓" : "!"}
              </span>
              <span className="check-text">
                <span className="visually-hidden">
                  {item.done ? t("campaignForm:launch.done") : t("campaignForm:launch.todo")}
                </span>
                <strong>{item.label}</strong>
                {!item.done && item.fix ? (
                  <span className="check-fix">
                    {item.fix}{" "}
                    {item.where === "email" ? (
                      <Link to="/settings/email">{t("account:nav.email")}</Link>
                    ) : (
                      <Link to={`/creator/campaigns/${id}/${item.where === "tiers" ? "tiers" : "edit"}`}>
                        {item.where === "tiers"
                          ? t("campaignForm:launch.addReward")
                          : t("campaignForm:launch.editCampaign")}
                      </Link>
                    )}
                  </span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card launch-terms" aria-labelledby="terms-heading">
        <h2 id="terms-heading">{t("campaignForm:launch.termsHeading")}</h2>
        <dl className="terms-list">
          <div>
            <dt>{t("campaignForm:launch.goal")}</dt>
            <dd>{f.money(terms.goalAmount, terms.currency)}</dd>
          </div>
          <div>
            <dt>{t("campaignForm:launch.ends")}</dt>
            <dd>
              {terms.endsIfLaunchedNow
                ? t("campaignForm:launch.endsIfNow", { date: f.shortDateTime(terms.endsIfLaunchedNow) })
                : "—"}{" "}
              <span className="muted small">
                (
                {terms.durationDays !== null
                  ? t("campaignForm:launch.lengthDays", { count: terms.durationDays })
                  : t("campaignForm:launch.lengthDate")}
                )
              </span>
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
          {reviewBeforeLaunch ? t("moderation:launch.reviewNotice") : t("campaignForm:launch.notice")}
        </p>
        <FormError errors={formErrorsOf(actionData)} />
        {review?.kind === "in_review" ? (
          <div className="stack">
            <p className="notice notice-success" role="status">
              {t("moderation:launch.inReview", { date: f.shortDateTime(review.at) })}
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="withdraw" />
              <button type="submit" className="button button-secondary button-block" disabled={submitting}>
                {t("moderation:launch.withdraw")}
              </button>
            </Form>
          </div>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="launch" />
            <button
              type="submit"
              className="button button-primary button-large button-block"
              disabled={!ready || submitting}
            >
              {submitting
                ? t("campaignForm:launch.submitting")
                : reviewBeforeLaunch
                  ? review?.kind === "changes_requested"
                    ? t("moderation:launch.resubmit")
                    : t("moderation:launch.submit")
                  : t("campaignForm:launch.submit")}
            </button>
          </Form>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
