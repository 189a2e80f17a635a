/**
 * How far a campaign is toward its goal. The bar caps at 100% but the label does not: a
 * campaign at 240% says so.
 */
export function ProgressBar({
  percent,
  label,
  size = "normal",
}: {
  percent: number;
  label: string;
  size?: "normal" | "large";
}) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <div
      className={`progress progress-${size}${percent >= 100 ? " progress-complete" : ""}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      aria-valuetext={label}
      aria-label={label}
    >
      <span className="progress-fill" style={{ width: `${clamped}%` }} />
    </div>
  );
}
