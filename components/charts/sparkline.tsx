import { cn } from "@/lib/utils";

type SparklineProps = {
  /** One value per day, oldest first; null = nothing to plot that day (the line joins across it). */
  values: readonly (number | null)[];
  /** What the line shows, for screen readers (the picture is decorative next to its number). */
  label: string;
  /** A reference level drawn as a dashed line when it falls inside the range (e.g. maintenance). */
  referenceValue?: number;
  /** Draws the line in the destructive colour (e.g. the last value is below the reference). */
  isAlarming?: boolean;
  width?: number;
  height?: number;
  className?: string;
};

/**
 * A tiny trend line in plain SVG: a table of a thousand loans draws a thousand of these, so no
 * chart library, no measuring, no effects. Plain series in, picture out; it never fetches.
 */
export function Sparkline({ values, label, referenceValue, isAlarming = false, width = 96, height = 28, className }: SparklineProps) {
  const points = values.flatMap((value, index) => (value === null ? [] : [{ index, value }]));
  if (points.length === 0) {
    return (
      <svg role="img" aria-label={label} width={width} height={height} className={cn("shrink-0", className)}>
        <line x1={2} x2={width - 2} y1={height / 2} y2={height / 2} className="stroke-border" strokeDasharray="2 3" />
      </svg>
    );
  }
  const domain = points.map((point) => point.value);
  let low = Math.min(...domain);
  let high = Math.max(...domain);
  // Show the reference only when it is near the line (within the range, padded by a quarter of it).
  const pad = Math.max((high - low) / 4, 1);
  const showsReference = referenceValue !== undefined && referenceValue >= low - pad && referenceValue <= high + pad;
  if (showsReference) {
    low = Math.min(low, referenceValue);
    high = Math.max(high, referenceValue);
  }
  const inset = 2;
  const span = high - low || 1;
  const x = (index: number) => inset + (values.length <= 1 ? (width - 2 * inset) / 2 : (index / (values.length - 1)) * (width - 2 * inset));
  const y = (value: number) => (high === low ? height / 2 : inset + ((high - value) / span) * (height - 2 * inset));
  const path = points.map((point) => `${x(point.index).toFixed(1)},${y(point.value).toFixed(1)}`).join(" ");
  const last = points[points.length - 1];
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className={cn("shrink-0 overflow-visible", className)}>
      {showsReference ? <line x1={inset} x2={width - inset} y1={y(referenceValue)} y2={y(referenceValue)} className="stroke-warning" strokeWidth={1} strokeDasharray="3 2" /> : null}
      <polyline points={path} fill="none" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" className={isAlarming ? "stroke-destructive" : "stroke-primary"} />
      <circle cx={x(last.index)} cy={y(last.value)} r={2} className={isAlarming ? "fill-destructive" : "fill-primary"} />
    </svg>
  );
}
