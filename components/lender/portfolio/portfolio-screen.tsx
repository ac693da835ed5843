"use client";

import { useRef, useTransition } from "react";
import { useRouter } from "next/navigation";
import { RefreshCw } from "lucide-react";
import { AutoRefresh } from "@/components/lender/loan/auto-refresh";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { useViewNavigation } from "@/components/ui/server-table";
import { EmptyState } from "@/components/ui/states";
import { portfolioViewQuery, type StateFilter } from "@/lib/domain/valuation/portfolio-view";
import type { LenderPortfolioDto } from "@/lib/server/queries/lender-portfolio";
import { CoverageDistributionCard } from "./coverage-distribution-card";
import { PortfolioKpis } from "./portfolio-kpis";
import { PortfolioLoansTable } from "./portfolio-loans-table";

export const REFRESH_INTERVAL_MS = 30_000;

/**
 * The Portfolio page below its heading. The server renders it for the view in the URL; every
 * 30 s (while the tab is visible) and on Refresh the page re-renders on the server
 * (router.refresh): one query path and one guard, and the URL keeps the table's filter, search,
 * sort and page.
 */
export function PortfolioScreen({ portfolio }: { portfolio: LenderPortfolioDto }) {
  const router = useRouter();
  const [isRefreshing, startRefresh] = useTransition();
  const tableHeadingRef = useRef<HTMLHeadingElement>(null);
  const { view } = portfolio;
  const { navigate, isNavigating } = useViewNavigation(view, portfolioViewQuery, "/lender");

  const showLoans = (state: StateFilter) => {
    navigate({ state, page: 1 });
    tableHeadingRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
    tableHeadingRef.current?.focus({ preventScroll: true });
  };

  if (portfolio.totalLoans === 0) {
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
          <h2 ref={tableHeadingRef} tabIndex={-1} className="scroll-mt-4 leading-none font-semibold tracking-tight outline-none">
            Loans
          </h2>
          <CardDescription>
            Worst coverage first. Open a loan to see its history, freeze, unfreeze or liquidate. {portfolio.totalLoans.toLocaleString("en-US")} {portfolio.totalLoans === 1 ? "loan" : "loans"} in all.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <PortfolioLoansTable
            loans={portfolio.page.loans}
            total={portfolio.page.total}
            pageCount={portfolio.page.pageCount}
            view={view}
            horizonDays={portfolio.horizonDays}
            isPending={isNavigating}
            onNavigate={navigate}
          />
        </CardContent>
      </Card>
    </div>
  );
}
