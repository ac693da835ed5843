"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { coverageAxisPct } from "@/lib/domain/valuation/series";
import { axisTick, ChartFrame, chartTooltipStyle } from "./chart-frame";

export type ProjectionChartPoint = { day: number; date: string; baselineBps: number | null; scenarioBps: number | null };

const pct = (bps: number | null) => (bps === null ? "∞" : `${(bps / 100).toFixed(1)}%`);

/** Projected coverage day by day, today's course against the what-if, with maintenance and liquidation drawn. Plain series in. */
export function ProjectionChart({ points, maintenanceBps, liquidationBps, summary }: { points: ProjectionChartPoint[]; maintenanceBps: number; liquidationBps: number; summary: string }) {
  const data = points.map((point) => ({ day: point.day, date: point.date, baseline: point.baselineBps === null ? null : point.baselineBps / 100, scenario: point.scenarioBps === null ? null : point.scenarioBps / 100 }));
  const [bottom, top] = coverageAxisPct(
    points.flatMap((p) => [p.baselineBps, p.scenarioBps]),
    [maintenanceBps, liquidationBps],
  );
  return (
    <ChartFrame label="Chart: projected coverage, as things are and with the what-if" summary={summary} empty={points.length === 0 ? "Nothing to project." : null}>
      <LineChart data={data} margin={{ top: 8, right: 96, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="day" type="number" domain={[0, "dataMax"]} tickFormatter={(d: number) => `+${d}d`} tick={axisTick} />
        <YAxis domain={[bottom, top]} allowDataOverflow tickFormatter={(v: number) => `${v}%`} tick={axisTick} width={52} />
        <ReferenceLine y={maintenanceBps / 100} stroke="var(--color-warning)" strokeDasharray="6 3" label={{ value: `Maintenance ${pct(maintenanceBps)}`, position: "right", fill: "var(--color-muted-foreground)", fontSize: 11 }} />
        <ReferenceLine y={liquidationBps / 100} stroke="var(--color-destructive)" strokeDasharray="6 3" label={{ value: `Liquidation ${pct(liquidationBps)}`, position: "right", fill: "var(--color-muted-foreground)", fontSize: 11 }} />
        <Tooltip {...chartTooltipStyle} labelFormatter={(d) => `Day +${d}`} formatter={(value, name) => [value === null || value === undefined ? "∞" : `${Number(value).toFixed(2)}%`, String(name)]} />
        <Legend wrapperStyle={{ fontSize: 12, color: "var(--color-muted-foreground)" }} />
        <Line name="As things are" type="monotone" dataKey="baseline" stroke="var(--color-chart-5)" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
        <Line name="What if" type="monotone" dataKey="scenario" stroke="var(--color-chart-1)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
