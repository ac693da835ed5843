"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { axisTick, axisUsd, ChartFrame, chartTooltipStyle, plotUsd, shortDay } from "@/components/charts/chart-frame";
import { formatMicros } from "@/lib/domain/money";
import type { StackedBurnDto } from "@/lib/server/queries/startup-overview";

const SERIES_COLOURS = ["var(--color-chart-1)", "var(--color-chart-2)", "var(--color-chart-3)", "var(--color-chart-4)", "var(--color-chart-5)"];
const OTHER_COLOUR = "var(--color-muted-foreground)";

const usd = (value: number) => `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Daily spend stacked by model or provider, with the trailing 7- and 30-day averages as lines. Plain series in; never fetches. */
export function StackedBurnChart({ chart, stackLabel }: { chart: StackedBurnDto; stackLabel: "model" | "provider" }) {
  const data = chart.points.map((point) => ({
    day: point.day,
    ...Object.fromEntries(chart.keys.map((key) => [`s:${key}`, plotUsd(point.byKey[key] ?? "0")])),
    avg7: plotUsd(point.avg7Micros),
    avg30: plotUsd(point.avg30Micros),
  }));
  const isLongSpan = chart.points.length > 120;
  const first = chart.points[0];
  const last = chart.points.at(-1);
  const peak = chart.points.reduce<StackedBurnDto["points"][number] | null>((top, p) => (top === null || BigInt(p.totalMicros) > BigInt(top.totalMicros) ? p : top), null);
  const hasSpend = BigInt(chart.totalMicros) > 0n;
  const summary =
    first && last && peak && hasSpend
      ? `${chart.points.length} days from ${first.day} to ${last.day}: ${formatMicros(BigInt(chart.totalMicros))} spent, by ${stackLabel}: ${chart.keys.join(", ")}. Peak ${formatMicros(BigInt(peak.totalMicros))} on ${peak.day}. On ${last.day} the 7-day average was ${formatMicros(BigInt(last.avg7Micros))} and the 30-day average ${formatMicros(BigInt(last.avg30Micros))} per day.`
      : "No usage in this range.";
  return (
    <ChartFrame label={`Chart: daily spend by ${stackLabel}, with 7- and 30-day averages`} summary={summary} className="h-72" empty={hasSpend ? null : "No usage in this range. Spend appears here as requests settle."}>
      <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="day" tickFormatter={(d: string) => shortDay(d, isLongSpan)} tick={axisTick} interval="preserveStartEnd" minTickGap={24} />
        <YAxis tickFormatter={axisUsd} tick={axisTick} width={60} />
        <Tooltip {...chartTooltipStyle} formatter={(value, name) => [usd(Number(value)), String(name)]} />
        <Legend wrapperStyle={{ fontSize: 12, color: "var(--color-muted-foreground)" }} />
        {chart.keys.map((key, index) => (
          <Bar key={key} name={key} dataKey={`s:${key}`} stackId="spend" fill={index < SERIES_COLOURS.length ? SERIES_COLOURS[index] : OTHER_COLOUR} isAnimationActive={false} />
        ))}
        <Line name="7-day average" type="monotone" dataKey="avg7" stroke="var(--color-foreground)" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line name="30-day average" type="monotone" dataKey="avg30" stroke="var(--color-foreground)" strokeDasharray="6 4" strokeWidth={2} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ChartFrame>
  );
}
