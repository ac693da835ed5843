import type { Metadata } from "next";
import { StatCard } from "@/components/dashboard/stat-card";
import { LenderLoansTable } from "@/components/lender/loans-table";
import { Money } from "@/components/money";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getLenderOverview } from "@/lib/server/queries/lender";

export const metadata: Metadata = { title: "Portfolio" };

export default async function LenderPortfolioPage() {
  const viewer = await requirePageViewer("portfolio.read");
  const overview = await getLenderOverview(db, viewer.orgId);
  const rows = overview.loans.map((loan) => ({
    ...loan,
    principalMicros: loan.principalMicros.toString(),
    debtMicros: loan.debtMicros.toString(),
    collateralMicros: loan.collateralMicros?.toString() ?? null,
  }));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Portfolio</h1>
        <p className="text-sm text-muted-foreground">{viewer.orgName}: your facilities and the loans drawn on them.</p>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <StatCard label="Deployed" value={<Money micros={overview.deployedMicros.toString()} />} hint={<>of <Money micros={overview.limitMicros.toString()} /> facility limits</>} />
        <StatCard label="Loans" value={overview.loans.length} />
        <StatCard label="Open alerts" value={overview.openAlerts} testId="open-alerts" />
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Loans</CardTitle>
          <CardDescription>Coverage is collateral × mark ÷ debt, from the latest snapshot.</CardDescription>
        </CardHeader>
        <CardContent>
          <LenderLoansTable rows={rows} />
        </CardContent>
      </Card>
    </div>
  );
}
