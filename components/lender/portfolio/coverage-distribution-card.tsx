"use client";

import { useId, useState } from "react";
import { CoverageDistributionChart, ZONE_COLORS, ZONE_LABELS, type CoverageBandPoint } from "@/components/charts/coverage-distribution-chart";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { InfoTip } from "@/components/ui/info-tip";
import { formatBps, formatMicros } from "@/lib/domain/money";
import type { CoverageZone } from "@/lib/domain/valuation/portfolio";
import type { CoverageBandDto } from "@/lib/server/queries/lender-portfolio";
import { cn } from "@/lib/utils";

const percent = (bps: number) => formatBps(bps, 0);

export function bandLabel(band: Pick<CoverageBandDto, "fromBps" | "toBps">): string {
  if (band.toBps === null) return `${percent(band.fromBps)} and above`;
  if (band.fromBps === 0) return `below ${percent(band.toBps)}`;
  return `${percent(band.fromBps).replace("%", "")}–${percent(band.toBps)}`;
}

/** Where the book sits between the thresholds: debt (or loans) per coverage band, with a text alternative. */
export function CoverageDistributionCard({ distribution }: { distribution: CoverageBandDto[] }) {
  const [measure, setMeasure] = useState<"debt" | "loans">("debt");
  const titleId = useId();
  const bands: CoverageBandPoint[] = distribution.map((band) => {
    const debt = BigInt(band.debtMicros);
    // Whole dollars, for the bar's height only (display); the exact amount is in the text.
    return { label: bandLabel(band), zone: band.zone as CoverageZone, loans: band.loans, debtUsd: Number(debt / 1_000_000n), debtText: formatMicros(debt) };
  });
  const occupied = bands.filter((band) => band.loans > 0);
  const zones = [...new Set(bands.map((band) => band.zone))];

  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="space-y-1.5">
          <div className="flex items-center gap-1">
            <h2 id={titleId} className="leading-none font-semibold tracking-tight">
              Coverage across the book
            </h2>
            <InfoTip label="the coverage distribution">
              Open loans grouped by live coverage (collateral × mark ÷ debt). Band edges sit on the standard thresholds — liquidation 110%, maintenance 125%, early warnings 130% and 140% — so no band straddles one; a loan with its own thresholds is placed by its coverage. A loan with no debt (infinite coverage) counts in the top band.
            </InfoTip>
          </div>
          <CardDescription>{measure === "debt" ? "Debt per coverage band, USD." : "Loans per coverage band."} The number on each bar is its count of loans.</CardDescription>
        </div>
        <div role="group" aria-label="Measure" className="inline-flex rounded-md border p-0.5">
          {(["debt", "loans"] as const).map((value) => (
            <button
              key={value}
              type="button"
              aria-pressed={measure === value}
              onClick={() => setMeasure(value)}
              className={cn(
                "rounded-sm px-3 py-1 text-xs font-medium outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50",
                measure === value ? "bg-primary text-primary-foreground" : "text-muted-foreground hover:text-foreground",
              )}
            >
              {value === "debt" ? "Debt" : "Loans"}
            </button>
          ))}
        </div>
      </CardHeader>
      <CardContent className="space-y-3">
        {occupied.length === 0 ? (
          <p className="py-10 text-center text-sm text-muted-foreground">No open loans: nothing to distribute yet.</p>
        ) : (
          <CoverageDistributionChart bands={bands} measure={measure} />
        )}
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground" aria-label="Zones">
          {zones.map((zone) => (
            <li key={zone} className="flex items-center gap-1.5">
              <span aria-hidden="true" className="inline-block size-2.5 rounded-sm" style={{ background: ZONE_COLORS[zone] }} />
              {ZONE_LABELS[zone]}
            </li>
          ))}
        </ul>
        {/* A table ignores the 1 px width of sr-only and widened the page on phones: hide its box instead. */}
        <div className="sr-only">
        <table aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">Coverage band</th>
              <th scope="col">Zone</th>
              <th scope="col">Loans</th>
              <th scope="col">Debt</th>
            </tr>
          </thead>
          <tbody>
            {bands.map((band) => (
              <tr key={band.label}>
                <th scope="row">{band.label}</th>
                <td>{ZONE_LABELS[band.zone]}</td>
                <td>{band.loans}</td>
                <td>{band.debtText}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </CardContent>
    </Card>
  );
}
