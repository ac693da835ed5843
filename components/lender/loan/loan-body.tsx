import { EmptyState } from "@/components/ui/states";
import type { LenderLoanPageDto } from "@/lib/server/queries/lender-loan-page";
import type { LenderLoanDetailDto } from "@/lib/server/queries/lender-loans";
import { LoanCharts } from "./loan-charts";
import { LoanSection } from "./loan-section";
import { LoanTables } from "./loan-tables";
import { WhatIfPanel } from "./what-if-panel";

/** Below the loan's header: the history charts, the what-if panel and the tables (the lender's page and the admin's read-only one). */
export function LoanBody({ detail, page }: { detail: LenderLoanDetailDto; page: LenderLoanPageDto }) {
  const { thresholds } = detail;
  return (
    <>
      <LoanCharts page={page} thresholds={{ initialBps: thresholds.initialBps, earlyWarningBps: thresholds.earlyWarningBps, maintenanceBps: thresholds.maintenanceBps, liquidationBps: thresholds.liquidationBps }} />
      <LoanSection id="what-if" title="What if" description="Change the borrower's burn, shock the GPU index or repay extra today: projected coverage and days to margin call redraw at once.">
        {page.projection ? (
          <WhatIfPanel inputs={page.projection.inputs} liquidationBps={thresholds.liquidationBps} />
        ) : (
          <EmptyState title="Nothing to project">The loan is {detail.state.toLowerCase()}: only an open loan has collateral and a coverage projection.</EmptyState>
        )}
      </LoanSection>
      <LoanTables page={page} />
    </>
  );
}
