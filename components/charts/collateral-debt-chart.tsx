"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatMicros } from "@/lib/domain/money";
import { axisTick, axisUsd, ChartFrame, chartTooltipStyle, plotUsd, shortDay } from "./chart-frame";

export type CollateralDebtPoint = { atMs: number; valueAtMarkMicros: string; collateralMicros: string; debtMicros: string };

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const usd = (value: number) => `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Collateral valued at the mark against the debt, from stored coverage snapshots. Plain series in; never fetches. */
export function CollateralDebtChart({ points, fromMs, toMs }: { points: CollateralDebtPoint[]; fromMs: number; toMs: number }) {
  const data = points.map((point) => ({ atMs: point.atMs, value: plotUsd(point.valueAtMarkMicros), face: plotUsd(point.collateralMicros), debt: plotUsd(point.debtMicros) }));
  const isLongSpan = toMs - fromMs > 120 * 86_400_000;
  const first = points[0];
  const last = points.at(-1);
  const summary =
    first && last
      ? `Collateral value at mark went from ${formatMicros(BigInt(first.valueAtMarkMicros))} on ${day(first.atMs)} to ${formatMicros(BigInt(last.valueAtMarkMicros))} on ${day(last.atMs)} (face value ${formatMicros(BigInt(last.collateralMicros))}); debt went from ${formatMicros(BigInt(first.debtMicros))} to ${formatMicros(BigInt(last.debtMicros))}.`
      : "No coverage snapshots in this range.";
  return (
    <ChartFrame label="Chart: collateral value at mark and debt over time" summary={summary} empty={points.length === 0 ? "No coverage snapshots in this range." : null}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="atMs" type="number" scale="time" domain={[fromMs, toMs]} tickFormatter={(ms: number) => shortDay(ms, isLongSpan)} tick={axisTick} />
        <YAxis tickFormatter={axisUsd} tick={axisTick} width={60} />
        <Tooltip {...chartTooltipStyle} labelFormatter={(ms) => new Date(Number(ms)).toISOString().slice(0, 16).replace("T", " ") + " UTC"} formatter={(value, name) => [usd(Number(value)), String(name)]} />
        <Legend wrapperStyle={{ fontSize: 12, color: "var(--color-muted-foreground)" }} />
        <Line name="Collateral at mark" type="stepAfter" dataKey="value" stroke="var(--color-chart-1)" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line name="Collateral at face" type="stepAfter" dataKey="face" stroke="var(--color-chart-5)" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
        <Line name="Debt" type="stepAfter" dataKey="debt" stroke="var(--color-chart-4)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
