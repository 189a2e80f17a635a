import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReasonActionForm } from "~/components/finance/action-form";
import { Badge, FinTable, Notice, When } from "~/components/finance/finance-ui";
import { getDb } from "~/db.server";
import { actionReasonSchema } from "~/domain/finance";
import { formatMoney, isCurrency } from "~/domain/money";
import { refuse } from "~/domain/refusal";
import { formatMonthYear } from "~/domain/time";
import { metaTranslator } from "~/i18n";
import { requireRole } from "~/services/accounts/auth.server";
import { closePeriod, listPeriods } from "~/services/finance/period-close.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("audit:meta.periods") }];

/** At most this many discrepancies of each month are listed (the count says how many more). */
const SHOWN_DISCREPANCIES = 20;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const periods = await listPeriods(await getDb());
  const money = (amount: number, currency: string) =>
    isCurrency(currency) ? formatMoney(amount, currency, { locale }) : `${amount} ${currency}`;
  const closable = periods.find((p) => p.status === "open" && p.waitsFor === null);
  return json({
    closable: closable
      ? { month: closable.month, label: formatMonthYear(`${closable.month}-01`, locale), lines: closable.lines }
      : null,
    periods: periods.map((p) => {
      const d = p.close?.check.discrepancies;
      const problems = d
        ? [
            ...d.added.map((l) =>
              t("audit:periods.added", {
                id: l.line,
                kind: l.kind,
                account: l.account,
                amount: money(l.amount, l.currency),
              }),
            ),
            ...d.missing.map((l) => t("audit:periods.missing", { id: l.line })),
            ...d.changed.map((l) => t("audit:periods.changed", { id: l.line })),
            ...(d.statementsDiffer ? [t("audit:periods.statementsBad")] : []),
          ]
        : [];
      return {
        month: p.month,
        label: formatMonthYear(`${p.month}-01`, locale),
        status: p.status,
        lines: p.lines,
        waitsFor: p.waitsFor,
        close: p.close
          ? {
              by: p.close.closedByName ?? "—",
              at: p.close.closedAt.toISOString(),
              reason: p.close.reason,
              checksum: p.close.checksum,
              documentMatches: p.close.check.documentMatches,
              journalMatches: p.close.check.journalMatches,
            }
          : null,
        problems: problems.slice(0, SHOWN_DISCREPANCIES),
        moreProblems: Math.max(0, problems.length - SHOWN_DISCREPANCIES),
      };
    }),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  if (form.get("intent") !== "close-period")
    return replyWithRefusal(null, refuse(400, t("audit:refusal.unknownAction")));
  const submission = parseWithZod(form, { schema: actionReasonSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await closePeriod(await getDb(), {
    month: String(form.get("month") ?? ""),
    actorId: user.id,
    reason: submission.value.reason,
    ip: clientIp(context),
    t,
  });
  if (!result.ok) return replyWithRefusal(submission, result);
  return json({ intent: "close-period", notice: result.message, month: result.month, checksum: result.checksum });
}

export default function Periods() {
  const { periods, closable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const download = (month: string, file: string) => `/finance/periods/${month}/${file}`;
  return (
    <>
      <div className="fin-top">
        <h1>{t("audit:periods.title")}</h1>
      </div>
      <p className="muted small">{t("audit:periods.lead")}</p>
      {actionData && "notice" in actionData ? <Notice>{actionData.notice}</Notice> : null}

      <section className="fin-section" aria-labelledby="periods-title">
        <header>
          <h2 id="periods-title">{t("audit:periods.title")}</h2>
        </header>
        {periods.length === 0 ? (
          <p className="fin-empty">{t("audit:periods.empty")}</p>
        ) : (
          <FinTable
            columns={[
              t("audit:periods.columns.month"),
              t("audit:periods.columns.status"),
              { label: t("audit:periods.columns.lines"), num: true },
              t("audit:periods.columns.closed"),
              t("audit:periods.columns.checksum"),
              t("audit:periods.columns.integrity"),
              t("audit:periods.columns.downloads"),
            ]}
          >
            {periods.map((p) => (
              <tr key={p.month} id={`period-${p.month}`}>
                <td className="nowrap">
                  <strong>{p.label}</strong>
                  <div className="muted small">{p.month}</div>
                </td>
                <td className="nowrap">
                  {p.status === "closed" ? (
                    <Badge tone="good">{t("audit:periods.closed")}</Badge>
                  ) : p.status === "current" ? (
                    <Badge tone="info">{t("audit:periods.current")}</Badge>
                  ) : (
                    <Badge tone="warn">{t("audit:periods.open")}</Badge>
                  )}
                  {p.status === "current" ? (
                    <div className="muted small">{t("audit:periods.notEnded")}</div>
                  ) : p.waitsFor ? (
                    <div className="muted small">{t("audit:periods.waitsFor", { month: p.waitsFor })}</div>
                  ) : null}
                </td>
                <td className="num">{t("audit:periods.linesCount", { count: p.lines })}</td>
                <td className="wrap">
                  {p.close ? (
                    <>
                      {p.close.by} · <When at={p.close.at} zone />
                      <div className="muted small">{t("audit:periods.reason", { reason: p.close.reason })}</div>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {p.close ? (
                    <code className="fin-ref" title={p.close.checksum} data-checksum={p.close.checksum}>
                      {p.close.checksum.slice(0, 16)}…
                    </code>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="wrap">
                  {p.close ? (
                    <>
                      <div>
                        <Badge tone={p.close.documentMatches ? "good" : "bad"}>
                          {p.close.documentMatches ? t("audit:periods.documentOk") : t("audit:periods.documentBad")}
                        </Badge>
                      </div>
                      <div>
                        <Badge tone={p.close.journalMatches ? "good" : "bad"}>
                          {p.close.journalMatches ? t("audit:periods.journalOk") : t("audit:periods.journalBad")}
                        </Badge>
                      </div>
                      {p.problems.length > 0 ? (
                        <ul className="form-error small" role="alert" style={{ margin: "6px 0 0", paddingLeft: 18 }}>
                          {p.problems.map((problem) => (
                            <li key={problem}>{problem}</li>
                          ))}
                          {p.moreProblems > 0 ? (
                            <li>{t("audit:periods.moreDiscrepancies", { count: p.moreProblems })}</li>
                          ) : null}
                        </ul>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="small">
                  {p.close ? (
                    <>
                      <div>
                        <a href={download(p.month, "lines.csv")} download>
                          {t("audit:periods.linesCsv")}
                        </a>
                      </div>
                      <div>
                        <a href={download(p.month, "statements.csv")} download>
                          {t("audit:periods.statementsCsv")}
                        </a>
                      </div>
                      <div>
                        <a href={download(p.month, "document.json")} download>
                          {t("audit:periods.documentJson")}
                        </a>
                      </div>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </FinTable>
        )}
      </section>

      {closable ? (
        <section className="fin-section" aria-labelledby="close-title">
          <header>
            <h2 id="close-title">{t("audit:periods.closeTitle", { month: closable.label })}</h2>
          </header>
          <div className="fin-section-body" style={{ maxWidth: 560 }}>
            <ReasonActionForm
              intent="close-period"
              title={t("audit:periods.closeTitle", { month: closable.month })}
              button={t("audit:periods.closeButton", { month: closable.month })}
              actionData={actionData}
              extra={{ month: closable.month }}
            >
              <p className="muted small">
                {t("audit:periods.closeLead", { count: closable.lines, month: closable.label })}
              </p>
            </ReasonActionForm>
          </div>
        </section>
      ) : null}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
