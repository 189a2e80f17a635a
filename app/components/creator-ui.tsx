import { NavLink } from "@remix-run/react";

// Small pieces the creator pages share.

const STATE_LABELS: Record<string, string> = {
  draft: "Draft",
  live: "Live",
  settling: "Settling",
  funded: "Funded",
  unfunded: "Not funded",
  cancelled: "Cancelled",
  deleted: "Deleted",
};

export function CampaignStateBadge({ state }: { state: string }) {
  return <span className={`state-badge state-${state}`}>{STATE_LABELS[state] ?? state}</span>;
}

/** A progress meter toward the goal; the bar stops at 100% but the label says the real figure. */
export function Meter({ percent, label }: { percent: number; label: string }) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <div
      className="meter"
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      aria-valuetext={label}
      aria-label={label}
    >
      <span className="meter-fill" style={{ width: `${clamped}%` }} />
    </div>
  );
}

/** "14 Mar 2027" (UTC, so server and browser agree). */
export function formatDay(iso: string | Date) {
  return new Date(iso).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** "14 Mar 2027, 18:30 UTC". */
export function formatDateTime(iso: string | Date) {
  return `${new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" })} UTC`;
}

/** "June 2027" from "2027-06". */
export function formatMonth(month: string) {
  const [y, m] = month.split("-");
  return new Date(Date.UTC(Number(y), Number(m) - 1, 1)).toLocaleDateString("en-GB", {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

export function CampaignTabs({ id, state }: { id: string; state: string }) {
  const base = `/creator/campaigns/${id}`;
  const tabs = [
    { to: base, label: "Dashboard", end: true },
    { to: `${base}/edit`, label: state === "draft" ? "Story & funding" : "Story" },
    { to: `${base}/tiers`, label: "Rewards" },
    ...(state === "draft"
      ? [{ to: `${base}/launch`, label: "Launch" }]
      : [{ to: `${base}/updates`, label: "Updates" }]),
  ];
  return (
    <nav className="campaign-tabs" aria-label="Campaign sections">
      {tabs.map((t) => (
        <NavLink
          key={t.to}
          to={t.to}
          end={t.end ?? false}
          className={({ isActive }) => (isActive ? "tab tab-active" : "tab")}
        >
          {t.label}
        </NavLink>
      ))}
    </nav>
  );
}
