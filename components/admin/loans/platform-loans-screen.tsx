"use client";

import { StatCard } from "@/components/dashboard/stat-card";
import { AutoRefresh } from "@/components/lender/loan/auto-refresh";
import { CollateralAtMarkStat } from "@/components/lender/portfolio/portfolio-kpis";
import { Bps, Money } from "@/components/money";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { useViewNavigation } from "@/components/ui/server-table";
import { EmptyState } from "@/components/ui/states";
import type { PlatformLoansDto } from "@/lib/server/queries/admin-loans";
import { platformLoansViewQuery, type PlatformLoansView } from "./loans-view";
import { PlatformLoansTable } from "./platform-loans-table";

/**
 * The admin's loans page below its heading: the open book's totals across lenders and the loans
 * table. The server renders it for the view in the URL; every 30 s (tab visible) it re-renders.
 */
export function PlatformLoansScreen({ loans, view }: { loans: PlatformLoansDto; view: PlatformLoansView }) {
  const { navigate, isNavigating } = useViewNavigation(view, platformLoansViewQuery, "/admin/loans");

  if (loans.totalLoans === 0) {
    return (
      <EmptyState title="No loans yet">Applications appear here when startups apply; loans once an admin approves them on a lender&apos;s facility.</EmptyState>
    );
  }

  const { summary } = loans;
  const watch = summary.loansByWatchStatus;
  return (
    <div className="space-y-6">
      <AutoRefresh />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label="Open loans" value={summary.openLoans.toLocaleString("en-US")} hint={`${watch.MARGIN_CALL} in margin call, ${watch.FROZEN} frozen, ${watch.DELINQUENT} delinquent`} howComputed="Loans active, in margin call, delinquent or frozen, of every lender." />
        <StatCard label="Debt" value={<Money micros={summary.totalDebtMicros} />} howComputed="USD: principal outstanding plus interest accrued to now, summed over the open loans of every lender." />
        <CollateralAtMarkStat
          label="Collateral at mark"
          summary={summary}
          howComputed="USD: each open loan's unspent collateral credits × its mark today, rounded down, summed."
        />
        <StatCard
          label="Debt-weighted coverage"
          value={<Bps bps={summary.debtWeightedCoverageBps} />}
          hint={
            <>
              <Money micros={summary.uncoveredDebtMicros} /> of debt not covered at mark
            </>
          }
          howComputed="Σ(coverage × debt) ÷ Σ debt over the open loans with debt, in %: a loan weighs what it owes. ∞ when nothing is owed."
        />
      </div>

      <Card>
        <CardHeader>
          <h2 className="leading-none font-semibold tracking-tight">All loans</h2>
          <CardDescription>Worst coverage first. Open a loan to see its history as its lender does; a frozen loan can be liquidated there.</CardDescription>
        </CardHeader>
        <CardContent>
          <PlatformLoansTable loans={loans} view={view} isPending={isNavigating} onNavigate={navigate} />
        </CardContent>
      </Card>
    </div>
  );
}
