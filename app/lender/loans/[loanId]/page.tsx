import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/lender/loan/auto-refresh";
import { LoanCharts } from "@/components/lender/loan/loan-charts";
import { LoanHeader } from "@/components/lender/loan/loan-header";
import { LoanSection } from "@/components/lender/loan/loan-section";
import { LoanTables } from "@/components/lender/loan/loan-tables";
import { WhatIfPanel } from "@/components/lender/loan/what-if-panel";
import { EmptyState } from "@/components/ui/states";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { getLenderLoanPageOrThrow } from "@/lib/server/queries/lender-loan-page";
import { getLenderLoanOrThrow } from "@/lib/server/queries/lender-loans";

/** One of the lender's loans: figures, history charts, what-if, tables. Another lender's loan is a 404. */
export default async function LenderLoanPage({ params }: { params: Promise<{ loanId: string }> }) {
  const viewer = await requirePageViewer("portfolio.read");
  const { loanId } = await params;
  const now = new Date();
  let loaded;
  try {
    loaded = await Promise.all([getLenderLoanOrThrow(db, viewer.orgId, loanId, now), getLenderLoanPageOrThrow(db, viewer.orgId, loanId, { now })]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  const [detail, page] = loaded;
  const { thresholds } = detail;

  return (
    <div className="space-y-6">
      <AutoRefresh />
      <LoanHeader detail={detail} page={page} />
      <LoanCharts page={page} thresholds={{ initialBps: thresholds.initialBps, earlyWarningBps: thresholds.earlyWarningBps, maintenanceBps: thresholds.maintenanceBps, liquidationBps: thresholds.liquidationBps }} />
      <LoanSection id="what-if" title="What if" description="Change the borrower's burn, shock the GPU index or repay extra today: projected coverage and days to margin call redraw at once.">
        {page.projection ? (
          <WhatIfPanel inputs={page.projection.inputs} liquidationBps={thresholds.liquidationBps} />
        ) : (
          <EmptyState title="Nothing to project">The loan is {detail.state.toLowerCase()}: only an open loan has collateral and a coverage projection.</EmptyState>
        )}
      </LoanSection>
      <LoanTables page={page} />
    </div>
  );
}
