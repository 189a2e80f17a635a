import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { FulfilmentStatus } from "../../../db/schema.js";
import { Field, FormError, Select, TextArea } from "../fields";
import { useFormat } from "../locale";
import { destinationName } from "../../domain/catalog";
import {
  answerSchema,
  CARRIER_MAX,
  digitalSchema,
  FULFILMENT_STATUSES,
  NOTE_MAX,
  shipSchema,
  TRACKING_NUMBER_MAX,
  URL_MAX,
} from "../../domain/fulfilment-forms";

// The creator's fulfilment table, its filters, and the panel of actions on one pledge.

export interface FulfilmentRow {
  pledgeId: string;
  status: FulfilmentStatus;
  backerName: string;
  tierTitle: string | null;
  /** "2 × Spare lantern; 1 × Stickers", or null. */
  addOns: string | null;
  destination: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: string | null;
  digital: boolean;
  problemKind: string | null;
  problemNote: string | null;
  problemAnswered: boolean;
}

interface TableData {
  campaignId: string;
  filters: { status: string | null; tierId: string | null; country: string | null; page: number };
  pageSize: number;
  total: number;
  counts: Partial<Record<FulfilmentStatus, number>>;
  tiers: Array<{ id: string; title: string }>;
  countries: string[];
  rows: FulfilmentRow[];
}

export function FulfilmentStatusBadge({ status }: { status: FulfilmentStatus }) {
  const { t } = useTranslation();
  return <span className={`status status-fulfilment-${status}`}>{t(`fulfilment:status.${status}`)}</span>;
}

export function FulfilmentFilterForm({ data }: { data: TableData }) {
  const { t } = useTranslation();
  return (
    <Form method="get" className="filters fulfilment-filters" aria-label={t("fulfilment:table.filters")}>
      <label>
        {t("fulfilment:table.status")}{" "}
        <select name="status" defaultValue={data.filters.status ?? ""}>
          <option value="">{t("fulfilment:table.any")}</option>
          {FULFILMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`fulfilment:status.${s}`)} ({data.counts[s] ?? 0})
            </option>
          ))}
        </select>
      </label>{" "}
      <label>
        {t("fulfilment:table.tier")}{" "}
        <select name="tier" defaultValue={data.filters.tierId ?? ""}>
          <option value="">{t("fulfilment:table.any")}</option>
          {data.tiers.map((tier) => (
            <option key={tier.id} value={tier.id}>
              {tier.title}
            </option>
          ))}
        </select>
      </label>{" "}
      <label>
        {t("fulfilment:table.country")}{" "}
        <select name="country" defaultValue={data.filters.country ?? ""}>
          <option value="">{t("fulfilment:table.any")}</option>
          {data.countries.map((c) => (
            <option key={c} value={c}>
              {destinationName(c, t)}
            </option>
          ))}
        </select>
      </label>{" "}
      <button type="submit" className="button button-secondary button-small">
        {t("fulfilment:table.apply")}
      </button>
    </Form>
  );
}

