import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Field, Select } from "~/components/fields";
import { FinTable, Ref, When } from "~/components/finance/finance-ui";
import { getDb } from "~/db.server";
import { AUDIT_PAGE_SIZE, auditFilterSchema, filterQuery } from "~/domain/audit-log";
import { metaTranslator } from "~/i18n";
import { listAuditLog, listStaff } from "~/models/audit-log.server";
import { requireRole } from "~/services/accounts/auth.server";
import { auditChoices, parseAuditQuery, presentAuditRow } from "~/services/finance/audit-log.server";
import { requestLocale, requestTranslator } from "~/web/locale.server";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("audit:meta.log") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const db = await getDb();
  const params = new URL(request.url).searchParams;
  const [choices, staff] = await Promise.all([auditChoices(db, locale), listStaff(db)]);
  const parsed = parseAuditQuery(params, choices, t);
  const base = { choices, staff: staff.map((s) => ({ name: s.name, email: s.email })) };
  if (!parsed.ok) {
    // A filter that cannot be read: the form shows why at each field, and no rows.
    return json(
      {
        ...base,
        reply: parsed.reply,
        valid: false as const,
        rows: [],
        query: "",
        newer: null,
        older: null,
        paged: false,
      },
      { status: 400 },
    );
  }
  const { rows, more } = await listAuditLog(db, {
    filter: parsed.filter,
    before: parsed.before,
    after: parsed.after,
    limit: AUDIT_PAGE_SIZE,
  });
  const query = filterQuery(parsed.filter);
  const link = (cursor: "before" | "after", id: number) => {
    const q = new URLSearchParams(query);
    q.set(cursor, String(id));
    return `?${q}`;
  };
  const first = rows[0]?.id;
  const last = rows.at(-1)?.id;
  // Newest first: "newer" pages towards the top of the log, "older" away from it.
  const hasNewer = parsed.after !== undefined ? more : parsed.before !== undefined;
  const hasOlder = parsed.before !== undefined || parsed.after === undefined ? more : true;
  return json({
    ...base,
    reply: parsed.reply,
    valid: true as const,
    rows: rows.map((r) => presentAuditRow(r, locale)),
    query: query.toString(),
    newer: hasNewer && first !== undefined ? link("after", first) : null,
    older: hasOlder && last !== undefined ? link("before", last) : null,
    paged: parsed.before !== undefined || parsed.after !== undefined,
  });
}

type FilterFields = { person?: string; action?: string; type?: string; id?: string; from?: string; to?: string };

