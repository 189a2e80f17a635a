import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, FormError } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { SurveyAnswerFields } from "~/components/survey-form";
import { isUuid } from "~/domain/ids";
import {
  OPTIONS_MAX,
  QUESTION_KINDS,
  questionActionSchema,
  questionFormSchema,
  sendSurveySchema,
  unlockSchema,
} from "~/domain/survey";
import { metaTranslator } from "~/i18n";
import { requireCreator } from "~/services/campaigns/creator.server";
import { builderPageOf } from "~/services/surveys/builder-page.server";
import {
  actOnQuestion,
  openBuilder,
  saveQuestion,
  sendSurvey,
  startSurvey,
  unlockBacker,
} from "~/services/surveys/builder.server";
import { getDb } from "~/db.server";
import { clientIp } from "~/web/context";
import { flatAnswer, flatValues, type FlatAnswer } from "~/web/flat-form";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import styles from "~/styles/pledges.css";
import surveyStyles from "~/styles/surveys.css";

// The creator's survey: build the questions (kind, tiers, options with stock), preview it as a
// backer of each tier, send it with a lock date, then follow who answered and reopen one backer
// after the lock. Only the campaign's creator reaches it: the ownership check is in each query.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: surveyStyles },
];
export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("surveys:builder.meta") }];

async function requireOwnCampaignId(request: Request, params: Record<string, string | undefined>, context: unknown) {
  const { user, actor } = await requireCreator(request, context as { clientIp?: string });
  const t = requestTranslator(request, user);
  if (!isUuid(params.id)) notFound(t("creator:common.campaignNotFound"));
  return { user, actor, t, campaignId: params.id };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, t, campaignId } = await requireOwnCampaignId(request, params, context);
  const db = await getDb();
  const builder = await openBuilder(db, { campaignId, creatorId: user.id });
  if (!builder) notFound(t("creator:common.campaignNotFound"));
  const url = new URL(request.url);
  return json(
    builderPageOf(builder, {
      t,
      locale: requestLocale(request, user),
      editId: url.searchParams.get("edit"),
      previewTier: url.searchParams.get("preview"),
    }),
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, t, campaignId } = await requireOwnCampaignId(request, params, context);
  const db = await getDb();
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const here = `/creator/campaigns/${campaignId}/survey`;
  const owner = { campaignId, creatorId: user.id };
  const values = flatValues(form);
  const refused = (name: string, refusal: Parameters<typeof flatAnswer>[2], status: number) => {
    const wait = "retryAfterSeconds" in refusal ? (refusal as { retryAfterSeconds: number }).retryAfterSeconds : null;
    const headers: HeadersInit = wait ? { "Retry-After": String(wait) } : {};
    return json<FlatAnswer>(flatAnswer(name, values, refusal), { status, headers });
  };

  if (intent === "start") {
    const started = await startSurvey(db, { ...owner, t });
    if (!started.ok)
      return started.status === 404 ? notFound(started.formError) : refused("start", started, started.status);
    return redirect(`${here}?started=1`);
  }
  if (intent === "up" || intent === "down" || intent === "delete") {
    const parsed = questionActionSchema(t).safeParse(Object.fromEntries(form));
    if (!parsed.success) notFound(t("surveys:builder.notFound"));
    const done = await actOnQuestion(db, { ...owner, ...parsed.data, t });
    if (!done.ok) return done.status === 404 ? notFound(done.formError) : refused("list", done, done.status);
    return redirect(parsed.data.intent === "delete" ? `${here}?deleted=1` : here);
  }
  if (intent === "save") {
    const submission = parseWithZod(form, { schema: questionFormSchema(t) });
    if (submission.status !== "success") return refused("question", submission.reply(), 400);
    const saved = await saveQuestion(db, { ...owner, form: submission.value, t });
    if (!saved.ok) return refused("question", saved, saved.status);
    return redirect(`${here}?saved=1`);
  }
  if (intent === "send") {
    const submission = parseWithZod(form, { schema: sendSurveySchema(t, new Date()) });
    if (submission.status !== "success") return refused("send", submission.reply(), 400);
    const sent = await sendSurvey(db, {
      ...owner,
      lockAt: submission.value.lockDate,
      intro: submission.value.intro,
      actorId: user.id,
      ip: clientIp(context as { clientIp?: string }),
      t,
    });
    if (!sent.ok) return sent.status === 404 ? notFound(sent.formError) : refused("send", sent, sent.status);
    return redirect(`${here}?sent=${sent.invited}`);
  }
  if (intent === "unlock") {
    const submission = parseWithZod(form, { schema: unlockSchema(t, new Date()) });
    if (submission.status !== "success") return refused("unlock", submission.reply(), 400);
    const done = await unlockBacker(db, {
      ...owner,
      pledgeId: submission.value.pledgeId,
      until: submission.value.untilDate,
      ip: clientIp(context as { clientIp?: string }),
      t,
    });
    if (!done.ok) return refused("unlock", done, done.status);
    return redirect(`${here}?unlocked=${submission.value.pledgeId}`);
  }
  return refused("list", { ok: false, status: 400, fieldErrors: {}, formError: t("surveys:builder.notFound") }, 400);
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>;

