import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { FormError, RadioCards } from "~/components/fields";
import { getDb } from "~/db.server";
import { commentPolicySchema } from "~/domain/comments";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { recordAudit } from "~/models/audit.server";
import { setCommentPolicy } from "~/models/comment.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

// The creator's comments settings: who may comment on the project and its updates.

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("comments:creator.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  return json({
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      state: campaign.state,
      policy: campaign.comment_policy,
      commentCount: campaign.comment_count,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: commentPolicySchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { policy } = submission.value;
  const db = await getDb();
  const saved = await db.transaction().execute(async (trx) => {
    const changed = await setCommentPolicy(trx, { campaignId: campaign.id, actor, policy });
    if (changed && policy !== campaign.comment_policy)
      await recordAudit(trx, {
        actorId: actor.userId,
        action: "campaign.comment_policy",
        subjectType: "campaign",
        subjectId: campaign.id,
        ip: actor.ip,
        detail: { from: campaign.comment_policy, to: policy },
      });
    return changed;
  });
  if (!saved) return replyWithRefusal(submission, refuse(404, t("creator:common.campaignNotFound")));
  return redirect(`/creator/campaigns/${campaign.id}/comments?saved=1`, 303);
}

export default function CommentSettings() {
  const { campaign } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const schema = useMemo(() => commentPolicySchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: answer,
    defaultValue: { policy: campaign.policy },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
  });
  const busy = useNavigation().state === "submitting";
  const options = [
    { value: "backers", label: t("comments:policy.backers"), explanation: t("comments:creator.backersExplanation") },
    {
      value: "signed_in",
      label: t("comments:policy.signedIn"),
      explanation: t("comments:creator.signedInExplanation"),
    },
  ];
  const policyLabel = campaign.policy === "backers" ? t("comments:policy.backers") : t("comments:policy.signedIn");
  return (
    <div className="creator-section">
      <section className="card" aria-labelledby="comment-policy-heading">
        <h2 id="comment-policy-heading">{t("comments:creator.title")}</h2>
        <p className="muted">{t("comments:creator.intro")}</p>
        {params.has("saved") && !answer ? (
          <p className="notice notice-success" role="status">
            {t("comments:creator.saved", { policy: policyLabel })}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormError errors={form.errors} />
          <RadioCards legend={t("comments:creator.title")} field={fields.policy} options={options} />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {t("comments:creator.save")}
            </button>
          </div>
        </Form>
        {campaign.state !== "draft" ? (
          <p className="comment-settings-count">
            {t("comments:creator.count", { count: campaign.commentCount })}{" "}
            <Link to={`/projects/${campaign.slug}/comments`}>{t("comments:creator.read")}</Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
