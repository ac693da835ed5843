"use client";

import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { coverageAxisPct } from "@/lib/domain/valuation/series";
import { axisTick, ChartFrame, chartTooltipStyle, shortDay } from "./chart-frame";

export type CoverageHistoryPoint = { atMs: number; coverageBps: number | null };
export type CoverageThresholdLine = { label: string; bps: number; tone: "initial" | "warning" | "maintenance" | "liquidation" };
export type ShadedPeriod = { fromMs: number; toMs: number; isOpen: boolean };

const TONE: Record<CoverageThresholdLine["tone"], string> = {
  initial: "var(--color-success)",
  warning: "var(--color-chart-3)",
  maintenance: "var(--color-warning)",
  liquidation: "var(--color-destructive)",
};

const pct = (bps: number) => `${(bps / 100).toFixed(1)}%`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Coverage over time with the loan's thresholds as lines and its margin-call periods shaded. Plain series in; never fetches. */
export function CoverageHistoryChart({ points, thresholds, marginCalls, fromMs, toMs }: { points: CoverageHistoryPoint[]; thresholds: CoverageThresholdLine[]; marginCalls: ShadedPeriod[]; fromMs: number; toMs: number }) {
  const data = points.map((point) => ({ atMs: point.atMs, coveragePct: point.coverageBps === null ? null : point.coverageBps / 100 }));
  const [bottom, top] = coverageAxisPct(
    points.map((p) => p.coverageBps),
    thresholds.map((t) => t.bps),
  );
  const isLongSpan = toMs - fromMs > 120 * 86_400_000;
  const finite = points.filter((p): p is { atMs: number; coverageBps: number } => p.coverageBps !== null);
  const lowest = finite.reduce<{ atMs: number; coverageBps: number } | null>((low, p) => (low === null || p.coverageBps < low.coverageBps ? p : low), null);
  const first = finite[0];
  const last = finite.at(-1);
  const summary =
    points.length === 0
      ? "No coverage snapshots in this range."
      : [
          first && last ? `Coverage went from ${pct(first.coverageBps)} on ${day(first.atMs)} to ${pct(last.coverageBps)} on ${day(last.atMs)}` : "Coverage was infinite (no debt) throughout",
          lowest ? `; lowest ${pct(lowest.coverageBps)} on ${day(lowest.atMs)}.` : ".",
          ` Thresholds: ${thresholds.map((t) => `${t.label.toLowerCase()} ${pct(t.bps)}`).join(", ")}.`,
          marginCalls.length === 0
            ? " No margin call in this range."
            : ` ${marginCalls.length} margin-call period${marginCalls.length === 1 ? "" : "s"} (shaded)${marginCalls.length > 3 ? ", the latest 3" : ""}: ${marginCalls
                .slice(-3)
                .map((p) => `${day(p.fromMs)} to ${p.isOpen ? "now (still open)" : day(p.toMs)}`)
                .join("; ")}.`,
        ].join("");
  return (
    <ChartFrame label="Chart: coverage over time" summary={summary} empty={points.length === 0 ? "No coverage snapshots in this range." : null}>
      <LineChart data={data} margin={{ top: 8, right: 96, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" vertical={false} />
        <XAxis dataKey="atMs" type="number" scale="time" domain={[fromMs, toMs]} tickFormatter={(ms: number) => shortDay(ms, isLongSpan)} tick={axisTick} />
        <YAxis domain={[bottom, top]} allowDataOverflow tickFormatter={(v: number) => `${v}%`} tick={axisTick} width={52} />
        {marginCalls.map((period) => (
          <ReferenceArea key={period.fromMs} x1={Math.max(period.fromMs, fromMs)} x2={Math.min(period.toMs, toMs)} y1={bottom} y2={top} fill="var(--color-destructive)" fillOpacity={0.12} ifOverflow="hidden" />
        ))}
        {thresholds.map((line) => (
          <ReferenceLine
            key={`${line.label}-${line.bps}`}
            y={line.bps / 100}
            stroke={TONE[line.tone]}
            strokeDasharray={line.tone === "warning" ? "4 4" : "6 3"}
            label={{ value: `${line.label} ${pct(line.bps)}`, position: "right", fill: "var(--color-muted-foreground)", fontSize: 11 }}
          />
        ))}
        <Tooltip {...chartTooltipStyle} labelFormatter={(ms) => new Date(Number(ms)).toISOString().slice(0, 16).replace("T", " ") + " UTC"} formatter={(value) => [value === null || value === undefined ? "∞" : `${Number(value).toFixed(2)}%`, "Coverage"]} />
        <Line type="stepAfter" dataKey="coveragePct" stroke="var(--color-chart-1)" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}