export default function SurveyBuilder() {
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const here = `/creator/campaigns/${page.campaignId}/survey`;
  const notice = answer
    ? null
    : params.has("saved")
      ? t("surveys:builder.saved")
      : params.has("deleted")
        ? t("surveys:builder.deleted")
        : params.has("started")
          ? t("surveys:builder.started")
          : params.has("sent")
            ? t("surveys:send.sent", { count: Number(params.get("sent")) || 0 })
            : params.has("unlocked")
              ? t("surveys:results.unlocked", {
                  date: f.date(
                    page.progress.find((p) => p.pledgeId === params.get("unlocked"))?.unlockedUntil ?? new Date(),
                  ),
                })
              : null;
  const listErrors = answer?.form === "list" || answer?.form === "start" ? answer.formErrors : undefined;
  return (
    <div className="creator-section survey-builder stack">
      <section aria-labelledby="survey-heading">
        <h2 id="survey-heading">{t("surveys:builder.title")}</h2>
        <p className="muted">{t("surveys:builder.intro")}</p>
        {notice ? (
          <p className="notice notice-success" role="status">
            {notice}
          </p>
        ) : null}
        <FormError errors={listErrors} />
        {!page.allowed && !page.survey ? <p className="notice">{t("surveys:builder.notYet")}</p> : null}
        {page.allowed && !page.survey ? (
          <Form method="post">
            <button type="submit" name="intent" value="start" className="button button-primary">
              {t("surveys:builder.start")}
            </button>
          </Form>
        ) : null}
        {page.survey?.state === "sent" && page.survey.sentAt ? (
          <p className="notice">{t("surveys:builder.sentNotice", { date: f.date(page.survey.sentAt) })}</p>
        ) : null}
      </section>
      {page.survey ? (
        <>
          <QuestionList page={page} here={here} />
          {page.survey.state === "draft" || page.editing ? (
            <QuestionEditor page={page} here={here} answer={answer} />
          ) : null}
          <Preview page={page} here={here} />
          {page.survey.state === "draft" ? <SendForm answer={answer} /> : <Results page={page} answer={answer} />}
        </>
      ) : null}
    </div>
  );
}

