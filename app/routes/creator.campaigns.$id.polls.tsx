import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, FieldError, FormError, RadioCards, Select } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { PollCard, pollLinks } from "~/components/polls/poll-card";
import { getDb } from "~/db.server";
import { percentOf, POLL_MAX_OPTIONS, POLL_OPTION_MAX, POLL_QUESTION_MAX, pollFormSchema } from "~/domain/crowd";
import { isUuid } from "~/domain/ids";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { askPoll, closePollEarly, creatorPolls } from "~/services/polls/asking.server";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

// The creator's polls: ask a new one (on the project page or in one of the campaign's updates),
// close one early, and read every poll's results, weighted by pledge amount for backers-only
// ones. The creator always sees the results, so the cards here carry them.

export const links: LinksFunction = () => pollLinks;

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("polls:creator.meta") }];

/** The next full hour a week from now, as a datetime-local value in UTC: the form's suggestion. */
function suggestedClose(now: Date) {
  const d = new Date(now.getTime() + 7 * 24 * 3600_000);
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString().slice(0, 16);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const now = new Date();
  const page = await creatorPolls(await getDb(), { campaign, user, now });
  return json({
    campaign: { id: campaign.id, slug: campaign.slug, state: campaign.state },
    ...page,
    suggestedClose: suggestedClose(now),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const db = await getDb();
  const now = new Date();

  if (form.get("intent") === "close") {
    const pollId = form.get("pollId");
    if (!isUuid(pollId)) return replyWithRefusal(null, refuse(404, t("polls:refusal.notFound")));
    const closed = await closePollEarly(db, { campaign, actor, pollId, t, now });
    if (!closed.ok) return replyWithRefusal(null, closed, { headers: retryAfter(closed) });
    return redirect(`/creator/campaigns/${campaign.id}/polls?done=closed#poll-${pollId}`, 303);
  }

  const submission = parseWithZod(form, { schema: pollFormSchema(t, now) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const asked = await askPoll(db, {
    campaign,
    actor,
    suspended: user.suspended,
    question: submission.value,
    t,
    now,
  });
  if (!asked.ok) return replyWithRefusal(submission, asked, { headers: retryAfter(asked) });
  return redirect(`/creator/campaigns/${campaign.id}/polls?done=created#poll-${asked.pollId}`, 303);
}

function retryAfter(refusal: object): HeadersInit {
  return "retryAfterSeconds" in refusal ? { "Retry-After": String(refusal.retryAfterSeconds) } : {};
}

export default function CreatorPolls() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const done = params.get("done");
  // A refused "close" answers without a submission (it is only a button): its message goes on top.
  const asked = answer && "initialValue" in answer ? answer : null;
  const closeError = answer && !asked ? answer.error?.[""]?.[0] : undefined;
  return (
    <div className="creator-section">
      {done === "created" || done === "closed" ? (
        <p className="notice notice-success" role="status">
          {t(`polls:done.${done}`)}
        </p>
      ) : null}
      {closeError ? (
        <p className="notice notice-warning" role="alert">
          {closeError}
        </p>
      ) : null}
      {data.mayAsk ? (
        <NewPollForm answer={asked} />
      ) : data.isCreator ? (
        <p className="notice">{t("polls:refusal.campaignClosed")}</p>
      ) : null}
      <section className="card" aria-labelledby="polls-list-heading">
        <h2 id="polls-list-heading">{t("polls:creator.listTitle")}</h2>
        {data.polls.length === 0 ? <p className="muted">{t("polls:creator.empty")}</p> : null}
        {data.polls.map(({ card, updateTitle, weighted }) => (
          <div key={card.id}>
            <p className="muted small">
              {updateTitle ? `${t("polls:creator.where.update")}: ${updateTitle}` : t("polls:creator.where.project")}
            </p>
            <PollCard
              poll={card}
              slug={data.campaign.slug}
              returnTo={`/creator/campaigns/${data.campaign.id}/polls`}
              voteForm={false}
            />
            {weighted ? (
              <div className="poll-weighted">
                <h4>{t("polls:creator.weighted")}</h4>
                <ul>
                  {weighted.options.map((w) => (
                    <li key={w.optionId}>
                      {t("polls:creator.weightedRow", {
                        option: card.options.find((o) => o.id === w.optionId)?.label ?? "",
                        amount: f.money(w.amount, weighted.currency),
                        percent: f.number(percentOf(w.amount, weightedTotal(weighted))),
                      })}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {!card.closed && data.isCreator ? (
              <Form
                method="post"
                onSubmit={(e) => {
                  if (!window.confirm(t("polls:creator.closeConfirm"))) e.preventDefault();
                }}
              >
                <input type="hidden" name="intent" value="close" />
                <input type="hidden" name="pollId" value={card.id} />
                <button type="submit" className="button button-secondary">
                  {t("polls:creator.close")}
                </button>
              </Form>
            ) : null}
          </div>
        ))}
      </section>
    </div>
  );
}

function weightedTotal(weighted: { options: { amount: number }[] }) {
  return weighted.options.reduce((sum, o) => sum + o.amount, 0);
}

function NewPollForm({ answer }: { answer: unknown }) {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const schema = useMemo(() => pollFormSchema(t, new Date()), [t]);
  const [form, fields] = useForm({
    id: "poll-new",
    lastResult: answer as never,
    defaultValue: { policy: "backers", closesAt: data.suggestedClose, updateId: "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
  });
  const options = fields.options.getFieldList();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card" aria-labelledby="poll-new-heading">
      <h2 id="poll-new-heading">{t("polls:creator.title")}</h2>
      <p className="muted">{t("polls:creator.intro")}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError errors={form.errors} />
        <input type="hidden" name="intent" value="create" />
        <Field
          label={t("polls:creator.questionLabel")}
          field={fields.question}
          maxLength={POLL_QUESTION_MAX}
          required
        />
        <fieldset className="field">
          <legend>{t("polls:creator.optionsLegend")}</legend>
          <p className="field-hint">{t("polls:creator.optionsHint")}</p>
          <FieldError id={fields.options.errorId} errors={fields.options.errors} />
          {Array.from({ length: POLL_MAX_OPTIONS }, (_, i) => {
            const id = `poll-option-${i}`;
            const typed = options[i]?.initialValue;
            const errors = options[i]?.errors;
            return (
              <div key={i} className={errors ? "field field-invalid" : "field"}>
                <label htmlFor={id}>{t("polls:creator.optionLabel", { n: i + 1 })}</label>
                <input
                  id={id}
                  name={`${fields.options.name}[${i}]`}
                  form={form.id}
                  defaultValue={typeof typed === "string" ? typed : ""}
                  maxLength={POLL_OPTION_MAX}
                  required={i < 2}
                  aria-invalid={errors ? true : undefined}
                  aria-describedby={errors ? `${id}-error` : fields.options.errors ? fields.options.errorId : undefined}
                />
                <FieldError id={`${id}-error`} errors={errors} />
              </div>
            );
          })}
        </fieldset>
        <Field label={t("polls:creator.closesAtLabel")} field={fields.closesAt} type="datetime-local" required />
        <RadioCards
          legend={t("polls:creator.policyLegend")}
          field={fields.policy}
          options={[
            { value: "backers", label: t("polls:creator.backers"), explanation: t("polls:creator.backersExplanation") },
            {
              value: "signed_in",
              label: t("polls:creator.signedIn"),
              explanation: t("polls:creator.signedInExplanation"),
            },
          ]}
        />
        <Select
          label={t("polls:creator.whereLabel")}
          field={fields.updateId}
          options={[
            { value: "", label: t("polls:creator.projectPage") },
            ...data.updates.map((u) => ({ value: u.id, label: t("polls:creator.inUpdate", { title: u.title }) })),
          ]}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t("polls:creator.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
