import { PORTFOLIO_CSV_HEADERS, portfolioCsvRow } from "@/components/lender/portfolio/portfolio-csv";
import { toCsv } from "@/components/ui/csv";
import type { PlatformLoanDto } from "@/lib/server/queries/admin-loans";

// The admin's loans table as a spreadsheet: the lender's Portfolio columns (money as exact decimal
// dollars, coverage as an exact percentage, dates ISO 8601; empty = not applicable) with the
// lender after the borrower. A loan not disbursed yet has no figures and maybe no lender.

const [LOAN, BORROWER, ...REST] = PORTFOLIO_CSV_HEADERS;
export const PLATFORM_LOANS_CSV_HEADERS = [LOAN, BORROWER, "Lender", ...REST];

export function platformLoanCsvRow(loan: PlatformLoanDto): string[] {
  const [reference, borrower, ...rest] = portfolioCsvRow(loan);
  return [reference, borrower, loan.lenderName ?? "", ...rest];
}

export function platformLoansCsv(loans: readonly PlatformLoanDto[]): string {
  return toCsv(PLATFORM_LOANS_CSV_HEADERS, loans.map(platformLoanCsvRow));
}
