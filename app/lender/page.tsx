import type { Metadata } from "next";
import { PortfolioView } from "@/components/lender/portfolio/portfolio-view";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getLenderPortfolio, serializePortfolio } from "@/lib/server/queries/lender-portfolio";

export const metadata: Metadata = { title: "Portfolio" };

/** The lender's book: which loans need the analyst today. Only the lender's own loans (the query is scoped by its organisation). */
export default async function LenderPortfolioPage() {
  const viewer = await requirePageViewer("portfolio.read");
  const portfolio = serializePortfolio(await getLenderPortfolio(db, viewer.orgId));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Portfolio</h1>
        <p className="text-sm text-muted-foreground">
          {viewer.orgName}: {portfolio.summary.openLoans} open {portfolio.summary.openLoans === 1 ? "loan" : "loans"}, worst coverage first.
        </p>
      </div>
      <PortfolioView portfolio={portfolio} />
    </div>
  );
}
