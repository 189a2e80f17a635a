import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { FulfilmentStatus } from "../../../db/schema.js";
import { FieldError, FormError, TextArea } from "../fields";
import { useFormat } from "../locale";
import { NOTE_MAX, PROBLEM_KINDS, problemSchema } from "../../domain/fulfilment-forms";

// The reward on the backer's pledge page: its status and date, the tracking link or the digital
// reward, "I received it", "Report a problem", and the problem thread with the creator's answer.

export interface BackerRewardData {
  status: FulfilmentStatus;
  since: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: string | null;
  digitalKind: "link" | "key" | null;
  digitalValue: string | null;
  problem: {
    kind: string;
    note: string | null;
    reportedAt: string | null;
    answer: string | null;
    answeredAt: string | null;
    resolvedAt: string | null;
  } | null;
  canConfirm: boolean;
  canReport: boolean;
}

type Reply = { form: string; result: SubmissionResult<string[]> };
const isReply = (v: unknown): v is Reply =>
  typeof v === "object" && v !== null && "form" in v && "result" in v && typeof v.form === "string";

export function BackerReward({ reward, actionData }: { reward: BackerRewardData; actionData: unknown }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [params] = useSearchParams();
  const reply = isReply(actionData) ? actionData : undefined;
  const busy = useNavigation().state !== "idle";
  const notice = params.get("reward");
  return (
    <section className="card reward-status" aria-labelledby="reward-title" id="reward">
      <h2 id="reward-title">{t("fulfilment:backer.title")}</h2>
      {notice === "received" || notice === "problem" ? (
        <p className="notice notice-success" role="status">
          {t(`fulfilment:backer.done.${notice}`)}
        </p>
      ) : null}
      <p>
        <span className={`status status-fulfilment-${reward.status}`}>{t(`fulfilment:status.${reward.status}`)}</span>
        {reward.since ? <span className="muted small"> · {f.date(reward.since)}</span> : null}
      </p>
      <p className="muted">{t(`fulfilment:backer.explain.${reward.status}`)}</p>
      {reward.trackingNumber ? (
        <p>
          {t("fulfilment:backer.shipment", {
            carrier: reward.carrier ?? "",
            tracking: reward.trackingNumber,
            date: reward.shippedAt ? f.date(reward.shippedAt) : "",
          })}{" "}
          {reward.trackingUrl ? (
            <a href={reward.trackingUrl} rel="noreferrer noopener" target="_blank">
              {t("fulfilment:backer.track")}
            </a>
          ) : null}
        </p>
      ) : null}
      {reward.digitalKind === "link" && reward.digitalValue ? (
        <p>
          <a href={reward.digitalValue} rel="noreferrer noopener" className="button button-secondary">
            {t("fulfilment:backer.download")}
          </a>
        </p>
      ) : reward.digitalKind === "key" && reward.digitalValue ? (
        <p>
          {t("fulfilment:backer.key")} <code className="mono">{reward.digitalValue}</code>
        </p>
      ) : null}
      {reward.problem ? (
        <div className="problem-thread" aria-label={t("fulfilment:backer.thread")}>
          <p>
            <strong>
              {t("fulfilment:backer.yourReport", { kind: t(`fulfilment:problemKind.${reward.problem.kind}`) })}
            </strong>
            {reward.problem.reportedAt ? (
              <span className="muted small"> · {f.shortDateTime(reward.problem.reportedAt)}</span>
            ) : null}
          </p>
          {reward.problem.note ? <blockquote>{reward.problem.note}</blockquote> : null}
          {reward.problem.answer ? (
            <>
              <p>
                <strong>{t("fulfilment:backer.creatorAnswer")}</strong>
                {reward.problem.answeredAt ? (
                  <span className="muted small"> · {f.shortDateTime(reward.problem.answeredAt)}</span>
                ) : null}
              </p>
              <blockquote>{reward.problem.answer}</blockquote>
            </>
          ) : reward.status === "problem" ? (
            <p className="muted small">{t("fulfilment:backer.awaitingAnswer")}</p>
          ) : null}
        </div>
      ) : null}
      {reward.canConfirm ? (
        <Form method="post" className="stack">
          <FormError
            errors={reply?.form === "fulfilment-received" ? (reply.result.error?.[""] ?? undefined) : undefined}
          />
          <button
            type="submit"
            name="intent"
            value="fulfilment-received"
            className="button button-primary"
            disabled={busy}
          >
            {t("fulfilment:backer.received")}
          </button>
        </Form>
      ) : null}
      {reward.canReport ? (
        <ProblemForm lastResult={reply?.form === "fulfilment-problem" ? reply.result : undefined} />
      ) : null}
    </section>
  );
}

function ProblemForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const schema = useMemo(() => problemSchema(t), [t]);
  const [form, fields] = useForm({
    id: "fulfilment-problem",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
  });
  const busy = useNavigation().state !== "idle";
  return (
    <details className="report-problem" open={Boolean(lastResult)}>
      <summary>{t("fulfilment:backer.report")}</summary>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError errors={form.errors} />
        <input type="hidden" name="intent" value="fulfilment-problem" />
        <fieldset
          className="field"
          aria-describedby={fields.problemKind.errors ? fields.problemKind.errorId : undefined}
        >
          <legend>{t("fulfilment:backer.whatHappened")}</legend>
          {PROBLEM_KINDS.map((kind) => (
            <label key={kind} className="radio">
              <input
                type="radio"
                name={fields.problemKind.name}
                value={kind}
                defaultChecked={fields.problemKind.initialValue === kind}
              />{" "}
              {t(`fulfilment:problemKind.${kind}`)}
            </label>
          ))}
          <FieldError id={fields.problemKind.errorId} errors={fields.problemKind.errors} />
        </fieldset>
        <TextArea label={t("fulfilment:backer.note")} field={fields.problemNote} rows={4} maxLength={NOTE_MAX} />
        <button type="submit" className="button button-secondary" disabled={busy}>
          {t("fulfilment:backer.send")}
        </button>
      </Form>
    </details>
  );
}
