import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, NavLink, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { FieldError, FormError, TextArea } from "~/components/fields";
import {
  actionsFor,
  DECISION_TEXT_MAX,
  reviewDecisionSchema,
  subjectActionSchema,
  type ReportSubject,
} from "~/domain/moderation";

// The moderation desk's pieces. It wears the finance desk's look (its stylesheet, badges, dates
// and tables), so staff pages read as one product; what is its own is here.

export function ModerationNav({ openReports, openReviews }: { openReports: number; openReviews: number }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("moderation:nav.label")} className="fin-subnav">
      <NavLink to="/moderation" end>
        {t("moderation:nav.reports")} <span className="mod-count">{openReports}</span>
      </NavLink>
      <NavLink to="/moderation/reviews">
        {t("moderation:nav.reviews")} <span className="mod-count">{openReviews}</span>
      </NavLink>
    </nav>
  );
}

/** The answer of the last submission, if it was this form's (a page holds one form per subject or review). */
function answerFor(answer: unknown, field: string, value: string): SubmissionResult | undefined {
  const result = answer as SubmissionResult | null | undefined;
  return result?.initialValue?.[field] === value ? result : undefined;
}

/** What to do about one reported comment or message, and why (the reason goes in the audit log). */
export function SubjectDecisionForm({
  subjectType,
  subjectId,
  actionData,
}: {
  subjectType: ReportSubject;
  subjectId: string;
  actionData: unknown;
}) {
  const { t } = useTranslation();
  const schema = useMemo(() => subjectActionSchema(t), [t]);
  const [form, fields] = useForm({
    id: `decide-${subjectId}`,
    lastResult: answerFor(actionData, "subjectId", subjectId),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("subjectId") === subjectId;
  return (
    <Form method="post" {...getFormProps(form)} className="fin-action mod-decision">
      <FormError errors={form.errors} />
      <input type="hidden" name="subjectType" value={subjectType} />
      <input type="hidden" name="subjectId" value={subjectId} />
      <fieldset
        className="mod-choices"
        aria-invalid={fields.intent.errors ? true : undefined}
        aria-describedby={fields.intent.errors ? fields.intent.errorId : undefined}
      >
        <legend>{t("moderation:desk.whatToDo")}</legend>
        {actionsFor(subjectType).map((action) => (
          <label key={action} className="mod-choice">
            <input
              type="radio"
              name={fields.intent.name}
              value={action}
              defaultChecked={fields.intent.initialValue === action}
            />{" "}
            {t(`moderation:desk.action.${action}`)}
          </label>
        ))}
        <FieldError id={fields.intent.errorId} errors={fields.intent.errors} />
      </fieldset>
      <TextArea
        label={t("moderation:desk.reasonLabel")}
        field={fields.reason}
        rows={2}
        maxLength={500}
        required
        placeholder={t("moderation:desk.reasonPlaceholder")}
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? t("moderation:desk.working") : t("moderation:desk.apply")}
      </button>
    </Form>
  );
}

/** Approve a campaign (an optional note) or ask for changes (a note the creator reads). */
export function ReviewDecisionForm({
  reviewId,
  intent,
  actionData,
}: {
  reviewId: string;
  intent: "approve" | "changes";
  actionData: unknown;
}) {
  const { t } = useTranslation();
  const schema = useMemo(() => reviewDecisionSchema(t), [t]);
  const answer = answerFor(actionData, "reviewId", reviewId);
  const [form, fields] = useForm({
    id: `review-${intent}-${reviewId}`,
    lastResult: answer?.initialValue?.intent === intent ? answer : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const navigation = useNavigation();
  const busy =
    navigation.state !== "idle" &&
    navigation.formData?.get("reviewId") === reviewId &&
    navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" {...getFormProps(form)} className="fin-action">
      <h3>{t(`moderation:reviews.${intent}.title`)}</h3>
      <FormError errors={form.errors} />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="reviewId" value={reviewId} />
      {intent === "approve" ? (
        <div className={fields.note.errors ? "field field-invalid" : "field"}>
          <label htmlFor={fields.note.id}>{t("moderation:reviews.approve.noteLabel")}</label>
          <textarea {...getTextareaProps(fields.note)} rows={2} maxLength={DECISION_TEXT_MAX} />
          <FieldError id={fields.note.errorId} errors={fields.note.errors} />
        </div>
      ) : (
        <TextArea
          label={t("moderation:reviews.changes.noteLabel")}
          hint={t("moderation:reviews.changes.noteHint")}
          field={fields.note}
          rows={4}
          maxLength={DECISION_TEXT_MAX}
          required
        />
      )}
      <button
        type="submit"
        className={intent === "approve" ? "button button-primary" : "button button-secondary"}
        disabled={busy}
      >
        {busy ? t("moderation:desk.working") : t(`moderation:reviews.${intent}.button`)}
      </button>
    </Form>
  );
}
