import type { Metadata } from "next";
import { parsePlatformLoansView } from "@/components/admin/loans/loans-view";
import { PlatformLoansScreen } from "@/components/admin/loans/platform-loans-screen";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getPlatformLoans, serializePlatformLoans } from "@/lib/server/queries/admin-loans";

export const metadata: Metadata = { title: "Loans" };

/**
 * Every lender's loans in one table, read-only: the platform's view of the book. Filter, search,
 * sort and page come from the URL and run on the server; each loan opens its admin loan page.
 */
export default async function AdminLoansPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Reading every lender's loans is the platform's oversight: admins only.
  await requirePageViewer("platform.loans.read");
  const view = parsePlatformLoansView(await searchParams);
  const loans = serializePlatformLoans(await getPlatformLoans(db, view));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Loans</h1>
        <p className="text-sm text-muted-foreground">
          Every lender&apos;s loans and every application: {loans.summary.openLoans.toLocaleString("en-US")} open of {loans.totalLoans.toLocaleString("en-US")} in all, across {loans.lenders.length.toLocaleString("en-US")} {loans.lenders.length === 1 ? "lender" : "lenders"}.
        </p>
      </div>
      <PlatformLoansScreen loans={loans} view={{ ...view, page: loans.page.page }} />
    </div>
  );
}
