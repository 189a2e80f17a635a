import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { LinkDescriptor } from "@remix-run/node";
import { useFetcher, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { FieldError, FormError } from "~/components/fields";
import { MAX_LENGTH } from "~/domain/conversation-limits";
import { REPORT_REASONS, reasonLabel, reportSchema } from "~/domain/moderation";
import styles from "~/styles/report.css";
import type { ReportSubject } from "../../db/schema.js";

// The "Report" control beside a comment, a message or an idea: a disclosure with the reasons and an
// optional note, posted to /report. With JavaScript the answer shows in place; without it the
// route redirects back with the outcome in the address (`?report=…&reported=<id>`), which this
// control reads, so both show the same confirmation.

/** The stylesheet of the control, for the `links` of a route that shows it. */
export const reportFormLinks: LinkDescriptor[] = [{ rel: "stylesheet", href: styles }];

export type ReportOutcome = "reported" | "already_reported";

/** The outcome words a redirect may carry, as the route writes them. */
export const REPORT_OUTCOME_PARAM = "report";
export const REPORTED_SUBJECT_PARAM = "reported";

export function ReportForm({
  subjectType,
  subjectId,
  redirectTo,
}: {
  subjectType: ReportSubject;
  subjectId: string;
  /** Where a browser without JavaScript comes back to after reporting (this page). */
  redirectTo: string;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ outcome: ReportOutcome } | SubmissionResult<string[]>>();
  const [params] = useSearchParams();
  const schema = useMemo(() => reportSchema(t), [t]);
  const answer = fetcher.data;
  const done =
    answer && "outcome" in answer
      ? answer.outcome
      : params.get(REPORTED_SUBJECT_PARAM) === subjectId
        ? outcomeOf(params.get(REPORT_OUTCOME_PARAM))
        : undefined;
  const noJsError =
    !answer && params.get(REPORTED_SUBJECT_PARAM) === subjectId && !done
      ? params.get(REPORT_OUTCOME_PARAM) === "limited"
        ? t("moderation:report.limitedLater")
        : t("moderation:report.tryAgain")
      : undefined;
  const [form, fields] = useForm({
    id: `report-${subjectId}`,
    lastResult: answer && !("outcome" in answer) ? answer : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const busy = fetcher.state !== "idle";

  if (done)
    return (
      <p className="report-done" role="status">
        {done === "reported" ? t("moderation:report.thanks") : t("moderation:report.already")}
      </p>
    );

  return (
    <details className="report" open={Boolean(noJsError) || undefined}>
      <summary>{t("moderation:report.open")}</summary>
      <fetcher.Form method="post" action="/report" {...getFormProps(form)} className="report-form">
        <input type="hidden" name="subjectType" value={subjectType} />
        <input type="hidden" name="subjectId" value={subjectId} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormError errors={form.errors ?? (noJsError ? [noJsError] : undefined)} />
        <fieldset
          className="report-reasons"
          aria-invalid={fields.reason.errors ? true : undefined}
          aria-describedby={fields.reason.errors ? fields.reason.errorId : undefined}
        >
          <legend>{t("moderation:report.legend")}</legend>
          {REPORT_REASONS.map((reason) => (
            <label key={reason} className="report-reason">
              <input
                type="radio"
                name={fields.reason.name}
                value={reason}
                defaultChecked={fields.reason.initialValue === reason}
              />{" "}
              {reasonLabel(t, reason)}
            </label>
          ))}
          <FieldError id={fields.reason.errorId} errors={fields.reason.errors} />
        </fieldset>
        <div className={fields.note.errors ? "field field-invalid" : "field"}>
          <label htmlFor={fields.note.id}>{t("moderation:report.noteLabel")}</label>
          <textarea
            {...getTextareaProps(fields.note)}
            rows={2}
            maxLength={MAX_LENGTH.report}
            placeholder={t("moderation:report.notePlaceholder")}
          />
          <FieldError id={fields.note.errorId} errors={fields.note.errors} />
        </div>
        <button type="submit" className="button button-secondary" disabled={busy}>
          {busy ? t("moderation:report.sending") : t("moderation:report.submit")}
        </button>
      </fetcher.Form>
    </details>
  );
}

function outcomeOf(value: string | null): ReportOutcome | undefined {
  return value === "reported" || value === "already_reported" ? value : undefined;
}