export function FulfilmentTable({ data }: { data: TableData }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [params] = useSearchParams();
  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete("done");
    for (const [k, v] of Object.entries(changes))
      if (v === null) next.delete(k);
      else next.set(k, v);
    return `?${next.toString()}`;
  };
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  if (data.rows.length === 0) return <p className="muted">{t("fulfilment:table.none")}</p>;
  return (
    <>
      <p className="muted small">{t("fulfilment:table.count", { count: data.total })}</p>
      <div className="table-scroll">
        <table className="data-table fulfilment-table">
          <thead>
            <tr>
              <th scope="col">{t("fulfilment:table.backer")}</th>
              <th scope="col">{t("fulfilment:table.tier")}</th>
              <th scope="col">{t("fulfilment:table.country")}</th>
              <th scope="col">{t("fulfilment:table.status")}</th>
              <th scope="col">{t("fulfilment:table.tracking")}</th>
              <th scope="col">{t("fulfilment:table.problem")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("fulfilment:table.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.pledgeId}>
                <td>{r.backerName}</td>
                <td>
                  {r.tierTitle ?? "—"}
                  {r.addOns ? (
                    <>
                      <br />
                      <span className="muted small">{t("fulfilment:table.addOns", { addOns: r.addOns })}</span>
                    </>
                  ) : null}
                </td>
                <td>{r.destination ? destinationName(r.destination, t) : "—"}</td>
                <td>
                  <FulfilmentStatusBadge status={r.status} />
                </td>
                <td>
                  {r.trackingNumber ? (
                    r.trackingUrl ? (
                      <a href={r.trackingUrl} rel="noreferrer noopener" target="_blank">
                        {r.carrier} {r.trackingNumber}
                      </a>
                    ) : (
                      `${r.carrier ?? ""} ${r.trackingNumber}`
                    )
                  ) : r.digital ? (
                    t("fulfilment:table.digitalSent")
                  ) : (
                    "—"
                  )}
                  {r.shippedAt ? <span className="muted small"> · {f.date(r.shippedAt)}</span> : null}
                </td>
                <td>
                  {r.status === "problem" && r.problemKind ? (
                    <>
                      {t(`fulfilment:problemKind.${r.problemKind}`)}
                      {r.problemAnswered ? (
                        <span className="muted small"> · {t("fulfilment:table.answered")}</span>
                      ) : null}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  <Link
                    to={link({ pledge: r.pledgeId })}
                    className="button button-ghost button-small"
                    aria-label={t("fulfilment:table.manageLabel", { name: r.backerName })}
                  >
                    {t("fulfilment:table.manage")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav className="pagination" aria-label={t("fulfilment:table.pages")}>
          {data.filters.page > 1 ? (
            <Link to={link({ page: String(data.filters.page - 1) })}>{t("fulfilment:table.previous")}</Link>
          ) : null}{" "}
          <span>{t("fulfilment:table.pageOf", { page: data.filters.page, pages })}</span>{" "}
          {data.filters.page < pages ? (
            <Link to={link({ page: String(data.filters.page + 1) })}>{t("fulfilment:table.next")}</Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

interface Selected {
  pledgeId: string;
  status: FulfilmentStatus;
  backerName: string;
  tierTitle: string | null;
  ships: boolean;
  carrier: string | null;
  trackingNumber: string | null;
  problemKind: string | null;
  problemNote: string | null;
  problemReportedAt: string | null;
  problemAnswer: string | null;
  digitalKind: string | null;
}

type ActionData = { form: string; result: SubmissionResult<string[]> } | undefined;

const today = () => new Date().toISOString().slice(0, 10);

export function FulfilmentActionPanel({ selected, actionData }: { selected: Selected; actionData: ActionData }) {
  const { t } = useTranslation();
  const f = useFormat();
  const canShip = selected.status === "awaiting_survey" || selected.status === "ready";
  const unknown = actionData && !["ship", "deliver", "digital", "answer"].includes(actionData.form);
  return (
    <section className="card fulfilment-panel" id="fulfilment-panel" aria-labelledby="fulfilment-panel-heading">
      <h2 id="fulfilment-panel-heading">
        {t("fulfilment:panel.title", { name: selected.backerName, tier: selected.tierTitle ?? "—" })}
      </h2>
      <p>
        <FulfilmentStatusBadge status={selected.status} />
      </p>
      {unknown ? <FormError errors={actionData.result.error?.[""] ?? undefined} /> : null}
      {selected.status === "problem" ? (
        <>
          <div className="problem-thread">
            <p>
              <strong>{t(`fulfilment:problemKind.${selected.problemKind ?? "other"}`)}</strong>
              {selected.problemReportedAt ? (
                <span className="muted small"> · {f.shortDateTime(selected.problemReportedAt)}</span>
              ) : null}
            </p>
            <blockquote>{selected.problemNote}</blockquote>
            {selected.problemAnswer ? (
              <p>
                {t("fulfilment:panel.yourAnswer")} {selected.problemAnswer}
              </p>
            ) : null}
          </div>
          <AnswerForm
            pledgeId={selected.pledgeId}
            actionData={actionData?.form === "answer" ? actionData : undefined}
          />
        </>
      ) : null}
      {canShip ? (
        <>
          <ShipForm pledgeId={selected.pledgeId} actionData={actionData?.form === "ship" ? actionData : undefined} />
          <DigitalForm
            pledgeId={selected.pledgeId}
            actionData={actionData?.form === "digital" ? actionData : undefined}
          />
        </>
      ) : null}
      {selected.status === "shipped" ? (
        <Form method="post" className="stack">
          <FormError
            errors={actionData?.form === "deliver" ? (actionData.result.error?.[""] ?? undefined) : undefined}
          />
          <input type="hidden" name="pledgeId" value={selected.pledgeId} />
          <p className="muted small">
            {t("fulfilment:panel.shippedWith", {
              carrier: selected.carrier ?? "",
              tracking: selected.trackingNumber ?? "",
            })}
          </p>
          <button type="submit" name="intent" value="deliver" className="button button-secondary">
            {t("fulfilment:panel.markDelivered")}
          </button>
        </Form>
      ) : null}
      {selected.status === "delivered" || selected.status === "received" ? (
        <p className="muted">{t(`fulfilment:panel.nothingToDo.${selected.status}`)}</p>
      ) : null}
    </section>
  );
}

// The ship form and the replacement in the answer form share these four fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ShipmentFields({ fields }: { fields: any }) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t("fulfilment:form.carrier")} field={fields.carrier} maxLength={CARRIER_MAX} autoComplete="off" />
      <Field
        label={t("fulfilment:form.trackingNumber")}
        field={fields.trackingNumber}
        maxLength={TRACKING_NUMBER_MAX}
        autoComplete="off"
      />
      <Field
        label={t("fulfilment:form.trackingUrl")}
        field={fields.trackingUrl}
        type="url"
        maxLength={URL_MAX}
        hint={t("fulfilment:form.trackingUrlHint")}
      />
      <Field label={t("fulfilment:form.shippedOn")} field={fields.shippedOn} type="date" />
    </>
  );
}

function ShipForm({ pledgeId, actionData }: { pledgeId: string; actionData: ActionData }) {
  const { t } = useTranslation();
  const schema = useMemo(() => shipSchema(t), [t]);
  const [form, fields] = useForm({
    id: "ship",
    defaultValue: { pledgeId, shippedOn: today() },
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
  });
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" {...getFormProps(form)} className="stack fulfilment-form">
      <h3>{t("fulfilment:panel.ship")}</h3>
      <FormError errors={form.errors} />
      <input type="hidden" name="intent" value="ship" />
      <input type="hidden" name="pledgeId" value={pledgeId} />
      <ShipmentFields fields={fields} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t("fulfilment:panel.markShipped")}
      </button>
    </Form>
  );
}

function DigitalForm({ pledgeId, actionData }: { pledgeId: string; actionData: ActionData }) {
  const { t } = useTranslation();
  const schema = useMemo(() => digitalSchema(t), [t]);
  const [form, fields] = useForm({
    id: "digital",
    defaultValue: { pledgeId, digitalKind: "link" },
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
  });
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" {...getFormProps(form)} className="stack fulfilment-form">
      <h3>{t("fulfilment:panel.digital")}</h3>
      <p className="muted small">{t("fulfilment:panel.digitalHint")}</p>
      <FormError errors={form.errors} />
      <input type="hidden" name="intent" value="digital" />
      <input type="hidden" name="pledgeId" value={pledgeId} />
      <Select
        label={t("fulfilment:form.digitalKind")}
        field={fields.digitalKind}
        options={[
          { value: "link", label: t("fulfilment:form.digitalLink") },
          { value: "key", label: t("fulfilment:form.digitalKey") },
        ]}
      />
      <Field
        label={t("fulfilment:form.digitalValue")}
        field={fields.digitalValue}
        maxLength={URL_MAX}
        autoComplete="off"
      />
      <button type="submit" className="button button-secondary" disabled={busy}>
        {t("fulfilment:panel.sendDigital")}
      </button>
    </Form>
  );
}

function AnswerForm({ pledgeId, actionData }: { pledgeId: string; actionData: ActionData }) {
  const { t } = useTranslation();
  const schema = useMemo(() => answerSchema(t), [t]);
  const [form, fields] = useForm({
    id: "answer",
    defaultValue: { pledgeId, outcome: "answer", shippedOn: today() },
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
  });
  const [outcome, setOutcome] = useState(fields.outcome.initialValue ?? "answer");
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" {...getFormProps(form)} className="stack fulfilment-form">
      <h3>{t("fulfilment:panel.answer")}</h3>
      <FormError errors={form.errors} />
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="pledgeId" value={pledgeId} />
      <TextArea label={t("fulfilment:form.answer")} field={fields.answer} rows={4} maxLength={NOTE_MAX} />
      <Select
        label={t("fulfilment:form.outcome")}
        field={fields.outcome}
        value={outcome}
        onChange={(e) => setOutcome(e.target.value)}
        options={[
          { value: "answer", label: t("fulfilment:form.outcomeAnswer") },
          { value: "replacement", label: t("fulfilment:form.outcomeReplacement") },
          { value: "resolved", label: t("fulfilment:form.outcomeResolved") },
        ]}
      />
      {outcome === "replacement" ? <ShipmentFields fields={fields} /> : null}
      <button type="submit" className="button button-primary" disabled={busy}>
        {t("fulfilment:panel.sendAnswer")}
      </button>
    </Form>
  );
}
