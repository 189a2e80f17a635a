import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { CurrencyCode } from "../../db/schema.js";
import { AdornedField, Field, FieldError, FormError, formErrorsOf, TextArea } from "~/components/fields";
import { useFormat, useLocale } from "~/components/locale";
import { stretchLinks } from "~/components/stretch-ladder";
import { getDb } from "~/db.server";
import { toLocalInputValue } from "~/domain/form-text";
import { isUuid } from "~/domain/ids";
import { CURRENCIES } from "~/domain/money";
import { refuse } from "~/domain/refusal";
import {
  mayEditStretchGoals,
  STRETCH_DESCRIPTION_MAX,
  STRETCH_GOALS_MAX,
  STRETCH_TITLE_MAX,
  stretchGoalIdSchema,
  stretchGoalSchema,
  stretchLadder,
} from "~/domain/stretch-goals";
import { metaTranslator } from "~/i18n";
import {
  createStretchGoal,
  deleteStretchGoal,
  listStretchGoals,
  updateStretchGoal,
} from "~/models/stretch-goals.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

// The creator's stretch goals: the ladder with each goal's state, a form to add one (or change
// one, `?edit=<id>`), and delete for goals not yet reached. Amounts are typed in the campaign's
// currency as the reader writes numbers. Staff who may open this page read it without the forms.

