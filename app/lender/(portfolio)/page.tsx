import type { Metadata } from "next";
import { PortfolioScreen } from "@/components/lender/portfolio/portfolio-screen";
import { parsePortfolioView } from "@/lib/domain/valuation/portfolio-view";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { getLenderPortfolio, serializePortfolio } from "@/lib/server/queries/lender-portfolio";

export const metadata: Metadata = { title: "Portfolio" };

/**
 * The lender's book: which loans need the analyst today. Only the lender's own loans (the query is
 * scoped by its organisation); the loans table's filter, search, sort and page come from the URL.
 */
export default async function LenderPortfolioPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requirePageViewer("portfolio.read");
  const view = parsePortfolioView(await searchParams);
  const portfolio = serializePortfolio(await getLenderPortfolio(db, viewer.orgId, { view }));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Portfolio</h1>
        <p className="text-sm text-muted-foreground">
          {viewer.orgName}: {portfolio.summary.openLoans.toLocaleString("en-US")} open {portfolio.summary.openLoans === 1 ? "loan" : "loans"}, worst coverage first.
        </p>
      </div>
      <PortfolioScreen portfolio={portfolio} />
    </div>
  );
}
