import { portfolioCsv } from "@/components/lender/portfolio/portfolio-csv";
import { parsePortfolioView, selectPortfolioRows } from "@/lib/domain/valuation/portfolio-view";
import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { getLenderBook, serializePortfolioLoan } from "@/lib/server/queries/lender-portfolio";

/** The loans table as CSV: every loan the view selects (state, search, sort; all pages), money as exact decimal dollars. Only the caller's own loans. */
export const GET = authed({ permission: "portfolio.read" }, async (request, { viewer }) => {
  const view = parsePortfolioView(Object.fromEntries(new URL(request.url).searchParams));
  const book = await getLenderBook(db, viewer.orgId);
  const rows = selectPortfolioRows(book.loans, view).map((loan) => serializePortfolioLoan(loan));
  // The BOM makes Excel read the file as UTF-8.
  return new Response(`\uFEFF${portfolioCsv(rows)}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="blockable-portfolio-${book.asOf.toISOString().slice(0, 10)}.csv"`,
      "cache-control": "no-store",
    },
  });
});
