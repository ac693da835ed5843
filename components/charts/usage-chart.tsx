"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type UsagePoint = { day: string; costUsd: number; requests: number };

/** Plain series in, chart out: it never fetches. Dollars here are for display only. */
export function UsageChart({ series }: { series: UsagePoint[] }) {
  return (
    <div className="h-64 w-full" role="img" aria-label="Daily spend over the last 30 days">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-border" vertical={false} />
          <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(5)} tick={{ fontSize: 12 }} className="fill-muted-foreground" interval="preserveStartEnd" />
          <YAxis tickFormatter={(v: number) => `$${v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0)}`} tick={{ fontSize: 12 }} width={56} />
          <Tooltip
            formatter={(value) => [`$${Number(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`, "Spend"]}
            labelClassName="text-foreground"
            contentStyle={{ background: "var(--color-card)", border: "1px solid var(--color-border)", borderRadius: 8 }}
          />
          <Bar dataKey="costUsd" fill="var(--color-primary)" radius={[3, 3, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
