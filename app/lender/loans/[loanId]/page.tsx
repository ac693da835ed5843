import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/lender/loan/auto-refresh";
import { LoanBody } from "@/components/lender/loan/loan-body";
import { LoanHeader } from "@/components/lender/loan/loan-header";
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

  return (
    <div className="space-y-6">
      <AutoRefresh />
      <LoanHeader detail={detail} page={page} />
      <LoanBody detail={detail} page={page} />
    </div>
  );
}
