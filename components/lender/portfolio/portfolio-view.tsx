"use client";

import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { RefreshCw } from "lucide-react";
import { AutoRefresh } from "@/components/lender/loan/auto-refresh";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import type { LenderPortfolioDto } from "@/lib/server/queries/lender-portfolio";
import { CoverageDistributionCard } from "./coverage-distribution-card";
import { PortfolioKpis } from "./portfolio-kpis";
import { PortfolioLoansTable } from "./portfolio-loans-table";
import type { StateFilter } from "./state-filter";

export const REFRESH_INTERVAL_MS = 30_000;

/**
 * The Portfolio page below its heading. The server renders it with the book as of the request;
 * every 30 s (while the tab is visible) the page re-renders on the server (router.refresh), so
 * the figures stay live with one query path and one guard, and the table keeps its filter, search,
 * sort and page.
 */
export function PortfolioView({ portfolio }: { portfolio: LenderPortfolioDto }) {
  const router = useRouter();
  const [isRefreshing, startRefresh] = useTransition();
  const [stateFilter, setStateFilter] = useState<StateFilter>("open");
  const tableRef = useRef<HTMLHeadingElement>(null);

  const showLoans = (filter: StateFilter) => {
    setStateFilter(filter);
    tableRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
    tableRef.current?.focus({ preventScroll: true });
  };

  if (portfolio.loans.length === 0) {
    return (
      <EmptyState title="No loans yet">
        Loans appear here once an admin approves a financing arrangement on one of your facilities. Their coverage, debt and collateral then update live.
      </EmptyState>
    );
  }

  return (
    <div className="space-y-6">
      <AutoRefresh intervalMs={REFRESH_INTERVAL_MS} />
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted-foreground">
        <p>
          Live figures as of <time dateTime={portfolio.asOf}>{portfolio.asOf.slice(11, 19)} UTC</time>, refreshed every 30 seconds.
        </p>
        <Button type="button" variant="outline" size="sm" onClick={() => startRefresh(() => router.refresh())} disabled={isRefreshing}>
          <RefreshCw aria-hidden="true" className={isRefreshing ? "animate-spin" : undefined} />
          Refresh
        </Button>
      </div>

      <PortfolioKpis summary={portfolio.summary} onShowLoans={showLoans} />

      <CoverageDistributionCard distribution={portfolio.distribution} />

      <Card>
        <CardHeader>
          <h2 ref={tableRef} tabIndex={-1} className="leading-none font-semibold tracking-tight outline-none">
            Loans
          </h2>
          <CardDescription>Worst coverage first. Open a loan to see its history, freeze, unfreeze or liquidate.</CardDescription>
        </CardHeader>
        <CardContent>
          <PortfolioLoansTable loans={portfolio.loans} horizonDays={portfolio.horizonDays} stateFilter={stateFilter} onStateFilterChange={setStateFilter} asOf={portfolio.asOf} />
        </CardContent>
      </Card>
    </div>
  );
}