export default function AuditLog() {
  const data = useLoaderData<typeof loader>();
  const { choices, staff, rows, reply, valid, query, newer, older, paged } = data;
  const { t } = useTranslation();
  const schema = useMemo(
    () =>
      auditFilterSchema(t, {
        actions: choices.actions.map((a) => a.value),
        types: choices.types.map((a) => a.value),
      }),
    [t, choices],
  );
  const [form, fields] = useForm<FilterFields>({
    id: "audit-filter",
    lastResult: valid ? undefined : (reply as SubmissionResult<string[]>),
    defaultValue: (reply.initialValue ?? undefined) as FilterFields | undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const csvHref = `/finance/audit.csv${query ? `?${query}` : ""}`;

  return (
    <>
      <div className="fin-top">
        <h1>{t("audit:log.title")}</h1>
        {valid ? (
          <a className="button button-secondary" href={csvHref} download>
            {t("audit:log.downloadCsv")}
          </a>
        ) : null}
      </div>
      <p className="muted small">{t("audit:log.lead")}</p>

      <section className="fin-section" aria-labelledby="audit-filters-title">
        <header>
          <h2 id="audit-filters-title">{t("audit:log.filters")}</h2>
          {query || !valid ? <Link to="/finance/audit">{t("audit:log.clear")}</Link> : null}
        </header>
        <div className="fin-section-body">
          <Form
            method="get"
            {...getFormProps(form)}
            role="search"
            aria-labelledby="audit-filters-title"
            style={{
              display: "grid",
              gridTemplateColumns: "repeat(auto-fill, minmax(190px, 1fr))",
              gap: "0 16px",
              alignItems: "start",
            }}
          >
            <Field
              label={t("audit:log.person")}
              hint={t("audit:log.personHint")}
              field={fields.person}
              list="audit-staff"
              autoComplete="off"
            />
            <datalist id="audit-staff">
              {staff.map((s) => (
                <option key={s.email} value={s.email}>
                  {s.name}
                </option>
              ))}
            </datalist>
            <Select
              label={t("audit:log.action")}
              field={fields.action}
              placeholder={t("audit:log.anyAction")}
              options={choices.actions}
            />
            <Select
              label={t("audit:log.type")}
              field={fields.type}
              placeholder={t("audit:log.anyType")}
              options={choices.types}
            />
            <Field label={t("audit:log.id")} field={fields.id} autoComplete="off" />
            <Field label={t("audit:log.from")} field={fields.from} type="date" />
            <Field label={t("audit:log.to")} field={fields.to} type="date" />
            <div className="field" style={{ alignSelf: "end" }}>
              <button type="submit" className="button button-primary">
                {t("audit:log.apply")}
              </button>
            </div>
          </Form>
        </div>
      </section>

      <section className="fin-section" aria-labelledby="audit-rows-title">
        <header>
          <h2 id="audit-rows-title">{t("audit:log.title")}</h2>
          <p className="muted small">{valid ? t("audit:log.shown", { count: rows.length }) : t("audit:log.invalid")}</p>
        </header>
        {!valid ? null : rows.length === 0 ? (
          <p className="fin-empty">{t("audit:log.empty")}</p>
        ) : (
          <FinTable
            columns={[
              t("audit:log.columns.when"),
              t("audit:log.columns.who"),
              t("audit:log.columns.action"),
              t("audit:log.columns.object"),
              t("audit:log.columns.reason"),
              t("audit:log.columns.detail"),
              t("audit:log.columns.ip"),
            ]}
          >
            {rows.map((r) => (
              <tr key={r.id} data-audit-id={r.id}>
                <td className="nowrap">
                  <When at={r.at} />
                </td>
                <td>
                  {r.actor.kind === "staff" ? (
                    <>
                      {r.actor.name}
                      <div className="muted small">{r.actor.email}</div>
                    </>
                  ) : r.actor.kind === "account" ? (
                    <Link
                      to={`?person=${r.actor.id}`}
                      title={t("audit:log.accountHint")}
                      aria-label={`${t("audit:log.account", { id: r.actor.id.slice(0, 8) })}: ${t("audit:log.accountHint")}`}
                    >
                      {t("audit:log.account", { id: r.actor.id.slice(0, 8) })}
                    </Link>
                  ) : (
                    <span className="muted">{t("audit:log.system")}</span>
                  )}
                </td>
                <td>
                  {r.actionLabel}
                  {r.actionLabel !== r.action ? <div className="muted small">{r.action}</div> : null}
                </td>
                <td>
                  {r.subject ? (
                    <>
                      {r.subject.typeLabel}
                      <div className="small">
                        {r.subject.href && r.subject.id ? (
                          <Link to={r.subject.href}>
                            <Ref id={r.subject.id} />
                          </Link>
                        ) : (
                          <Ref id={r.subject.id} />
                        )}
                      </div>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="wrap">{r.reason ?? <span className="muted">—</span>}</td>
                <td className="wrap small">
                  {r.detail.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    r.detail.map(([key, value]) => (
                      <div key={key}>
                        <span className="muted">{key}:</span> {value}
                      </div>
                    ))
                  )}
                </td>
                <td className="nowrap small">{r.ip ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </FinTable>
        )}
        {valid && (newer || older || paged) ? (
          <nav className="fin-pager" aria-label={t("finance:nav.pages")}>
            <span>
              {paged ? <Link to={query ? `?${query}` : "/finance/audit"}>{t("audit:log.newest")}</Link> : null}
              {newer ? (
                <>
                  {paged ? " · " : null}
                  <Link to={newer}>{t("audit:log.newer")}</Link>
                </>
              ) : null}
            </span>
            {older ? <Link to={older}>{t("audit:log.older")}</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
