"use client";

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { axisTick, ChartFrame, chartTooltipStyle, plotUsd, shortDay } from "@/components/charts/chart-frame";
import { formatMicros } from "@/lib/domain/money";

export type IndexSeriesPoint = { day: string; priceMicros: string };

const perHour = (micros: string) => `${formatMicros(BigInt(micros))}/GPU-hour`;

/** The whole fix series (oldest first), with its range and last change in words. Plain series in; never fetches. */
export function IndexSeriesChart({ points }: { points: IndexSeriesPoint[] }) {
  const data = points.map((point) => ({ day: point.day, price: plotUsd(point.priceMicros) }));
  const first = points[0];
  const last = points.at(-1);
  let summary = "No index fixes yet.";
  if (first && last) {
    const prices = points.map((p) => BigInt(p.priceMicros));
    const low = prices.reduce((a, b) => (b < a ? b : a));
    const high = prices.reduce((a, b) => (b > a ? b : a));
    const change = BigInt(first.priceMicros) > 0n ? Number(((BigInt(last.priceMicros) - BigInt(first.priceMicros)) * 10_000n) / BigInt(first.priceMicros)) / 100 : null;
    summary =
      `${points.length.toLocaleString("en-US")} daily fixes from ${first.day} to ${last.day}: ${perHour(first.priceMicros)} at the start, ${perHour(last.priceMicros)} on ${last.day}` +
      `${change === null ? "" : ` (${change >= 0 ? "+" : ""}${change.toFixed(2)}%)`}; lowest ${perHour(low.toString())}, highest ${perHour(high.toString())}.`;
  }
  return (
    <ChartFrame label="Chart: GPU price index, USD per H100 GPU-hour, by day" summary={summary} empty={points.length === 0 ? "No index fixes yet." : null}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="day" tickFormatter={(d: string) => shortDay(d, points.length > 120)} tick={axisTick} interval="preserveStartEnd" minTickGap={24} />
        <YAxis domain={["auto", "auto"]} tickFormatter={(v: number) => `$${v.toFixed(2)}`} tick={axisTick} width={56} />
        <Tooltip {...chartTooltipStyle} formatter={(value) => [`$${Number(value).toFixed(2)}/GPU-hour`, "Index"]} />
        <Line type="monotone" dataKey="price" stroke="var(--color-chart-1)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
