import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, When } from "~/components/finance/finance-ui";
import { ReviewDecisionForm } from "~/components/moderation/moderation-ui";
import { useFormat } from "~/components/locale";
import { getDb } from "~/db.server";
import { collectionOption, fundingModelOption } from "~/domain/campaign-terms";
import { categoryName } from "~/domain/catalog";
import { reviewDecisionSchema } from "~/domain/moderation";
import { metaTranslator } from "~/i18n";
import { listOpenReviews } from "~/models/campaign-review.server";
import { requireRole } from "~/services/accounts/auth.server";
import { decideCampaignReview } from "~/services/moderation/review.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("moderation:meta.reviews") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "moderator");
  const t = requestTranslator(request, user);
  const reviews = await listOpenReviews(await getDb());
  return json({
    reviews: reviews.map((r) => ({
      id: r.id,
      submittedAt: r.submitted_at.toISOString(),
      resubmission: Number(r.earlier_changes ?? 0) > 0,
      campaign: {
        title: r.title,
        slug: r.slug,
        blurb: r.blurb,
        category: r.category,
        language: r.language,
        goalAmount: Number(r.goal_amount),
        currency: r.currency,
        durationDays: r.duration_days,
        endDate: r.deadline?.toISOString() ?? null,
        fundingModel: fundingModelOption(t, r.funding_model).label,
        collection: collectionOption(t, r.collection).label,
        editedAt: r.updated_at.toISOString(),
      },
      creator: { id: r.creator_id, name: r.creator_name },
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "moderator");
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: reviewDecisionSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { intent, reviewId, note } = submission.value;
  const result = await decideCampaignReview(await getDb(), {
    reviewId,
    moderator: { userId: user.id, ip: clientIp(context) },
    decision: intent,
    note,
    t,
  });
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/moderation/reviews?done=${intent}&title=${encodeURIComponent(result.campaign.title)}`);
}

export default function ReviewQueue() {
  const { reviews } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const done = params.get("done");
  const doneTitle = params.get("title") ?? "";
  return (
    <>
      <div className="fin-top">
        <h1>{t("moderation:reviews.title")}</h1>
      </div>
      <p className="muted">{t("moderation:reviews.intro")}</p>
      {done === "approve" || done === "changes" ? (
        <p className="fin-notice fin-notice-success" role="status">
          {t(`moderation:reviews.done.${done}`, { title: doneTitle })}
        </p>
      ) : null}
      {reviews.length === 0 ? (
        <section className="fin-section">
          <p className="fin-empty">{t("moderation:reviews.empty")}</p>
        </section>
      ) : (
        <ol className="mod-queue" role="list">
          {reviews.map((r) => (
            <li key={r.id} className="fin-section mod-subject" aria-labelledby={`review-${r.id}`}>
              <header>
                <h2 id={`review-${r.id}`}>
                  {r.campaign.title}{" "}
                  {r.resubmission ? <Badge tone="info">{t("moderation:reviews.resubmitted")}</Badge> : null}
                </h2>
                <p className="muted small">
                  {t("moderation:reviews.submitted")} <When at={r.submittedAt} />
                </p>
              </header>
              <div className="fin-section-body mod-subject-body">
                <div className="mod-subject-main">
                  <p>{r.campaign.blurb}</p>
                  <dl className="mod-terms">
                    <div>
                      <dt>{t("moderation:reviews.creator")}</dt>
                      <dd>
                        <Link to={`/moderation/users/${r.creator.id}`}>{r.creator.name}</Link>
                      </dd>
                    </div>
                    <div>
                      <dt>{t("moderation:reviews.category")}</dt>
                      <dd>{categoryName(r.campaign.category, t)}</dd>
                    </div>
                    <div>
                      <dt>{t("moderation:reviews.goal")}</dt>
                      <dd>{f.money(r.campaign.goalAmount, r.campaign.currency)}</dd>
                    </div>
                    <div>
                      <dt>{t("moderation:reviews.length")}</dt>
                      <dd>
                        {r.campaign.durationDays !== null
                          ? t("moderation:reviews.days", { count: r.campaign.durationDays })
                          : r.campaign.endDate
                            ? t("moderation:reviews.until", { date: f.date(r.campaign.endDate) })
                            : "—"}
                      </dd>
                    </div>
                    <div>
                      <dt>{t("moderation:reviews.terms")}</dt>
                      <dd>
                        {r.campaign.fundingModel} · {r.campaign.collection}
                      </dd>
                    </div>
                    <div>
                      <dt>{t("moderation:reviews.lastEdited")}</dt>
                      <dd>
                        <When at={r.campaign.editedAt} />
                      </dd>
                    </div>
                  </dl>
                  <p>
                    <Link to={`/projects/${r.campaign.slug}`} className="button button-secondary">
                      {t("moderation:reviews.preview")}
                    </Link>
                  </p>
                </div>
                <div className="mod-decisions">
                  <ReviewDecisionForm reviewId={r.id} intent="approve" actionData={actionData} />
                  <ReviewDecisionForm reviewId={r.id} intent="changes" actionData={actionData} />
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
