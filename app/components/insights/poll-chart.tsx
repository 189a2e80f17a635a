import { useId } from "react";
import { useTranslation } from "react-i18next";
import { INTL_TAGS, type Locale } from "~/domain/locale";
import { useFormat } from "../locale";

export interface PollChartProps {
  question: string;
  /** In the poll's order. */
  options: { id: string; label: string }[];
  /** The votes per option (same order) at the end of each UTC day, oldest first. */
  days: { day: string; counts: number[] }[];
}

const W = 720;
const H = 260;
const PAD = { top: 16, right: 16, bottom: 32, left: 44 };

/**
 * One line per option. Each colour is at least 4.5:1 on white (so a line reads as well as text),
 * and each option also has its own dash pattern and marker, so no option is told apart by colour
 * alone; the legend shows the same stroke beside the name.
 */
const SERIES = [
  { colour: "#0b5d4b", dash: "", marker: "circle" },
  { colour: "#8a4b00", dash: "8 5", marker: "square" },
  { colour: "#3147b0", dash: "2 4", marker: "diamond" },
  { colour: "#a3195b", dash: "12 4 3 4", marker: "triangle" },
  { colour: "#4a5563", dash: "4 3", marker: "circle" },
  { colour: "#6a3fb5", dash: "16 5", marker: "square" },
  { colour: "#00677f", dash: "1 3 6 3", marker: "diamond" },
  { colour: "#6b5900", dash: "10 3 2 3 2 3", marker: "triangle" },
] as const;

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

function Marker({ kind, x, y, colour }: { kind: string; x: number; y: number; colour: string }) {
  if (kind === "square") return <rect x={x - 4} y={y - 4} width={8} height={8} fill={colour} />;
  if (kind === "diamond")
    return <path d={`M${x},${y - 5} L${x + 5},${y} L${x},${y + 5} L${x - 5},${y} Z`} fill={colour} />;
  if (kind === "triangle") return <path d={`M${x},${y - 5} L${x + 5},${y + 4} L${x - 5},${y + 4} Z`} fill={colour} />;
  return <circle cx={x} cy={y} r={4} fill={colour} />;
}

/** An SVG path through the points, in order. */
function linePath(points: readonly (readonly [number, number])[]): string {
  return points.map(([px, py], i) => `${i === 0 ? "M" : "L"}${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
}

/** Whole-number ticks from 0 to at least `max`, about four of them. */
function ticksFor(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 4));
  const ticks = [];
  for (let v = 0; v <= max + step - 1 && ticks.length < 6; v += step) ticks.push(v);
  return ticks;
}

/**
 * A poll's results over time, drawn on the server as SVG (no script needed), described for
 * screen readers in words, with the same numbers as a table underneath.
 */
export function PollChart({ question, options, days }: PollChartProps) {
  const id = useId();
  const { t } = useTranslation();
  const f = useFormat();
  const day = (d: string) => shortDay(d, f.locale);
  const last = days[days.length - 1];
  const top = Math.max(1, ...days.flatMap((d) => d.counts));
  const ticks = ticksFor(top);
  const max = ticks[ticks.length - 1]!;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (days.length <= 1 ? innerW / 2 : (i * innerW) / (days.length - 1));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const labelIndexes =
    days.length <= 1
      ? [0]
      : [0, Math.floor((days.length - 1) / 2), days.length - 1].filter((v, i, a) => a.indexOf(v) === i);
  const total = last ? last.counts.reduce((s, n) => s + n, 0) : 0;
  const summary = last
    ? options
        .map((o, i) => ({ label: o.label, votes: last.counts[i] ?? 0 }))
        .sort((a, b) => b.votes - a.votes)
        .map((o) => t("insights:chart.summaryItem", { label: o.label, votes: f.number(o.votes) }))
        .join(", ")
    : "";
  const description =
    last && total > 0
      ? t("insights:chart.description", {
          count: days.length,
          from: day(days[0]!.day),
          to: day(last.day),
          summary,
        })
      : t("insights:chart.noVotes");

  return (
    <figure className="poll-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{t("insights:chart.title", { question })}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((v) => (
          <g key={v} className="chart-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 8} y={y(v) + 4} textAnchor="end">
              {f.number(v)}
            </text>
          </g>
        ))}
        {options.map((o, s) => {
          const series = SERIES[s % SERIES.length]!;
          const points = days.map((d, i) => [x(i), y(d.counts[s] ?? 0)] as const);
          const path = linePath(points);
          const end = points[points.length - 1];
          return (
            <g key={o.id}>
              {points.length > 1 ? (
                <path
                  d={path}
                  fill="none"
                  stroke={series.colour}
                  strokeWidth={2.5}
                  strokeDasharray={series.dash || undefined}
                  strokeLinejoin="round"
                />
              ) : null}
              {end ? <Marker kind={series.marker} x={end[0]} y={end[1]} colour={series.colour} /> : null}
            </g>
          );
        })}
        {labelIndexes.map((i) => (
          <text
            key={i}
            x={x(i)}
            y={H - 10}
            textAnchor={
              i === 0 && days.length > 1 ? "start" : i === days.length - 1 && days.length > 1 ? "end" : "middle"
            }
            className="chart-axis-label"
          >
            {days[i] ? day(days[i]!.day) : ""}
          </text>
        ))}
      </svg>
      <ul className="poll-chart-legend" aria-label={t("insights:chart.legend")}>
        {options.map((o, s) => {
          const series = SERIES[s % SERIES.length]!;
          return (
            <li key={o.id}>
              <svg width="40" height="12" viewBox="0 0 40 12" aria-hidden="true" focusable="false">
                <line
                  x1={2}
                  x2={38}
                  y1={6}
                  y2={6}
                  stroke={series.colour}
                  strokeWidth={2.5}
                  strokeDasharray={series.dash || undefined}
                />
                <Marker kind={series.marker} x={38} y={6} colour={series.colour} />
              </svg>
              <span>{o.label}</span>
            </li>
          );
        })}
      </ul>
      {days.length > 0 ? (
        <details className="chart-table">
          <summary>{t("insights:chart.showTable")}</summary>
          <table>
            <caption className="visually-hidden">{t("insights:chart.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("insights:chart.day")}</th>
                {options.map((o) => (
                  <th key={o.id} scope="col">
                    {o.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <th scope="row">{day(d.day)}</th>
                  {d.counts.map((n, i) => (
                    <td key={options[i]?.id ?? i}>{f.number(n)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </figure>
  );
}
