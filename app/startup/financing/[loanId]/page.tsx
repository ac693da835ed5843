import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/lender/loan/auto-refresh";
import { BuySection } from "@/components/startup/financing/buy-section";
import { LoanAlertBanner, LoanCoverage, LoanFigures, LoanHeader } from "@/components/startup/financing/loan-overview";
import { LoanTables } from "@/components/startup/financing/loan-tables";
import { PledgeSection } from "@/components/startup/financing/pledge-section";
import { RepaySection } from "@/components/startup/financing/repay-section";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { getStartupLoanPageOrThrow } from "@/lib/server/queries/startup-financing";



/**
 * One of the startup's loans: coverage and its thresholds, days to margin call, the schedule and
 * payments, and the ways to act on it (#pledge, #repay, #buy — the overview's margin-call banner
 * links here). Another startup's loan is a 404.
 */
export default async function StartupLoanPage({ params }: { params: Promise<{ loanId: string }> }) {
  const viewer = await requirePageViewer("credits.read");
  const { loanId } = await params;
  let page;
  try {
    page = await getStartupLoanPageOrThrow(db, viewer.orgId, loanId, new Date());
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  const hasStarted = page.activatedAt !== null;
  return (
    <div className="space-y-6">
      {page.isOpen ? <AutoRefresh /> : null}
      <LoanHeader page={page} />
      <LoanAlertBanner page={page} />
      {hasStarted ? (
        <>
          <LoanFigures page={page} />
          <LoanCoverage page={page} />
        </>
      ) : null}
      {page.isOpen ? (
        <div className="grid gap-4 xl:grid-cols-2">
          <RepaySection page={page} />
          <PledgeSection page={page} />
          <BuySection reference={page.reference} purchases={page.purchases} />
        </div>
      ) : null}
      {hasStarted ? <LoanTables reference={page.reference} installments={page.installments} payments={page.payments} /> : null}
    </div>
  );
}
