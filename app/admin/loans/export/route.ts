import { parsePlatformLoansView } from "@/components/admin/loans/loans-view";
import { platformLoansCsv } from "@/components/admin/loans/platform-loans-csv";
import { db } from "@/lib/server/db/client";
import { authed } from "@/lib/server/http/authed";
import { getPlatformLoanBook, selectPlatformLoans, serializePlatformLoan } from "@/lib/server/queries/admin-loans";

/** The admin's loans table as CSV: every loan the view selects (state, lender, search, sort; all pages), money as exact decimal dollars. Admins only. */
export const GET = authed({ permission: "platform.loans.read" }, async (request) => {
  const view = parsePlatformLoansView(Object.fromEntries(new URL(request.url).searchParams));
  const book = await getPlatformLoanBook(db);
  const rows = selectPlatformLoans(book.loans, view).map(serializePlatformLoan);
  // The BOM makes Excel read the file as UTF-8.
  return new Response(`\uFEFF${platformLoansCsv(rows)}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="blockable-loans-${book.asOf.toISOString().slice(0, 10)}.csv"`,
      "cache-control": "no-store",
    },
  });
});
