import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { CurrencyCode } from "../../db/schema.js";
import { INTL_TAGS, type Locale } from "~/domain/locale";
import { useFormat } from "./locale";

export interface ChartPoint {
  day: string;
  total: number;
  amount: number;
  pledges: number;
}

const W = 720;
const H = 260;
const PAD = { top: 16, right: 16, bottom: 32, left: 64 };

const dayFormatters = new Map<Locale, Intl.DateTimeFormat>();
/** "4 Dec", "4 dic": an axis label, in the page's language. */
function shortDay(day: string, locale: Locale) {
  let formatter = dayFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(INTL_TAGS[locale].dates, { day: "numeric", month: "short", timeZone: "UTC" });
    dayFormatters.set(locale, formatter);
  }
  return formatter.format(new Date(`${day}T00:00:00Z`));
}

/**
 * Cumulative pledged per day against the goal, drawn on the server as SVG (no script needed),
 * described for screen readers, with the same numbers as a table underneath.
 */
export function FundingChart({
  points,
  goal,
  currency,
}: {
  points: ChartPoint[];
  goal: number;
  currency: CurrencyCode;
}) {
  const id = useId();
  const { t } = useTranslation();
  const f = useFormat();
  const day = (d: string) => shortDay(d, f.locale);
  const last = points[points.length - 1];
  const max = Math.max(goal, ...points.map((p) => p.total)) * 1.1 || 1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const line = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.total).toFixed(1)}`).join(" ");
  const area =
    points.length > 0 ? `${line} L${x(points.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z` : "";
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const money = (n: number) => f.money(Math.round(n), currency, { compact: true });
  const labelIndexes =
    points.length <= 1
      ? [0]
      : [0, Math.floor((points.length - 1) / 2), points.length - 1].filter((v, i, a) => a.indexOf(v) === i);
  const description = last
    ? t("public:chart.description", {
        count: points.length,
        from: day(points[0]!.day),
        to: day(last.day),
        pledged: f.money(last.total, currency),
        goal: f.money(goal, currency),
        percent: Math.floor((last.total * 100) / goal),
      })
    : t("public:chart.empty");

  return (
    <figure className="funding-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{t("public:chart.title")}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((t) => (
          <g key={t} className="chart-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end">
              {money(t)}
            </text>
          </g>
        ))}
        {area ? <path d={area} className="chart-area" /> : null}
        {line ? <path d={line} className="chart-line" fill="none" /> : null}
        {points.length === 1 ? <circle cx={x(0)} cy={y(points[0]!.total)} r={4} className="chart-dot" /> : null}
        <line x1={PAD.left} x2={W - PAD.right} y1={y(goal)} y2={y(goal)} className="chart-goal" />
        <text x={W - PAD.right} y={y(goal) - 6} textAnchor="end" className="chart-goal-label">
          {t("public:chart.goal", { amount: money(goal) })}
        </text>
        {labelIndexes.map((i) => (
          <text
            key={i}
            x={x(i)}
            y={H - 10}
            textAnchor={
              i === 0 && points.length > 1 ? "start" : i === points.length - 1 && points.length > 1 ? "end" : "middle"
            }
            className="chart-axis-label"
          >
            {points[i] ? day(points[i]!.day) : ""}
          </text>
        ))}
      </svg>
      <details className="chart-table">
        <summary>{t("public:chart.showTable")}</summary>
        <table>
          <caption className="visually-hidden">{t("public:chart.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("public:chart.day")}</th>
              <th scope="col">{t("public:chart.newPledges")}</th>
              <th scope="col">{t("public:chart.pledgedThatDay")}</th>
              <th scope="col">{t("public:chart.total")}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.day}>
                <th scope="row">{day(p.day)}</th>
                <td>{f.number(p.pledges)}</td>
                <td>{f.money(p.amount, currency)}</td>
                <td>{f.money(p.total, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
