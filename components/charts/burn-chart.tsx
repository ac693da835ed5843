"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatMicros } from "@/lib/domain/money";
import { axisTick, axisUsd, ChartFrame, chartTooltipStyle, plotUsd, shortDay } from "./chart-frame";

export type BurnChartPoint = { day: string; spendMicros: string; sevenDayAvgMicros: string };

const usd = (value: number) => `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The borrower's daily spend (UsageDaily rollups) with its trailing 7-day average. Plain series in; never fetches. */
export function BurnChart({ points }: { points: BurnChartPoint[] }) {
  const data = points.map((point) => ({ day: point.day, spend: plotUsd(point.spendMicros), average: plotUsd(point.sevenDayAvgMicros) }));
  const isLongSpan = points.length > 120;
  const last = points.at(-1);
  const peak = points.reduce<BurnChartPoint | null>((top, p) => (top === null || BigInt(p.spendMicros) > BigInt(top.spendMicros) ? p : top), null);
  const total = points.reduce((sum, p) => sum + BigInt(p.spendMicros), 0n);
  const summary =
    last && peak
      ? `${points.length} days from ${points[0].day} to ${last.day}: ${formatMicros(total)} spent in all, peak ${formatMicros(BigInt(peak.spendMicros))} on ${peak.day}; 7-day average ${formatMicros(BigInt(last.sevenDayAvgMicros))} per day on ${last.day}.`
      : "No complete day of usage in this range yet.";
  return (
    <ChartFrame label="Chart: daily burn and its 7-day average" summary={summary} empty={points.length === 0 ? "No complete day of usage in this range yet." : null}>
      <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="day" tickFormatter={(d: string) => shortDay(d, isLongSpan)} tick={axisTick} interval="preserveStartEnd" minTickGap={24} />
        <YAxis tickFormatter={axisUsd} tick={axisTick} width={60} />
        <Tooltip {...chartTooltipStyle} formatter={(value, name) => [usd(Number(value)), String(name)]} />
        <Legend wrapperStyle={{ fontSize: 12, color: "var(--color-muted-foreground)" }} />
        <Bar name="Daily spend" dataKey="spend" fill="var(--color-chart-2)" radius={[2, 2, 0, 0]} isAnimationActive={false} />
        <Line name="7-day average" type="monotone" dataKey="average" stroke="var(--color-chart-1)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ChartFrame>
  );
}
