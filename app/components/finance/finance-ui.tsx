import { NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useLocale } from "~/components/locale";
import { statusWord } from "~/domain/finance";
import { INTL_TAGS, type Locale } from "~/domain/locale";

// Small pieces every finance page uses: status badges, money cells, ids, timestamps.

export type BadgeTone = "good" | "info" | "warn" | "bad" | "neutral";

const PLEDGE_TONES: Record<string, BadgeTone> = {
  collected: "good",
  refunded: "neutral",
  partially_refunded: "info",
  disputed: "bad",
  errored: "warn",
  collecting: "info",
  dropped: "neutral",
  released: "neutral",
  active: "info",
  refunding: "info",
  cancelled: "neutral",
  abandoned: "neutral",
  checkout: "neutral",
  succeeded: "good",
  pending: "warn",
  failed: "bad",
  requires_action: "warn",
  prepared: "warn",
  approved: "info",
  paid: "good",
  clean: "good",
  mismatches: "bad",
  running: "info",
};

export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return <span className={`fin-badge fin-badge-${tone}`}>{children}</span>;
}

/** A status word drawn as a badge, coloured by what it means for the money, in the page's language. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const { t } = useTranslation();
  return <Badge tone={PLEDGE_TONES[status] ?? "neutral"}>{label ?? statusWord(t, status)}</Badge>;
}

/** A Stripe or database id: monospace, shortened with the full id on hover and for copying. */
export function Ref({ id, full = false }: { id: string | null | undefined; full?: boolean }) {
  if (!id) return <span className="muted">—</span>;
  const short = full || id.length <= 20 ? id : `${id.slice(0, 8)}…${id.slice(-6)}`;
  return (
    <code className="fin-ref" title={id}>
      {short}
    </code>
  );
}

const dateTimes = new Map<Locale, Intl.DateTimeFormat>();

/** The desk's timestamps, in UTC: "1 Dec 2026, 18:00" in English, "1 dic 2026, 18:00" in Spanish. */
function dateTimeFor(locale: Locale) {
  let formatter = dateTimes.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(INTL_TAGS[locale].dates, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    });
    dateTimes.set(locale, formatter);
  }
  return formatter;
}

/** A timestamp in the page's language; `zone` adds " UTC" after it. */
export function When({ at, zone = false }: { at: string | null | undefined; zone?: boolean }) {
  const locale = useLocale();
  if (!at) return <span className="muted">—</span>;
  const text = dateTimeFor(locale).format(new Date(at));
  return <time dateTime={at}>{zone ? `${text} UTC` : text}</time>;
}

export function FinanceNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("finance:nav.label")} className="fin-subnav">
      <NavLink to="/finance" end>
        {t("finance:nav.overview")}
      </NavLink>
      <NavLink to="/finance/alerts">{t("alerts:title")}</NavLink>
      <NavLink to="/finance/reconciliation">{t("finance:nav.reconciliation")}</NavLink>
      <NavLink to="/finance/audit">{t("audit:nav.audit")}</NavLink>
      <NavLink to="/finance/periods">{t("audit:nav.periods")}</NavLink>
      <NavLink to="/staff/emails">{t("finance:nav.emails")}</NavLink>
    </nav>
  );
}

export function Notice({ tone = "success", children }: { tone?: "success" | "warn"; children: ReactNode }) {
  return (
    <p className={`fin-notice fin-notice-${tone}`} role="status">
      {children}
    </p>
  );
}

/** A column heading: a label, or `{ label, num: true }` for a right-aligned money or count column. */
export type FinColumn = ReactNode | { label: ReactNode; num: true };

/**
 * The finance desk's table: scrolls sideways on narrow screens; `children` are the body rows,
 * `foot` the totals. A `null` or `false` column is left out.
 */
export function FinTable({
  columns,
  className,
  foot,
  children,
}: {
  columns: (FinColumn | false)[];
  className?: string;
  foot?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="fin-scroll">
      <table className={className ? `fin-table ${className}` : "fin-table"}>
        <thead>
          <tr>
            {columns.map((column, i) =>
              column !== null && typeof column === "object" && "num" in column ? (
                <th key={i} scope="col" className="num">
                  {column.label}
                </th>
              ) : column === null || column === false ? null : (
                <th key={i} scope="col">
                  {column}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
        {foot}
      </table>
    </div>
  );
}
