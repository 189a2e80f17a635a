import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";
import { SurveyAnswerFields } from "~/components/survey-form";
import { refuse } from "~/domain/refusal";
import { answerSchema } from "~/domain/survey";
import { metaTranslator } from "~/i18n";
import { requireOwnPledge } from "~/services/pledges/backer.server";
import { addOnLinesOf } from "~/models/pledge-add-ons.server";
import { openBackerSurvey, saveBackerAnswers } from "~/services/surveys/answers.server";
import { answerFormOf } from "~/services/surveys/answer-form.server";
import { flatAnswer, flatValues } from "~/web/flat-form";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import styles from "~/styles/pledges.css";
import surveyStyles from "~/styles/surveys.css";

// The backer's survey for one of their pledges: the questions of its tier, answered and edited
// until the lock (or the creator's reopening), read-only after it with the reason. Someone
// else's pledge, or a pledge with no survey sent, is not found.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: surveyStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: metaTranslator(matches)("surveys:answer.meta", { title: data?.campaignTitle ?? "" }) },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, pledge, user } = await requireOwnPledge(request, params.id);
  const locale = requestLocale(request, user);
  const t = requestTranslator(request, user);
  const view = await openBackerSurvey(db, { pledgeId: pledge.id, backerId: user.id });
  if (!view) notFound(t("surveys:answer.notFound"));
  // The add-ons ride with the reward: the backer sees all they are answering for.
  const addOns = await addOnLinesOf(db, { pledgeIds: [pledge.id] });
  return json({
    ...answerFormOf(view, { t, locale }),
    addOns: addOns.map((line) => ({ title: line.title, quantity: line.quantity })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, pledge, user } = await requireOwnPledge(request, params.id);
  const locale = requestLocale(request, user);
  const t = requestTranslator(request, user);
  const view = await openBackerSurvey(db, { pledgeId: pledge.id, backerId: user.id });
  if (!view) notFound(t("surveys:answer.notFound"));
  const form = await readForm(request);
  const values = flatValues(form, { omit: ["intent"] });
  if (!view.window.open)
    return json(flatAnswer("answers", values, refuse(409, t("surveys:answer.locked"))), { status: 409 });
  // Without JavaScript, choosing a country redraws the address fields for it; nothing is saved.
  if (form.get("intent") === "country") return json(flatAnswer("answers", values, { error: {} }));
  const submission = parseWithZod(form, {
    schema: answerSchema({ questions: view.questions, destination: view.destination, t, locale }),
  });
  if (submission.status !== "success") return json(flatAnswer("answers", values, submission.reply()), { status: 400 });
  const saved = await saveBackerAnswers(db, { view, backerId: user.id, parsed: submission.value, t });
  if (!saved.ok) {
    const headers: HeadersInit = "retryAfterSeconds" in saved ? { "Retry-After": String(saved.retryAfterSeconds) } : {};
    return json(flatAnswer("answers", values, saved), { status: saved.status, headers });
  }
  return redirect(`/me/pledges/${pledge.id}/survey?saved=1`);
}

export default function PledgeSurvey() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const submitting = useNavigation().state === "submitting";
  const until = data.window.until ? f.date(data.window.until) : "";
  return (
    <div className="container pledge-detail survey-page">
      <nav aria-label={t("backer:pledge.breadcrumb")} className="breadcrumb">
        <Link to={`/me/pledges/${data.pledgeId}`}>{t("surveys:answer.back")}</Link>
      </nav>
      <h1>{t("surveys:answer.title", { campaign: data.campaignTitle })}</h1>
      <p>{t("surveys:answer.intro", { tier: data.tierTitle ?? t("surveys:answer.noTier") })}</p>
      {data.addOns.length > 0 ? (
        <p>
          {t("surveys:answer.addOns", {
            addOns: data.addOns.map((a) => t("surveys:answer.addOn", { title: a.title, count: a.quantity })).join(", "),
          })}
        </p>
      ) : null}
      {data.intro ? <p className="survey-intro">{data.intro}</p> : null}
      {params.has("saved") && !answer ? (
        <p className="notice notice-success" role="status">
          {t("surveys:answer.saved", { date: until })}
        </p>
      ) : null}
      {data.window.open ? (
        <p className="muted">
          {data.window.unlocked
            ? t("surveys:answer.unlockedUntil", { date: until })
            : t("surveys:answer.until", { date: until })}
        </p>
      ) : (
        <p className="notice" role="status">
          {t("surveys:answer.lockedNotice", { date: data.lockAt ? f.date(data.lockAt) : "" })}{" "}
          <Link to={`/messages/new?campaign=${data.campaignSlug}`}>{t("surveys:answer.messageCreator")}</Link>
        </p>
      )}
      {data.questions.length === 0 ? (
        <p className="muted">{t("surveys:answer.nothing")}</p>
      ) : (
        <Form method="post" className="card stack survey-form" key={answer ? JSON.stringify(answer.values) : "stored"}>
          <SurveyAnswerFields
            questions={data.questions}
            values={answer?.values ?? data.values}
            errors={answer?.errors ?? {}}
            formErrors={answer?.formErrors}
            countries={data.countries}
            paidFor={data.paidFor}
            disabled={!data.window.open}
          />
          {data.window.open ? (
            <div className="form-actions">
              <button type="submit" name="intent" value="save" className="button button-primary" disabled={submitting}>
                {submitting ? t("surveys:answer.saving") : t("surveys:answer.save")}
              </button>
            </div>
          ) : null}
        </Form>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
