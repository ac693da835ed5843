"use client";

import { useId, type ReactElement } from "react";
import { ResponsiveContainer } from "recharts";
import { cn } from "@/lib/utils";

/**
 * A chart with its words: the drawing is one image whose description is the text summary printed
 * under it, so a screen reader (or anyone) gets the figures the chart shows. Charts built on it
 * take plain series as props and never fetch.
 */
export function ChartFrame({ label, summary, children, className, empty }: { label: string; summary: string; children: ReactElement; className?: string; empty?: string | null }) {
  const summaryId = useId();
  return (
    <figure className="space-y-2">
      {empty ? (
        <div className={cn("grid h-64 place-items-center rounded-md border border-dashed text-sm text-muted-foreground", className)}>{empty}</div>
      ) : (
        <div role="img" aria-label={label} aria-describedby={summaryId} className={cn("h-64 w-full", className)}>
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      )}
      <figcaption id={summaryId} className="text-sm text-muted-foreground">
        {summary}
      </figcaption>
    </figure>
  );
}

/** Recharts' tooltip in the theme's colours (light and dark). */
export const chartTooltipStyle = {
  contentStyle: { background: "var(--color-card)", border: "1px solid var(--color-border)", borderRadius: 8, color: "var(--color-card-foreground)" },
  labelStyle: { color: "var(--color-card-foreground)" },
  itemStyle: { color: "var(--color-card-foreground)" },
} as const;

export const axisTick = { fontSize: 12, fill: "var(--color-muted-foreground)" } as const;

/** "2026-12-04" or an instant in ms → "12-04" (or "2026-12" when the span is long). */
export function shortDay(value: string | number, isLongSpan = false): string {
  const iso = typeof value === "number" ? new Date(value).toISOString() : value;
  return isLongSpan ? iso.slice(0, 7) : iso.slice(5, 10);
}

/** Dollars for an axis: "$1.2M", "$12k", "$950". Display only. */
export function axisUsd(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1_000_000) return `$${(value / 1_000_000).toFixed(1)}M`;
  if (abs >= 1_000) return `$${(value / 1_000).toFixed(abs >= 10_000 ? 0 : 1)}k`;
  return `$${value.toFixed(abs < 10 && abs !== 0 ? 2 : 0)}`;
}

/** µUSD as a string → dollars as a Number, for plotting only (never for money that is kept). */
export function plotUsd(micros: string): number {
  return Number(BigInt(micros)) / 1_000_000;
}
