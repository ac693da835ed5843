"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { axisTick, ChartFrame, chartTooltipStyle } from "@/components/charts/chart-frame";
import { coverageAxisPct } from "@/lib/domain/valuation/series";

export type CoveragePathPoint = { day: number; date: string; coverageBps: number | null };

const pct = (bps: number) => `${(bps / 100).toFixed(1)}%`;

/** The loan's projected coverage under the proposed terms, day by day, with its thresholds drawn. Plain series in. */
export function ApprovalProjectionChart({ points, initialBps, maintenanceBps, liquidationBps, summary }: { points: CoveragePathPoint[]; initialBps: number; maintenanceBps: number; liquidationBps: number; summary: string }) {
  const data = points.map((point) => ({ day: point.day, date: point.date, coverage: point.coverageBps === null ? null : point.coverageBps / 100 }));
  const [bottom, top] = coverageAxisPct(
    points.map((p) => p.coverageBps),
    [initialBps, maintenanceBps, liquidationBps],
  );
  return (
    <ChartFrame label="Chart: projected coverage under the proposed terms" summary={summary} empty={points.length === 0 ? "Nothing to project: fix the terms above." : null}>
      <LineChart data={data} margin={{ top: 8, right: 96, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="day" type="number" domain={[0, "dataMax"]} tickFormatter={(d: number) => `+${d}d`} tick={axisTick} />
        <YAxis domain={[bottom, top]} allowDataOverflow tickFormatter={(v: number) => `${v}%`} tick={axisTick} width={52} />
        <ReferenceLine y={initialBps / 100} stroke="var(--color-chart-2)" strokeDasharray="2 4" label={{ value: `Initial ${pct(initialBps)}`, position: "right", fill: "var(--color-muted-foreground)", fontSize: 11 }} />
        <ReferenceLine y={maintenanceBps / 100} stroke="var(--color-warning)" strokeDasharray="6 3" label={{ value: `Maintenance ${pct(maintenanceBps)}`, position: "right", fill: "var(--color-muted-foreground)", fontSize: 11 }} />
        <ReferenceLine y={liquidationBps / 100} stroke="var(--color-destructive)" strokeDasharray="6 3" label={{ value: `Liquidation ${pct(liquidationBps)}`, position: "right", fill: "var(--color-muted-foreground)", fontSize: 11 }} />
        <Tooltip {...chartTooltipStyle} labelFormatter={(d) => `Day +${d}`} formatter={(value) => [value === null || value === undefined ? "∞" : `${Number(value).toFixed(2)}%`, "Projected coverage"]} />
        <Line name="Projected coverage" type="monotone" dataKey="coverage" stroke="var(--color-chart-1)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
