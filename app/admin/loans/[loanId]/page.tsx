import { notFound } from "next/navigation";
import { AdminLiquidateDialog } from "@/components/admin/loans/admin-liquidate-dialog";
import { AutoRefresh } from "@/components/lender/loan/auto-refresh";
import { LoanBody } from "@/components/lender/loan/loan-body";
import { LoanHeader } from "@/components/lender/loan/loan-header";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { findPlatformLoan } from "@/lib/server/queries/admin-loans";
import { getLoanPageOrThrow } from "@/lib/server/queries/lender-loan-page";
import { getScopedLoanOrThrow, type LoanScope } from "@/lib/server/queries/lender-loans";

const PLATFORM: LoanScope = { kind: "platform" };

/**
 * Any lender's loan, read-only, as its lender sees it: figures, history charts, what-if, tables.
 * Admins do not freeze or unfreeze (the lender's call); they may liquidate a frozen loan.
 */
export default async function AdminLoanPage({ params }: { params: Promise<{ loanId: string }> }) {
  await requirePageViewer("platform.loans.read");
  const { loanId } = await params;
  const now = new Date();
  let loaded;
  try {
    loaded = await Promise.all([getScopedLoanOrThrow(db, PLATFORM, loanId, now), getLoanPageOrThrow(db, PLATFORM, loanId, { now }), findPlatformLoan(db, loanId)]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  const [detail, page, loan] = loaded;
  if (!loan) notFound();

  return (
    <div className="space-y-6">
      <AutoRefresh />
      <LoanHeader detail={detail} page={page} back={{ href: "/admin/loans", label: "Back to loans" }} lenderName={loan.lenderName} actions={<AdminLiquidateDialog loan={detail} lenderName={loan.lenderName} />} />
      <LoanBody detail={detail} page={page} />
    </div>
  );
}
