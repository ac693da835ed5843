"use client";

import { Bar, BarChart, CartesianGrid, LabelList, Rectangle, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps } from "recharts";
import type { CoverageZone } from "@/lib/domain/valuation/portfolio";

export type CoverageBandPoint = {
  /** "110–125%" */
  label: string;
  zone: CoverageZone;
  loans: number;
  /** For the bar's height only; the exact amount is `debtText`. */
  debtUsd: number;
  debtText: string;
};

export const ZONE_LABELS: Record<CoverageZone, string> = {
  liquidation: "Below liquidation",
  "margin-call": "Margin call (below maintenance)",
  "early-warning": "Early warning",
  healthy: "Healthy",
};

/** Theme tokens, so light and dark both read; each zone also has its own legend entry and text. */
export const ZONE_COLORS: Record<CoverageZone, string> = {
  liquidation: "var(--color-destructive)",
  "margin-call": "var(--color-warning)",
  "early-warning": "var(--color-chart-3)",
  healthy: "var(--color-chart-2)",
};

function compactUsd(value: number) {
  if (value >= 1e6) return `$${(value / 1e6).toFixed(value >= 1e7 ? 0 : 1)}M`;
  if (value >= 1e3) return `$${(value / 1e3).toFixed(0)}k`;
  return `$${value.toFixed(0)}`;
}

/**
 * Debt (or loans) per coverage band, each bar coloured by its zone. Plain series in, chart out; it
 * never fetches. The SVG is hidden from assistive tech: the caller gives the text alternative.
 */
export function CoverageDistributionChart({ bands, measure }: { bands: CoverageBandPoint[]; measure: "debt" | "loans" }) {
  const dataKey = measure === "debt" ? "debtUsd" : "loans";
  return (
    <div className="h-64 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bands} margin={{ top: 20, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-border" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} className="fill-muted-foreground" interval={0} angle={-30} textAnchor="end" height={48} />
          <YAxis tickFormatter={(v: number) => (measure === "debt" ? compactUsd(v) : String(v))} allowDecimals={false} tick={{ fontSize: 12 }} width={56} />
          <Tooltip
            cursor={{ className: "fill-muted/50" }}
            formatter={(_value, _name, item) => {
              const band = item.payload as CoverageBandPoint;
              return [`${band.loans} ${band.loans === 1 ? "loan" : "loans"}, ${band.debtText} of debt`, ZONE_LABELS[band.zone]];
            }}
            labelFormatter={(label) => `Coverage ${String(label)}`}
            labelClassName="text-foreground"
            contentStyle={{ background: "var(--color-card)", border: "1px solid var(--color-border)", borderRadius: 8 }}
          />
          <Bar
            dataKey={dataKey}
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
            shape={(props: BarShapeProps) => <Rectangle {...props} fill={ZONE_COLORS[(props.payload as CoverageBandPoint).zone]} />}
          >
            <LabelList dataKey="loans" position="top" className="fill-foreground" fontSize={11} formatter={(value) => (Number(value) > 0 ? String(value) : "")} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
