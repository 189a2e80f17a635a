import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { answerTo, AuditReasonField } from "~/components/finance/action-form";
import { Badge, FinTable, Ref, When, type BadgeTone } from "~/components/finance/finance-ui";
import { Field, FormError, TextArea } from "~/components/fields";
import { disputeEvidenceSchema, EVIDENCE_FIELDS, type EvidenceClosed, type EvidenceField } from "~/domain/disputes";

export interface DisputeView {
  id: string;
  stripeId: string;
  status: string;
  statusLabel: string;
  reason: string;
  amount: string;
  dueBy: string | null;
  dueSoon: boolean;
  pastDue: boolean;
  outcome: "won" | "lost" | null;
  closedAt: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
  evidenceClosed: EvidenceClosed;
  prefill: Partial<Record<EvidenceField, string>>;
  requestKey: string;
}

const TONES: Record<string, BadgeTone> = { won: "good", lost: "bad", under_review: "info", needs_response: "bad" };

/** The evidence fields in the order the form asks for them; the long ones are text areas. */
const LAYOUT: { name: EvidenceField; long: boolean }[] = [
  { name: "product_description", long: true },
  { name: "service_date", long: false },
  { name: "shipping_carrier", long: false },
  { name: "shipping_tracking_number", long: false },
  { name: "refund_policy_disclosure", long: true },
  { name: "uncategorized_text", long: true },
];

const HINTED: readonly EvidenceField[] = ["product_description", "shipping_tracking_number", "uncategorized_text"];

/** The pledge's disputes: where each stands, its deadline (red when close), and the evidence form. */
export function DisputePanel({ disputes, actionData }: { disputes: DisputeView[]; actionData: unknown }) {
  const { t } = useTranslation();
  if (disputes.length === 0) return null;
  return (
    <section className="fin-section" aria-labelledby="disputes-title">
      <header>
        <h2 id="disputes-title">{t("finance:disputes.title")}</h2>
        <p className="muted small">{t("finance:disputes.lead")}</p>
      </header>
      <FinTable
        columns={[
          t("finance:disputes.columns.dispute"),
          t("finance:disputes.columns.status"),
          t("finance:disputes.columns.reason"),
          { label: t("finance:disputes.columns.amount"), num: true },
          t("finance:disputes.columns.dueBy"),
          t("finance:disputes.columns.outcome"),
        ]}
      >
        {disputes.map((d) => (
          <tr key={d.id}>
            <td>
              <Ref id={d.stripeId} />
            </td>
            <td>
              <Badge tone={TONES[d.status] ?? "neutral"}>{d.statusLabel}</Badge>
            </td>
            <td>{d.reason}</td>
            <td className="num">{d.amount}</td>
            <td className="nowrap" data-testid="dispute-due">
              {d.dueSoon ? (
                <strong style={{ color: "var(--danger)" }}>
                  <When at={d.dueBy} zone /> (
                  {d.pastDue ? t("finance:disputes.pastDue") : t("finance:disputes.dueSoon")})
                </strong>
              ) : (
                <When at={d.dueBy} zone />
              )}
            </td>
            <td>{d.outcome ? t(`finance:disputes.outcome.${d.outcome}`) : t("finance:disputes.outcome.open")}</td>
          </tr>
        ))}
      </FinTable>
      <div className="fin-section-body">
        {disputes.map((d) => (
          <div key={d.id}>
            {d.submittedAt ? (
              <p className="muted small">
                {d.submittedBy
                  ? t("finance:disputes.submittedBy", { when: d.submittedAt.slice(0, 10), who: d.submittedBy })
                  : t("finance:disputes.submittedBySystem", { when: d.submittedAt.slice(0, 10) })}
              </p>
            ) : null}
            {d.evidenceClosed ? (
              <p className="muted small">{t(`finance:disputes.closedReason.${d.evidenceClosed}`)}</p>
            ) : (
              <EvidenceForm key={d.requestKey} dispute={d} actionData={actionData} />
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

function EvidenceForm({ dispute, actionData }: { dispute: DisputeView; actionData: unknown }) {
  const { t } = useTranslation();
  const schema = useMemo(() => disputeEvidenceSchema(t), [t]);
  const answer = answerTo(actionData, "dispute-evidence");
  const [form, fields] = useForm<z.input<typeof schema>>({
    id: `evidence-${dispute.id}`,
    defaultValue: dispute.prefill,
    lastResult: answer?.initialValue?.disputeId === dispute.id ? answer : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "dispute-evidence";
  return (
    <Form method="post" {...getFormProps(form)} className="fin-action">
      <h3>{t("finance:disputes.form.title")}</h3>
      <p className="muted small">
        {t("finance:disputes.form.lead", {
          due: dispute.dueBy ? `${dispute.dueBy.slice(0, 16).replace("T", " ")} UTC` : "—",
        })}
      </p>
      <FormError errors={form.errors ?? fields.requestKey.errors ?? fields.disputeId.errors} />
      <input type="hidden" name="intent" value="dispute-evidence" />
      <input type="hidden" name="disputeId" value={dispute.id} />
      <input type="hidden" name="requestKey" value={dispute.requestKey} />
      {LAYOUT.map(({ name, long }) => {
        const max = EVIDENCE_FIELDS[name];
        const limit = t("finance:disputes.form.maxLength", { max });
        const hint = HINTED.includes(name) ? `${t(`finance:disputes.form.hints.${name}`)} ${limit}` : limit;
        const label = t(`finance:disputes.form.fields.${name}`);
        return long ? (
          <TextArea key={name} label={label} field={fields[name]} hint={hint} rows={3} />
        ) : (
          <Field key={name} label={label} field={fields[name]} hint={hint} autoComplete="off" />
        );
      })}
      <AuditReasonField field={fields.reason} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? t("finance:disputes.form.submitting") : t("finance:disputes.form.submit")}
      </button>
    </Form>
  );
}
