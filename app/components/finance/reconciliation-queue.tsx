import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ReconciliationItemStatus } from "../../../db/schema.js";
import { Badge, Ref, type BadgeTone } from "~/components/finance/finance-ui";
import { FieldError } from "~/components/fields";
import { ASSIGNEE_FILTERS, STATUS_FILTERS, type QueueFilters } from "~/domain/reconciliation-items";

// The reconciliation queue's pieces: an item's status badge, what it is about, an amount with its
// object, and the filter bar (a GET form: the filters live in the address, so a view can be shared).

const STATUS_TONES: Record<ReconciliationItemStatus, BadgeTone> = {
  open: "warn",
  investigating: "info",
  resolved: "good",
  auto_resolved: "neutral",
};

export function ItemStatusBadge({ status }: { status: ReconciliationItemStatus }) {
  const { t } = useTranslation();
  return <Badge tone={STATUS_TONES[status]}>{t(`reconciliation:status.${status}`)}</Badge>;
}

/** The campaign and pledge an item is about, linked to their finance pages. */
export function ItemAbout({
  item,
}: {
  item: { campaignId: string | null; campaign: string | null; pledgeId: string | null };
}) {
  const { t } = useTranslation();
  if (!item.campaignId && !item.pledgeId) return <span className="muted">—</span>;
  return (
    <>
      {item.campaignId ? (
        <Link to={`/finance/campaigns/${item.campaignId}`}>{item.campaign ?? t("reconciliation:item.campaign")}</Link>
      ) : null}
      {item.pledgeId ? (
        <div className="small">
          <Link to={`/finance/pledges/${item.pledgeId}`}>
            {t("reconciliation:item.pledge", { id: item.pledgeId.slice(0, 8) })}
          </Link>
        </div>
      ) : null}
    </>
  );
}

/** One side's amount (formatted) and the object it belongs to. */
export function ItemAmount({ amount, id, missing }: { amount: string | null; id: string | null; missing: string }) {
  return (
    <>
      <div>{amount ?? <span className="muted">{missing}</span>}</div>
      {id ? (
        <div>
          <Ref id={id} />
        </div>
      ) : null}
    </>
  );
}

function FilterSelect({
  name,
  label,
  value,
  options,
  error,
}: {
  name: string;
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  error?: string;
}) {
  const id = `rq-filter-${name}`;
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} errors={error ? [error] : undefined} />
    </div>
  );
}

export function QueueFilterForm({
  filters,
  errors,
  kinds,
  campaigns,
  csvHref,
}: {
  filters: QueueFilters;
  errors: Partial<Record<keyof QueueFilters, string>> | null;
  kinds: ReadonlyArray<{ value: string; label: string }>;
  campaigns: ReadonlyArray<{ value: string; label: string }>;
  csvHref: string | null;
}) {
  const { t } = useTranslation();
  return (
    <Form method="get" className="rq-filters" aria-label={t("reconciliation:filters.label")}>
      <FilterSelect
        name="status"
        label={t("reconciliation:filters.status")}
        value={filters.status}
        error={errors?.status}
        options={STATUS_FILTERS.map((s) => ({ value: s, label: t(`reconciliation:filters.statusOptions.${s}`) }))}
      />
      <FilterSelect
        name="kind"
        label={t("reconciliation:filters.kind")}
        value={filters.kind ?? ""}
        error={errors?.kind}
        options={[{ value: "", label: t("reconciliation:filters.anyKind") }, ...kinds]}
      />
      <FilterSelect
        name="campaign"
        label={t("reconciliation:filters.campaign")}
        value={filters.campaign ?? ""}
        error={errors?.campaign}
        options={[{ value: "", label: t("reconciliation:filters.anyCampaign") }, ...campaigns]}
      />
      <FilterSelect
        name="assignee"
        label={t("reconciliation:filters.assignee")}
        value={filters.assignee}
        error={errors?.assignee}
        options={ASSIGNEE_FILTERS.map((a) => ({ value: a, label: t(`reconciliation:filters.assigneeOptions.${a}`) }))}
      />
      <div className="rq-filter-buttons">
        <button type="submit" className="button button-secondary rq-small">
          {t("reconciliation:queue.filter")}
        </button>
        <Link to="/finance/reconciliation">{t("reconciliation:queue.reset")}</Link>
        {csvHref ? (
          <a href={csvHref} download>
            {t("reconciliation:queue.csv")}
          </a>
        ) : null}
      </div>
    </Form>
  );
}
