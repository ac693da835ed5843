"use client";

import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { formatMicros } from "@/lib/domain/money";
import { axisTick, ChartFrame, chartTooltipStyle, plotUsd, shortDay } from "./chart-frame";

export type IndexChartPoint = { day: string; priceMicros: string };

const perHour = (micros: string | bigint) => `${formatMicros(typeof micros === "bigint" ? micros : BigInt(micros))}/GPU-hour`;

/** The GPU price index (H100, USD per GPU-hour) since the loan's origination, its origination level marked. Plain series in; never fetches. */
export function GpuIndexChart({ points, originationDay, originationMicros }: { points: IndexChartPoint[]; originationDay: string | null; originationMicros: string | null }) {
  const data = points.map((point) => ({ day: point.day, price: plotUsd(point.priceMicros) }));
  const isLongSpan = points.length > 120;
  const origination = originationMicros === null ? null : plotUsd(originationMicros);
  const last = points.at(-1);
  const change = last && originationMicros !== null && BigInt(originationMicros) > 0n ? (Number(((BigInt(last.priceMicros) - BigInt(originationMicros)) * 10_000n) / BigInt(originationMicros)) / 100).toFixed(2) : null;
  const summary = last
    ? `The index was ${originationMicros === null ? "not recorded" : perHour(originationMicros)} at origination${originationDay ? ` (${originationDay})` : ""} and ${perHour(last.priceMicros)} on ${last.day}${change === null ? "" : ` (${Number(change) >= 0 ? "+" : ""}${change}%)`}. Below the origination level the mark falls with it.`
    : "No index fixes in this range.";
  const showsOriginationDay = originationDay !== null && points.some((p) => p.day === originationDay);
  return (
    <ChartFrame label="Chart: GPU price index since origination" summary={summary} empty={points.length === 0 ? "No index fixes in this range." : null}>
      <LineChart data={data} margin={{ top: 8, right: 96, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="day" tickFormatter={(d: string) => shortDay(d, isLongSpan)} tick={axisTick} interval="preserveStartEnd" minTickGap={24} />
        <YAxis domain={["auto", "auto"]} tickFormatter={(v: number) => `$${v.toFixed(2)}`} tick={axisTick} width={56} />
        <Tooltip {...chartTooltipStyle} formatter={(value) => [`$${Number(value).toFixed(2)}/GPU-hour`, "Index"]} />
        {origination !== null ? (
          <ReferenceLine y={origination} stroke="var(--color-muted-foreground)" strokeDasharray="6 3" label={{ value: `Origination $${origination.toFixed(2)}`, position: "right", fill: "var(--color-muted-foreground)", fontSize: 11 }} />
        ) : null}
        {showsOriginationDay && origination !== null ? <ReferenceDot x={originationDay} y={origination} r={4} fill="var(--color-chart-4)" stroke="var(--color-card)" /> : null}
        <Line type="monotone" dataKey="price" stroke="var(--color-chart-1)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
