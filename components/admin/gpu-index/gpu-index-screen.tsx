"use client";

import { useMemo, useState } from "react";
import { StatCard } from "@/components/dashboard/stat-card";
import { Money } from "@/components/money";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { CsvImport } from "./csv-import";
import { FixForm } from "./fix-form";
import { FixesTable, INDEX_PRICE_DECIMALS } from "./fixes-table";
import { IndexSeriesChart } from "./index-series-chart";
import { RecomputeJob } from "./recompute-job";
import type { IndexFixDto, JobDto } from "./types";

function changePercent(from: bigint, to: bigint): string {
  if (from <= 0n) return "—";
  const hundredths = Number(((to - from) * 10_000n) / from) / 100;
  return `${hundredths > 0 ? "+" : hundredths < 0 ? "−" : ""}${Math.abs(hundredths).toFixed(2)}%`;
}

/** The admin's GPU index screen: the series, one fix or a CSV in, and the coverage recompute that follows. */
export function GpuIndexScreen({ fixes, lastJob, todayUtc }: { fixes: IndexFixDto[]; lastJob: JobDto | null; todayUtc: string }) {
  const [jobId, setJobId] = useState<string | null>(lastJob?.id ?? null);
  const priceByDay = useMemo(() => new Map(fixes.map((fix) => [fix.day, BigInt(fix.priceMicros)])), [fixes]);
  const series = useMemo(() => [...fixes].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)).map((fix) => ({ day: fix.day, priceMicros: fix.priceMicros })), [fixes]);
  const latest = series.at(-1) ?? null;
  const weekAgo = series.length > 7 ? series[series.length - 8] : null;
  const hasJob = jobId !== null;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">GPU index</h1>
        <p className="text-sm text-muted-foreground">Daily fixes of the H100 price, in USD per GPU-hour. Every loan&apos;s collateral is marked against it; a change revalues every open loan.</p>
      </div>

      <div className="grid gap-4 sm:grid-cols-3">
        <StatCard
          label="Latest fix"
          value={latest ? <Money micros={latest.priceMicros} decimals={INDEX_PRICE_DECIMALS} /> : "—"}
          hint={latest ? `per GPU-hour, ${latest.day}` : "No fixes yet"}
          howComputed="The fix of the latest day on or before today (UTC). Loans are valued at it."
        />
        <StatCard
          label="Change over 7 fixes"
          value={latest && weekAgo ? changePercent(BigInt(weekAgo.priceMicros), BigInt(latest.priceMicros)) : "—"}
          hint={weekAgo ? `since ${weekAgo.day}` : "Needs 8 fixes"}
          howComputed="(latest fix − the fix 7 fixes earlier) ÷ the earlier fix. Below a loan's origination level the mark falls in proportion."
        />
        <StatCard label="Fixes" value={fixes.length.toLocaleString("en-US")} hint={series[0] ? `since ${series[0].day}` : undefined} howComputed="Days with a fix: one per UTC day, from the seed, admins, CSV imports and the feed API." />
      </div>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Index by day</h2>
          </CardTitle>
          <CardDescription>USD per H100 GPU-hour, one fix per UTC day.</CardDescription>
        </CardHeader>
        <CardContent>
          <IndexSeriesChart points={series} />
        </CardContent>
      </Card>

      <div className="grid gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Enter a fix</h2>
            </CardTitle>
            <CardDescription>Save one day&apos;s price, or correct a day already fixed.</CardDescription>
          </CardHeader>
          <CardContent>
            <FixForm todayUtc={todayUtc} latestDay={latest?.day ?? null} priceOn={(day) => priceByDay.get(day) ?? null} onJobStarted={setJobId} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Import a CSV</h2>
            </CardTitle>
            <CardDescription>Preview first: every line is checked; the file is imported whole or not at all.</CardDescription>
          </CardHeader>
          <CardContent>
            <CsvImport onJobStarted={setJobId} />
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Coverage recompute</h2>
          </CardTitle>
          <CardDescription>After a change, every open loan is revalued in the background; the latest run is shown here.</CardDescription>
        </CardHeader>
        <CardContent>{hasJob ? <RecomputeJob key={jobId} jobId={jobId} initialJob={lastJob} /> : <EmptyState title="No recompute yet">Save a fix or import a CSV: the loans whose coverage moves and the alerts that open are listed here.</EmptyState>}</CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Fixes</h2>
          </CardTitle>
          <CardDescription>Every fix with its source and who entered it; export as CSV with exact prices.</CardDescription>
        </CardHeader>
        <CardContent>{fixes.length ? <FixesTable fixes={fixes} /> : <EmptyState title="No fixes yet">Enter today&apos;s fix or import a year of them from a CSV.</EmptyState>}</CardContent>
      </Card>
    </div>
  );
}
