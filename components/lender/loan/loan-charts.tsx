"use client";

import { useMemo, useState } from "react";
import { BurnChart } from "@/components/charts/burn-chart";
import { CollateralDebtChart } from "@/components/charts/collateral-debt-chart";
import { CoverageHistoryChart, type CoverageThresholdLine } from "@/components/charts/coverage-history-chart";
import { GpuIndexChart } from "@/components/charts/gpu-index-chart";
import { Button } from "@/components/ui/button";
import { InfoTip } from "@/components/ui/info-tip";
import type { LenderLoanPageDto } from "@/lib/server/queries/lender-loan-page";
import { LoanSection } from "./loan-section";

const DAY_MS = 86_400_000;
const RANGES = [
  { key: "30", label: "30 days", days: 30 },
  { key: "90", label: "90 days", days: 90 },
  { key: "all", label: "All", days: null },
] as const;
type RangeKey = (typeof RANGES)[number]["key"];

export type LoanChartThresholds = { initialBps: number; earlyWarningBps: number[]; maintenanceBps: number; liquidationBps: number };

/** The loan's four history charts with one range toggle (30 days, 90 days, all since origination). */
export function LoanCharts({ page, thresholds }: { page: LenderLoanPageDto; thresholds: LoanChartThresholds }) {
  const [range, setRange] = useState<RangeKey>("all");
  const endMs = new Date(page.closedAt ?? page.asOf).getTime();
  const originMs = useMemo(() => {
    const firstSnapshot = page.coverage.points[0] ? new Date(page.coverage.points[0].at).getTime() : endMs;
    return page.activatedAt ? Math.min(new Date(page.activatedAt).getTime(), firstSnapshot) : firstSnapshot;
  }, [page.activatedAt, page.coverage.points, endMs]);
  const days = RANGES.find((r) => r.key === range)!.days;
  const fromMs = days === null ? originMs : Math.max(originMs, endMs - days * DAY_MS);
  const fromDay = new Date(fromMs).toISOString().slice(0, 10);

  const coverage = useMemo(() => page.coverage.points.map((p) => ({ ...p, atMs: new Date(p.at).getTime() })), [page.coverage.points]);
  // The last point before the range starts carries into it (coverage is a step function).
  const inRange = useMemo(() => {
    const firstInside = coverage.findIndex((p) => p.atMs >= fromMs);
    const start = firstInside === -1 ? Math.max(0, coverage.length - 1) : Math.max(0, firstInside - 1);
    return coverage.slice(start).map((p) => (p.atMs < fromMs ? { ...p, atMs: fromMs } : p));
  }, [coverage, fromMs]);
  const periods = page.coverage.marginCallPeriods
    .map((p) => ({ fromMs: new Date(p.from).getTime(), toMs: new Date(p.to).getTime(), isOpen: p.isOpen }))
    .filter((p) => p.toMs >= fromMs);
  const lines: CoverageThresholdLine[] = [
    { label: "Initial", bps: thresholds.initialBps, tone: "initial" },
    ...thresholds.earlyWarningBps.map((bps, i) => ({ label: `Early warning ${i + 1}`, bps, tone: "warning" as const })),
    { label: "Maintenance", bps: thresholds.maintenanceBps, tone: "maintenance" },
    { label: "Liquidation", bps: thresholds.liquidationBps, tone: "liquidation" },
  ];
  const downsampled = page.coverage.downsampledToDays;
  const source = downsampled === null ? "Every stored coverage snapshot." : `The last stored snapshot of each ${downsampled === 1 ? "day" : `${downsampled} days`} (there are many).`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Chart range">
        <span className="text-sm text-muted-foreground">Chart range</span>
        {RANGES.map((option) => (
          <Button key={option.key} type="button" size="sm" variant={range === option.key ? "default" : "outline"} aria-pressed={range === option.key} onClick={() => setRange(option.key)}>
            {option.label}
          </Button>
        ))}
      </div>

      <LoanSection
        id="coverage"
        title="Coverage"
        description={
          <span className="inline-flex items-center gap-1">
            Collateral × mark ÷ debt, in %. Margin-call periods shaded.
            <InfoTip label="the coverage history">{`${source} A margin call starts below maintenance and ends at maintenance + 5 points, as the loan's lifecycle decides.`}</InfoTip>
          </span>
        }
      >
        <CoverageHistoryChart points={inRange} thresholds={lines} marginCalls={periods} fromMs={fromMs} toMs={endMs} />
      </LoanSection>

      <div className="grid gap-4 xl:grid-cols-2">
        <LoanSection
          id="collateral-and-debt"
          title="Collateral and debt"
          description={
            <span className="inline-flex items-center gap-1">
              USD: collateral at face and at mark, against the debt.
              <InfoTip label="collateral value at mark">{`Value at mark = unspent collateral credits × the mark of the day, rounded down; debt = principal outstanding + accrued interest. ${source}`}</InfoTip>
            </span>
          }
        >
          <CollateralDebtChart points={inRange} fromMs={fromMs} toMs={endMs} />
        </LoanSection>

        <LoanSection
          id="burn"
          title="Burn"
          description={
            <span className="inline-flex items-center gap-1">
              USD per day spent by the borrower, with the 7-day average.
              <InfoTip label="the burn">Daily usage rollups of the borrower (complete UTC days since the loan began). The average is over the day and the up-to-6 days before it, rounded up: the last one is the 7-day burn the projection uses.</InfoTip>
            </span>
          }
        >
          <BurnChart points={page.burn.points.filter((p) => p.day >= fromDay)} />
        </LoanSection>
      </div>

      <LoanSection
        id="gpu-index"
        title="GPU index"
        description={
          <span className="inline-flex items-center gap-1">
            USD per H100 GPU-hour since origination; the dashed line is the level at origination.
            <InfoTip label="the GPU index">Daily fixes of the H100 price. The mark is min(1, index now ÷ index at origination) × (1 − fee), so a fall below the origination level lowers the collateral&apos;s value.</InfoTip>
          </span>
        }
      >
        <GpuIndexChart points={page.gpuIndex.points.filter((p) => p.day >= fromDay)} originationDay={page.gpuIndex.originationDay} originationMicros={page.gpuIndex.originationMicros} />
      </LoanSection>
    </div>
  );
}
