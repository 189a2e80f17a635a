import { NavLink } from "@remix-run/react";
import type { ReactNode } from "react";

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

/** A status word drawn as a badge, coloured by what it means for the money. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <Badge tone={PLEDGE_TONES[status] ?? "neutral"}>{label ?? status.replace(/_/g, " ")}</Badge>;
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

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  return <time dateTime={at}>{dateTime.format(new Date(at))}</time>;
}

export function FinanceNav() {
  return (
    <nav aria-label="Finance" className="fin-subnav">
      <NavLink to="/finance" end>
        Overview
      </NavLink>
      <NavLink to="/finance/reconciliation">Reconciliation</NavLink>
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
