import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Checkbox, FormError, TextArea } from "~/components/fields";
import { getDb } from "~/db.server";
import { cancelSchema, CANCEL_REASON_MAX } from "~/domain/backer-messages";
import { formatMoney } from "~/domain/money";
import { cancelCampaign } from "~/models/campaign-lifecycle.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("creator:cancel.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  if (campaign.state !== "live") throw redirect(`/creator/campaigns/${campaign.id}`);
  const locale = requestLocale(request, user);
  return json({
    id: campaign.id,
    pledged: formatMoney(Number(campaign.pledged_amount), campaign.currency, { locale }),
    backers: campaign.backer_count,
    immediate: campaign.collection === "immediate",
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: cancelSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await cancelCampaign(await getDb(), {
    campaignId: campaign.id,
    actor,
    reason: submission.value.reason,
    t,
  });
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/creator/campaigns/${campaign.id}?cancelled=1`);
}

export default function CancelPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const schema = useMemo(() => cancelSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  return (
    <div className="creator-section narrow-section">
      <section className="card" aria-labelledby="cancel-heading">
        <h2 id="cancel-heading">{t("creator:cancel.title")}</h2>
        <p>{t("creator:cancel.intro", { count: data.backers, pledged: data.pledged })}</p>
        <ul className="plain-list">
          <li>{t("creator:cancel.noMorePledges")}</li>
          <li>
            {data.immediate ? t("creator:cancel.immediateRefund") : t("creator:cancel.savedCardsReleased")}{" "}
            {t("creator:cancel.bySettlement")}
          </li>
          <li>{t("creator:cancel.pageStays")}</li>
        </ul>
        <FormError errors={form.errors} />
        <Form method="post" {...getFormProps(form)} className="stack">
          <TextArea label={t("creator:cancel.reason")} field={fields.reason} rows={4} maxLength={CANCEL_REASON_MAX} />
          <Checkbox field={fields.confirm} value="yes">
            {t("creator:cancel.confirm")}
          </Checkbox>
          <div className="form-actions">
            <button type="submit" className="button button-danger" disabled={submitting}>
              {submitting ? t("creator:cancel.submitting") : t("creator:cancel.submit")}
            </button>
            <Link to={`/creator/campaigns/${data.id}`} className="button button-ghost">
              {t("creator:cancel.keep")}
            </Link>
          </div>
        </Form>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
