import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DEFAULT_LOCALE, INTL_TAGS, type Locale, type Translate } from "~/domain/locale";

// Small pieces the creator pages share.

/** A campaign state as the reader says it ("Live", "En curso"); an unknown state as it is. */
export function campaignStateLabel(t: Translate, state: string): string {
  const labels: Record<string, string> = {
    draft: t("creator:state.draft"),
    live: t("creator:state.live"),
    settling: t("creator:state.settling"),
    funded: t("creator:state.funded"),
    unfunded: t("creator:state.unfunded"),
    cancelled: t("creator:state.cancelled"),
    deleted: t("creator:state.deleted"),
  };
  return labels[state] ?? state;
}

export function CampaignStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return <span className={`state-badge state-${state}`}>{campaignStateLabel(t, state)}</span>;
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

// Intl formatters are slow to build (toLocaleString builds one per call) and immutable: one per
// language and shape.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, shape: "day" | "dateTime" | "month") {
  const key = `${locale}:${shape}`;
  let format = dateFormats.get(key);
  if (!format) {
    const options: Record<typeof shape, Intl.DateTimeFormatOptions> = {
      day: { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" },
      dateTime: {
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZone: "UTC",
      },
      month: { month: "long", year: "numeric", timeZone: "UTC" },
    };
    format = new Intl.DateTimeFormat(INTL_TAGS[locale].dates, options[shape]);
    dateFormats.set(key, format);
  }
  return format;
}

/** "14 Mar 2027" (UTC, so server and browser agree); "14 mar 2027" in Spanish. */
export function formatDay(iso: string | Date, locale: Locale = DEFAULT_LOCALE) {
  return dateFormat(locale, "day").format(new Date(iso));
}

/** "14 Mar 2027, 18:30 UTC". */
export function formatDateTime(iso: string | Date, locale: Locale = DEFAULT_LOCALE) {
  return `${dateFormat(locale, "dateTime").format(new Date(iso))} UTC`;
}

/** "June 2027" from "2027-06"; "junio de 2027" in Spanish. */
export function formatMonth(month: string, locale: Locale = DEFAULT_LOCALE) {
  const [y, m] = month.split("-");
  return dateFormat(locale, "month").format(new Date(Date.UTC(Number(y), Number(m) - 1, 1)));
}

export function CampaignTabs({ id, state }: { id: string; state: string }) {
  const { t } = useTranslation();
  const base = `/creator/campaigns/${id}`;
  const tabs = [
    { to: base, label: t("creator:tabs.dashboard"), end: true },
    { to: `${base}/edit`, label: state === "draft" ? t("creator:tabs.storyAndFunding") : t("creator:tabs.story") },
    { to: `${base}/tiers`, label: t("creator:tabs.rewards") },
    { to: `${base}/add-ons`, label: t("addOns:tab") },
    { to: `${base}/stretch-goals`, label: t("stretch:creator.tab") },
    ...(state === "draft"
      ? [{ to: `${base}/launch`, label: t("creator:tabs.launch") }]
      : [{ to: `${base}/updates`, label: t("creator:tabs.updates") }]),
    { to: `${base}/faq`, label: t("messages:faq.tab") },
    { to: `${base}/comments`, label: t("comments:creator.tab") },
    { to: `${base}/ideas`, label: t("ideas:creator.tab") },
    ...(state !== "draft"
      ? [
          { to: `${base}/polls`, label: t("polls:creator.tab") },
          { to: `${base}/insights`, label: t("insights:tab") },
        ]
      : []),
    ...(state !== "draft" ? [{ to: `${base}/survey`, label: t("surveys:builder.tab") }] : []),
    ...(state === "draft" ? [] : [{ to: `${base}/fulfilment`, label: t("fulfilment:tab") }]),
    ...(state === "funded" ? [{ to: `${base}/late-pledges`, label: t("creator:late.tab") }] : []),
  ];
  return (
    <nav className="campaign-tabs" aria-label={t("creator:tabs.label")}>
      {tabs.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end={tab.end ?? false}
          className={({ isActive }) => (isActive ? "tab tab-active" : "tab")}
        >
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
