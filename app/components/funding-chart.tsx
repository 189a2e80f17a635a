import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { CurrencyCode } from "../../db/schema.js";
import { DEFAULT_LOCALE, INTL_TAGS, type Locale } from "~/domain/locale";
import { formatMoney } from "~/domain/money";
import { useLocale } from "./locale";

export interface ChartPoint {
  day: string;
  total: number;
  amount: number;
  pledges: number;
}

const W = 720;
const H = 260;
const PAD = { top: 16, right: 16, bottom: 32, left: 64 };

function shortDay(day: string, locale: Locale = DEFAULT_LOCALE) {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(INTL_TAGS[locale].dates, {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
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
  const locale = useLocale();
  const day = (d: string) => shortDay(d, locale);
  const full = (n: number) => formatMoney(n, currency, { locale });
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
  const money = (n: number) => formatMoney(Math.round(n), currency, { compact: true, locale });
  const labelIndexes =
    points.length <= 1
      ? [0]
      : [0, Math.floor((points.length - 1) / 2), points.length - 1].filter((v, i, a) => a.indexOf(v) === i);
  const description = last
    ? t("creator:chart.description", {
        count: points.length,
        from: day(points[0]!.day),
        to: day(last.day),
        pledged: full(last.total),
        goal: full(goal),
        percent: Math.floor((last.total * 100) / goal),
      })
    : t("creator:chart.noPledges");

  return (
    <figure className="funding-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{t("creator:chart.title")}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((tick) => (
          <g key={tick} className="chart-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 8} y={y(tick) + 4} textAnchor="end">
              {money(tick)}
            </text>
          </g>
        ))}
        {area ? <path d={area} className="chart-area" /> : null}
        {line ? <path d={line} className="chart-line" fill="none" /> : null}
        {points.length === 1 ? <circle cx={x(0)} cy={y(points[0]!.total)} r={4} className="chart-dot" /> : null}
        <line x1={PAD.left} x2={W - PAD.right} y1={y(goal)} y2={y(goal)} className="chart-goal" />
        <text x={W - PAD.right} y={y(goal) - 6} textAnchor="end" className="chart-goal-label">
          {t("creator:chart.goal", { amount: money(goal) })}
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
        <summary>{t("creator:chart.showTable")}</summary>
        <table>
          <caption className="visually-hidden">{t("creator:chart.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("creator:chart.day")}</th>
              <th scope="col">{t("creator:chart.newPledges")}</th>
              <th scope="col">{t("creator:chart.pledgedThatDay")}</th>
              <th scope="col">{t("creator:chart.total")}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.day}>
                <th scope="row">{day(p.day)}</th>
                <td>{p.pledges}</td>
                <td>{full(p.amount)}</td>
                <td>{full(p.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