function QuestionList({ page, here }: { page: Page; here: string }) {
  const { t } = useTranslation();
  if (page.questions.length === 0) return <p className="muted">{t("surveys:builder.none")}</p>;
  return (
    <ol className="survey-questions stack">
      {page.questions.map((q, index) => (
        <li key={q.id} className={page.editing?.id === q.id ? "card is-editing" : "card"}>
          <p className="muted">
            {t(`surveys:builder.kind.${q.kind}`)} ·{" "}
            {q.required ? t("surveys:builder.requiredBadge") : t("surveys:builder.optionalBadge")} ·{" "}
            {t("surveys:builder.forTiers", { tiers: q.tiersText })}
          </p>
          <h3>{q.prompt}</h3>
          {q.help ? <p>{q.help}</p> : null}
          {q.options.length ? (
            <ul>
              {q.options.map((o) => (
                <li key={o.id}>
                  {o.label}
                  {o.stockLimit !== null ? (
                    <span className="muted">
                      {" "}
                      ·{" "}
                      {o.takenCount >= o.stockLimit
                        ? t("surveys:builder.soldOut")
                        : t("surveys:builder.stockLeft", { left: o.stockLimit - o.takenCount, limit: o.stockLimit })}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="form-actions">
            <Link
              to={`${here}?edit=${q.id}#question-form`}
              className="button button-ghost button-small"
              aria-label={t("surveys:builder.editLabel", { prompt: q.prompt })}
            >
              {t("surveys:builder.edit")}
            </Link>
            <Form method="post">
              <input type="hidden" name="questionId" value={q.id} />
              <button
                type="submit"
                name="intent"
                value="up"
                className="button button-ghost button-small"
                disabled={index === 0}
                aria-label={t("surveys:builder.moveUpLabel", { prompt: q.prompt })}
              >
                {t("surveys:builder.moveUp")}
              </button>
              <button
                type="submit"
                name="intent"
                value="down"
                className="button button-ghost button-small"
                disabled={index === page.questions.length - 1}
                aria-label={t("surveys:builder.moveDownLabel", { prompt: q.prompt })}
              >
                {t("surveys:builder.moveDown")}
              </button>
              <button
                type="submit"
                name="intent"
                value="delete"
                className="button button-ghost button-small button-danger-text"
                aria-label={t("surveys:builder.deleteLabel", { prompt: q.prompt })}
              >
                {t("surveys:builder.delete")}
              </button>
            </Form>
          </div>
        </li>
      ))}
    </ol>
  );
}

function QuestionEditor({ page, here, answer }: { page: Page; here: string; answer: FlatAnswer | undefined }) {
  const { t } = useTranslation();
  const submitting = useNavigation().state === "submitting";
  const mine = answer?.form === "question" ? answer : undefined;
  const errors = mine?.errors ?? {};
  const editing = page.editing;
  const sent = page.survey?.state === "sent";
  // What the form shows: what was just typed, else the question being edited, else a new one.
  const v = (name: string, fallback = "") => {
    const typed = mine?.values[name];
    if (typed !== undefined) return Array.isArray(typed) ? typed[0]! : typed;
    return fallback;
  };
  const checked = (name: string, fallback: boolean) => (mine ? mine.values[name] !== undefined : fallback);
  const typedTiers = mine ? ([] as string[]).concat(mine.values.tierIds ?? []) : (editing?.tierIds ?? []);
  const existing = editing?.options ?? [];
  const rows = sent ? existing.length : Math.min(OPTIONS_MAX, Math.max(existing.length + 2, 4));
  const err = (name: string) => errors[name];
  const field = (name: string) => (err(name)?.length ? "field field-invalid" : "field");
  return (
    <section className="card" id="question-form" aria-labelledby="question-form-heading">
      <h2 id="question-form-heading">{editing ? t("surveys:builder.editTitle") : t("surveys:builder.addTitle")}</h2>
      <Form method="post" className="stack" key={editing?.id ?? "new"}>
        <FormError errors={mine?.formErrors} />
        {editing ? <input type="hidden" name="questionId" value={editing.id} /> : null}
        <div className={field("kind")}>
          <label htmlFor="q-kind">{t("surveys:builder.kindLabel")}</label>
          <p className="field-hint" id="q-kind-hint">
            {t("surveys:builder.kindHint")}
          </p>
          {sent ? <input type="hidden" name="kind" value={editing?.kind ?? ""} /> : null}
          <select
            id="q-kind"
            name={sent ? undefined : "kind"}
            defaultValue={v("kind", editing?.kind ?? "single")}
            disabled={sent}
            aria-describedby="q-kind-hint"
          >
            {QUESTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`surveys:builder.kind.${k}`)}
              </option>
            ))}
          </select>
          <FieldError errors={err("kind")} />
        </div>
        <div className={field("prompt")}>
          <label htmlFor="q-prompt">{t("surveys:builder.prompt")}</label>
          <input id="q-prompt" name="prompt" maxLength={200} defaultValue={v("prompt", editing?.prompt)} />
          <FieldError errors={err("prompt")} />
        </div>
        <div className={field("help")}>
          <label htmlFor="q-help">{t("surveys:builder.help")}</label>
          <input id="q-help" name="help" maxLength={500} defaultValue={v("help", editing?.help)} />
          <FieldError errors={err("help")} />
        </div>
        <fieldset className={field("tierIds")} disabled={sent}>
          <legend>{t("surveys:builder.tiers")}</legend>
          <p className="field-hint">{t("surveys:builder.tiersHint")}</p>
          <label className="inline-radio">
            <input type="checkbox" name="allTiers" defaultChecked={checked("allTiers", editing?.allTiers ?? true)} />{" "}
            {t("surveys:builder.allTiers")}
          </label>
          {page.tiers.map((tier) => (
            <label key={tier.id} className="inline-radio">
              <input type="checkbox" name="tierIds" value={tier.id} defaultChecked={typedTiers.includes(tier.id)} />{" "}
              {tier.title}
            </label>
          ))}
          <FieldError errors={err("tierIds")} />
        </fieldset>
        {sent ? (
          <>
            {editing?.allTiers ? <input type="hidden" name="allTiers" value="on" /> : null}
            {editing?.tierIds.map((id) => (
              <input key={id} type="hidden" name="tierIds" value={id} />
            ))}
            {editing?.required ? <input type="hidden" name="required" value="on" /> : null}
          </>
        ) : (
          <label className="inline-radio">
            <input type="checkbox" name="required" defaultChecked={checked("required", editing?.required ?? true)} />{" "}
            {t("surveys:builder.required")}
          </label>
        )}
        <fieldset className={field("options")}>
          <legend>{t("surveys:builder.options")}</legend>
          <p className="field-hint">{t("surveys:builder.optionsHint")}</p>
          {Array.from({ length: rows }, (_, i) => {
            const o = existing[i];
            const labelName = `options[${i}].label`;
            const stockName = `options[${i}].stock`;
            return (
              <div key={i} className="survey-option-row">
                {o ? <input type="hidden" name={`options[${i}].id`} value={o.id} /> : null}
                <div className={field(labelName)}>
                  <label htmlFor={`opt-${i}`}>{t("surveys:builder.optionLabel", { n: i + 1 })}</label>
                  <input id={`opt-${i}`} name={labelName} maxLength={80} defaultValue={v(labelName, o?.label)} />
                  <FieldError errors={err(labelName)} />
                </div>
                <div className={field(stockName)}>
                  <label htmlFor={`stock-${i}`}>{t("surveys:builder.stock", { n: i + 1 })}</label>
                  <input
                    id={`stock-${i}`}
                    name={stockName}
                    inputMode="numeric"
                    placeholder={t("surveys:builder.stockPlaceholder")}
                    defaultValue={v(stockName, o?.stockLimit === null || !o ? "" : String(o.stockLimit))}
                  />
                  <FieldError errors={err(stockName)} />
                </div>
              </div>
            );
          })}
          <FieldError errors={err("options")} />
        </fieldset>
        <div className="form-actions">
          <button type="submit" name="intent" value="save" className="button button-primary" disabled={submitting}>
            {submitting ? t("surveys:builder.saving") : editing ? t("surveys:builder.save") : t("surveys:builder.add")}
          </button>
          {editing ? (
            <Link to={here} className="button button-ghost">
              {t("surveys:builder.cancel")}
            </Link>
          ) : null}
        </div>
      </Form>
    </section>
  );
}

function Preview({ page, here }: { page: Page; here: string }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t("surveys:preview.title")}</h2>
      <p className="muted">{t("surveys:preview.intro")}</p>
      <Form method="get" action={here} className="form-actions">
        <label htmlFor="preview-tier">{t("surveys:preview.tier")}</label>
        <select id="preview-tier" name="preview" defaultValue={page.preview?.tierId ?? ""}>
          {page.tiers.map((tier) => (
            <option key={tier.id} value={tier.id}>
              {tier.title}
            </option>
          ))}
          <option value="none">{t("surveys:preview.noReward")}</option>
        </select>
        <button type="submit" className="button button-secondary button-small">
          {t("surveys:preview.show")}
        </button>
      </Form>
      {page.preview ? (
        <div
          className="survey-preview stack"
          aria-label={t("surveys:preview.heading", { tier: page.preview.tierTitle })}
        >
          <h3>{t("surveys:preview.heading", { tier: page.preview.tierTitle })}</h3>
          {page.preview.questions.length === 0 ? (
            <p className="muted">{t("surveys:preview.nothing")}</p>
          ) : (
            <>
              <p className="muted">{t("surveys:preview.disabled")}</p>
              <SurveyAnswerFields
                questions={page.preview.questions}
                values={page.preview.values}
                errors={{}}
                countries={page.preview.countries}
                paidFor={null}
                disabled
              />
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}

function SendForm({ answer }: { answer: FlatAnswer | undefined }) {
  const { t } = useTranslation();
  const mine = answer?.form === "send" ? answer : undefined;
  const lockError = mine?.errors.lockDate;
  const introError = mine?.errors.intro;
  return (
    <section className="card" aria-labelledby="send-heading">
      <h2 id="send-heading">{t("surveys:send.title")}</h2>
      <p className="muted">{t("surveys:send.intro")}</p>
      <Form method="post" className="stack">
        <FormError errors={mine?.formErrors} />
        <div className={lockError?.length ? "field field-invalid" : "field"}>
          <label htmlFor="lock-date">{t("surveys:send.lockDate")}</label>
          <p className="field-hint" id="lock-date-hint">
            {t("surveys:send.lockHint")}
          </p>
          <input
            id="lock-date"
            name="lockDate"
            type="date"
            defaultValue={typeof mine?.values.lockDate === "string" ? mine.values.lockDate : ""}
            aria-describedby="lock-date-hint"
            aria-invalid={lockError?.length ? true : undefined}
          />
          <FieldError errors={lockError} />
        </div>
        <div className={introError?.length ? "field field-invalid" : "field"}>
          <label htmlFor="survey-intro">{t("surveys:send.note")}</label>
          <textarea
            id="survey-intro"
            name="intro"
            rows={3}
            maxLength={2000}
            defaultValue={typeof mine?.values.intro === "string" ? mine.values.intro : ""}
          />
          <FieldError errors={introError} />
        </div>
        <div className="form-actions">
          <button type="submit" name="intent" value="send" className="button button-primary">
            {t("surveys:send.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

function Results({ page, answer }: { page: Page; answer: FlatAnswer | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const mine = answer?.form === "unlock" ? answer : undefined;
  const { owed, answered } = page.counts;
  const lockAt = page.survey?.lockAt;
  return (
    <section className="card" aria-labelledby="results-heading">
      <h2 id="results-heading">{t("surveys:results.title")}</h2>
      <p>
        {t("surveys:results.rate", {
          answered: f.number(answered),
          owed: f.number(owed),
          percent: f.number(owed ? Math.round((answered / owed) * 100) : 0),
        })}
      </p>
      {lockAt ? (
        <p className="muted">
          {page.locked
            ? t("surveys:results.lockedOn", { date: f.date(lockAt) })
            : t("surveys:results.locksOn", { date: f.date(lockAt) })}
        </p>
      ) : null}
      <FormError errors={mine?.formErrors} />
      {owed === 0 ? (
        <p className="muted">{t("surveys:results.none")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("surveys:results.backer")}</th>
              <th scope="col">{t("surveys:results.tier")}</th>
              <th scope="col">{t("surveys:results.answered")}</th>
              {page.locked ? <th scope="col">{t("surveys:results.unlock")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {page.progress.map((p) => (
              <tr key={p.pledgeId}>
                <td>{p.backerName}</td>
                <td>{p.tierTitle ?? "–"}</td>
                <td>
                  {p.submittedAt ? f.date(p.submittedAt) : t("surveys:results.notYet")}
                  {p.remindersSent && !p.submittedAt ? (
                    <span className="muted"> · {t("surveys:results.reminders", { count: p.remindersSent })}</span>
                  ) : null}
                  {p.unlockedUntil ? (
                    <span className="muted">
                      {" "}
                      · {t("surveys:results.unlockedUntil", { date: f.date(p.unlockedUntil) })}
                    </span>
                  ) : null}
                </td>
                {page.locked ? (
                  <td>
                    <Form method="post" className="form-actions">
                      <input type="hidden" name="pledgeId" value={p.pledgeId} />
                      <label htmlFor={`until-${p.pledgeId}`}>{t("surveys:results.until")}</label>
                      <input id={`until-${p.pledgeId}`} name="untilDate" type="date" />
                      <button
                        type="submit"
                        name="intent"
                        value="unlock"
                        className="button button-ghost button-small"
                        aria-label={t("surveys:results.unlockLabel", { name: p.backerName })}
                      >
                        {t("surveys:results.unlock")}
                      </button>
                      {mine?.values.pledgeId === p.pledgeId ? <FieldError errors={mine.errors.untilDate} /> : null}
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
