import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Checkbox, FormError, TextArea } from "~/components/fields";
import { getDb } from "~/db.server";
import { cancelSchema, CANCEL_REASON_MAX } from "~/domain/backer-messages";
import { formatMoney } from "~/domain/money";
import { cancelCampaign } from "~/models/campaign-lifecycle.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = () => [{ title: "Cancel campaign · Colecta" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  if (campaign.state !== "live") throw redirect(`/creator/campaigns/${campaign.id}`);
  return json({
    id: campaign.id,
    pledged: formatMoney(Number(campaign.pledged_amount), campaign.currency),
    backers: campaign.backer_count,
    immediate: campaign.collection === "immediate",
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, campaign } = await requireCreatorCampaign(request, params, context);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: cancelSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await cancelCampaign(await getDb(), {
    campaignId: campaign.id,
    actor,
    reason: submission.value.reason,
  });
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/creator/campaigns/${campaign.id}?cancelled=1`);
}

export default function CancelPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: cancelSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  return (
    <div className="creator-section narrow-section">
      <section className="card" aria-labelledby="cancel-heading">
        <h2 id="cancel-heading">Cancel this campaign</h2>
        <p>
          Cancelling ends the campaign now, for good. It has {data.backers} {data.backers === 1 ? "backer" : "backers"}{" "}
          and {data.pledged} pledged.
        </p>
        <ul className="plain-list">
          <li>Nobody can pledge any more.</li>
          <li>
            {data.immediate
              ? "Backers were charged when they pledged: every charge is refunded in full."
              : "Backers' cards were saved, not charged: the saved cards are released and nobody pays."}{" "}
            The settlement process does this after you cancel (it is not instant), and backers are emailed when it
            happens.
          </li>
          <li>Your page stays up, marked as cancelled.</li>
        </ul>
        <FormError errors={form.errors} />
        <Form method="post" {...getFormProps(form)} className="stack">
          <TextArea
            label="Reason (shown to your backers)"
            field={fields.reason}
            rows={4}
            maxLength={CANCEL_REASON_MAX}
          />
          <Checkbox field={fields.confirm} value="yes">
            I understand this can&apos;t be undone.
          </Checkbox>
          <div className="form-actions">
            <button type="submit" className="button button-danger" disabled={submitting}>
              {submitting ? "Cancelling…" : "Cancel campaign"}
            </button>
            <Link to={`/creator/campaigns/${data.id}`} className="button button-ghost">
              Keep it running
            </Link>
          </div>
        </Form>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