export const links: LinksFunction = () => stretchLinks;

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("stretch:creator.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, campaign } = await requireCreatorCampaign(request, params, context);
  const goals = await listStretchGoals(await getDb(), { campaignId: campaign.id });
  const isCreator = user.id === campaign.creator_id;
  return json({
    campaign: {
      id: campaign.id,
      state: campaign.state,
      currency: campaign.currency,
      goalAmount: Number(campaign.goal_amount),
      pledgedAmount: Number(campaign.pledged_amount),
    },
    goals: goals.map((g) => ({ ...g, reachedAt: g.reachedAt ? g.reachedAt.toISOString() : null })),
    isCreator,
    editable: isCreator && mayEditStretchGoals(campaign.state),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "create");
  const db = await getDb();
  const back = `/creator/campaigns/${campaign.id}/stretch-goals`;

  if (intent === "delete") {
    const submission = parseWithZod(form, { schema: stretchGoalIdSchema(t) });
    if (submission.status !== "success") return json(submission.reply(), { status: 404 });
    const deleted = await deleteStretchGoal(db, { campaignId: campaign.id, goalId: submission.value.goalId, actor, t });
    if (!deleted.ok) return replyWithRefusal(submission, deleted);
    return redirect(`${back}?done=deleted`, 303);
  }
  if (intent !== "create" && intent !== "update")
    return replyWithRefusal(null, refuse(400, t("stretch:refusal.unknownAction")));
  const goalId = form.get("goalId");
  if (intent === "update" && !isUuid(goalId)) return replyWithRefusal(null, refuse(404, t("stretch:refusal.notFound")));

  const schema = stretchGoalSchema(t, locale, campaign.currency, Number(campaign.goal_amount));
  const submission = parseWithZod(form, { schema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const input = submission.value;
  const written =
    intent === "create"
      ? await createStretchGoal(db, { campaignId: campaign.id, actor, input, t, locale })
      : await updateStretchGoal(db, { campaignId: campaign.id, goalId: goalId as string, actor, input, t, locale });
  if (!written.ok) return replyWithRefusal(submission, written);
  const id = "goalId" in written ? written.goalId : (goalId as string);
  return redirect(`${back}?done=${intent === "create" ? "added" : "saved"}#stretch-${id}`, 303);
}

type GoalData = ReturnType<typeof useLoaderData<typeof loader>>["goals"][number];

/** The action's answer, when it is a form's (its echo names the intent and, for a goal's button, the goal). */
function answerOf(answer: unknown, intent: string): SubmissionResult | null {
  if (!answer || typeof answer !== "object" || !("initialValue" in answer)) return null;
  const echo = (answer as SubmissionResult).initialValue as Record<string, unknown> | null | undefined;
  return echo?.intent === intent ? (answer as SubmissionResult) : null;
}

export default function CreatorStretchGoals() {
  const { campaign, goals, editable, isCreator } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const money = (amount: number) => f.money(amount, campaign.currency);
  const ladder = stretchLadder({ goal: campaign.goalAmount, pledged: campaign.pledgedAmount, goals });
  const open = campaign.state === "live";

  const created = answerOf(answer, "create");
  const updated = answerOf(answer, "update");
  const deleteAnswer = answerOf(answer, "delete");
  const deleteFor = (deleteAnswer?.initialValue as { goalId?: string } | undefined)?.goalId;
  const editId = (updated?.initialValue as { goalId?: string } | undefined)?.goalId ?? params.get("edit");
  const editing = editable ? goals.find((g) => g.id === editId) : undefined;
  // A refusal of the whole request to a button (the campaign ended meanwhile) goes above the list.
  const listErrors = created || updated ? undefined : formErrorsOf(answer);
  const done = params.get("done");

  return (
    <div className="creator-section tiers-layout">
      <div className="tiers-list-column">
        {(done === "added" || done === "saved" || done === "deleted") && !answer ? (
          <p className="notice notice-success" role="status">
            {t(`stretch:done.${done}`)}
          </p>
        ) : null}
        <div className="section-heading">
          <h2>{t("stretch:creator.listTitle")}</h2>
          <p className="muted small">{t("stretch:creator.count", { count: goals.length, max: STRETCH_GOALS_MAX })}</p>
        </div>
        <p className="muted">{t("stretch:creator.intro", { goal: money(campaign.goalAmount) })}</p>
        {goals.length > 0 ? (
          <p className="stretch-position">
            {!open
              ? t("stretch:ladder.positionEnded", { raised: money(campaign.pledgedAmount) })
              : ladder.next
                ? t("stretch:ladder.position", {
                    raised: money(campaign.pledgedAmount),
                    remaining: money(ladder.next.remaining),
                  })
                : t("stretch:ladder.positionAllReached", { raised: money(campaign.pledgedAmount) })}
          </p>
        ) : null}
        <FormError errors={listErrors} />
        {!isCreator ? <p className="notice">{t("stretch:creator.onlyCreator")}</p> : null}
        {isCreator && !editable ? <p className="notice">{t("stretch:creator.closed")}</p> : null}
        {goals.length === 0 ? (
          <div className="card empty-inline">
            <p>{t("stretch:creator.empty")}</p>
          </div>
        ) : (
          <ol className="tier-list" role="list">
            {ladder.rungs.map((goal) => {
              const titleId = `stretch-${goal.id}-title`;
              const deleteErrorId = `stretch-${goal.id}-delete-error`;
              const deleteError = (deleteFor === goal.id ? deleteAnswer?.error?.goalId : undefined) ?? undefined;
              return (
                <li
                  key={goal.id}
                  id={`stretch-${goal.id}`}
                  className={`card tier-card stretch-rung-${goal.state}`}
                  aria-labelledby={titleId}
                >
                  <div>
                    <p className="tier-minimum">{money(goal.amount)}</p>
                    <h3 id={titleId}>{goal.title}</h3>
                  </div>
                  <p className="stretch-status">
                    {goal.reachedAt !== null ? (
                      <Trans
                        i18nKey="stretch:ladder.reachedOn"
                        t={t}
                        values={{ date: f.date(goal.reachedAt) }}
                        components={{ time: <time dateTime={goal.reachedAt} /> }}
                      />
                    ) : goal.state === "next" && open && ladder.next ? (
                      t("stretch:ladder.next", { remaining: money(ladder.next.remaining) })
                    ) : (
                      t("stretch:ladder.ahead")
                    )}
                  </p>
                  {goal.description ? <p className="tier-description">{goal.description}</p> : null}
                  {editable ? (
                    <div className="stretch-actions">
                      <Link
                        to={`?edit=${goal.id}#stretch-form`}
                        className="button button-secondary button-small"
                        aria-label={t("stretch:creator.editNamed", { title: goal.title })}
                      >
                        {t("stretch:creator.edit")}
                      </Link>
                      {goal.reachedAt === null ? (
                        <DeleteButton goal={goal} errorId={deleteError ? deleteErrorId : undefined} />
                      ) : (
                        <span className="muted small">{t("stretch:creator.reachedStays")}</span>
                      )}
                    </div>
                  ) : null}
                  <FieldError id={deleteErrorId} errors={deleteError} />
                </li>
              );
            })}
          </ol>
        )}
      </div>
      {editable && (editing || goals.length < STRETCH_GOALS_MAX || created) ? (
        <section id="stretch-form" className="card tiers-form-column" aria-labelledby="stretch-form-heading">
          <h2 id="stretch-form-heading">
            {editing ? t("stretch:creator.editTitle", { title: editing.title }) : t("stretch:creator.addTitle")}
          </h2>
          <StretchGoalForm
            key={`${editing?.id ?? "new"}-${goals.length}`}
            goal={editing}
            answer={editing ? updated : created}
            currency={campaign.currency}
            goalAmount={campaign.goalAmount}
            cancelTo={`/creator/campaigns/${campaign.id}/stretch-goals`}
          />
        </section>
      ) : null}
    </div>
  );
}

function StretchGoalForm({
  goal,
  answer,
  currency,
  goalAmount,
  cancelTo,
}: {
  goal?: GoalData;
  answer: SubmissionResult | null;
  currency: CurrencyCode;
  goalAmount: number;
  /** Where "Cancel" leaves the edit for: the page without `?edit`. */
  cancelTo: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const f = useFormat();
  const schema = useMemo(() => stretchGoalSchema(t, locale, currency, goalAmount), [t, locale, currency, goalAmount]);
  const [form, fields] = useForm({
    id: goal ? `stretch-edit-${goal.id}` : "stretch-new",
    lastResult: answer,
    defaultValue: goal
      ? { title: goal.title, description: goal.description, amount: toLocalInputValue(goal.amount, currency, locale) }
      : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const busy = useNavigation().state === "submitting";
  const code = currency.toUpperCase();
  const goalText = f.money(goalAmount, currency);
  const amountHint = goal?.reachedAt
    ? t("stretch:creator.amountLocked", { date: f.date(goal.reachedAt) })
    : CURRENCIES[currency].exponent === 0
      ? t("stretch:creator.amountHintWhole", { code, goal: goalText })
      : t("stretch:creator.amountHintDecimal", { code, goal: goalText });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value={goal ? "update" : "create"} />
      {goal ? <input type="hidden" name="goalId" value={goal.id} /> : null}
      <FormError errors={form.errors} />
      <Field label={t("stretch:creator.titleLabel")} field={fields.title} maxLength={STRETCH_TITLE_MAX} required />
      <TextArea
        label={t("stretch:creator.descriptionLabel")}
        field={fields.description}
        rows={3}
        maxLength={STRETCH_DESCRIPTION_MAX}
      />
      <AdornedField
        label={t("stretch:creator.amountLabel")}
        field={fields.amount}
        prefix={code}
        inputMode="decimal"
        hint={amountHint}
        readOnly={Boolean(goal?.reachedAt)}
        required
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {goal ? t("stretch:creator.save") : t("stretch:creator.add")}
        </button>
        {goal ? (
          <Link to={cancelTo} className="button button-secondary">
            {t("stretch:creator.cancel")}
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

function DeleteButton({ goal, errorId }: { goal: GoalData; errorId?: string }) {
  const { t } = useTranslation();
  return (
    <Form
      method="post"
      onSubmit={(e) => {
        if (!window.confirm(t("stretch:creator.deleteConfirm"))) e.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="goalId" value={goal.id} />
      <button
        type="submit"
        className="button button-ghost button-small text-danger"
        aria-label={t("stretch:creator.deleteNamed", { title: goal.title })}
        aria-describedby={errorId}
      >
        {t("stretch:creator.delete")}
      </button>
    </Form>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
